package io.redial.cli.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The soak's faults: a new one every 50 to 500 ms, of a random kind with random values, drawn
 * from the seed alone, so the same seed and duration give exactly the same schedule. Faults with
 * a duration may overlap, except server restarts (the server is down at most once at a time).
 *
 * @param seed where every choice came from
 * @param duration faults start before this; the run's quiet drain comes after it
 * @param faults in start order
 */
public record ChaosSchedule(long seed, Duration duration, List<Fault> faults) {
  /** Shortest gap between two faults' starts. */
  public static final Duration MIN_GAP = Duration.ofMillis(50);
  /** Longest gap between two faults' starts. */
  public static final Duration MAX_GAP = Duration.ofMillis(500);
  /** The longest soak. */
  public static final Duration MAX_DURATION = Duration.ofHours(24);

  /** What a fault does (through the {@code FaultProxy}, or to the echo server). */
  public enum Kind {
    /** Every connection through the proxy is reset (RST): instant. */
    RESET,
    /** Nothing passes either way; the sockets stay open: only heartbeats notice a long one. */
    BLACKHOLE,
    /** The proxy stops listening: new connects are refused; existing connections stay. */
    REFUSE,
    /** Every chunk is held back {@code value} ms, both ways. */
    LATENCY,
    /** Data is cut into pieces of about {@code value} bytes, sent apart. */
    SLICE,
    /** The echo server stops, dropping every socket, and listens again after the duration. */
    SERVER_RESTART
  }

  /**
   * One fault.
   *
   * @param at when it starts, from the run's start
   * @param length how long it lasts (zero for a reset)
   * @param value the latency in ms, the slice size in bytes, else 0
   */
  public record Fault(Duration at, Kind kind, Duration length, int value) {
    /** A one-line description, for the log. */
    public String label() {
      String v = switch (kind) {
        case LATENCY -> " " + value + " ms";
        case SLICE -> " " + value + " B";
        default -> "";
      };
      return String.format(Locale.ROOT, "%9.3fs %s%s%s", at.toMillis() / 1000.0,
          kind.name().toLowerCase(Locale.ROOT).replace('_', ' '), v,
          length.isZero() ? "" : String.format(Locale.ROOT, " for %d ms", length.toMillis()));
    }
  }

  public ChaosSchedule {
    faults = List.copyOf(faults);
  }

  /**
   * Every kind of fault three times, 150 ms apart, each 100 ms long: run before the baselines are taken,
   * so that they include what the soak loads once (classes, the error catalog, allocator caches).
   */
  public static ChaosSchedule warmUp() {
    List<Fault> faults = new ArrayList<>();
    Kind[] kinds = Kind.values();
    int rounds = 3;
    for (int i = 0; i < kinds.length * rounds; i++) {
      Kind kind = kinds[i % kinds.length];
      faults.add(new Fault(Duration.ofMillis(100 + 150L * i), kind,
          Duration.ofMillis(kind == Kind.RESET ? 0 : 100), kind == Kind.LATENCY ? 50 : 4));
    }
    return new ChaosSchedule(0, Duration.ofMillis(200 + 150L * kinds.length * rounds), faults);
  }

  /** The schedule for a seed and a duration (1 s to {@link #MAX_DURATION}). */
  public static ChaosSchedule of(long seed, Duration duration) {
    if (duration == null || duration.compareTo(Duration.ofSeconds(1)) < 0
        || duration.compareTo(MAX_DURATION) > 0) {
      throw new IllegalArgumentException("duration is " + duration + "; allowed: 1s to "
          + MAX_DURATION.toHours() + "h");
    }
    SplittableRandom r = new SplittableRandom(seed);
    Kind[] kinds = Kind.values();
    List<Fault> faults = new ArrayList<>();
    long end = duration.toMillis();
    long serverUpAt = 0;
    // A bounded loop: each step advances at least MIN_GAP.
    for (long t = r.nextLong(MIN_GAP.toMillis(), MAX_GAP.toMillis() + 1); t < end;
        t += r.nextLong(MIN_GAP.toMillis(), MAX_GAP.toMillis() + 1)) {
      Kind kind = kinds[r.nextInt(kinds.length)];
      long length = 0;
      int value = 0;
      switch (kind) {
        case RESET -> { }
        case BLACKHOLE -> length = r.nextLong(100, 2_001);
        case REFUSE -> length = r.nextLong(50, 1_001);
        case LATENCY -> {
          length = r.nextLong(100, 2_001);
          value = r.nextInt(20, 301);
        }
        case SLICE -> {
          length = r.nextLong(100, 2_001);
          value = r.nextInt(1, 17);
        }
        case SERVER_RESTART -> {
          length = r.nextLong(50, 1_001);
          if (t < serverUpAt) {
            kind = Kind.RESET; // the server is still down: keep the draw count, play a reset
            length = 0;
          } else {
            serverUpAt = t + length;
          }
        }
        default -> throw new AssertionError(kind);
      }
      faults.add(new Fault(Duration.ofMillis(t), kind, Duration.ofMillis(length), value));
    }
    return new ChaosSchedule(seed, duration, faults);
  }
}
