package io.redial.agent.programs;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;

/** Bug: a non-blocking connect called again instead of finishConnect(). */
public final class NonBlockingConnectTwice {
  public static void main(String[] args) throws IOException {
    try (LoopbackServer server = LoopbackServer.closingEach(10);
        SocketChannel channel = SocketChannel.open()) { // MARK: open
      InetSocketAddress address = server.address();
      channel.configureBlocking(false);
      boolean connected = channel.connect(address); // MARK: first-connect
      System.out.println("connected at once: " + connected);
      try {
        channel.connect(address); // MARK: second-connect
      } catch (IOException | RuntimeException e) {
        System.out.println("second connect: " + e);
      }
    }
  }
}
