package io.redial.bench.internal.redis;

import io.redial.bench.RedisThroughputBenchmark;
import io.redial.bench.internal.Charts;
import io.redial.bench.internal.Figure;
import io.redial.bench.internal.Plan;
import io.redial.bench.internal.Results;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
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
 * The Redis figure (issue 15, item 9): Redial on Netty's Redis codec against Lettuce's async API,
 * on one {@code redis-server} this section starts on a free loopback port with a fresh password
 * and kills at the end (also on failure). JMH throughput and round-trip latency in forks that
 * start with Lettuce and with Redial in turn, the sides taking turns iteration by iteration
 * inside each fork, then the live heap per idle connection of each.
 */
public final class RedisSuite {
  static final String THROUGHPUT = "io\\.redial\\.bench\\.RedisThroughputBenchmark\\.";
  static final String LATENCY = "io\\.redial\\.bench\\.RedisLatencyBenchmark\\.";

  private RedisSuite() {}

  public static void run(Plan plan, Results results, Path outDir) throws Exception {
    RedisPlan rp = RedisPlan.of(plan);
    byte[] secret = new byte[8];
    new SecureRandom().nextBytes(secret);
    String password = "bench-" + HexFormat.of().formatHex(secret);
    Map<String, Map<String, List<Double>>> values = new LinkedHashMap<>();
    List<Figure> figures = new ArrayList<>();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("server", RedisProcess.version());
    details.put("lettuce", RedisFigures.lettuceVersion());
    try (RedisProcess redis = RedisProcess.start(password, rp.maxClients())) {
      System.out.println("  redis-server on " + redis.address());
      for (String[] bench : new String[][] {{THROUGHPUT, "throughput"}, {LATENCY, "latency"}}) {
        for (int fork = 0; fork < rp.forks(); fork++) {
          String first = RedisSides.firstOfFork(fork);
          System.out.printf("  JMH redis %s, fork %d of %d (%s first)%n", bench[1], fork + 1,
              rp.forks(), first);
          OptionsBuilder b = new OptionsBuilder();
          b.include(bench[0])
              .forks(1)
              .warmupIterations(rp.warmupIterations())
              .warmupTime(TimeValue.seconds(rp.iterationSeconds()))
              .measurementIterations(rp.measurementIterations())
              .measurementTime(TimeValue.seconds(rp.iterationSeconds()))
              .shouldFailOnError(true)
              .param("first", first)
              .param("port", String.valueOf(redis.port()))
              .param("password", password)
              .output(outDir.resolve("jmh-redis-" + bench[1] + "-fork-" + (fork + 1) + ".log")
                  .toString());
          for (RunResult r : new Runner(b.build()).run()) {
            collect(values, r, rp.warmupIterations());
          }
        }
      }
      figures.addAll(RedisFigures.jmh(values, RedisThroughputBenchmark.BATCH));
      details.put("jmh", new LinkedHashMap<>(values));
      System.out.println("  redis footprint");
      double[][] heap = RedisFootprint.measure(rp, redis);
      figures.add(RedisFigures.heap(heap[0], heap[1], rp.footprintConnections()));
      details.put("footprintConnections", rp.footprintConnections());
      details.put("redialBytesPerConnection", heap[0]);
      details.put("lettuceBytesPerConnection", heap[1]);
    } finally {
      figures.forEach(results::add); // what was measured before a failure still counts
      results.detail("redis", details);
      Charts.Spec chart = RedisFigures.chart(figures);
      if (chart != null) {
        results.chart(chart);
      }
    }
  }

  /** Files each measured iteration of {@code r} under the side it measured. */
  static void collect(Map<String, Map<String, List<Double>>> values, RunResult r, int warmups) {
    String first = r.getParams().getParam("first");
    boolean throughput = r.getParams().getBenchmark().contains("RedisThroughput");
    for (BenchmarkResult fork : r.getBenchmarkResults()) {
      int i = warmups;
      for (IterationResult it : fork.getIterationResults()) {
        String side = RedisSides.sideOf(first, i++);
        Result<?> primary = it.getPrimaryResult();
        if (throughput) {
          put(values, RedisFigures.THROUGHPUT, side, primary.getScore());
        } else {
          put(values, RedisFigures.P50, side, primary.getStatistics().getPercentile(50));
          put(values, RedisFigures.P99, side, primary.getStatistics().getPercentile(99));
        }
      }
    }
  }

  static void put(Map<String, Map<String, List<Double>>> values, String key, String side,
      double v) {
    values.computeIfAbsent(key, k -> new HashMap<>()).computeIfAbsent(side, k -> new ArrayList<>())
        .add(v);
  }
}
