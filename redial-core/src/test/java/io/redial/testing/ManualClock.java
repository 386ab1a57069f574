package io.redial.testing;

import io.redial.internal.Scheduler;
import io.redial.internal.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A clock and scheduler for unit tests on Netty's EmbeddedChannel, where the test thread is the
 * event loop: {@link #advance} runs the tasks that fall due on the calling thread, in due order.
 * Nothing runs inside {@code schedule()}.
 */
public final class ManualClock implements Scheduler, Ticker {
  private final List<Task> tasks = new ArrayList<>();
  private long now;
  private long seq;

  private final class Task implements Scheduler.Cancellable {
    final long due;
    final long order;
    final Runnable body;

    Task(long due, long order, Runnable body) {
      this.due = due;
      this.order = order;
      this.body = body;
    }

    @Override
    public void cancel() {
      tasks.remove(this);
    }
  }

  @Override
  public Cancellable schedule(Runnable task, long delayNanos) {
    Task t = new Task(now + delayNanos, seq++, task);
    tasks.add(t);
    return t;
  }

  @Override
  public long nanoTime() {
    return now;
  }

  /** Delays of the pending tasks from now, soonest first. */
  public List<Duration> pending() {
    return tasks.stream().sorted(Comparator.comparingLong((Task t) -> t.due))
        .map(t -> Duration.ofNanos(t.due - now)).toList();
  }

  public void advance(Duration d) {
    long target = now + d.toNanos();
    for (int i = 0; i < 10_000; i++) {
      Task next = tasks.stream().filter(t -> t.due <= target)
          .min(Comparator.comparingLong((Task t) -> t.due).thenComparingLong(t -> t.order))
          .orElse(null);
      if (next == null) {
        now = target;
        return;
      }
      tasks.remove(next);
      now = Math.max(now, next.due);
      next.body.run();
    }
    throw new IllegalStateException("more than 10 000 tasks fell due: a timer loop?");
  }
}
