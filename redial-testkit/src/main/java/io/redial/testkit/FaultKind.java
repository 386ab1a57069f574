package io.redial.testkit;

import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link Fault} does. Each kind validates its values at construction: the message names the
 * value and what is allowed.
 */
public sealed interface FaultKind {

  /** Longest duration any fault accepts: a test that needs more is waiting for the wrong thing. */
  Duration MAX_DURATION = Duration.ofHours(1);

  /** Whether the kind acts on the bytes of one direction (else it acts on whole connections). */
  boolean directional();

  /** The spec-string form, without direction and toxicity, e.g. {@code latency=200ms:50ms}. */
  String spec();

  /**
   * Every chunk is held for {@code base} plus a uniform random extra in {@code [0, jitter]}
   * (unlike Toxiproxy the jitter only adds, so {@code base} is a floor). Order is kept.
   */
  record Latency(Duration base, Duration jitter) implements FaultKind {
    /** Checks the values. */
    public Latency {
      checkDuration("latency base", base);
      checkDuration("latency jitter", jitter);
    }

    @Override
    public boolean directional() {
      return true;
    }

    @Override
    public String spec() {
      return jitter.isZero() ? "latency=" + format(base) : "latency=" + format(base) + ":" + format(jitter);
    }
  }

  /** Bytes pass at most {@code bytesPerSecond}, paced in slices of about 20 ms. */
  record Bandwidth(long bytesPerSecond) implements FaultKind {
    /** Checks the value. */
    public Bandwidth {
      if (bytesPerSecond < 1 || bytesPerSecond > 10_000_000_000L) {
        throw new IllegalArgumentException(
            "bandwidth bytesPerSecond is " + bytesPerSecond + "; allowed: 1..10000000000");
      }
    }

    @Override
    public boolean directional() {
      return true;
    }

    @Override
    public String spec() {
      return "bandwidth=" + bytesPerSecond;
    }
  }

  /**
   * Data is cut into slices of {@code averageSize ± variation} bytes, each sent {@code delay} after
   * the one before (Toxiproxy's "slicer").
   */
  record Slice(int averageSize, int variation, Duration delay) implements FaultKind {
    /** Checks the values. */
    public Slice {
      if (averageSize < 1 || averageSize > 1 << 20) {
        throw new IllegalArgumentException(
            "slice averageSize is " + averageSize + "; allowed: 1..1048576 bytes");
      }
      if (variation < 0 || variation >= averageSize) {
        throw new IllegalArgumentException("slice variation is " + variation
            + "; allowed: 0.." + (averageSize - 1) + " (less than averageSize " + averageSize + ")");
      }
      checkDuration("slice delay", delay);
    }

    @Override
    public boolean directional() {
      return true;
    }

    @Override
    public String spec() {
      return "slice=" + averageSize + ":" + variation + ":" + format(delay);
    }
  }

  /**
   * After {@code bytes} have passed (counted from when the fault met the connection), the rest is
   * dropped and the connection is closed.
   */
  record LimitData(long bytes) implements FaultKind {
    /** Checks the value. */
    public LimitData {
      if (bytes < 0) {
        throw new IllegalArgumentException("limit-data bytes is " + bytes + "; allowed: 0 or more");
      }
    }

    @Override
    public boolean directional() {
      return true;
    }

    @Override
    public String spec() {
      return "limit-data=" + bytes;
    }
  }

  /** Nothing passes: bytes are read and dropped, the sockets stay open. */
  record Blackhole() implements FaultKind {
    @Override
    public boolean directional() {
      return true;
    }

    @Override
    public String spec() {
      return "blackhole";
    }
  }

  /**
   * When one side closes, the close reaches the other side only after {@code delay}
   * (the direction says which side's close is delayed: UPSTREAM delays the client's close).
   */
  record SlowClose(Duration delay) implements FaultKind {
    /** Checks the value. */
    public SlowClose {
      checkDuration("slow-close delay", delay);
    }

    @Override
    public boolean directional() {
      return true;
    }

    @Override
    public String spec() {
      return "slow-close=" + format(delay);
    }
  }

  /** Each connection is reset (RST to the client) {@code after} it met the fault. */
  record ResetAfter(Duration after) implements FaultKind {
    /** Checks the value. */
    public ResetAfter {
      checkDuration("reset-after", after);
    }

    @Override
    public boolean directional() {
      return false;
    }

    @Override
    public String spec() {
      return "reset-after=" + format(after);
    }
  }

  /** Each connection is closed gracefully (FIN) {@code age} after it met the fault. */
  record MaxAge(Duration age) implements FaultKind {
    /** Checks the value. */
    public MaxAge {
      checkDuration("max-age", age);
    }

    @Override
    public boolean directional() {
      return false;
    }

    @Override
    public String spec() {
      return "max-age=" + format(age);
    }
  }

  /**
   * New connections are accepted but never connected upstream: what they send is read and dropped.
   * Connections stalled stay stalled after the fault is removed, until closed.
   */
  record StallNew() implements FaultKind {
    @Override
    public boolean directional() {
      return false;
    }

    @Override
    public String spec() {
      return "stall";
    }
  }

  /**
   * The proxy stops listening, so the OS answers new connects with "Connection refused"; existing
   * connections stay. Removing the fault listens again on the same port.
   */
  record RefuseNew() implements FaultKind {
    @Override
    public boolean directional() {
      return false;
    }

    @Override
    public String spec() {
      return "refuse";
    }
  }

  private static void checkDuration(String what, Duration value) {
    Objects.requireNonNull(value, what);
    if (value.isNegative() || value.compareTo(MAX_DURATION) > 0) {
      throw new IllegalArgumentException(what + " is " + value + "; allowed: 0 to " + MAX_DURATION);
    }
  }

  /** Shortest exact form: {@code 5s}, {@code 200ms}, {@code 1500us}, {@code 7ns}. */
  static String format(Duration d) {
    long nanos = d.toNanos();
    if (nanos % 1_000_000_000L == 0) {
      return nanos / 1_000_000_000L + "s";
    }
    if (nanos % 1_000_000L == 0) {
      return nanos / 1_000_000L + "ms";
    }
    if (nanos % 1_000L == 0) {
      return nanos / 1_000L + "us";
    }
    return nanos + "ns";
  }
}
