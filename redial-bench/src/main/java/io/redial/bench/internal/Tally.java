package io.redial.bench.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Counts what the clients of one kind report during the recovery figure: connect attempts, the
 * connections up now, frames received; and, once {@link #awaitAll armed}, the time at which the
 * count of connections up reaches the target (taken from the event itself, not from a poller).
 */
final class Tally implements Events {
  private final LongSupplier nanos;
  private final AtomicInteger attempts = new AtomicInteger();
  private final AtomicInteger up = new AtomicInteger();
  private final AtomicLong frames = new AtomicLong();
  private final AtomicLong allUpAt = new AtomicLong(-1);
  private volatile int target = Integer.MAX_VALUE;

  Tally(LongSupplier nanos) {
    this.nanos = nanos;
  }

  @Override
  public void attempt() {
    attempts.incrementAndGet();
  }

  @Override
  public void connected() {
    if (up.incrementAndGet() >= target) {
      allUpAt.compareAndSet(-1, nanos.getAsLong());
    }
  }

  @Override
  public void disconnected() {
    up.decrementAndGet();
  }

  /** One frame received (the echo of one sent). */
  void frame(byte[] frame) {
    frames.incrementAndGet();
  }

  /** From now on, notes when {@code n} connections are up (at once, if they already are). */
  void awaitAll(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be >= 1, but was " + n);
    }
    allUpAt.set(-1);
    target = n;
    if (up.get() >= n) {
      allUpAt.compareAndSet(-1, nanos.getAsLong());
    }
  }

  /** When the target of {@link #awaitAll} was reached ({@code nanos} time), or -1: not yet. */
  long allUpAt() {
    return allUpAt.get();
  }

  int attempts() {
    return attempts.get();
  }

  int up() {
    return up.get();
  }

  long frames() {
    return frames.get();
  }
}
