package io.redial.agent.programs;

import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Bounded waits on another thread of a test program (never a sleep). */
final class Threads {
  private static final long TIMEOUT_SECONDS = 5;

  private Threads() {}

  /** Waits until one of the thread's frames matches: it has got that far into a call. */
  static void awaitFrame(Thread t, String what, Predicate<StackTraceElement> frame) {
    awaitCondition(t, what, () -> {
      for (StackTraceElement e : t.getStackTrace()) {
        if (frame.test(e)) {
          return true;
        }
      }
      return false;
    });
  }

  /** Waits until the thread is in the given state (e.g. parked on a lock). */
  static void awaitState(Thread t, Thread.State state) {
    awaitCondition(t, state.toString(), () -> t.getState() == state);
  }

  private interface Condition {
    boolean holds();
  }

  private static void awaitCondition(Thread t, String what, Condition condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    while (!condition.holds()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            t.getName() + " did not reach " + what + " within " + TIMEOUT_SECONDS + " s");
      }
      Thread.onSpinWait();
    }
  }
}
