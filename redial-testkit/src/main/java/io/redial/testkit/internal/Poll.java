package io.redial.testkit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Bounded waiting for a condition, on the monotonic clock: the kit's own, so that its main code
 * needs no waiting library (users' tests bring their own).
 */
public final class Poll {
  /** A condition that may fail with an I/O error (which then ends the wait). */
  @FunctionalInterface
  public interface Condition {
    /** Whether it holds now. */
    boolean holds() throws IOException;
  }

  private Poll() {}

  /**
   * Checks {@code condition} at once, then every {@code every}, until it holds or {@code atMost}
   * has passed (bounded in time and in count); whether it held. The thread's interrupt ends the
   * wait (as a timeout) and stays set.
   *
   * @throws UncheckedIOException when the condition throws one
   */
  public static boolean until(Condition condition, Duration atMost, Duration every) {
    return until(condition, atMost, every, Duration.ZERO);
  }

  /**
   * As {@link #until(Condition, Duration, Duration)}, but the first check comes after
   * {@code firstDelay}: for conditions that something asynchronous may not have begun to change
   * yet (a connection the far side has not registered yet must not read as "none left").
   */
  public static boolean until(Condition condition, Duration atMost, Duration every, Duration firstDelay) {
    long intervalNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(1), every.toNanos());
    long start = System.nanoTime();
    if (firstDelay.toNanos() > 0) {
      LockSupport.parkNanos(firstDelay.toNanos());
    }
    long maxChecks = atMost.toNanos() / intervalNanos + 2;
    for (long i = 0; i < maxChecks; i++) {
      try {
        if (condition.holds()) {
          return true;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (System.nanoTime() - start >= atMost.toNanos() || Thread.currentThread().isInterrupted()) {
        return false;
      }
      LockSupport.parkNanos(intervalNanos);
    }
    return false;
  }
}
