package io.redial.cli.soak;

import io.redial.cli.soak.Step.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * A soak's faults, drawn from a seed alone, so that the same seed and duration give the same
 * schedule: {@link #scripted} for {@code redial demo} (every kind once, none overlapping, a quiet
 * warm-up and tail), {@link #random} for {@code redial chaos} (a fault every 50 to 500 ms,
 * overlapping).
 *
 * @param seed where every choice came from
 * @param duration faults start before this
 * @param steps in start order
 */
record Schedule(long seed, Duration duration, List<Step> steps) {
  /** The scripted schedule's shortest run: every fault fits, the blackhole in its own slot. */
  static final Duration SCRIPTED_MIN = Duration.ofSeconds(5);
  /** The scripted schedule's longest run. */
  static final Duration SCRIPTED_MAX = Duration.ofMinutes(10);
  /** Long enough for a 500 ms + 500 ms heartbeat to notice, with margin. */
  static final Duration BLACKHOLE_MIN = Duration.ofMillis(2200);
  /** The random schedule's shortest gap between two faults' starts. */
  static final Duration MIN_GAP = Duration.ofMillis(50);
  /** The random schedule's longest gap between two faults' starts. */
  static final Duration MAX_GAP = Duration.ofMillis(500);
  /** The random schedule's longest run. */
  static final Duration RANDOM_MAX = Duration.ofHours(24);

  /** The scripted kinds, in the order the seed shuffles. */
  private static final List<Kind> SCRIPTED_KINDS = List.of(Kind.SERVER_RESTART, Kind.RESET,
      Kind.BLACKHOLE, Kind.LATENCY, Kind.BANDWIDTH, Kind.REFUSED);
  /** The random kinds, in the order the seed draws from. */
  private static final List<Kind> RANDOM_KINDS = List.of(Kind.RESET, Kind.BLACKHOLE, Kind.REFUSE,
      Kind.LATENCY, Kind.SLICE, Kind.SERVER_RESTART);
  /** With {@code --kernel}: the random kinds, then the kernel's. */
  private static final List<Kind> KERNEL_KINDS = List.of(Kind.RESET, Kind.BLACKHOLE, Kind.REFUSE,
      Kind.LATENCY, Kind.SLICE, Kind.SERVER_RESTART, Kind.KERNEL_BLACKHOLE, Kind.KERNEL_DROP,
      Kind.KERNEL_RESET, Kind.KERNEL_LOSS);

  Schedule {
    Objects.requireNonNull(duration, "duration");
    steps = List.copyOf(steps);
  }

  /**
   * Every scripted kind once, in an order and with values drawn from the seed, none overlapping,
   * after a quiet warm-up and before a quiet tail in which the connections recover.
   *
   * @throws IllegalArgumentException when {@code duration} is outside
   *     [{@link #SCRIPTED_MIN}, {@link #SCRIPTED_MAX}]
   */
  static Schedule scripted(long seed, Duration duration) {
    Objects.requireNonNull(duration, "duration");
    if (duration.compareTo(SCRIPTED_MIN) < 0 || duration.compareTo(SCRIPTED_MAX) > 0) {
      throw new IllegalArgumentException("duration is " + human(duration) + "; allowed: "
          + human(SCRIPTED_MIN) + " to " + human(SCRIPTED_MAX)
          + " (the blackhole alone lasts " + BLACKHOLE_MIN.toMillis() + " ms)");
    }
    RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
    long total = duration.toMillis();
    long warmup = clamp(total / 10, 500, 3_000);
    long tail = clamp(total / 5, 1_000, 6_000);
    long window = total - warmup - tail;
    // The blackhole's slot: its length plus time to reconnect after it.
    long blackholeSlot = Math.max(BLACKHOLE_MIN.toMillis() + 800, window * 3 / 10);
    long otherSlot = (window - blackholeSlot) / (SCRIPTED_KINDS.size() - 1);

    List<Kind> order = new ArrayList<>(SCRIPTED_KINDS);
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
    return new Schedule(seed, duration, steps);
  }

