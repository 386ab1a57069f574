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
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Figures 1–3 (Redial against raw Netty), their counterparts against the peers (figure 10), and
 * the cost of a state-machine transition, with JMH. Each figure runs in {@code jmhForks} forks,
 * Redial-first and peers-first in turn; inside a fork Redial and each peer take turns iteration by
 * iteration ({@link Alternation}), and each adjacent Redial/peer pair of measured iterations gives
 * one ratio. The report shows the median ratio over all pairs and its spread.
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
    List<String> peers = plan.jmhPeers();
    int cycle = Alternation.cycle(peers);
    if (plan.jmhMeasurementIterations() % cycle != 0) {
      throw new IllegalArgumentException("jmhMeasurementIterations must be a multiple of " + cycle
          + " (a Redial/peer pair per peer " + peers + "), but was "
          + plan.jmhMeasurementIterations());
    }
    // key ("throughput 64", "p50", ...) -> series -> one value per iteration, in run order;
    // series: a peer's name, or "redial@peer" for Redial's iterations paired with that peer
    Map<String, Map<String, List<Double>>> values = new LinkedHashMap<>();
    for (String[] group : GROUPS) {
      int warmups = group[1].equals("connect")
          ? plan.jmhConnectWarmupIterations() : plan.jmhWarmupIterations();
      try {
        for (int fork = 0; fork < plan.jmhForks(); fork++) {
          String first = fork % 2 == 0 ? Alternation.REDIAL : Alternation.PEERS;
          System.out.printf("  JMH %s, fork %d of %d (%s first; Redial with %s)%n", group[1],
              fork + 1, plan.jmhForks(), first, String.join(", ", peers));
          OptionsBuilder b = options(plan, group[0], warmups,
              outDir.resolve("jmh-" + group[1] + "-fork-" + (fork + 1) + ".log"));
          b.param("first", first);
          b.param("peers", String.join(",", peers));
          if (group.length > 2) {
            b.param("size", group[2]);
          }
          for (RunResult r : new Runner(b.build()).run()) {
            collect(values, r, warmups);
          }
        }
      } catch (RunnerException | RuntimeException e) { // the other groups keep their figures
        e.printStackTrace(System.out);
        results.add(new Figure("jmh." + group[1], "JMH " + group[1] + " failed", "", Double.NaN,
            Double.NaN, Double.NaN, Double.NaN, Double.NaN, "", Figure.Verdict.SKIPPED,
            e.toString()));
      }
    }
    System.out.println("  JMH: state-machine transition");
    Collection<RunResult> transition = new Runner(options(plan, TRANSITION,
        plan.jmhWarmupIterations(), outDir.resolve("jmh-transition.log")).build()).run();
    double nsPerEvent = transition.iterator().next().getPrimaryResult().getScore();

    for (Metric m : METRICS) {
      for (String peer : peers) {
        figure(results, values, m, peer);
      }
      Charts.Spec chart = Peers.chart(m.chartFile(), m.title() + ", every client", m.unit(),
          byClient(values.getOrDefault(m.key(), Map.of()), peers));
      if (chart != null) {
        results.chart(chart);
      }
    }
    results.add(Figure.info("3.transition", "One state-machine event (Lifecycle.handle), "
        + "CONNECTING→CONNECTED→lost→BACKOFF→CONNECTING", "ns/event", nsPerEvent,
        "pure computation, no Netty counterpart"));
    Map<String, Object> d = new LinkedHashMap<>(values);
    d.put("peers", peers);
    d.put("transitionNanosPerEvent", nsPerEvent);
    results.detail("jmh", d);
  }

  /** One JMH figure: its key in the collected values, and how it is reported. */
  record Metric(String key, String id, String title, String unit, boolean higherIsBetter,
      double rawGoal) {
    String chartFile() {
      return "clients-" + id.substring(id.indexOf('.') + 1).replace('.', '-') + ".png";
    }
  }

  static final List<Metric> METRICS = List.of(
      new Metric("throughput 64", "1.throughput.64B",
          "Throughput, one connection, 64 B frames, pipelined (echo)", "frames/s", true, 0.97),
      new Metric("throughput 1024", "1.throughput.1KiB",
          "Throughput, one connection, 1 KiB frames, pipelined (echo)", "frames/s", true, 0.97),
      new Metric("p50", "2.echo.p50", "Echo round trip p50, 64 B", "µs", false, 1.05),
      new Metric("p99", "2.echo.p99", "Echo round trip p99, 64 B", "µs", false, 1.05),
      new Metric("connect", "3.connect", "Connect until connected, then close, 1 000 in a row",
          "µs/connect", false, 1.10));

  /**
   * Files each measured iteration of every fork in {@code r} under the client it measured and, for
   * Redial, the peer it was paired with ({@link Alternation#turn}, counting the {@code warmups}
   * warm-up iterations).
   */
  static void collect(Map<String, Map<String, List<Double>>> values, RunResult r, int warmups) {
    String bench = r.getParams().getBenchmark();
    String first = r.getParams().getParam("first");
    List<String> peers = List.of(r.getParams().getParam("peers").split(","));
    for (BenchmarkResult fork : r.getBenchmarkResults()) {
      int i = warmups;
      for (IterationResult it : fork.getIterationResults()) {
        Alternation.Turn turn = Alternation.turn(first, peers, i++);
        String series = turn.redial() ? Alternation.REDIAL + "@" + turn.peer() : turn.impl();
        Result<?> primary = it.getPrimaryResult();
        if (bench.contains("Throughput")) {
          put(values, "throughput " + r.getParams().getParam("size"), series, primary.getScore());
        } else if (bench.contains("EchoLatency")) {
          put(values, "p50", series, primary.getStatistics().getPercentile(50));
          put(values, "p99", series, primary.getStatistics().getPercentile(99));
        } else if (bench.contains("Connect")) {
          put(values, "connect", series, primary.getScore());
        }
      }
    }
  }

  /** Every client's values: Redial's from all its pairs, each peer's own. */
  static Map<String, double[]> byClient(Map<String, List<Double>> series, List<String> peers) {
    Map<String, double[]> out = new LinkedHashMap<>();
    List<Double> redial = new ArrayList<>();
    for (String peer : peers) {
      redial.addAll(series.getOrDefault(Alternation.REDIAL + "@" + peer, List.of()));
    }
    out.put(Alternation.REDIAL, toArray(redial));
    for (String peer : peers) {
      out.put(peer, toArray(series.get(peer)));
    }
    return out;
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

  /**
   * Redial against {@code peer} for {@code m}: the raw-Netty figures keep their ids and goals; the
   * peers' are {@code 10.<figure>.<peer>}, goal: Redial at least as good (ratio 1.00).
   */
  static void figure(Results results, Map<String, Map<String, List<Double>>> values, Metric m,
      String peer) {
    Map<String, List<Double>> series = values.getOrDefault(m.key(), Map.of());
    double[] redial = toArray(series.get(Alternation.REDIAL + "@" + peer));
    double[] other = toArray(series.get(peer));
    boolean raw = peer.equals(ClientKind.RAW);
    String id = raw ? m.id() : "10." + m.id().substring(m.id().indexOf('.') + 1) + "." + peer;
    String title = raw ? m.title() : m.title() + ": Redial vs " + ClientKind.named(peer).label();
    double goal = raw ? m.rawGoal() : 1.0;
    if (redial.length == 0 || redial.length != other.length) {
      results.add(new Figure(id, title, m.unit(), Double.NaN, Double.NaN, Double.NaN, Double.NaN,
          Double.NaN, "", Figure.Verdict.SKIPPED, "no complete pair of JMH results", peer));
      return;
    }
    Stats ratio = Stats.ratios(redial, other);
    results.add(Figure.ratio(id, title, m.unit(), Stats.of(redial), Stats.of(other), ratio,
        (m.higherIsBetter() ? "≥ " : "≤ ") + String.format("%.2f", goal),
        m.higherIsBetter() ? Figure.atLeast(ratio.median(), goal)
            : Figure.atMost(ratio.median(), goal),
        redial.length + " pairs of adjacent JMH iterations, every client taking turns in one JVM",
        peer));
  }

  static double[] toArray(List<Double> l) {
    return l == null ? new double[0] : l.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
