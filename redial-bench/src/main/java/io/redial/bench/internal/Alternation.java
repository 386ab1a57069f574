package io.redial.bench.internal;

/**
 * Raw Netty and Redial take turns, JMH iteration by iteration, inside one JVM: the pair of
 * adjacent iterations sees the same warm JIT, the same heap, the same kernel state (TIME_WAIT
 * sockets after connect loops) and, nearly, the same noise from the rest of a shared machine. A
 * ratio of one pair's two scores is then much steadier than a ratio of two separate forks, where a
 * noisy second on one side alone moved the result by ±50 % on this two-core machine.
 *
 * <p>Iteration {@code i} (warm-up included, from 0) measures {@link #implOf implOf(first, i)}:
 * {@code first}, the other, {@code first}, … A benchmark calls {@link #next()} once per iteration
 * from a {@code @Setup(Level.Iteration)} method; {@link JmhSuite} maps the measured iterations back
 * with the same function.
 */
public final class Alternation {
  public static final String RAW = "raw";
  public static final String REDIAL = "redial";

  private final String first;
  private int iteration;

  public Alternation(String first) {
    this.first = check(first);
  }

  /** The implementation the iteration starting now measures. */
  public String next() {
    return implOf(first, iteration++);
  }

  /** Which implementation iteration {@code index} (from 0, warm-up included) measures. */
  public static String implOf(String first, int index) {
    if (index < 0) {
      throw new IllegalArgumentException("index must be >= 0, but was " + index);
    }
    return index % 2 == 0 ? check(first) : other(first);
  }

  /** The other implementation. */
  public static String other(String impl) {
    return check(impl).equals(RAW) ? REDIAL : RAW;
  }

  private static String check(String impl) {
    if (!RAW.equals(impl) && !REDIAL.equals(impl)) {
      throw new IllegalArgumentException(
          "first must be 'raw' or 'redial', but was '" + impl + "'");
    }
    return impl;
  }
}
