package io.redial.internal.agent;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * How many stacks the agent may record per second, so that what it costs has a ceiling however
 * fast the application opens sockets (the way JFR throttles its allocation samples). Recording a
 * stack is the agent's main cost, about 1 to 5 µs; at the default of 1000 a second that is at
 * most a few milliseconds of CPU per second. An application opening fewer sockets than that gets
 * every socket's stack; a faster one gets as many as the budget allows, spread over time. The
 * offending call of a misuse is never subject to the budget (see {@link Tracker}).
 *
 * <p>A generic cell rate algorithm: one permit every {@code 1 s / rate}, with up to a second's
 * worth ({@code rate} permits) available at once. Lock-free; a caller that loses the race for a
 * permit a few times in a row goes without, rather than spin.
 */
final class StackBudget {
  /** {@code stackRate=unlimited}: every stack the mode asks for is recorded. */
  static final int UNLIMITED = -1;
  /** The highest finite rate accepted; above it, ask for {@code unlimited}. */
  static final int MAX_RATE = 1_000_000;
  private static final long SECOND = 1_000_000_000L;
  private static final int MAX_RACES = 4;

  private final int rate;
  private final long interval;
  /** How far ahead of now the next permit may be and still be granted: a second's burst. */
  private final long tolerance;
  private final LongSupplier nanos;
  /** When the next permit is due if permits were taken evenly (the theoretical arrival time). */
  private final AtomicLong due;
  /** Refusals: counted by every thread over the budget, so striped rather than one field. */
  private final LongAdder denied = new LongAdder();

  /**
   * @param rate permits per second, 0 for none, or {@link #UNLIMITED}
   * @param nanos a monotonic clock in nanoseconds ({@code System::nanoTime}, or a test's)
   */
  StackBudget(int rate, LongSupplier nanos) {
    if (rate != UNLIMITED && (rate < 0 || rate > MAX_RATE)) {
      throw new IllegalArgumentException("stackRate must be 0.." + MAX_RATE + " or unlimited ("
          + UNLIMITED + "), got " + rate);
    }
    this.rate = rate;
    this.nanos = nanos;
    this.interval = rate > 0 ? SECOND / rate : 0;
    this.tolerance = rate > 0 ? SECOND - interval : 0;
    this.due = new AtomicLong(rate > 0 ? nanos.getAsLong() : 0);
  }

  /** Whether a stack may be recorded now; counts a refusal. */
  boolean tryTake() {
    if (rate == UNLIMITED) {
      return true;
    }
    if (rate > 0) {
      long now = nanos.getAsLong();
      for (int race = 0; race < MAX_RACES; race++) {
        long d = due.get();
        if (d - now > tolerance) {
          break; // a second's worth is taken already
        }
        long next = (d - now > 0 ? d : now) + interval;
        if (due.compareAndSet(d, next)) {
          return true;
        }
      }
    }
    denied.increment();
    return false;
  }

  /** Stacks asked for and refused so far. */
  long denied() {
    return denied.sum();
  }

  /** What a report says in place of a stack the budget refused. */
  String refusalNote() {
    return rate == 0
        ? "not recorded: stackRate=0 records only the offending call's stack"
        : "not sampled: the agent records at most " + rate + " stacks a second and was over"
            + " that; stackRate=unlimited records every one";
  }
}
