package io.redial.bench.internal;

import java.util.List;

/**
 * How big and how long each part of a run is. {@link #quick()} fits in about ten minutes on two
 * busy cores; {@link #full()} takes the sizes the issue asks for.
 *
 * <p>JMH: each figure runs in {@code jmhForks} forks, alternately Redial-first and peers-first;
 * inside a fork Redial and each of {@code jmhPeers} take turns iteration by iteration
 * ({@link Alternation}), so a fork gives {@code jmhMeasurementIterations / (2 × peers)} pairs per
 * peer. The connect benchmark warms up longer: its path (a bootstrap, a channel, the lifecycle,
 * every handler) took about 15 s of connect loops here before C2 stopped taking a core and the
 * per-iteration times settled.
 *
 * <p>Recovery (figure 11): {@code recoveryConnections} connections of each reconnecting client,
 * the server down {@code recoveryOutageSeconds}, waiting at most {@code recoveryLimitSeconds} for
 * all to be back.
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
    int fleetLimitSeconds,
    List<String> jmhPeers,
    int recoveryConnections,
    int recoveryOutageSeconds,
    int recoveryLimitSeconds) {

  public Plan {
    jmhPeers = List.copyOf(jmhPeers);
    for (String p : jmhPeers) {
      if (p.equals(ClientKind.REDIAL)) {
        throw new IllegalArgumentException("jmhPeers must not contain 'redial', but were "
            + jmhPeers);
      }
      ClientKind.named(p);
    }
    if (jmhForks < 1) {
      throw new IllegalArgumentException("jmhForks must be >= 1, but was " + jmhForks);
    }
    int cycle = Alternation.cycle(jmhPeers);
    if (jmhMeasurementIterations < cycle || jmhMeasurementIterations % cycle != 0) {
      throw new IllegalArgumentException("jmhMeasurementIterations must be a multiple of " + cycle
          + " (a Redial/peer pair for each of " + jmhPeers + "), but was "
          + jmhMeasurementIterations);
    }
    if (jmhWarmupIterations % 2 != 0 || jmhConnectWarmupIterations % 2 != 0) {
      throw new IllegalArgumentException("jmhWarmupIterations and jmhConnectWarmupIterations must"
          + " be even (measurement starts with a whole pair), but were " + jmhWarmupIterations
          + " and " + jmhConnectWarmupIterations);
    }
    if (recoveryConnections < 1) {
      throw new IllegalArgumentException("recoveryConnections must be >= 1, but was "
          + recoveryConnections);
    }
  }

  /**
   * Small sizes, two forks of two pairs per peer each (16 iterations of 1 s: Redial and each of
   * the four peers in turn, twice): a first look anyone can run.
   */
  public static Plan quick() {
    return new Plan("quick", 2, 8, 16, 16, 1, 2_000, 1, 10_000, 30, 1_000, 5, 30, 1, 60, 3, 1_500,
        100_000, 5_000, 10, 600, ClientKind.peers(), 1_000, 5, 60);
  }

  /** The sizes; JMH in four forks of three pairs per peer each (24 iterations of 2 s). */
  public static Plan full() {
    return new Plan("full", 4, 8, 16, 24, 2, 10_000, 2, 100_000, 180, 10_000, 5, 150, 2, 60, 12,
        3_000, 1_000_000, 50_000, 10, 900, ClientKind.peers(), 1_000, 5, 150);
  }

  /**
   * This plan with Redial taking turns with {@code peers} only in the JMH figures ({@code [raw]}:
   * the plain raw/Redial alternation of the bench before the peers came). The measured iterations
   * are cut to whole cycles of the new list, at least one.
   */
  public Plan withJmhPeers(List<String> peers) {
    int cycle = Alternation.cycle(peers);
    int measured = Math.max(cycle, jmhMeasurementIterations / cycle * cycle);
    return new Plan(name, jmhForks, jmhWarmupIterations, jmhConnectWarmupIterations, measured,
        jmhIterationSeconds, footprintConnections, footprintRounds, scaleTarget, scaleSeconds,
        stormConnections, stormOutageSeconds, stormRecoveryLimitSeconds, halfOpenTrials,
        halfOpenLimitSeconds, agentPairs, agentIterations, fleetClients, fleetAdmitPerSecond,
        fleetOutageSeconds, fleetLimitSeconds, peers, recoveryConnections, recoveryOutageSeconds,
        recoveryLimitSeconds);
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
