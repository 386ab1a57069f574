package io.redial.cli.demo;

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
 * The application on one managed connection: numbered frames, checked echoes, and the repair that
 * TCP cannot do for it.
 *
 * <p>Redial re-sends a frame whose write had not completed when a channel died; a frame whose write
 * completed sat in the dead socket's kernel buffer and may be gone, and no library can know. So
 * the demo keeps every frame until its echo arrives and re-sends it, with a higher attempt number:
 * <ul>
 *   <li>when the connection is CONNECTED again: exactly the frames whose send had completed
 *       without an echo. Redial tells listeners about CONNECTED before it flushes its queue, so
 *       at that moment every completed send belongs to an older channel;
 *   <li>when an echo shows that a frame written before it on the same channel was dropped (a
 *       blackhole that lifts before any heartbeat noticed drops bytes inside a live connection).
 *       Frames travel and echo in write order, so that echo cannot come later. Each frame carries
 *       a barrier: the first first-attempt sequence number certainly written after it;
 *   <li>when Redial failed its send (it said so: not silent).
 * </ul>
 *
 * <p>Client-side checks: an echo of a sequence number already echoed is a duplicate; echoes of
 * first attempts must come in increasing order (gaps are frames lost with a dead socket, repaired
 * by re-sends, which are not ordered).
 *
 * <p>Thread-safety: synchronized; written by the connection's event loop (messages, events) and
 * the demo's thread (sends). A lock is held only around bookkeeping and {@code send}, which never
 * blocks.
 */
final class DemoClient {
  /** Most state changes kept for the report; a connection flapping beyond that is cut short. */
  static final int MAX_TRANSITIONS = 20_000;
  /** Most heartbeat misses kept. */
  static final int MAX_MISSES = 10_000;

  /** A state the connection entered, at a time. */
  record Transition(long nanos, ConnectionState state) {}

  /**
   * A frame without an echo.
   *
   * @param barrier first-attempt frames numbered from here on were sent after this one: either
   *     it is the first attempt of {@code seq} ({@code seq + 1}), or {@code nextSeq} when it was
   *     re-sent (later first attempts are sent later, under this object's lock, and Redial keeps
   *     the order of sends)
   */
  private record Outstanding(long seq, int attempt, long barrier, CompletableFuture<Void> sent) {
    boolean written() {
      return sent.isDone() && !sent.isCompletedExceptionally();
    }
  }

  private final int index;
  private final LongSupplier nanoTime;
  private Connection connection;
  private long nextSeq;
  /** Frames without an echo yet, in send order; the window bounds its size. */
  private final Map<Long, Outstanding> unechoed = new LinkedHashMap<>();
  private final BitSet echoed = new BitSet();
  private long echoedCount;
  private long duplicateEchoes;
  private long outOfOrder;
  private long corrupt;
  private long resent;
  private long sendFailures;
  private long gaveUp;
  private long lastFirstAttemptEcho = -1;
  private long connects;
  private final List<Transition> transitions = new ArrayList<>();
  private final List<Long> heartbeatMisses = new ArrayList<>();

  DemoClient(int index, LongSupplier nanoTime) {
    this.index = index;
    this.nanoTime = nanoTime;
    transitions.add(new Transition(nanoTime.getAsLong(), ConnectionState.IDLE));
  }

  int index() {
    return index;
  }

  /** Set once, right after the connection is built (its events need this object first). */
  synchronized void attach(Connection c) {
    this.connection = c;
  }

  synchronized Connection connection() {
    return connection;
  }

  /** Sends the next numbered frame unless {@code window} frames already wait for their echo. */
  synchronized boolean sendNext(int window) {
    if (connection == null || unechoed.size() >= window || nextSeq > Ledger.MAX_SEQ) {
      return false;
    }
    send(nextSeq++, 0);
    return true;
  }

  /** Re-sends frames whose send failed (the library said so; nothing was silent about it). */
  synchronized void repairFailedSends() {
    for (Outstanding o : List.copyOf(unechoed.values())) {
      if (o.sent.isCompletedExceptionally()) {
        sendFailures++;
        resend(o);
      }
    }
  }

  private void send(long seq, int attempt) {
    CompletableFuture<Void> f;
    try {
      f = connection.send(Protocol.data(index, seq, attempt));
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    unechoed.put(seq, new Outstanding(seq, attempt, attempt == 0 ? seq + 1 : nextSeq, f));
  }

  private void resend(Outstanding o) {
    if (o.attempt >= Protocol.MAX_ATTEMPT) {
      unechoed.remove(o.seq);
      gaveUp++;
      return;
    }
    resent++;
    send(o.seq, o.attempt + 1);
  }

  /** An inbound frame, on the event loop. */
  synchronized void onMessage(byte[] payload) {
    Protocol.Frame f = Protocol.parse(payload);
    if (f == null || f.connection() != index) {
      corrupt++;
      return;
    }
    if (f.isPing()) {
      return; // the heartbeat's answer: it only has to arrive
    }
    if (f.seq() > Ledger.MAX_SEQ) {
      corrupt++;
      return;
    }
    int seq = (int) f.seq();
    if (echoed.get(seq)) {
      duplicateEchoes++;
      return;
    }
    if (unechoed.remove(f.seq()) == null) {
      corrupt++; // an echo of a frame never sent
      return;
    }
    echoed.set(seq);
    echoedCount++;
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

  /** A connection event, on the event loop. */
  synchronized void onEvent(ConnectionEvent event) {
    long now = nanoTime.getAsLong();
    if (event instanceof ConnectionEvent.StateChanged sc) {
      if (transitions.size() < MAX_TRANSITIONS) {
        transitions.add(new Transition(now, sc.to()));
      }
      if (sc.to() == ConnectionState.CONNECTED) {
        connects++;
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
    } else if (event instanceof ConnectionEvent.HeartbeatMissed && heartbeatMisses.size() < MAX_MISSES) {
      heartbeatMisses.add(now);
    }
  }

  /** The first heartbeat miss at or after {@code fromNanos} and before {@code toNanos}, or -1. */
  synchronized long firstMissBetween(long fromNanos, long toNanos) {
    for (long t : heartbeatMisses) {
      if (t - fromNanos >= 0 && t - toNanos < 0) {
        return t;
      }
    }
    return -1;
  }

  synchronized List<Transition> transitions() {
    return List.copyOf(transitions);
  }

  /** The counters now. */
  synchronized Tally tally() {
    return new Tally(nextSeq, echoedCount, unechoed.size() + gaveUp, duplicateEchoes, outOfOrder,
        corrupt, resent, sendFailures, Math.max(0, connects - 1));
  }

  /**
   * One connection's counts.
   *
   * @param sent distinct frames sent
   * @param echoed distinct frames echoed back
   * @param unechoed frames sent and not echoed (yet)
   * @param reconnects connects after the first
   */
  record Tally(long sent, long echoed, long unechoed, long duplicateEchoes, long outOfOrder,
      long corrupt, long resent, long sendFailures, long reconnects) {
    static final Tally ZERO = new Tally(0, 0, 0, 0, 0, 0, 0, 0, 0);

    Tally plus(Tally o) {
      return new Tally(sent + o.sent, echoed + o.echoed, unechoed + o.unechoed,
          duplicateEchoes + o.duplicateEchoes, outOfOrder + o.outOfOrder, corrupt + o.corrupt,
          resent + o.resent, sendFailures + o.sendFailures, reconnects + o.reconnects);
    }
  }
}
