package io.redial.bench.internal;

/**
 * How big and how long each part of a run is. {@link #quick()} fits in about four minutes on two
 * busy cores; {@link #full()} takes the sizes the issue asks for.
 */
public record Plan(
    String name,
    int jmhRounds,
    int jmhWarmupIterations,
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

  /** Small sizes, two interleaved rounds: a first look anyone can run. */
  public static Plan quick() {
    return new Plan("quick", 2, 1, 2, 1, 2_000, 1, 10_000, 30, 1_000, 5, 30, 1, 60, 3, 1_500,
        100_000, 5_000, 10, 600);
  }

  /** The sizes, five interleaved JMH rounds. */
  public static Plan full() {
    return new Plan("full", 5, 3, 5, 2, 10_000, 2, 100_000, 180, 10_000, 5, 150, 2, 60, 5, 3_000,
        1_000_000, 50_000, 10, 900);
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
