package io.redial.agent.programs;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** Bug: a reconnect loop that reuses its socket instead of creating a new one. */
public final class ReconnectLoop {
  static final int RECONNECTS = 3;

  public static void main(String[] args) throws IOException {
    try (LoopbackServer server = LoopbackServer.closingEach(10)) {
      InetSocketAddress address = server.address();
      Socket socket = new Socket();
      socket.connect(address, 5_000); // MARK: first-connect
      int read = socket.getInputStream().read(); // the server closes: -1
      System.out.println("read " + read + ", reconnecting");
      for (int attempt = 1; attempt <= RECONNECTS; attempt++) {
        try {
          socket.connect(address, 5_000); // MARK: reconnect
        } catch (IOException e) {
          System.out.println("attempt " + attempt + ": " + e);
        }
      }
      socket.close();
    }
  }
}
