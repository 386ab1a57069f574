package io.redial.internal;

import io.redial.internal.LifecycleTypes.Action;
import io.redial.internal.LifecycleTypes.CancelTimer;
import io.redial.internal.LifecycleTypes.ScheduleTimer;
import io.redial.internal.LifecycleTypes.Timer;
import java.util.List;

/**
 * The lifecycle's bookkeeping of its timers: which kinds are pending, and the token of each
 * pending one, so that a firing that raced a cancel or a replacement is recognised as stale. A
 * base class of {@link Lifecycle} rather than an object of its own, with fields rather than
 * arrays: an idle connection's footprint (see the footprint benchmark).
 */
abstract class LifecycleTimers {
  private int retryToken;
  private int connectToken;
  private int drainToken;
  private int maxAgeToken;
  /** One bit per pending kind. */
  private int pending;

  /** Arms a timer of this kind (replacing the one pending): the action that asks for it. */
  final void schedule(Timer timer, long delayNanos, List<Action> out) {
    pending |= bit(timer);
    out.add(new ScheduleTimer(timer, nextToken(timer), delayNanos));
  }

  /** Cancels the pending timer of this kind, if any. */
  final void cancel(Timer timer, List<Action> out) {
    if (timerPending(timer)) {
      pending &= ~bit(timer);
      nextToken(timer); // a firing that races the cancel is stale
      out.add(new CancelTimer(timer));
    }
  }

  final void cancelAll(List<Action> out) {
    for (Timer t : Timer.values()) {
      cancel(t, out);
    }
  }

  /** A timer fired: true when it is the pending one of its kind (which is then no longer). */
  final boolean fired(Timer timer, long token) {
    if (!timerPending(timer) || token(timer) != token) {
      return false;
    }
    pending &= ~bit(timer);
    return true;
  }

  /** True while a timer of this kind is pending (for tests and the no-leak checks). */
  public final boolean timerPending(Timer timer) {
    return (pending & bit(timer)) != 0;
  }

  private static int bit(Timer timer) {
    return 1 << timer.ordinal();
  }

  private int token(Timer timer) {
    return switch (timer) {
      case RETRY -> retryToken;
      case CONNECT -> connectToken;
      case DRAIN -> drainToken;
      case MAX_AGE -> maxAgeToken;
    };
  }

  private int nextToken(Timer timer) {
    return switch (timer) {
      case RETRY -> ++retryToken;
      case CONNECT -> ++connectToken;
      case DRAIN -> ++drainToken;
      case MAX_AGE -> ++maxAgeToken;
    };
  }
}