  /**
   * A new fault every {@link #MIN_GAP} to {@link #MAX_GAP}, of a random kind with random values.
   * Faults with a length may overlap, except server restarts (the server is down at most once
   * at a time).
   *
   * @throws IllegalArgumentException when {@code duration} is outside 1 s to {@link #RANDOM_MAX}
   */
  static Schedule random(long seed, Duration duration) {
    return random(seed, duration, false);
  }

  /**
   * {@link #random(long, Duration)}, with the kernel's faults among the kinds when {@code kernel}
   * (a blackhole, a one-way drop, resets, 5 to 30 % loss; 100 ms to 2 s each).
   */
  static Schedule random(long seed, Duration duration, boolean kernel) {
    List<Kind> kinds = kernel ? KERNEL_KINDS : RANDOM_KINDS;
    if (duration == null || duration.compareTo(Duration.ofSeconds(1)) < 0
        || duration.compareTo(RANDOM_MAX) > 0) {
      throw new IllegalArgumentException("duration is " + duration + "; allowed: 1s to "
          + RANDOM_MAX.toHours() + "h");
    }
    SplittableRandom r = new SplittableRandom(seed);
    List<Step> steps = new ArrayList<>();
    long end = duration.toMillis();
    long serverUpAt = 0;
    // A bounded loop: each step advances at least MIN_GAP.
    for (long t = r.nextLong(MIN_GAP.toMillis(), MAX_GAP.toMillis() + 1); t < end;
        t += r.nextLong(MIN_GAP.toMillis(), MAX_GAP.toMillis() + 1)) {
      Kind kind = kinds.get(r.nextInt(kinds.size()));
      long length = 0;
      long value = 0;
      long jitter = 0;
      switch (kind) {
        case BLACKHOLE -> length = r.nextLong(100, 2_001);
        case REFUSE -> length = r.nextLong(50, 1_001);
        case LATENCY -> {
          length = r.nextLong(100, 2_001);
          value = r.nextInt(20, 301);
          jitter = value / 4;
        }
        case SLICE -> {
          length = r.nextLong(100, 2_001);
          value = r.nextInt(1, 17);
        }
        case KERNEL_BLACKHOLE, KERNEL_RESET -> length = r.nextLong(100, 2_001);
        case KERNEL_DROP -> {
          length = r.nextLong(100, 2_001);
          value = r.nextInt(2);
        }
        case KERNEL_LOSS -> {
          length = r.nextLong(100, 2_001);
          value = r.nextInt(5, 31);
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
        default -> { }
      }
      steps.add(new Step(kind, Duration.ofMillis(t), Duration.ofMillis(t + length), value, jitter));
    }
    return new Schedule(seed, duration, steps);
  }

  /**
   * Every random kind three times, 150 ms apart, each 100 ms long: played before baselines are
   * taken, so that they include what a soak loads once (classes, the error catalog, allocator
   * caches).
   */
  static Schedule warmUp() {
    return warmUp(false);
  }

  /** {@link #warmUp()}, with the kernel's kinds too when {@code kernel}. */
  static Schedule warmUp(boolean kernel) {
    List<Kind> kinds = kernel ? KERNEL_KINDS : RANDOM_KINDS;
    List<Step> steps = new ArrayList<>();
    int rounds = 3;
    for (int i = 0; i < kinds.size() * rounds; i++) {
      Kind kind = kinds.get(i % kinds.size());
      long at = 100 + 150L * i;
      long value = kind == Kind.LATENCY ? 50 : kind == Kind.KERNEL_DROP ? i % 2 : 4;
      steps.add(new Step(kind, Duration.ofMillis(at), Duration.ofMillis(at + (kind == Kind.RESET ? 0 : 100)),
          value, kind == Kind.LATENCY ? value / 4 : 0));
    }
    return new Schedule(0, Duration.ofMillis(200 + 150L * kinds.size() * rounds), steps);
  }

  /** When the last fault is over and only recovery remains. */
  Duration quietFrom() {
    Duration last = Duration.ZERO;
    for (Step s : steps) {
      last = s.end().compareTo(last) > 0 ? s.end() : last;
    }
    return last;
  }

  private static long clamp(long v, long min, long max) {
    return Math.max(min, Math.min(max, v));
  }

  /** E.g. "30s", "2m", "8.5s". */
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
