package io.redial.internal;

import java.time.Duration;
import java.util.Objects;

/** Argument checks whose messages name the parameter, the value and what is allowed. */
public final class Checks {
  private Checks() {}

  public static Duration positive(String name, Duration value) {
    Objects.requireNonNull(value, () -> name + " must not be null");
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(
          name + " must be a positive duration, but was " + value);
    }
    return value;
  }

  public static Duration nonNegative(String name, Duration value) {
    Objects.requireNonNull(value, () -> name + " must not be null");
    if (value.isNegative()) {
      throw new IllegalArgumentException(
          name + " must be zero or a positive duration, but was " + value);
    }
    return value;
  }

  public static int range(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + " must be in " + min + ".." + max + ", but was " + value);
    }
    return value;
  }

  public static long range(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + " must be in " + min + ".." + max + ", but was " + value);
    }
    return value;
  }

  public static double range(String name, double value, double min, double max) {
    if (!(value >= min && value <= max)) { // also rejects NaN
      throw new IllegalArgumentException(
          name + " must be in [" + min + ", " + max + "], but was " + value);
    }
    return value;
  }

  public static <T> T notNull(String name, T value) {
    if (value == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
    return value;
  }
}
