package io.redial.agent.programs;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;

/** Bug: a channel connected twice through its {@code socket()} adaptor (blocking connect). */
public final class AdaptorConnectTwice {
  public static void main(String[] args) throws IOException {
    try (LoopbackServer server = LoopbackServer.closingEach(10);
        SocketChannel channel = SocketChannel.open()) { // MARK: open
      InetSocketAddress address = server.address();
      Socket adaptor = channel.socket();
      adaptor.connect(address, 5_000); // MARK: first-connect
      try {
        adaptor.connect(address, 5_000); // MARK: second-connect
      } catch (IOException | RuntimeException e) { // the adaptor lets AlreadyConnected through
        System.out.println("second connect: " + e);
      }
    }
  }
}
