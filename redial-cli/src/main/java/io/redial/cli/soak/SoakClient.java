package io.redial.cli.soak;

import io.redial.Connection;
import io.redial.ConnectionEvent;
import io.redial.ConnectionState;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * {@link Traffic#numberedFrames()}: the application on one managed connection. Numbered frames,
 * checked echoes, and the repair that TCP cannot do for it.
 *
 * <p>Redial re-sends a frame whose write had not completed when a channel died; a frame whose
 * write completed sat in the dead socket's kernel buffer and may be gone, and no library can know
 * (DESIGN invariant 5). So the client keeps every frame until its echo and re-sends it, with a
 * higher attempt number (one rule, four triggers):
 * <ul>
 *   <li>when the connection is CONNECTED again: exactly the frames whose send had completed
 *       without an echo. Redial tells listeners about CONNECTED before it flushes its queue, so
 *       at that moment every completed send belongs to an older channel;
 *   <li>when an echo shows that a frame written before it on the same channel was dropped (a
 *       blackhole that lifts before any heartbeat noticed drops bytes inside a live connection).
 *       Frames travel and echo in write order. Each frame carries a barrier: the first
 *       first-attempt sequence number certainly written after it;
 *   <li>when no echo came for {@link #RETRANSMIT_NANOS} after its send completed (the same drop,
 *       when no later frame comes to show it: sending has stopped);
 *   <li>when Redial failed its send (it said so: not silent).
 * </ul>
 *
 * <p>Checks: an echo of the same (sequence, attempt) twice, or a second echo of a frame never
 * re-sent, is a duplicate; echoes of first attempts must come in increasing order (a channel's
 * echoes end before the next channel opens; gaps are frames lost with a dead socket, repaired by
 * re-sends, which are not ordered); an echo that is no frame of this connection, or of a frame
 * never sent, is corrupt.
 *
 * <p>Thread-safety: synchronized; written by the connection's event loop (messages, events) and
 * the soak's thread (sends). The lock is held around bookkeeping and {@code send}, which never
 * blocks.
 */
final class SoakClient implements Traffic.Client {
  /** No echo this long after a completed send: re-send. */
  static final long RETRANSMIT_NANOS = 3_000_000_000L;
  /** Re-sent sequence numbers whose echoes are told apart by attempt; older ones are forgotten. */
  static final int MAX_RESENT_TRACKED = 4_096;

  /**
   * A frame without an echo.
   *
   * @param barrier first-attempt frames numbered from here on were sent after this one: either
   *     it is the first attempt of {@code seq} ({@code seq + 1}), or {@code nextSeq} when it was
   *     re-sent (later first attempts are sent later, under this object's lock, and Redial keeps
   *     the order of sends)
   * @param writtenAt completes with the time its send completed (not when it was handed over:
   *     a frame may wait in Redial's queue for as long as the connection is down)
   */
  private record Outstanding(long seq, int attempt, long barrier, CompletableFuture<Void> sent,
      CompletableFuture<Long> writtenAt) {
    boolean written() {
      return sent.isDone() && !sent.isCompletedExceptionally();
    }

    /** Written, and no echo for longer than {@link #RETRANSMIT_NANOS} since. */
    boolean overdue(long now) {
      return written() && writtenAt.isDone() && now - writtenAt.join() > RETRANSMIT_NANOS;
    }
  }

  private final int index;
  private final Traffic.Context context;
  private Connection connection;
  private long nextSeq;
  /** Frames without an echo yet, in send order; the window bounds its size. */
  private final Map<Long, Outstanding> unechoed = new LinkedHashMap<>();
  private final BitSet echoed = new BitSet();
  /**
   * Attempts echoed, as bit masks over attempt numbers 0..63 (higher ones share bit 63), of the
   * latest re-sent sequence numbers: only those may legitimately echo twice. Bounded: an echo
   * comes back within a window's worth of frames, far fewer than this.
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
  private long sendFailures;
  private long gaveUp;
  private long lastFirstAttemptEcho = -1;

  SoakClient(int index, Traffic.Context context) {
    this.index = index;
    this.context = context;
  }

  @Override
  public synchronized void attach(Connection c) {
    this.connection = c;
  }

  @Override
  public synchronized void tick(int window) {
    repair();
    if (connection != null && unechoed.size() < window && nextSeq <= Frames.MAX_SEQ) {
      send(nextSeq++, 0);
    }
  }

  /** Re-sends frames whose send failed, or whose echo is overdue. */
  @Override
  public synchronized void repair() {
    long now = context.clock().getAsLong();
    for (Outstanding o : List.copyOf(unechoed.values())) {
      if (o.sent.isCompletedExceptionally()) {
        sendFailures++;
        resend(o);
      } else if (o.overdue(now)) {
        resend(o);
      }
    }
  }

  @Override
  public synchronized boolean idle() {
    return unechoed.isEmpty();
  }

  private void send(long seq, int attempt) {
    CompletableFuture<Void> f;
    try {
      f = context.track(connection.send(Frames.data(index, seq, attempt)));
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e); // not silent either: re-sent like a failed future
    }
    LongSupplier clock = context.clock();
    unechoed.put(seq, new Outstanding(seq, attempt, attempt == 0 ? seq + 1 : nextSeq, f,
        f.thenApply(v -> clock.getAsLong())));
  }

  private void resend(Outstanding o) {
    if (o.attempt >= Frames.MAX_ATTEMPT) {
      unechoed.remove(o.seq);
      gaveUp++;
      return;
    }
    resent++;
    resentEchoes.putIfAbsent(o.seq, 0L);
    send(o.seq, o.attempt + 1);
  }

  @Override
  public synchronized void onMessage(byte[] payload) {
    Frames.Frame f = Frames.parse(payload);
    if (f == null || f.connection() != index || f.isHello()) {
      corrupt++; // (no hello is sent in this mode)
      return;
    }
    if (f.isPing()) {
      return; // the heartbeat's answer: it only has to arrive
    }
    if (f.seq() >= nextSeq) {
      corrupt++; // an echo of a frame never sent
      return;
    }
    int seq = (int) f.seq();
    Long mask = resentEchoes.get(f.seq());
    if (mask != null) {
      long bit = 1L << Math.min(f.attempt(), 63);
      if ((mask & bit) != 0) {
        duplicated++;
      }
      resentEchoes.put(f.seq(), mask | bit);
    } else if (echoed.get(seq)) {
      duplicated++; // sent once, echoed twice
    }
    if (!echoed.get(seq)) {
      echoed.set(seq);
      echoedCount++;
    }
    unechoed.remove(f.seq());
    if (f.attempt() == 0) {
      if (f.seq() <= lastFirstAttemptEcho) {
        outOfOrder++;
      } else {
        lastFirstAttemptEcho = f.seq();
      }
      repairGaps(f.seq());
    }
  }

  /**
   * Re-sends frames written on this channel before first attempt {@code echoedSeq} whose echo
   * has not come: they were dropped. (Written frames of older channels were all re-sent at
   * CONNECTED, so every written frame still waiting went out on this channel.)
   */
  private void repairGaps(long echoedSeq) {
    List<Outstanding> dropped = new ArrayList<>();
    for (Outstanding o : unechoed.values()) {
      if (o.barrier <= echoedSeq && o.written()) {
        dropped.add(o);
      }
    }
    for (Outstanding o : dropped) {
      resend(o);
    }
  }

  @Override
  public synchronized void onEvent(ConnectionEvent event) {
    if (event instanceof ConnectionEvent.StateChanged sc && sc.to() == ConnectionState.CONNECTED) {
      // Before Redial flushes its queue: every send completed now went to an older channel.
      // Pick them all first: the first re-send flushes the queue, completing newer sends.
      List<Outstanding> repair = new ArrayList<>();
      for (Outstanding o : unechoed.values()) {
        if (o.sent.isDone()) {
          repair.add(o);
        }
      }
      for (Outstanding o : repair) {
        if (o.sent.isCompletedExceptionally()) {
          sendFailures++;
        }
        resend(o);
      }
    }
  }

  @Override
  public synchronized Tally tally() {
    return new Tally(nextSeq, echoedCount, unechoed.size() + gaveUp, duplicated, outOfOrder,
        corrupt, resent, sendFailures, 0, 0);
  }
}
