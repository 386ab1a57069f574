package io.redial.agent.programs;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/** Correct code: a fresh socket per connection, always closed. Must report nothing. */
public final class CleanClient {
  static final int SOCKETS = 1_000;

  public static void main(String[] args) throws Exception {
    try (LoopbackServer server = LoopbackServer.closingEach(SOCKETS + 20)) {
      InetSocketAddress address = server.address();
      for (int i = 0; i < SOCKETS; i++) {
        try (Socket socket = new Socket()) {
          socket.connect(address, 5_000);
        }
      }
      for (int i = 0; i < 10; i++) {
        try (SocketChannel channel = SocketChannel.open()) {
          channel.configureBlocking(false);
          if (!channel.connect(address)) {
            while (!channel.finishConnect()) {
              Thread.onSpinWait();
            }
          }
        }
      }
      for (int i = 0; i < 10; i++) {
        try (AsynchronousSocketChannel channel = AsynchronousSocketChannel.open()) {
          channel.connect(address).get(5, TimeUnit.SECONDS);
        }
      }
      System.gc();
      System.out.println("done");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
