package io.redial.bench.internal;

/**
 * How big and how long each part of a run is. {@link #quick()} fits in about four minutes on two
 * busy cores; {@link #full()} takes the sizes the issue asks for.
 *
 * <p>JMH: each figure runs in {@code jmhForks} forks, alternately raw-first and Redial-first;
 * inside a fork the two take turns iteration by iteration ({@link Alternation}), so a fork gives
 * {@code jmhMeasurementIterations / 2} pairs. The connect benchmark warms up longer: its path
 * (a bootstrap, a channel, the lifecycle, every handler) took about 15 s of connect loops here
 * before C2 stopped taking a core and the per-iteration times settled.
 */
public record Plan(
    String name,
    int jmhForks,
    int jmhWarmupIterations,
    int jmhConnectWarmupIterations,
    int jmhMeasurementIterations,
    int jmhIterationSeconds,
    int footprintConnections,
    int footprintRounds,
    int scaleTarget,
    int scaleSeconds,
    int stormConnections,
    int stormOutageSeconds,
    int stormRecoveryLimitSeconds,
    int halfOpenTrials,
    int halfOpenLimitSeconds,
    int agentPairs,
    int agentIterations,
    int fleetClients,
    int fleetAdmitPerSecond,
    int fleetOutageSeconds,
    int fleetLimitSeconds) {

  public Plan {
    if (jmhForks < 1) {
      throw new IllegalArgumentException("jmhForks must be >= 1, but was " + jmhForks);
    }
    if (jmhMeasurementIterations < 2 || jmhMeasurementIterations % 2 != 0) {
      throw new IllegalArgumentException("jmhMeasurementIterations must be even and >= 2 (raw and"
          + " Redial in pairs), but was " + jmhMeasurementIterations);
    }
  }

  /** Small sizes, two forks of four pairs each: a first look anyone can run. */
  public static Plan quick() {
    return new Plan("quick", 2, 4, 16, 8, 1, 2_000, 1, 10_000, 30, 1_000, 5, 30, 1, 60, 3, 1_500,
        100_000, 5_000, 10, 600);
  }

  /** The sizes; JMH in four forks of five pairs each. */
  public static Plan full() {
    return new Plan("full", 4, 6, 14, 10, 2, 10_000, 2, 100_000, 180, 10_000, 5, 150, 2, 60, 5,
        3_000, 1_000_000, 50_000, 10, 900);
  }

  /** {@code "quick"} or {@code "full"}. */
  public static Plan named(String name) {
    return switch (name) {
      case "quick" -> quick();
      case "full" -> full();
      default -> throw new IllegalArgumentException(
          "mode must be 'quick' or 'full', but was '" + name + "'");
    };
  }
}
