package io.redial.cli.chaos;

import io.redial.Connection;
import io.redial.ConnectionEvent;
import io.redial.ConnectionState;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The application on one managed connection: numbered frames, checked echoes, and the repair TCP
 * cannot do. A frame whose send completed may still be lost with a socket that then died (DESIGN
 * invariant 5), so the client keeps every frame until its echo and re-sends it, with a higher
 * attempt number, when the connection is CONNECTED again (every send completed by then went to an
 * older channel: Redial notifies listeners before it flushes its queue), when its send failed, or
 * when no echo came for {@link #RETRANSMIT_NANOS} (a short blackhole drops bytes inside a live
 * connection before any heartbeat notices).
 *
 * <p>Checks: a frame is <b>lost</b> if it never got an echo by the end; <b>duplicated</b> if the
 * same (sequence, attempt) came back twice; <b>out of order</b> if, within one channel generation,
 * first-attempt echoes do not increase; a <b>stale event</b> is a listener event whose generation
 * is older than one already seen.
 *
 * <p>Thread-safety: synchronized; the connection's event loop (messages, events) and the run's
 * thread (sends) both call in. {@code send} never blocks.
 */
final class ChaosClient {
  /** No echo this long after a completed send: re-send. */
  static final long RETRANSMIT_NANOS = 3_000_000_000L;

  /** Re-sent sequence numbers whose echoes are told apart by attempt. */
  static final int MAX_RESENT_TRACKED = 4_096;

  /** A frame without an echo yet. */
  private record Pending(int attempt, long sentAt, CompletableFuture<Void> sent) {}

  private final int index;
  /** Futures (sends, connects) not completed yet, across every client. */
  private final AtomicLong openFutures;
  private Connection connection;
  private long nextSeq;
  private final Map<Long, Pending> pending = new LinkedHashMap<>();
  private final BitSet echoed = new BitSet();
  /**
   * Attempts echoed, as bit masks, of the latest re-sent sequence numbers: only those may
   * legitimately echo twice. Bounded: an echo comes back within a window's worth of frames, far
   * fewer than this.
   */
  private final Map<Long, Long> resentEchoes = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
      return size() > MAX_RESENT_TRACKED;
    }
  };
  private long echoedCount;
  private long duplicated;
  private long outOfOrder;
  private long corrupt;
  private long resent;
  private long gaveUp;
  private long staleEvents;
  private long connects;
  private long maxGeneration;
  private long orderGeneration = -1;
  private long lastFirstAttempt = -1;

  ChaosClient(int index, AtomicLong openFutures) {
    this.index = index;
    this.openFutures = openFutures;
  }

  /** Set once, right after build (its events need this object first). */
  synchronized void attach(Connection c) {
    this.connection = c;
  }

  synchronized Connection connection() {
    return connection;
  }

  /** Tracks a future until it completes, for the hung-futures check. */
  <T> CompletableFuture<T> track(CompletableFuture<T> f) {
    openFutures.incrementAndGet();
    f.whenComplete((v, e) -> openFutures.decrementAndGet());
    return f;
  }

  /** Sends the next numbered frame unless {@code window} frames already wait for their echo. */
  synchronized void sendNext(int window) {
    if (pending.size() < window && nextSeq < Integer.MAX_VALUE) {
      send(nextSeq++, 0);
    }
  }

  /** Re-sends frames whose send failed, or whose echo is overdue. */
  synchronized void repair(long now) {
    for (Map.Entry<Long, Pending> e : List.copyOf(pending.entrySet())) {
      Pending p = e.getValue();
      if (p.sent.isCompletedExceptionally()
          || p.sent.isDone() && now - p.sentAt > RETRANSMIT_NANOS) {
        resend(e.getKey(), p);
      }
    }
  }

  synchronized boolean idle() {
    return pending.isEmpty();
  }

  private void send(long seq, int attempt) {
    CompletableFuture<Void> f;
    try {
      f = track(connection.send(ChaosFrames.data(index, seq, attempt)));
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e); // not silent either: re-sent like a failed future
    }
    pending.put(seq, new Pending(attempt, System.nanoTime(), f));
  }

  private void resend(long seq, Pending p) {
    if (p.attempt >= ChaosFrames.MAX_ATTEMPT) {
      pending.remove(seq);
      gaveUp++;
      return;
    }
    resent++;
    resentEchoes.putIfAbsent(seq, 0L);
    send(seq, p.attempt + 1);
  }

  /** An echo, on the event loop (so {@code generation()} is the channel it came from). */
  synchronized void onMessage(byte[] payload) {
    ChaosFrames.Frame f = ChaosFrames.parse(ByteBuffer.wrap(payload));
    if (f == null || f.connection() != index) {
      corrupt++;
      return;
    }
    if (f.isPing()) {
      return;
    }
    if (f.seq() >= nextSeq) {
      corrupt++; // an echo of a frame never sent
      return;
    }
    Long mask = resentEchoes.get(f.seq());
    if (mask != null) {
      long bit = 1L << f.attempt();
      if ((mask & bit) != 0) {
        duplicated++;
      }
      resentEchoes.put(f.seq(), mask | bit);
    } else if (echoed.get((int) f.seq())) {
      duplicated++; // sent once, echoed twice
    }
    if (!echoed.get((int) f.seq())) {
      echoed.set((int) f.seq());
      echoedCount++;
    }
    pending.remove(f.seq());
    if (f.attempt() == 0) {
      long gen = connection.generation();
      if (gen == orderGeneration && f.seq() <= lastFirstAttempt) {
        outOfOrder++;
      }
      orderGeneration = gen;
      lastFirstAttempt = f.seq();
    }
  }

  /** A connection event, on the event loop. */
  synchronized void onEvent(ConnectionEvent event) {
    long gen = -1;
    if (event instanceof ConnectionEvent.StateChanged sc) {
      gen = sc.generation();
    } else if (event instanceof ConnectionEvent.AttemptStarted as) {
      gen = as.generation();
    } else if (event instanceof ConnectionEvent.HeartbeatMissed hm) {
      gen = hm.generation();
    }
    if (gen >= 0 && gen < maxGeneration) {
      staleEvents++;
    }
    maxGeneration = Math.max(maxGeneration, gen);
    if (event instanceof ConnectionEvent.StateChanged sc && sc.to() == ConnectionState.CONNECTED) {
      connects++;
      // Pick first, then send: the first re-send flushes Redial's queue, completing newer sends.
      List<Map.Entry<Long, Pending>> repair = new ArrayList<>();
      for (Map.Entry<Long, Pending> e : pending.entrySet()) {
        if (e.getValue().sent.isDone()) {
          repair.add(Map.entry(e.getKey(), e.getValue()));
        }
      }
      for (Map.Entry<Long, Pending> e : repair) {
        resend(e.getKey(), e.getValue());
      }
    }
  }

  /** The counts now. */
  synchronized ChaosVerdict.Tally tally() {
    return new ChaosVerdict.Tally(nextSeq, echoedCount, pending.size() + gaveUp, duplicated,
        outOfOrder, corrupt, resent, staleEvents, Math.max(0, connects - 1));
  }
}
