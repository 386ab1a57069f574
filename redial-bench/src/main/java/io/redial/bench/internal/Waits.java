package io.redial.bench.internal;

import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/** Bounded waiting for the scenario runner (a benchmark driver, not library code). */
public final class Waits {
  private Waits() {}

  /** Polls {@code condition} every 10 ms until it holds or {@code timeoutMillis} passed. */
  public static boolean until(LongSupplier nanos, long timeoutMillis, BooleanSupplier condition) {
    long deadline = nanos.getAsLong() + timeoutMillis * 1_000_000L;
    while (!condition.getAsBoolean()) {
      if (nanos.getAsLong() - deadline > 0) {
        return false;
      }
      pause(10);
    }
    return true;
  }

  /** Sleeps, keeping the interrupt. */
  public static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Heap in use after full collections, in bytes: the live objects, near enough. */
  public static long liveHeap() {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      pause(50);
      Runtime rt = Runtime.getRuntime();
      used = Math.min(used, rt.totalMemory() - rt.freeMemory());
    }
    return used;
  }
}
