package io.redial.internal;

import io.redial.RedialException;
import java.util.ArrayDeque;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Messages waiting for space in a full offline queue ({@code queueFullWait}), oldest first: each
 * is let in, in order, as soon as it fits, or fails with {@code QUEUE_FULL} once it has waited the
 * bound. One timer, for the oldest. Event loop only.
 */
final class SpaceWaiters<M> {
  private final long waitNanos;
  private final Scheduler scheduler;
  private final Ticker ticker;
  private final MessageCodec<M> codec;
  private final ArrayDeque<Outbound<M>> waiting = new ArrayDeque<>();
  private Scheduler.Cancellable timer;

  SpaceWaiters(long waitNanos, Scheduler scheduler, Ticker ticker, MessageCodec<M> codec) {
    this.waitNanos = waitNanos;
    this.scheduler = scheduler;
    this.ticker = ticker;
    this.codec = codec;
  }

  /** Parks {@code m} until it fits or its wait is over; {@code onTimeout} fails it then. */
  void park(Outbound<M> m, Consumer<Outbound<M>> onTimeout) {
    waiting.addLast(m);
    if (timer == null) {
      arm(onTimeout);
    }
  }

  /** Lets waiters in, oldest first, while {@code fits} says the oldest fits. */
  void admit(Predicate<Outbound<M>> fits, Consumer<Outbound<M>> enqueue) {
    Outbound<M> m;
    while ((m = waiting.peekFirst()) != null && (m.done() || fits.test(m))) {
      waiting.pollFirst();
      if (m.done()) {
        m.release(codec); // its deadline passed while it waited
      } else {
        enqueue.accept(m);
      }
    }
  }

  private void arm(Consumer<Outbound<M>> onTimeout) {
    Outbound<M> oldest = waiting.peekFirst();
    if (oldest != null) {
      long due = oldest.createdNanos + waitNanos - ticker.nanoTime();
      timer = scheduler.schedule(() -> expire(onTimeout), Math.max(0, due));
    }
  }

  private void expire(Consumer<Outbound<M>> onTimeout) {
    timer = null;
    long now = ticker.nanoTime();
    Outbound<M> m;
    while ((m = waiting.peekFirst()) != null
        && (m.done() || now - m.createdNanos >= waitNanos)) {
      waiting.pollFirst();
      if (m.done()) {
        m.release(codec);
      } else {
        onTimeout.accept(m);
      }
    }
    arm(onTimeout);
  }

  /** Fails every waiter with {@code cause}; returns how many. */
  int failAll(Function<Outbound<M>, RedialException> cause, Consumer<Outbound<M>> fail) {
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
    int n = 0;
    Outbound<M> m;
    while ((m = waiting.poll()) != null) {
      fail.accept(m);
      n++;
    }
    return n;
  }
}
