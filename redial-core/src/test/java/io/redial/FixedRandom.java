package io.redial;

import java.util.random.RandomGenerator;

/** A RandomGenerator whose nextDouble() returns given values in turn (the last one repeats). */
public final class FixedRandom implements RandomGenerator {
  private final double[] values;
  private int next;

  public FixedRandom(double... values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("values must not be empty");
    }
    this.values = values.clone();
  }

  @Override
  public double nextDouble() {
    double v = values[Math.min(next, values.length - 1)];
    next++;
    return v;
  }

  @Override
  public long nextLong() {
    return (long) (nextDouble() * Long.MAX_VALUE);
  }
}
