package io.redial.internal;

import io.redial.internal.LifecycleTypes.Timer;

/**
 * The driver's pending timer of each kind the lifecycle knows: scheduling one replaces (and
 * cancels) the one pending. A base class of the driver rather than an object of its own, and
 * fields rather than an array or a map: an idle connection carries four references and nothing
 * else (see the footprint benchmark). Event loop only.
 */
abstract class TimerSlots {
  private Scheduler.Cancellable retry;
  private Scheduler.Cancellable connect;
  private Scheduler.Cancellable drain;
  private Scheduler.Cancellable maxAge;

  /** Puts {@code timer} (null: none) in the slot of {@code kind}, cancelling what was there. */
  final void setTimer(Timer kind, Scheduler.Cancellable timer) {
    Scheduler.Cancellable old;
    switch (kind) {
      case RETRY -> {
        old = retry;
        retry = timer;
      }
      case CONNECT -> {
        old = connect;
        connect = timer;
      }
      case DRAIN -> {
        old = drain;
        drain = timer;
      }
      case MAX_AGE -> {
        old = maxAge;
        maxAge = timer;
      }
      default -> throw new IllegalArgumentException("unknown timer " + kind);
    }
    if (old != null) {
      old.cancel();
    }
  }

  /** Cancels every pending timer. */
  final void cancelAllTimers() {
    for (Timer t : Timer.values()) {
      setTimer(t, null);
    }
  }
}
