package io.redial.internal;

import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Where a connection's timers come from. Production uses the connection's event loop; tests pass a
 * fake that runs due tasks only when its clock is moved, so that backoff and timeouts are tested
 * without sleeping. Tasks always run on the connection's event loop.
 */
public interface Scheduler {
  /** A scheduled task that can be cancelled. */
  interface Cancellable {
    void cancel();
  }

  /** Runs {@code task} on the event loop after {@code delayNanos}. */
  Cancellable schedule(Runnable task, long delayNanos);

  /**
   * Production's choice: each connection's event loop's own timer wheel. A connection given this
   * very function schedules on its loop itself rather than through a scheduler object of its own
   * (see the footprint benchmark).
   */
  java.util.function.Function<io.netty.channel.EventLoop, Scheduler> LOOP = Scheduler::of;

  /** The production scheduler: the event loop's own timer wheel. */
  static Scheduler of(EventExecutor loop) {
    return (task, delayNanos) -> {
      var future = loop.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
      return () -> future.cancel(false);
    };
  }
}
