package io.redial.bench.internal;

import java.util.Arrays;

/** Median and spread of a handful of repeated measurements. */
public record Stats(double median, double min, double max, int n) {

  /** The statistics of {@code values}; all NaN when there are none. */
  public static Stats of(double... values) {
    double[] v = Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
    if (v.length == 0) {
      return new Stats(Double.NaN, Double.NaN, Double.NaN, 0);
    }
    int m = v.length / 2;
    double median = v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2.0;
    return new Stats(median, v[0], v[v.length - 1], v.length);
  }

  /**
   * Ratios {@code a[i] / b[i]} of measurements taken in pairs (A/B interleaved), so that noise
   * common to a pair cancels.
   */
  public static Stats ratios(double[] a, double[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          "a and b must have the same length, but were " + a.length + " and " + b.length);
    }
    double[] r = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = b[i] == 0 ? Double.NaN : a[i] / b[i];
    }
    return of(r);
  }
}
