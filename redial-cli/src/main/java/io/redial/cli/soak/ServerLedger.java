package io.redial.cli.soak;

import io.redial.testkit.SocketObserver;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * What the soak's echo server saw, socket by socket: the server side of the verdict. It makes
 * the server's {@link SocketObserver}s; the clock is injected, so the rules are tested without
 * sockets or sleeping.
 *
 * <p>Rules:
 * <ul>
 *   <li>A socket belongs to the managed connection named by its first frame (every soak frame,
 *       the heartbeat's ping included, names its connection).
 *   <li><b>Duplicated</b>: the same (connection, sequence number, attempt) arrived twice. The
 *       client re-sends a frame only with a higher attempt number, so a repeat means a frame was
 *       delivered twice below the application.
 *   <li><b>Out of order</b>: on one socket, a first-attempt frame whose sequence number is not
 *       above the previous first-attempt frame's.
 *   <li><b>Double connect</b>: a socket of connection C sends its first frame while an older
 *       socket of C is open, and that older socket then stays open longer than the grace period.
 *       The old socket's close and the new socket's first frame travel through the proxy on
 *       different sockets and can arrive in either order; a socket whose close is under way is
 *       gone within the grace, a second live socket is not. A closed socket is judged at its
 *       close and forgotten.
 *   <li><b>Corrupt</b>: not a soak frame, or a frame naming another connection than its socket's.
 *   <li><b>Not handshaken</b> (only when HELLOs are required: the request mode): a socket with a
 *       data frame (a request) before any HELLO ({@link Frames#hello}). Heartbeat pings before
 *       the HELLO are counted apart: the heartbeat runs from TCP connect on, and a blackhole can
 *       drop a HELLO's bytes (that handshake then times out, and no request follows on it).
 * </ul>
 *
 * <p>Thread-safe (synchronized): the server's event loop writes, the soak's thread reads.
 */
final class ServerLedger {
  private final LongSupplier clock;
  private final long graceNanos;
  private final boolean helloFirst;
  private final Map<Integer, Peer> peers = new HashMap<>();
  private long frames;
  private long duplicates;
  private long outOfOrder;
  private long corrupt;
  /** Closed sockets that had outlived the grace next to a newer one. */
  private long doubles;
  private int openSockets;
  private long socketsSeen;
  private long hellos;
  private long requestsBeforeHello;
  private long pingsBeforeHello;

  /**
   * Counts at one moment.
   *
   * @param hellos HELLO frames received
   * @param requestsBeforeHello sockets with a data frame before any HELLO, when one is required
   * @param pingsBeforeHello sockets with a heartbeat ping before any HELLO, when one is
   *     required: not a violation (a ping is not a queued message, and the proxy's faults can
   *     drop a HELLO's bytes inside a live connection, whose handshake then times out)
   */
  record Counts(long frames, long distinctReceived, long duplicates, long outOfOrder,
      long corrupt, long doubleConnects, int openSockets, long socketsSeen, long hellos,
      long requestsBeforeHello, long pingsBeforeHello) {
    /** Counts of a soak without handshakes. */
    Counts(long frames, long distinctReceived, long duplicates, long outOfOrder, long corrupt,
        long doubleConnects, int openSockets, long socketsSeen) {
      this(frames, distinctReceived, duplicates, outOfOrder, corrupt, doubleConnects,
          openSockets, socketsSeen, 0, 0, 0);
    }
  }

  /** One server-side socket. Fields guarded by the ledger. */
  private static final class Socket {
    int connection = -1; // set by the first well-formed frame
    boolean hello; // a HELLO arrived
    boolean pingBeforeHello;
    boolean requestBeforeHello;
    /** When a newer socket of the same connection first spoke while this one was open; or -1. */
    long sharedSince = -1;
    long lastFirstAttempt = -1;
  }

  /** One managed connection as the server knows it. Guarded by the ledger. */
  private static final class Peer {
    final List<Socket> open = new ArrayList<>();
    BitSet anyAttempt = new BitSet();
    BitSet firstAttempt = new BitSet();
    Set<Long> resends = new HashSet<>();
  }

  ServerLedger(LongSupplier clock, long graceNanos) {
    this(clock, graceNanos, false);
  }

  /** @param helloFirst whether every socket's first frame must be a HELLO */
  ServerLedger(LongSupplier clock, long graceNanos, boolean helloFirst) {
    if (graceNanos <= 0) {
      throw new IllegalArgumentException("graceNanos is " + graceNanos + "; allowed: above 0");
    }
    this.clock = clock;
    this.graceNanos = graceNanos;
    this.helloFirst = helloFirst;
  }

  /** The observer of one newly accepted socket. */
  SocketObserver observer() {
    Socket s = new Socket();
    synchronized (this) {
      openSockets++;
      socketsSeen++;
    }
    return new SocketObserver() {
      @Override
      public void frame(ByteBuffer payload) {
        ServerLedger.this.frame(s, Frames.parse(payload));
      }

      @Override
      public void closed() {
        ServerLedger.this.closed(s);
      }
    };
  }

  private synchronized void frame(Socket s, Frames.Frame f) {
    if (helloFirst && f != null && !s.hello) {
      if (f.isHello()) {
        s.hello = true;
      } else if (f.isPing()) {
        if (!s.pingBeforeHello) {
          s.pingBeforeHello = true;
          pingsBeforeHello++;
        }
      } else if (!s.requestBeforeHello) {
        s.requestBeforeHello = true;
        requestsBeforeHello++;
      }
    }
    if (f == null || s.connection >= 0 && s.connection != f.connection()) {
      corrupt++; // not a soak frame, or two connections' frames on one socket
      return;
    }
    Peer p;
    if (s.connection < 0) {
      s.connection = f.connection();
      p = peers.computeIfAbsent(f.connection(), c -> new Peer());
      long now = clock.getAsLong();
      for (Socket older : p.open) {
        if (older.sharedSince < 0) {
          older.sharedSince = now;
        }
      }
      p.open.add(s);
    } else {
      p = peers.get(s.connection);
    }
    if (f.isHello()) {
      hellos++;
      return;
    }
    if (f.isPing()) {
      return;
    }
    frames++;
    int seq = (int) f.seq();
    p.anyAttempt.set(seq);
    if (f.attempt() == 0) {
      if (p.firstAttempt.get(seq)) {
        duplicates++;
      } else {
        p.firstAttempt.set(seq);
      }
      if (f.seq() <= s.lastFirstAttempt) {
        outOfOrder++;
      } else {
        s.lastFirstAttempt = f.seq();
      }
    } else if (!p.resends.add(f.seq() * (Frames.MAX_ATTEMPT + 1) + f.attempt())) {
      duplicates++;
    }
  }

  private synchronized void closed(Socket s) {
    openSockets--;
    if (s.sharedSince >= 0 && clock.getAsLong() - s.sharedSince > graceNanos) {
      doubles++;
    }
    Peer p = s.connection < 0 ? null : peers.get(s.connection);
    if (p != null) {
      p.open.remove(s);
    }
  }

  /** The counts, judging open sockets' double connects as of now. */
  synchronized Counts counts() {
    long now = clock.getAsLong();
    long doubleConnects = doubles;
    long distinct = 0;
    for (Peer p : peers.values()) {
      distinct += p.anyAttempt.cardinality();
      for (Socket s : p.open) {
        if (s.sharedSince >= 0 && now - s.sharedSince > graceNanos) {
          doubleConnects++;
        }
      }
    }
    return new Counts(frames, distinct, duplicates, outOfOrder, corrupt, doubleConnects,
        openSockets, socketsSeen, hellos, requestsBeforeHello, pingsBeforeHello);
  }

  /**
   * Drops the record of which frames arrived (the counts so far stay), so that a heap measured
   * after a soak holds none of the harness's own bookkeeping. Later frames are judged afresh.
   */
  synchronized void forgetFrames() {
    for (Peer p : peers.values()) {
      p.anyAttempt = new BitSet();
      p.firstAttempt = new BitSet();
      p.resends = new HashSet<>();
    }
  }
}
