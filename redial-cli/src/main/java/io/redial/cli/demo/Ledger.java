package io.redial.cli.demo;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the demo's server saw, socket by socket: the server side of the verdict. Times are passed
 * in (nanoseconds on any one clock), so the rules are tested without sockets or sleeping.
 *
 * <p>Rules:
 * <ul>
 *   <li>A socket belongs to the managed connection named by its first frame (every demo frame,
 *       the heartbeat's ping included, names its connection).
 *   <li><b>Duplicated</b>: the same (connection, sequence number, attempt) arrived twice. The demo
 *       re-sends a frame only with a higher attempt number, so a repeat means a frame was
 *       delivered twice below the application.
 *   <li><b>Out of order</b>: on one socket, a first-attempt frame whose sequence number is not
 *       above the previous first-attempt frame's.
 *   <li><b>Double connect</b>: when a socket of connection C sends its first frame while an
 *       older socket of C is still open, and that older socket then stays open longer than the
 *       grace period. The old socket's close and the new socket's first frame travel through the
 *       proxy on different sockets and can arrive in either order; a socket whose close is under
 *       way is gone within the grace, a second live socket is not.
 * </ul>
 *
 * <p>Thread-safe (synchronized): the server's event loop writes, the demo's thread reads.
 */
final class Ledger {
  /** A frame whose sequence number or connection is outside these is counted corrupt. */
  static final int MAX_SEQ = Integer.MAX_VALUE - 1;
  static final int MAX_CONNECTIONS = 1_000_000;

  private final long graceNanos;
  private long nextSocketId = 1;
  /** Open sockets by id; a closed one lives on only in the suspects that name it. */
  private final Map<Long, Socket> sockets = new HashMap<>();
  private final Map<Integer, Peer> peers = new HashMap<>();
  private final List<Suspect> suspects = new ArrayList<>();
  private long duplicates;
  private long outOfOrder;
  private long corrupt;
  private long frames;

  /** Counts at one moment. */
  record Counts(long frames, long distinctReceived, long duplicates, long outOfOrder,
      long corrupt, long doubleConnects, int openSockets, long socketsSeen) {}

  private static final class Socket {
    final long id;
    int connection = -1; // set by the first well-formed frame
    long closedAt = -1; // -1 while open
    long lastOriginalSeq = -1;

    Socket(long id) {
      this.id = id;
    }
  }

  /** One managed connection as the server knows it. */
  private static final class Peer {
    /** Its open sockets. */
    final List<Socket> sockets = new ArrayList<>();
    final BitSet anyAttempt = new BitSet();
    final BitSet firstAttempt = new BitSet();
    final Set<Long> resends = new HashSet<>();
  }

  /** An older socket still open when a newer one of the same connection spoke. */
  private record Suspect(Socket older, Socket newer, long at) {}

  Ledger(long graceNanos) {
    if (graceNanos <= 0) {
      throw new IllegalArgumentException("graceNanos must be positive, was " + graceNanos);
    }
    this.graceNanos = graceNanos;
  }

  /** A socket was accepted; returns its id. */
  synchronized long opened() {
    long id = nextSocketId++;
    sockets.put(id, new Socket(id));
    return id;
  }

  synchronized void closed(long socketId, long now) {
    Socket s = sockets.remove(socketId);
    if (s != null) {
      s.closedAt = now;
      if (s.connection >= 0) {
        peers.get(s.connection).sockets.remove(s);
      }
    }
  }

  /** Something that is not a demo frame arrived. */
  synchronized void corrupt(long socketId) {
    corrupt++;
  }

  synchronized void frame(long socketId, Protocol.Frame f, long now) {
    Socket s = sockets.get(socketId);
    if (s == null || f.connection() >= MAX_CONNECTIONS || f.seq() > MAX_SEQ) {
      corrupt++;
      return;
    }
    if (s.connection < 0) {
      s.connection = f.connection();
      Peer p = peers.computeIfAbsent(f.connection(), c -> new Peer());
      for (Socket older : p.sockets) {
        if (older.closedAt < 0) {
          suspects.add(new Suspect(older, s, now));
        }
      }
      p.sockets.add(s);
    } else if (s.connection != f.connection()) {
      corrupt++; // two connections' frames on one socket
      return;
    }
    if (f.isPing()) {
      return;
    }
    frames++;
    Peer p = peers.get(s.connection);
    if (p == null) {
      corrupt++; // cannot happen: a socket gets its peer with its first frame
      return;
    }
    int seq = (int) f.seq();
    p.anyAttempt.set(seq);
    if (f.attempt() == 0) {
      if (p.firstAttempt.get(seq)) {
        duplicates++;
      } else {
        p.firstAttempt.set(seq);
      }
      if (f.seq() <= s.lastOriginalSeq) {
        outOfOrder++;
      } else {
        s.lastOriginalSeq = f.seq();
      }
    } else if (!p.resends.add(f.seq() * (Protocol.MAX_ATTEMPT + 1) + f.attempt())) {
      duplicates++;
    }
  }

  /** The counts, judging double connects as of {@code now}. */
  synchronized Counts counts(long now) {
    long doubles = 0;
    for (Suspect x : suspects) {
      long end = x.older.closedAt < 0 ? now : x.older.closedAt;
      if (end - x.at > graceNanos) {
        doubles++;
      }
    }
    long distinct = 0;
    for (Peer p : peers.values()) {
      distinct += p.anyAttempt.cardinality();
    }
    return new Counts(frames, distinct, duplicates, outOfOrder, corrupt, doubles, sockets.size(),
        nextSocketId - 1);
  }
}
