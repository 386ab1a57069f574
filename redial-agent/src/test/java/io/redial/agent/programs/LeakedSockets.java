package io.redial.agent.programs;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** Bug: connected Sockets dropped without close() (the JDK's cleaner closes them later). */
public final class LeakedSockets {
  static final int LEAKS = 10;

  public static void main(String[] args) throws Exception {
    try (LoopbackServer server = LoopbackServer.closingEach(LEAKS)) {
      for (int i = 0; i < LEAKS; i++) {
        leak(server.address());
      }
      Gc.awaitTwoCollections();
    }
  }

  private static void leak(InetSocketAddress address) throws IOException {
    Socket socket = new Socket();
    socket.connect(address, 5_000); // MARK: connect
    System.out.println("connected " + socket.isConnected());
  }
}
