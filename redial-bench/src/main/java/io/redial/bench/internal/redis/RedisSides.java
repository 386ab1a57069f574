package io.redial.bench.internal.redis;

import io.redial.bench.internal.Alternation;

/**
 * The two sides of the Redis figure take turns iteration by iteration, as raw Netty and Redial do
 * in the other JMH figures ({@link Alternation}): Lettuce stands where raw Netty stands there.
 */
public final class RedisSides {
  public static final String LETTUCE = "lettuce";
  public static final String REDIAL = "redial";

  private RedisSides() {}

  /** Which side iteration {@code index} (from 0, warm-up included) measures. */
  public static String sideOf(String first, int index) {
    if (!LETTUCE.equals(first) && !REDIAL.equals(first)) {
      throw new IllegalArgumentException(
          "first must be 'lettuce' or 'redial', but was '" + first + "'");
    }
    if (index < 0) {
      throw new IllegalArgumentException("index must be >= 0, but was " + index);
    }
    String other = first.equals(LETTUCE) ? REDIAL : LETTUCE;
    return index % 2 == 0 ? first : other;
  }

  /** The side that goes first in fork {@code fork} (from 0): Lettuce, Redial, Lettuce, … */
  public static String firstOfFork(int fork) {
    if (fork < 0) {
      throw new IllegalArgumentException("fork must be >= 0, but was " + fork);
    }
    return fork % 2 == 0 ? LETTUCE : REDIAL;
  }
}
