package io.redial.cli.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * The demo's script of faults: every kind once, in an order and with values drawn from the seed,
 * so the same seed and duration give the same schedule. The run starts with a quiet warm-up, and
 * ends with a quiet tail in which the connections recover and every frame gets its echo.
 *
 * @param seed where the order and the values came from
 * @param duration the whole run
 * @param steps the faults, in time order, none overlapping
 */
record FaultSchedule(long seed, Duration duration, List<Step> steps) {
  /** The shortest run that fits every fault (the blackhole alone needs {@link #BLACKHOLE_MIN}). */
  static final Duration MIN_DURATION = Duration.ofSeconds(8);
  /** The longest run. */
  static final Duration MAX_DURATION = Duration.ofMinutes(10);
  /** Long enough for a 500 ms + 500 ms heartbeat to notice, with margin. */
  static final Duration BLACKHOLE_MIN = Duration.ofMillis(2200);

  /** What a step does. */
  enum Kind {
    SERVER_RESTART("server restart", "the echo server stops, drops every socket, and comes back"),
    RESET("reset of every connection", "the proxy resets every connection (RST)"),
    BLACKHOLE("blackhole", "nothing passes either way; sockets stay open: only heartbeats notice"),
    LATENCY("latency", "every chunk is held back, both ways"),
    BANDWIDTH("bandwidth limit", "each connection is throttled, each way"),
    REFUSED("refused connects", "the proxy stops listening and closes every connection");

    private final String title;
    private final String explanation;

    Kind(String title, String explanation) {
      this.title = title;
      this.explanation = explanation;
    }

    /** A name for people, unique among kinds. */
    String title() {
      return title;
    }

    String explanation() {
      return explanation;
    }
  }

  /**
   * One fault, from {@code start} to {@code end} after the run began. An instant fault (a reset)
   * has {@code end == start}.
   *
   * @param value the latency in ms, the bandwidth in bytes per second, else 0
   * @param jitter the latency's jitter in ms, else 0
   */
  record Step(Kind kind, Duration start, Duration end, long value, long jitter) {
    Step {
      Objects.requireNonNull(kind, "kind");
      if (end.compareTo(start) < 0) {
        throw new IllegalArgumentException("step ends before it starts: " + start + " > " + end);
      }
    }

    boolean instant() {
      return start.equals(end);
    }

    /** E.g. "latency 180 ms, jitter 40 ms". */
    String label() {
      return switch (kind) {
        case LATENCY -> kind.title() + " " + value + " ms, jitter " + jitter + " ms"; // ASCII: any locale
        case BANDWIDTH -> kind.title() + " " + value + " B/s";
        default -> kind.title();
      };
    }
  }

  FaultSchedule {
    Objects.requireNonNull(duration, "duration");
    steps = List.copyOf(steps);
  }

  /**
   * The schedule for a seed and a run length.
   *
   * @throws IllegalArgumentException when {@code duration} is outside
   *     [{@link #MIN_DURATION}, {@link #MAX_DURATION}]
   */
  static FaultSchedule of(long seed, Duration duration) {
    Objects.requireNonNull(duration, "duration");
    if (duration.compareTo(MIN_DURATION) < 0 || duration.compareTo(MAX_DURATION) > 0) {
      throw new IllegalArgumentException("duration is " + human(duration) + "; allowed: "
          + human(MIN_DURATION) + " to " + human(MAX_DURATION)
          + " (the blackhole alone lasts " + BLACKHOLE_MIN.toMillis() + " ms)");
    }
    RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
    long total = duration.toMillis();
    long warmup = clamp(total / 10, 500, 3_000);
    long tail = clamp(total / 5, 1_500, 6_000);
    long window = total - warmup - tail;
    // The blackhole's slot: its length plus time to reconnect after it.
    long blackholeSlot = Math.max(BLACKHOLE_MIN.toMillis() + 800, window * 3 / 10);
    long otherSlot = (window - blackholeSlot) / (Kind.values().length - 1);

    List<Kind> order = new ArrayList<>(List.of(Kind.values()));
    for (int i = order.size() - 1; i > 0; i--) { // Fisher-Yates, from the seed
      int j = random.nextInt(i + 1);
      Kind k = order.get(i);
      order.set(i, order.get(j));
      order.set(j, k);
    }
    List<Step> steps = new ArrayList<>();
    long at = warmup;
    for (Kind kind : order) {
      long slot = kind == Kind.BLACKHOLE ? blackholeSlot : otherSlot;
      // Active for 55..75 % of the slot (the blackhole: all but 800 ms); the rest is recovery.
      long active = kind == Kind.BLACKHOLE ? slot - 800 : slot * (55 + random.nextInt(21)) / 100;
      long value = 0;
      long jitter = 0;
      switch (kind) {
        case RESET -> active = 0;
        case LATENCY -> {
          value = 100 + random.nextInt(151); // 100..250 ms each way: round trips under 1 s
          jitter = random.nextInt(51);
        }
        case BANDWIDTH -> value = 1_500 + random.nextInt(1_501); // 5..10x what a connection sends
        default -> { }
      }
      steps.add(new Step(kind, Duration.ofMillis(at), Duration.ofMillis(at + active), value, jitter));
      at += slot;
    }
    return new FaultSchedule(seed, duration, steps);
  }

  /** When the fault script is over and only recovery remains. */
  Duration quietFrom() {
    return steps.isEmpty() ? Duration.ZERO : steps.get(steps.size() - 1).end();
  }

  private static long clamp(long v, long min, long max) {
    return Math.max(min, Math.min(max, v));
  }

  static String human(Duration d) {
    long ms = d.toMillis();
    if (ms % 60_000 == 0 && ms > 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1_000 == 0) {
      return ms / 1_000 + "s";
    }
    return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
  }
}
