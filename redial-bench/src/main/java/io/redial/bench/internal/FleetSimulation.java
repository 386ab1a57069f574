package io.redial.bench.internal;

import io.redial.Backoff;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The internet-scale picture on paper: many clients, no sockets. At time zero every client loses
 * its connection; the server is down for {@code outage}, then admits at most {@code admitPerSecond}
 * connects per second, spread evenly over the steps of {@code step} (capacity not used in a step
 * is not banked, as a listen backlog is not). Each client waits as the real {@link Backoff}
 * object says — {@code delay(0)} after the loss, {@code delay(1)} after the first refused attempt,
 * and so on, exactly as Redial's lifecycle counts — and tries again.
 *
 * <p>Pure computation with a seeded generator: the same parameters give the same result.
 *
 * @param clients how many clients, 1..10 000 000
 * @param admitPerSecond connects the server accepts per second once it is back, at least 1
 * @param outageMillis how long the server is down, from time zero
 * @param stepMillis the simulation's time step
 * @param limitMillis when to stop if not every client is back
 * @param seed seed of the jitter
 */
public record FleetSimulation(
    int clients, long admitPerSecond, long outageMillis, long stepMillis, long limitMillis,
    long seed) {

  /** Most clients simulated: the state is three ints per client. */
  public static final int MAX_CLIENTS = 10_000_000;
  /** Most steps simulated: the bucket heads are one int per step. */
  public static final long MAX_STEPS = 10_000_000;

  public FleetSimulation {
    if (clients < 1 || clients > MAX_CLIENTS) {
      throw new IllegalArgumentException(
          "clients must be between 1 and " + MAX_CLIENTS + ", but was " + clients);
    }
    if (admitPerSecond < 1) {
      throw new IllegalArgumentException("admitPerSecond must be at least 1, but was " + admitPerSecond);
    }
    if (outageMillis < 0) {
      throw new IllegalArgumentException("outageMillis must be >= 0, but was " + outageMillis);
    }
    if (stepMillis < 1) {
      throw new IllegalArgumentException("stepMillis must be at least 1, but was " + stepMillis);
    }
    if (limitMillis <= outageMillis || limitMillis / stepMillis > MAX_STEPS) {
      throw new IllegalArgumentException("limitMillis must be above outageMillis (" + outageMillis
          + ") and at most " + MAX_STEPS + " steps of " + stepMillis + " ms, but was " + limitMillis);
    }
  }

  /**
   * What happened under one policy.
   *
   * @param attemptsPerSecond connect attempts in each second of simulated time
   * @param connectedPerSecond clients connected at the end of each second
   * @param peakAttemptsPerSecond the busiest second
   * @param meanAttemptsPerSecond attempts per second, averaged until all were back (or the limit)
   * @param totalAttempts every attempt made
   * @param recoveredMillis time from the server's return until the last client was back; -1 when
   *     not every client was back by the limit
   * @param connectedAtLimit clients connected when the simulation stopped
   */
  public record Result(
      long[] attemptsPerSecond,
      long[] connectedPerSecond,
      long peakAttemptsPerSecond,
      double meanAttemptsPerSecond,
      long totalAttempts,
      long recoveredMillis,
      int connectedAtLimit) {

    public boolean allBack() {
      return recoveredMillis >= 0;
    }
  }

  /** Runs the simulation for {@code policy}. */
  public Result run(Backoff policy) {
    int steps = (int) (limitMillis / stepMillis);
    long stepNanos = stepMillis * 1_000_000L;
    int outageSteps = (int) (outageMillis / stepMillis);
    double perStep = admitPerSecond * stepMillis / 1000.0;
    int stepsPerSecond = (int) Math.max(1, 1000 / stepMillis);
    SplittableRandom random = new SplittableRandom(seed);

    // Clients waiting for step s form a singly linked list: head[s], then next[client], ...
    int[] head = new int[steps];
    Arrays.fill(head, -1);
    int[] next = new int[clients];
    int[] retry = new int[clients];
    for (int c = 0; c < clients; c++) {
      schedule(c, 0, policy.delay(retry[c]++, random).toNanos(), stepNanos, head, next, steps);
    }
    long[] attempts = new long[(steps + stepsPerSecond - 1) / stepsPerSecond];
    long[] connectedAt = new long[attempts.length];
    int connected = 0;
    long total = 0;
    double allowance = 0;
    int doneStep = -1;
    for (int s = 0; s < steps && doneStep < 0; s++) {
      boolean up = s >= outageSteps;
      if (up) {
        allowance = Math.min(allowance + perStep, Math.max(1.0, perStep));
      }
      int c = head[s];
      head[s] = -1;
      while (c >= 0) {
        int following = next[c];
        total++;
        attempts[s / stepsPerSecond]++;
        if (up && allowance >= 1.0) {
          allowance -= 1.0;
          connected++;
        } else {
          schedule(c, s, policy.delay(retry[c]++, random).toNanos(), stepNanos, head, next, steps);
        }
        c = following;
      }
      connectedAt[s / stepsPerSecond] = connected;
      if (connected == clients) {
        doneStep = s;
      }
    }
    int seconds = doneStep >= 0 ? doneStep / stepsPerSecond + 1 : attempts.length;
    long[] perSecond = Arrays.copyOf(attempts, seconds);
    long[] connectedSeries = Arrays.copyOf(connectedAt, seconds);
    for (int i = 1; i < seconds; i++) { // seconds with no step run yet keep the last count
      connectedSeries[i] = Math.max(connectedSeries[i], connectedSeries[i - 1]);
    }
    long peak = Arrays.stream(perSecond).max().orElse(0);
    long recovered = doneStep >= 0 ? Math.max(0, (doneStep + 1) * stepMillis - outageMillis) : -1;
    return new Result(perSecond, connectedSeries, peak, seconds == 0 ? 0 : (double) total / seconds,
        total, recovered, connected);
  }

  /** Puts client {@code c} in the bucket {@code delay} after step {@code now} (at least one on). */
  private static void schedule(
      int c, int now, long delayNanos, long stepNanos, int[] head, int[] next, int steps) {
    long after = Math.max(1, (delayNanos + stepNanos - 1) / stepNanos);
    if (now + after >= steps) {
      return; // beyond the limit: this client is not back within the simulated time
    }
    int s = (int) (now + after);
    next[c] = head[s];
    head[s] = c;
  }
}
