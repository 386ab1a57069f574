package io.redial.internal;

import io.redial.internal.LifecycleTypes.Timer;

/**
 * The driver's pending timer of each kind the lifecycle knows: scheduling one replaces (and
 * cancels) the one pending. Fields, not an array or a map: an idle connection carries four
 * references and nothing else. Event loop only.
 */
final class TimerSlots {
  private Scheduler.Cancellable retry;
  private Scheduler.Cancellable connect;
  private Scheduler.Cancellable drain;
  private Scheduler.Cancellable maxAge;

  /** Puts {@code timer} (null: none) in the slot of {@code kind}, cancelling what was there. */
  void set(Timer kind, Scheduler.Cancellable timer) {
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
  void cancelAll() {
    for (Timer t : Timer.values()) {
      set(t, null);
    }
  }
}
