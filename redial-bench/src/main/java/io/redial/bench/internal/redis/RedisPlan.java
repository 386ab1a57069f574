package io.redial.bench.internal.redis;

import io.redial.bench.internal.Plan;

/**
 * How big the Redis figure is, from the run's {@link Plan}: the JMH sizes of the other figures
 * (forks alternately Lettuce-first and Redial-first, the sides taking turns inside each) with the
 * connect figure's longer warm-up (two client stacks and a codec each to compile: with 4 warm-up
 * seconds, both sides were still speeding up in the 8th measured second here), and a
 * footprint of half the other footprint's connections (each one is also a client of the one
 * {@code redis-server}, whose {@code maxclients} is raised to fit).
 */
public record RedisPlan(
    int forks,
    int warmupIterations,
    int measurementIterations,
    int iterationSeconds,
    int footprintConnections,
    int footprintRounds) {

  public RedisPlan {
    if (forks < 1) {
      throw new IllegalArgumentException("forks must be >= 1, but was " + forks);
    }
    if (measurementIterations < 2 || measurementIterations % 2 != 0) {
      throw new IllegalArgumentException("measurementIterations must be even and >= 2 (Lettuce"
          + " and Redial in pairs), but was " + measurementIterations);
    }
    if (footprintConnections < 1 || footprintRounds < 1) {
      throw new IllegalArgumentException("footprintConnections and footprintRounds must be >= 1,"
          + " but were " + footprintConnections + " and " + footprintRounds);
    }
  }

  /** The Redis sizes for {@code plan}. */
  public static RedisPlan of(Plan plan) {
    return new RedisPlan(plan.jmhForks(), plan.jmhConnectWarmupIterations(),
        plan.jmhMeasurementIterations(), plan.jmhIterationSeconds(),
        Math.max(1, plan.footprintConnections() / 2), plan.footprintRounds());
  }

  /** What the server must accept: every footprint connection of one side, and some to spare. */
  public int maxClients() {
    return footprintConnections + 200;
  }

  /** Pairs of adjacent iterations per figure. */
  public int pairs() {
    return forks * measurementIterations / 2;
  }
}
