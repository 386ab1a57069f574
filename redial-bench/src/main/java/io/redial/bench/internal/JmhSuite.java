package io.redial.bench.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Figures 1–3 and the cost of a state-machine transition, with JMH. Each figure runs in
 * {@code jmhForks} forks, raw-first and Redial-first in turn; inside a fork the two sides take
 * turns iteration by iteration ({@link Alternation}), and each adjacent pair of measured
 * iterations gives one ratio. The report shows the median ratio over all pairs and its spread.
 */
public final class JmhSuite {
  /** Include pattern, log name, and the frame size where there is one. */
  static final String[][] GROUPS = {
    {"io\\.redial\\.bench\\.ThroughputBenchmark\\.", "throughput-64", "64"},
    {"io\\.redial\\.bench\\.ThroughputBenchmark\\.", "throughput-1024", "1024"},
    {"io\\.redial\\.bench\\.EchoLatencyBenchmark\\.", "echo"},
    {"io\\.redial\\.bench\\.ConnectBenchmark\\.", "connect"},
  };
  static final String TRANSITION = "io\\.redial\\.bench\\.TransitionBenchmark\\.";

  private JmhSuite() {}

  public static void run(Plan plan, Results results, Path outDir) throws Exception {
    // key ("throughput 64", "p50", ...) -> impl -> one value per pair, pairs in run order
    Map<String, Map<String, List<Double>>> values = new LinkedHashMap<>();
    for (String[] group : GROUPS) {
      int warmups = group[1].equals("connect")
          ? plan.jmhConnectWarmupIterations() : plan.jmhWarmupIterations();
      for (int fork = 0; fork < plan.jmhForks(); fork++) {
        String first = fork % 2 == 0 ? Alternation.RAW : Alternation.REDIAL;
        System.out.printf("  JMH %s, fork %d of %d (%s first)%n", group[1], fork + 1,
            plan.jmhForks(), first);
        OptionsBuilder b = options(plan, group[0], warmups,
            outDir.resolve("jmh-" + group[1] + "-fork-" + (fork + 1) + ".log"));
        b.param("first", first);
        if (group.length > 2) {
          b.param("size", group[2]);
        }
        for (RunResult r : new Runner(b.build()).run()) {
          collect(values, r, warmups);
        }
      }
    }
    System.out.println("  JMH: state-machine transition");
    Collection<RunResult> transition = new Runner(options(plan, TRANSITION,
        plan.jmhWarmupIterations(), outDir.resolve("jmh-transition.log")).build()).run();
    double nsPerEvent = transition.iterator().next().getPrimaryResult().getScore();

    figure(results, values, "throughput 64", "1.throughput.64B",
        "Throughput, one connection, 64 B frames, pipelined (echo)", "frames/s", true, 0.97);
    figure(results, values, "throughput 1024", "1.throughput.1KiB",
        "Throughput, one connection, 1 KiB frames, pipelined (echo)", "frames/s", true, 0.97);
    figure(results, values, "p50", "2.echo.p50", "Echo round trip p50, 64 B", "µs", false, 1.05);
    figure(results, values, "p99", "2.echo.p99", "Echo round trip p99, 64 B", "µs", false, 1.05);
    figure(results, values, "connect", "3.connect",
        "Connect until connected, then close, 1 000 in a row", "µs/connect", false, 1.10);
    results.add(Figure.info("3.transition", "One state-machine event (Lifecycle.handle), "
        + "CONNECTING→CONNECTED→lost→BACKOFF→CONNECTING", "ns/event", nsPerEvent,
        "pure computation, no Netty counterpart"));
    Map<String, Object> d = new LinkedHashMap<>(values);
    d.put("transitionNanosPerEvent", nsPerEvent);
    results.detail("jmh", d);
  }

  /**
   * Files each measured iteration of every fork in {@code r} under the implementation it measured
   * ({@link Alternation#implOf}, counting the {@code warmups} warm-up iterations).
   */
  static void collect(Map<String, Map<String, List<Double>>> values, RunResult r, int warmups) {
    String bench = r.getParams().getBenchmark();
    String first = r.getParams().getParam("first");
    for (BenchmarkResult fork : r.getBenchmarkResults()) {
      int i = warmups;
      for (IterationResult it : fork.getIterationResults()) {
        String impl = Alternation.implOf(first, i++);
        Result<?> primary = it.getPrimaryResult();
        if (bench.contains("Throughput")) {
          put(values, "throughput " + r.getParams().getParam("size"), impl, primary.getScore());
        } else if (bench.contains("EchoLatency")) {
          put(values, "p50", impl, primary.getStatistics().getPercentile(50));
          put(values, "p99", impl, primary.getStatistics().getPercentile(99));
        } else if (bench.contains("Connect")) {
          put(values, "connect", impl, primary.getScore());
        }
      }
    }
  }

  private static OptionsBuilder options(Plan plan, String include, int warmups, Path log) {
    OptionsBuilder b = new OptionsBuilder();
    b.include(include)
        .forks(1)
        .warmupIterations(warmups)
        .warmupTime(TimeValue.seconds(plan.jmhIterationSeconds()))
        .measurementIterations(plan.jmhMeasurementIterations())
        .measurementTime(TimeValue.seconds(plan.jmhIterationSeconds()))
        .shouldFailOnError(true)
        .output(log.toString());
    return b;
  }

  private static void put(
      Map<String, Map<String, List<Double>>> values, String key, String impl, double v) {
    values.computeIfAbsent(key, k -> new HashMap<>())
        .computeIfAbsent(impl, k -> new ArrayList<>())
        .add(v);
  }

  private static void figure(Results results, Map<String, Map<String, List<Double>>> values,
      String key, String id, String title, String unit, boolean higherIsBetter, double goal) {
    Map<String, List<Double>> byImpl = values.getOrDefault(key, Map.of());
    double[] redial = toArray(byImpl.get("redial"));
    double[] raw = toArray(byImpl.get("raw"));
    if (redial.length == 0 || redial.length != raw.length) {
      results.add(new Figure(id, title, unit, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
          Double.NaN, "", Figure.Verdict.SKIPPED, "no complete pair of JMH results"));
      return;
    }
    Stats ratio = Stats.ratios(redial, raw);
    results.add(Figure.ratio(id, title, unit, Stats.of(redial), Stats.of(raw), ratio,
        (higherIsBetter ? "≥ " : "≤ ") + goal,
        higherIsBetter ? Figure.atLeast(ratio.median(), goal) : Figure.atMost(ratio.median(), goal),
        redial.length + " pairs of adjacent JMH iterations, raw and Redial taking turns in one"
            + " JVM"));
  }

  private static double[] toArray(List<Double> l) {
    return l == null ? new double[0] : l.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
