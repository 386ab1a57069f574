package io.redial.agent.programs;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;

/** Bug: 100 connected SocketChannels dropped without close(). */
public final class LeakedChannels {
  static final int LEAKS = 100;

  public static void main(String[] args) throws Exception {
    try (LoopbackServer server = LoopbackServer.closingEach(LEAKS)) {
      for (int i = 0; i < LEAKS; i++) {
        leak(server.address());
      }
      Gc.awaitTwoCollections();
    }
  }

  private static void leak(InetSocketAddress address) throws IOException {
    SocketChannel channel = SocketChannel.open(address); // MARK: open
    System.out.println("opened " + channel.isConnected());
  }
}
