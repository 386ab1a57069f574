package io.redial.testing;

import io.netty.channel.EventLoop;
import io.redial.internal.Scheduler;
import io.redial.internal.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Fake time for a connection: tasks run only when the test moves the clock, in due order, on the
 * connection's event loop (so the single-thread rule holds). Like grpc-java's FakeClock it never
 * runs a task inside {@code schedule()}.
 */
public final class FakeScheduler implements Ticker {
  private final List<Task> tasks = new ArrayList<>();
  private EventLoop loop;
  private long now;
  private long seq;

  private final class Task implements Scheduler.Cancellable {
    final long due;
    final long order;
    final Runnable body;
    boolean cancelled;

    Task(long due, long order, Runnable body) {
      this.due = due;
      this.order = order;
      this.body = body;
    }

    @Override
    public void cancel() {
      synchronized (FakeScheduler.this) {
        cancelled = true;
        tasks.remove(this);
      }
    }
  }

  /** The factory to pass to the builder. */
  public Scheduler forLoop(EventLoop loop) {
    this.loop = loop;
    return (task, delayNanos) -> {
      synchronized (this) {
        Task t = new Task(now + delayNanos, seq++, task);
        tasks.add(t);
        return t;
      }
    };
  }

  @Override
  public synchronized long nanoTime() {
    return now;
  }

  /** Delays of the pending tasks from now, soonest first. */
  public synchronized List<Duration> pending() {
    return tasks.stream().sorted(Comparator.comparingLong((Task t) -> t.due))
        .map(t -> Duration.ofNanos(t.due - now)).toList();
  }

  /** Moves the clock, running every task that falls due, each on the event loop. */
  public void advance(Duration d) throws Exception {
    long target;
    synchronized (this) {
      target = now + d.toNanos();
    }
    for (int i = 0; i < 10_000; i++) {
      Task next;
      synchronized (this) {
        next = tasks.stream()
            .filter(t -> t.due <= target)
            .min(Comparator.comparingLong((Task t) -> t.due).thenComparingLong(t -> t.order))
            .orElse(null);
        if (next == null) {
          now = target;
          return;
        }
        tasks.remove(next);
        now = Math.max(now, next.due);
      }
      Task run = next;
      loop.submit(() -> {
        if (!run.cancelled) {
          run.body.run();
        }
      }).get(10, TimeUnit.SECONDS);
    }
    throw new IllegalStateException("more than 10 000 tasks fell due: a timer loop?");
  }
}
