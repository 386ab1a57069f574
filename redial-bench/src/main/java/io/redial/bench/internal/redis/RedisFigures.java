package io.redial.bench.internal.redis;

import io.redial.bench.internal.Charts;
import io.redial.bench.internal.Figure;
import io.redial.bench.internal.Stats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Redis figure's lines: Redial against Lettuce, each ratio the median of the per-pair ratios
 * (Redial / Lettuce of adjacent iterations), with its spread; goals from the issue: throughput
 * at least 1.0× Lettuce's, p99 at most Lettuce's. The baseline column of these lines is Lettuce.
 */
public final class RedisFigures {
  public static final String THROUGHPUT = "throughput";
  public static final String P50 = "p50";
  public static final String P99 = "p99";
  static final String BASELINE = "baseline column: Lettuce " + lettuceVersion() + " async API";

  private RedisFigures() {}

  /** Lettuce's version, from the Maven properties its jar carries. */
  static String lettuceVersion() {
    try (var in = io.lettuce.core.RedisClient.class.getResourceAsStream(
        "/META-INF/maven/io.lettuce/lettuce-core/pom.properties")) {
      java.util.Properties p = new java.util.Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "7.x");
    } catch (java.io.IOException e) {
      return "7.x";
    }
  }

  /**
   * The JMH lines from {@code values}: key ({@link #THROUGHPUT}, {@link #P50}, {@link #P99}) →
   * side ({@link RedisSides}) → one value per measured iteration, in the order the pairs ran.
   */
  public static List<Figure> jmh(Map<String, Map<String, List<Double>>> values, int batch) {
    List<Figure> out = new ArrayList<>();
    out.add(line(values, THROUGHPUT, "10.redis.throughput",
        "Redis, one connection, " + String.format("%,d", batch) + " SETs (64 B) pipelined: "
            + "Redial / Lettuce", "requests/s", true, 1.0));
    out.add(line(values, P50, "10.redis.p50",
        "Redis, one connection, GET (64 B) round trip p50: Redial / Lettuce", "µs", false,
        Double.NaN));
    out.add(line(values, P99, "10.redis.p99",
        "Redis, one connection, GET (64 B) round trip p99: Redial / Lettuce", "µs", false, 1.0));
    return out;
  }

  private static Figure line(Map<String, Map<String, List<Double>>> values, String key,
      String id, String title, String unit, boolean higherIsBetter, double goal) {
    Map<String, List<Double>> bySide = values.getOrDefault(key, Map.of());
    double[] redial = toArray(bySide.get(RedisSides.REDIAL));
    double[] lettuce = toArray(bySide.get(RedisSides.LETTUCE));
    if (redial.length == 0 || redial.length != lettuce.length) {
      return new Figure(id, title, unit, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
          Double.NaN, "", Figure.Verdict.SKIPPED, "no complete pair of JMH results (Redial "
          + redial.length + ", Lettuce " + lettuce.length + ")");
    }
    Stats ratio = Stats.ratios(redial, lettuce);
    String note = redial.length + " pairs of adjacent JMH iterations, Lettuce and Redial taking"
        + " turns in one JVM against one redis-server; " + BASELINE;
    if (Double.isNaN(goal)) {
      return Figure.ratio(id, title, unit, Stats.of(redial), Stats.of(lettuce), ratio, "",
          Figure.Verdict.INFO, note);
    }
    return Figure.ratio(id, title, unit, Stats.of(redial), Stats.of(lettuce), ratio,
        (higherIsBetter ? "≥ " : "≤ ") + goal,
        higherIsBetter ? Figure.atLeast(ratio.median(), goal) : Figure.atMost(ratio.median(), goal),
        note);
  }

  /** The footprint line: live heap per idle connection, Redial against Lettuce, no goal. */
  public static Figure heap(double[] redialBytes, double[] lettuceBytes, int connections) {
    Stats r = Stats.of(redialBytes);
    Stats l = Stats.of(lettuceBytes);
    return Figure.ratio("10.redis.heap", "Redis: live heap per idle typed connection at "
            + String.format("%,d", connections) + " connections (AUTH done): Redial "
            + "MessageConnection / Lettuce StatefulRedisConnection", "B/conn", r, l,
        Stats.ratios(redialBytes, lettuceBytes), "", Figure.Verdict.INFO,
        String.format("Redial %+,.0f B per connection against Lettuce; ", r.median() - l.median())
            + BASELINE);
  }

  /** {@code redis.png}: each Redis line's ratio with its spread, the 1.0 line drawn. */
  public static Charts.Spec chart(List<Figure> figures) {
    List<String> ids = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    List<Boolean> met = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    for (Figure f : figures) {
      if (f.id().startsWith("10.redis.") && Double.isFinite(f.ratio())) {
        ids.add(f.id() + (f.goal().isEmpty() ? "" : " (" + f.goal() + ")"));
        ratios.add(f.ratio());
        met.add(f.verdict() != Figure.Verdict.MISSED);
        labels.add(f.ratioMin() == f.ratioMax() ? String.format("%.3f", f.ratio())
            : String.format("%.3f (%.3f–%.3f)", f.ratio(), f.ratioMin(), f.ratioMax()));
      }
    }
    if (ids.isEmpty()) {
      return null;
    }
    return new Charts.Bars("redis.png", "Redial / Lettuce on one redis-server, same run "
            + "(1.0 = equal; red: goal missed)", "ratio: median (lowest–highest)", ids,
        List.of("Redial / Lettuce"), new double[][] {ratios.stream().mapToDouble(d -> d).toArray()},
        1.0, met, labels);
  }

  private static double[] toArray(List<Double> l) {
    return l == null ? new double[0] : l.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
