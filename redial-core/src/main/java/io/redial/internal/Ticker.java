package io.redial.internal;

/** A source of monotonic time, injected so that tests control it. Used only for measuring. */
@FunctionalInterface
public interface Ticker {
  long nanoTime();

  /** The system's monotonic clock: the one place main code reads it. */
  static Ticker system() {
    return System::nanoTime;
  }
}
