package io.redial.cli.demo;

import io.redial.cli.server.FrameEchoServer;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.function.LongSupplier;

/**
 * The demo's echo server: a {@link FrameEchoServer} that tells the {@link Ledger} which socket
 * carried which frame, so the verdict knows which managed connection each server-side socket
 * belongs to. {@link #stop()} and {@link #restart()} play a server crash and its return.
 */
final class DemoServer implements AutoCloseable {
  private final FrameEchoServer server;

  DemoServer(Ledger ledger, LongSupplier nanoTime) {
    this.server = new FrameEchoServer("demo server", Protocol.MAX_FRAME_BYTES, () -> {
      long socketId = ledger.opened();
      return new FrameEchoServer.SocketObserver() {
        @Override
        public void frame(ByteBuffer payload) {
          Protocol.Frame f = Protocol.parse(payload);
          if (f == null) {
            ledger.corrupt(socketId);
          } else {
            ledger.frame(socketId, f, nanoTime.getAsLong());
          }
        }

        @Override
        public void closed() {
          ledger.closed(socketId, nanoTime.getAsLong());
        }
      };
    });
  }

  InetSocketAddress address() {
    return server.address();
  }

  /** Server-side sockets open now. */
  int openSockets() {
    return server.openSockets();
  }

  /** Stops listening and drops every client: a crashed server. */
  void stop() {
    server.stop();
  }

  /** Listens again on the same port. */
  void restart() {
    server.restart();
  }

  @Override
  public void close() {
    server.close();
  }
}
