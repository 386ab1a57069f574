package io.redial.agent.programs;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** Bug: a socket handle closed in one place and connected again in another. */
public final class ReuseAfterClose {
  private static Socket socket = new Socket();

  public static void main(String[] args) throws IOException {
    try (LoopbackServer server = LoopbackServer.closingEach(10)) {
      InetSocketAddress address = server.address();
      socket.connect(address, 5_000); // MARK: first-connect
      disconnect();
      try {
        socket.connect(address, 5_000); // MARK: reuse
      } catch (IOException e) {
        System.out.println("reuse failed: " + e);
      }
    }
  }

  private static void disconnect() throws IOException {
    socket.close(); // MARK: close
  }
}
