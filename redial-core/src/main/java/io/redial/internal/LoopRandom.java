package io.redial.internal;

import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * The default source of backoff jitter: the calling thread's {@link ThreadLocalRandom}. A
 * connection draws jitter only on its event loop, so connections on one loop share that thread's
 * generator (independently seeded per thread), and an idle connection carries no generator of
 * its own (48 bytes each at 100 000 connections is 4.8 MB; see the footprint benchmark).
 */
final class LoopRandom implements RandomGenerator {
  static final LoopRandom INSTANCE = new LoopRandom();

  private LoopRandom() {}

  @Override
  public long nextLong() {
    return ThreadLocalRandom.current().nextLong();
  }

  @Override
  public int nextInt() {
    return ThreadLocalRandom.current().nextInt();
  }

  @Override
  public double nextDouble() {
    return ThreadLocalRandom.current().nextDouble();
  }

  @Override
  public String toString() {
    return "the event loop's ThreadLocalRandom";
  }
}
