package io.redial;

import static io.redial.internal.Checks.positive;
import static io.redial.internal.Checks.range;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How long to wait before the next sweep of connect attempts.
 *
 * <p>A policy is an immutable value; the connection counts the retries and passes its injected
 * {@link RandomGenerator}, so a test that passes a generator returning fixed values gets exact
 * delays.
 *
 * <pre>{@code
 * Backoff.exponential();                               // gRPC: 1 s, x1.6, ±20 %, cap 120 s
 * Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(5), 2.0, 0.1);
 * Backoff.fullJitter(Duration.ofMillis(100), Duration.ofSeconds(10));  // AWS "full jitter"
 * Backoff.fixed(Duration.ofSeconds(1));
 * }</pre>
 */
public final class Backoff {
  private enum Kind { EXPONENTIAL, FULL_JITTER, FIXED }

  /** gRPC's MIN_CONNECT_TIMEOUT: an attempt of the default policy gets at least this long. */
  static final Duration GRPC_MIN_CONNECT_TIMEOUT = Duration.ofSeconds(20);

  private final Kind kind;
  private final long initialNanos;
  private final long maxNanos;
  private final double multiplier;
  private final double jitter;
  private final Duration minConnectTimeout;

  private Backoff(
      Kind kind,
      Duration initial,
      Duration max,
      double multiplier,
      double jitter,
      Duration minConnectTimeout) {
    this.kind = kind;
    this.initialNanos = saturatedNanos(initial);
    this.maxNanos = saturatedNanos(max);
    this.multiplier = multiplier;
    this.jitter = jitter;
    this.minConnectTimeout = minConnectTimeout;
  }

  /**
   * gRPC's connection-backoff defaults: 1 s initial, ×1.6 per retry, ±20 % jitter, 120 s cap, and
   * gRPC's minimum connect timeout of 20 s per attempt (used unless {@code connectTimeout} is set
   * explicitly on the builder).
   */
  public static Backoff exponential() {
    return GRPC;
  }

  /** One shared instance: a policy is immutable, and every default connection refers to it. */
  private static final Backoff GRPC =
      new Backoff(
          Kind.EXPONENTIAL,
          Duration.ofSeconds(1),
          Duration.ofSeconds(120),
          1.6,
          0.2,
          GRPC_MIN_CONNECT_TIMEOUT);

  /**
   * {@code min(initial × multiplier^retry, max)}, then spread by ±{@code jitter} (a fraction).
   *
   * @throws IllegalArgumentException when a duration is not positive, {@code max < initial},
   *     {@code multiplier < 1} or {@code jitter} is outside [0, 1]
   */
  public static Backoff exponential(
      Duration initial, Duration max, double multiplier, double jitter) {
    positive("initial", initial);
    positive("max", max);
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "max must be at least initial (" + initial + "), but was " + max);
    }
    range("multiplier", multiplier, 1.0, 1_000.0);
    range("jitter", jitter, 0.0, 1.0);
    return new Backoff(Kind.EXPONENTIAL, initial, max, multiplier, jitter, Duration.ZERO);
  }

  /**
   * AWS's "full jitter": a uniformly random delay in {@code [0, min(cap, base × 2^retry))}.
   * Spreads a reconnect storm the most.
   */
  public static Backoff fullJitter(Duration base, Duration cap) {
    positive("base", base);
    positive("cap", cap);
    if (cap.compareTo(base) < 0) {
      throw new IllegalArgumentException(
          "cap must be at least base (" + base + "), but was " + cap);
    }
    return new Backoff(Kind.FULL_JITTER, base, cap, 2.0, 1.0, Duration.ZERO);
  }

  /** The same delay every time. Simple, and the worst for a reconnect storm. */
  public static Backoff fixed(Duration delay) {
    positive("delay", delay);
    return new Backoff(Kind.FIXED, delay, delay, 1.0, 0.0, Duration.ZERO);
  }

  /**
   * The delay before retry number {@code retry} (0 for the first wait after a failed sweep).
   *
   * @param retry how many backoff waits came before this one since the last reset, {@code >= 0}
   * @param random the source of jitter; only {@code nextDouble()} is used
   */
  public Duration delay(int retry, RandomGenerator random) {
    range("retry", retry, 0, Integer.MAX_VALUE);
    Objects.requireNonNull(random, "random");
    return Duration.ofNanos(delayNanos(retry, random));
  }

  long delayNanos(int retry, RandomGenerator random) {
    switch (kind) {
      case FIXED:
        return initialNanos;
      case FULL_JITTER:
        {
          double ceiling = Math.min((double) maxNanos, initialNanos * Math.pow(2.0, retry));
          return (long) (random.nextDouble() * ceiling);
        }
      case EXPONENTIAL:
      default:
        {
          double current = Math.min((double) maxNanos, initialNanos * Math.pow(multiplier, retry));
          if (jitter == 0) {
            return (long) current;
          }
          // uniform in [current - jitter*current, current + jitter*current)
          double spread = (random.nextDouble() * 2.0 - 1.0) * jitter * current;
          return Math.max(0L, (long) (current + spread));
        }
    }
  }

  /** The least time an attempt gets under this policy (zero: no minimum). */
  public Duration minConnectTimeout() {
    return minConnectTimeout;
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  @Override
  public String toString() {
    return switch (kind) {
      case FIXED -> "Backoff.fixed(" + Duration.ofNanos(initialNanos) + ")";
      case FULL_JITTER -> "Backoff.fullJitter(" + Duration.ofNanos(initialNanos) + ", "
          + Duration.ofNanos(maxNanos) + ")";
      case EXPONENTIAL -> "Backoff.exponential(" + Duration.ofNanos(initialNanos) + ", "
          + Duration.ofNanos(maxNanos) + ", " + multiplier + ", " + jitter + ")";
    };
  }
}
