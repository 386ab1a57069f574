package io.redial.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Request deadlines without a timer per request. Requests with the same timeout expire in the
 * order they were made, so each distinct timeout gets a <em>lane</em>: a FIFO of requests and one
 * timer, armed for the oldest. A request answered in time is not taken out of its lane (that
 * would cost a search); it is dropped when it reaches the head, or when the lane is compacted
 * because most of it is answered. Up to {@value #LANES} distinct timeouts get lanes; a request
 * with yet another timeout gets a timer of its own. Event loop only.
 *
 * <p>Requests from several threads reach the loop in an order that may differ from their
 * creation by a few microseconds: a request queued behind a slightly younger one expires when
 * that one does, never earlier than its own deadline.
 */
final class Deadlines<M> {
  static final int LANES = 4;
  private static final int COMPACT_AT = 256;

  private final Scheduler scheduler;
  private final Ticker ticker;
  /** What to do with a request whose deadline passed, and its timeout. */
  private final BiConsumer<Outbound<M>, Duration> expire;
  private final List<Lane> lanes = new ArrayList<>(LANES);

  Deadlines(Scheduler scheduler, Ticker ticker, BiConsumer<Outbound<M>, Duration> expire) {
    this.scheduler = scheduler;
    this.ticker = ticker;
    this.expire = expire;
  }

  /** Starts {@code m}'s deadline of {@code timeout}, counted from its creation. */
  void add(Outbound<M> m, Duration timeout) {
    long nanos = timeout.toNanos();
    for (int i = 0; i < lanes.size(); i++) {
      Lane lane = lanes.get(i);
      if (lane.nanos == nanos) {
        lane.add(m);
        return;
      }
    }
    if (lanes.size() < LANES) {
      Lane lane = new Lane(timeout, nanos);
      lanes.add(lane);
      lane.add(m);
      return;
    }
    long left = m.createdNanos + nanos - ticker.nanoTime();
    m.deadline = scheduler.schedule(() -> {
      m.deadline = null;
      expire.accept(m, timeout);
    }, Math.max(0, left));
  }

  /** Stops every lane's timer (the connection closed: every request failed already). */
  void cancelAll() {
    for (Lane lane : lanes) {
      lane.clear();
    }
  }

  /** Requests in lanes, answered or not (for tests). */
  int size() {
    int n = 0;
    for (Lane lane : lanes) {
      n += lane.queue.size();
    }
    return n;
  }

  private final class Lane implements Runnable {
    final Duration timeout;
    final long nanos;
    final ArrayDeque<Outbound<M>> queue = new ArrayDeque<>();
    Scheduler.Cancellable timer;
    /** Compacts when the lane grows past this: amortized O(1) per request. */
    int compactAt = COMPACT_AT;

    Lane(Duration timeout, long nanos) {
      this.timeout = timeout;
      this.nanos = nanos;
    }

    void add(Outbound<M> m) {
      dropAnswered();
      queue.addLast(m);
      if (queue.size() >= compactAt) {
        queue.removeIf(Outbound::done);
        compactAt = Math.max(COMPACT_AT, 2 * queue.size());
      }
      if (timer == null) {
        arm();
      }
    }

    private void dropAnswered() {
      Outbound<M> head;
      while ((head = queue.peekFirst()) != null && head.done()) {
        queue.pollFirst();
      }
    }

    private void arm() {
      Outbound<M> head = queue.peekFirst();
      if (head != null) {
        long left = head.createdNanos + nanos - ticker.nanoTime();
        timer = scheduler.schedule(this, Math.max(0, left));
      }
    }

    /** The head's deadline passed: expire every request whose deadline passed, re-arm. */
    @Override
    public void run() {
      timer = null;
      long now = ticker.nanoTime();
      Outbound<M> head;
      while ((head = queue.peekFirst()) != null) {
        if (!head.done() && now - head.createdNanos < nanos) {
          break;
        }
        queue.pollFirst();
        if (!head.done()) {
          expire.accept(head, timeout);
        }
      }
      arm();
    }

    void clear() {
      if (timer != null) {
        timer.cancel();
        timer = null;
      }
      queue.clear();
    }
  }
}
