package io.redial.testkit;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fault to install in a {@link FaultProxy}: what it does ({@link FaultKind}), which way it
 * applies, and its toxicity — the probability, drawn once per connection from the proxy's seeded
 * {@link java.util.random.RandomGenerator}, that it applies to that connection (Toxiproxy's term).
 *
 * <p>Faults are immutable values; {@code upstream()}, {@code toxicity(0.5)} … return copies:
 * <pre>{@code
 * proxy.add(Fault.latency(Duration.ofMillis(200), Duration.ZERO).downstream().toxicity(0.5));
 * }</pre>
 *
 * <p>The text form, used by {@code redial proxy} and its control API, is
 * {@code name[=value[:value…]][@upstream|@downstream|@both][~toxicity]}, for example
 * {@code latency=200ms:50ms@downstream~0.5}. See {@link #parse(String)}.
 *
 * @param kind      what the fault does
 * @param direction which traffic it affects; must be {@link Direction#BOTH} for kinds that act on
 *                  whole connections ({@link FaultKind#directional()} false)
 * @param toxicity  probability in {@code [0, 1]} that a connection is affected; must be 1 for
 *                  {@link FaultKind.RefuseNew}, which acts on the listener, not on connections
 */
public record Fault(FaultKind kind, Direction direction, double toxicity) {

  /** Longest spec string {@link #parse(String)} reads. */
  public static final int MAX_SPEC_LENGTH = 200;

  /** The names {@link #parse(String)} knows, with their value syntax. */
  public static final List<String> SPEC_FORMS = List.of(
      "latency=BASE[:JITTER]", "bandwidth=BYTES_PER_SECOND", "slice=AVERAGE:VARIATION:DELAY",
      "limit-data=BYTES", "blackhole", "slow-close=DELAY", "reset-after=DURATION",
      "max-age=DURATION", "stall", "refuse");

  /** Checks the combination. */
  public Fault {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(direction, "direction");
    if (!(toxicity >= 0.0 && toxicity <= 1.0)) {
      throw new IllegalArgumentException("toxicity is " + toxicity + "; allowed: 0.0 to 1.0");
    }
    if (!kind.directional() && direction != Direction.BOTH) {
      throw new IllegalArgumentException("direction is " + direction + " but " + kind.spec()
          + " acts on whole connections; allowed: BOTH");
    }
    if (kind instanceof FaultKind.RefuseNew && toxicity != 1.0) {
      throw new IllegalArgumentException("toxicity is " + toxicity
          + " but refuse acts on the listening socket, not per connection; allowed: 1.0");
    }
  }

  /** A fault of this kind, both ways, always applied. */
  public static Fault of(FaultKind kind) {
    return new Fault(kind, Direction.BOTH, 1.0);
  }

  /** See {@link FaultKind.Latency}. */
  public static Fault latency(Duration base, Duration jitter) {
    return of(new FaultKind.Latency(base, jitter));
  }

  /** See {@link FaultKind.Bandwidth}. */
  public static Fault bandwidth(long bytesPerSecond) {
    return of(new FaultKind.Bandwidth(bytesPerSecond));
  }

  /** See {@link FaultKind.Slice}. */
  public static Fault slice(int averageSize, int variation, Duration delay) {
    return of(new FaultKind.Slice(averageSize, variation, delay));
  }

  /** See {@link FaultKind.LimitData}. */
  public static Fault limitData(long bytes) {
    return of(new FaultKind.LimitData(bytes));
  }

  /** See {@link FaultKind.Blackhole}. */
  public static Fault blackhole() {
    return of(new FaultKind.Blackhole());
  }

  /** See {@link FaultKind.SlowClose}. */
  public static Fault slowClose(Duration delay) {
    return of(new FaultKind.SlowClose(delay));
  }

  /** See {@link FaultKind.ResetAfter}. */
  public static Fault resetAfter(Duration after) {
    return of(new FaultKind.ResetAfter(after));
  }

  /** See {@link FaultKind.MaxAge}: a time limit on every connection (Toxiproxy #195). */
  public static Fault maxConnectionAge(Duration age) {
    return of(new FaultKind.MaxAge(age));
  }

  /** See {@link FaultKind.StallNew}. */
  public static Fault stallNew() {
    return of(new FaultKind.StallNew());
  }

  /** See {@link FaultKind.RefuseNew}: refuse connections while "down" (Toxiproxy #265). */
  public static Fault refuseNew() {
    return of(new FaultKind.RefuseNew());
  }

  /** This fault for another direction. */
  public Fault direction(Direction newDirection) {
    return new Fault(kind, newDirection, toxicity);
  }

  /** This fault for client-to-server bytes only. */
  public Fault upstream() {
    return direction(Direction.UPSTREAM);
  }

  /** This fault for server-to-client bytes only. */
  public Fault downstream() {
    return direction(Direction.DOWNSTREAM);
  }

  /** This fault applied to each connection with the given probability. */
  public Fault toxicity(double probability) {
    return new Fault(kind, direction, probability);
  }

  /** The text form, which {@link #parse(String)} reads back to an equal fault. */
  public String spec() {
    StringBuilder s = new StringBuilder(kind.spec());
    if (direction != Direction.BOTH) {
      s.append('@').append(direction.name().toLowerCase(Locale.ROOT));
    }
    if (toxicity != 1.0) {
      s.append('~').append(toxicity);
    }
    return s.toString();
  }

  @Override
  public String toString() {
    return spec();
  }

  private static final Pattern SPEC = Pattern.compile(
      "([a-z-]+)(?:=([^@~]*))?(?:@([a-z]+))?(?:~([0-9.]+))?");
  private static final Pattern DURATION = Pattern.compile("([0-9]{1,10})(ns|us|ms|s|m)");

  /**
   * Reads a fault from its text form, e.g. {@code latency=200ms}, {@code latency=200ms:50ms},
   * {@code bandwidth=10000@downstream}, {@code blackhole}, {@code refuse}, {@code reset-after=5s},
   * {@code slice=100:20:10ms}, {@code limit-data=4096@upstream}, {@code stall}, {@code max-age=30s},
   * {@code slow-close=1s}, {@code latency=1s~0.25}. Durations take {@code ns us ms s m}.
   *
   * @throws IllegalArgumentException naming the spec, the bad value and what is allowed
   */
  public static Fault parse(String spec) {
    Objects.requireNonNull(spec, "spec");
    if (spec.length() > MAX_SPEC_LENGTH) {
      throw new IllegalArgumentException("fault spec is " + spec.length()
          + " characters long; allowed: at most " + MAX_SPEC_LENGTH);
    }
    String text = spec.strip();
    Matcher m = SPEC.matcher(text);
    if (!m.matches()) {
      throw bad(spec, "its shape", "name[=value[:value…]][@upstream|@downstream|@both][~toxicity]");
    }
    String name = m.group(1);
    String value = m.group(2);
    String[] args = value == null || value.isEmpty() ? new String[0] : value.split(":", -1);
    FaultKind kind;
    try {
      kind = switch (name) {
        case "latency" -> {
          need(spec, name, args, 1, 2, "latency=BASE[:JITTER], e.g. latency=200ms:50ms");
          yield new FaultKind.Latency(duration(spec, args[0]),
              args.length > 1 ? duration(spec, args[1]) : Duration.ZERO);
        }
        case "bandwidth" -> {
          need(spec, name, args, 1, 1, "bandwidth=BYTES_PER_SECOND, e.g. bandwidth=10000");
          yield new FaultKind.Bandwidth(number(spec, args[0]));
        }
        case "slice" -> {
          need(spec, name, args, 3, 3, "slice=AVERAGE:VARIATION:DELAY, e.g. slice=100:20:10ms");
          yield new FaultKind.Slice(Math.toIntExact(number(spec, args[0])),
              Math.toIntExact(number(spec, args[1])), duration(spec, args[2]));
        }
        case "limit-data" -> {
          need(spec, name, args, 1, 1, "limit-data=BYTES, e.g. limit-data=4096");
          yield new FaultKind.LimitData(number(spec, args[0]));
        }
        case "blackhole" -> {
          need(spec, name, args, 0, 0, "blackhole (no value)");
          yield new FaultKind.Blackhole();
        }
        case "slow-close" -> {
          need(spec, name, args, 1, 1, "slow-close=DELAY, e.g. slow-close=1s");
          yield new FaultKind.SlowClose(duration(spec, args[0]));
        }
        case "reset-after" -> {
          need(spec, name, args, 1, 1, "reset-after=DURATION, e.g. reset-after=5s");
          yield new FaultKind.ResetAfter(duration(spec, args[0]));
        }
        case "max-age" -> {
          need(spec, name, args, 1, 1, "max-age=DURATION, e.g. max-age=30s");
          yield new FaultKind.MaxAge(duration(spec, args[0]));
        }
        case "stall", "stall-new" -> {
          need(spec, name, args, 0, 0, "stall (no value)");
          yield new FaultKind.StallNew();
        }
        case "refuse", "refuse-new" -> {
          need(spec, name, args, 0, 0, "refuse (no value)");
          yield new FaultKind.RefuseNew();
        }
        default -> throw bad(spec, "name '" + name + "'", String.join(", ", SPEC_FORMS));
      };
      Direction direction = Direction.BOTH;
      if (m.group(3) != null) {
        direction = switch (m.group(3)) {
          case "upstream" -> Direction.UPSTREAM;
          case "downstream" -> Direction.DOWNSTREAM;
          case "both" -> Direction.BOTH;
          default -> throw bad(spec, "direction '" + m.group(3) + "'", "@upstream, @downstream, @both");
        };
      }
      double toxicity = 1.0;
      if (m.group(4) != null) {
        try {
          toxicity = Double.parseDouble(m.group(4));
        } catch (NumberFormatException e) {
          throw bad(spec, "toxicity '" + m.group(4) + "'", "a number from 0.0 to 1.0");
        }
      }
      return new Fault(kind, direction, toxicity);
    } catch (IllegalArgumentException | ArithmeticException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("fault spec '")) {
        throw e;
      }
      throw new IllegalArgumentException("fault spec '" + spec + "': " + e.getMessage(), e);
    }
  }

  private static void need(String spec, String name, String[] args, int min, int max, String form) {
    if (args.length < min || args.length > max) {
      throw bad(spec, args.length + " value(s) for " + name, form);
    }
  }

  private static long number(String spec, String text) {
    if (!text.matches("[0-9]{1,19}")) {
      throw bad(spec, "value '" + text + "'", "a whole number");
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw bad(spec, "value '" + text + "'", "a whole number up to " + Long.MAX_VALUE);
    }
  }

  private static Duration duration(String spec, String text) {
    Matcher d = DURATION.matcher(text);
    if (!d.matches()) {
      throw bad(spec, "duration '" + text + "'", "a whole number with a unit ns, us, ms, s or m, e.g. 200ms");
    }
    long n = Long.parseLong(d.group(1));
    return switch (d.group(2)) {
      case "ns" -> Duration.ofNanos(n);
      case "us" -> Duration.ofNanos(n * 1_000L);
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      default -> Duration.ofMinutes(n);
    };
  }

  private static IllegalArgumentException bad(String spec, String what, String allowed) {
    return new IllegalArgumentException("fault spec '" + spec + "': bad " + what + "; allowed: " + allowed);
  }
}
