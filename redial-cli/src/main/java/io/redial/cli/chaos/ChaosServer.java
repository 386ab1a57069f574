package io.redial.cli.chaos;

import io.redial.cli.server.FrameEchoServer;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The soak's echo server on loopback: echoes every frame, and watches for double connects. A
 * socket belongs to the connection its first frame names. A <b>double connect</b> is a socket of
 * connection C that speaks while an older socket of C is open, when that older socket then stays
 * open longer than a grace period: the old socket's close and the new socket's first frame travel
 * through the proxy on different sockets and may arrive in either order, but a socket whose close
 * is under way is gone within the grace; a second live socket is not.
 *
 * <p>{@link #stop()} and {@link #restart()} play a crash and a return on the same port.
 */
final class ChaosServer implements AutoCloseable {
  private final LongSupplier nanoTime;
  private final long graceNanos;
  private final FrameEchoServer server;
  /** Guarded by ledger: open sockets by connection (identified sockets only). */
  private final Map<Integer, List<Sock>> open = new HashMap<>();
  private final Object ledger = new Object();
  /** Guarded by ledger: sockets closed after outliving the grace next to a newer one. */
  private long doubles;
  private long corrupt;

  /** One server-side socket. Fields guarded by {@code ledger}. */
  private static final class Sock {
    int connection = -1;
    /** When a newer socket of the same connection first spoke while this one was open; or -1. */
    long sharedSince = -1;
  }

  ChaosServer(LongSupplier nanoTime, long graceNanos) {
    this.nanoTime = nanoTime;
    this.graceNanos = graceNanos;
    this.server = new FrameEchoServer("chaos echo server", ChaosFrames.MAX_FRAME_BYTES, () -> {
      Sock sock = new Sock();
      return new FrameEchoServer.SocketObserver() {
        @Override
        public void frame(ByteBuffer payload) {
          spoke(sock, ChaosFrames.parse(payload));
        }

        @Override
        public void closed() {
          gone(sock);
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

  /**
   * Double connects as of now: older sockets that stayed open longer than the grace after a newer
   * socket of their connection spoke (closed ones are judged at their close, so nothing is kept).
   */
  long doubleConnects() {
    long now = nanoTime.getAsLong();
    synchronized (ledger) {
      long n = doubles;
      for (List<Sock> mine : open.values()) {
        for (Sock s : mine) {
          if (s.sharedSince >= 0 && now - s.sharedSince > graceNanos) {
            n++;
          }
        }
      }
      return n;
    }
  }

  /** Frames that were not soak frames, or named another connection than their socket's. */
  long corrupt() {
    synchronized (ledger) {
      return corrupt;
    }
  }

  @Override
  public void close() {
    server.close();
  }

  /** A socket's frame: its first one says whose socket it is. */
  private void spoke(Sock sock, ChaosFrames.Frame f) {
    synchronized (ledger) {
      if (f == null || sock.connection >= 0 && sock.connection != f.connection()) {
        corrupt++;
      } else if (sock.connection < 0) {
        sock.connection = f.connection();
        long now = nanoTime.getAsLong();
        List<Sock> mine = open.computeIfAbsent(f.connection(), c -> new ArrayList<>());
        for (Sock older : mine) {
          if (older.sharedSince < 0) {
            older.sharedSince = now;
          }
        }
        mine.add(sock);
      }
    }
  }

  /** A socket closed: judged now, then forgotten. */
  private void gone(Sock sock) {
    synchronized (ledger) {
      if (sock.sharedSince >= 0 && nanoTime.getAsLong() - sock.sharedSince > graceNanos) {
        doubles++;
      }
      List<Sock> mine = open.get(sock.connection);
      if (mine != null) {
        mine.remove(sock);
        if (mine.isEmpty()) {
          open.remove(sock.connection);
        }
      }
    }
  }
}
