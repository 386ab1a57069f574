package io.redial.agent.programs;

import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousSocketChannel;
import java.util.concurrent.TimeUnit;

/** Bug: an AsynchronousSocketChannel connected a second time. */
public final class AsyncConnectTwice {
  public static void main(String[] args) throws Exception {
    try (LoopbackServer server = LoopbackServer.closingEach(10);
        AsynchronousSocketChannel channel = AsynchronousSocketChannel.open()) {
      InetSocketAddress address = server.address();
      channel.connect(address).get(5, TimeUnit.SECONDS); // MARK: first-connect
      try {
        channel.connect(address).get(5, TimeUnit.SECONDS); // MARK: second-connect
      } catch (RuntimeException e) {
        System.out.println("second connect: " + e);
      }
    }
  }
}
