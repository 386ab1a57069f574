package io.redial.bench.internal;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.redial.Connection;
import io.redial.Redial;
import io.redial.micrometer.RedialMetrics;
import io.redial.testkit.EchoMode;
import io.redial.testkit.EchoServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * Figure 12: what watching a connection costs its throughput. One Redial connection to a loopback
 * echo server, pipelined as in figure 1 (1 000 frames of 64 B in flight, then all echoes awaited),
 * in rounds that alternate in one JVM: plain, and watched — {@link RedialMetrics} bound to a fresh
 * Prometheus registry that a thread scrapes every {@value #SCRAPE_MILLIS} ms (a hundred and fifty
 * times Prometheus' default rate) and a JFR recording with the JDK's "default" settings running.
 * Pairs go plain/watched, then watched/plain, so that drift on the shared machine cancels; each
 * pair gives one ratio, watched over plain.
 */
public final class WatchCost {
  static final int BATCH = 1_000;
  static final int FRAME_BYTES = 64;
  static final int SCRAPE_MILLIS = 100;

  private WatchCost() {}

  /**
   * Pairs, milliseconds per round, warm-up rounds, by the plan's name (the Plan stays as it is).
   * Short rounds and many pairs: noise from the rest of a shared machine comes in bursts of
   * seconds, which short adjacent rounds share and long ones do not.
   */
  record Sizes(int pairs, int roundMillis, int warmupRounds) {
    static Sizes of(Plan plan) {
      return plan.name().equals("full") ? new Sizes(40, 1_000, 12) : new Sizes(16, 1_000, 8);
    }
  }

  /**
   * A pause before every timed round, both sides alike: starting a recording writes its
   * start-of-chunk events (system properties, loaded libraries, ...) once; that start is not the
   * steady cost being measured.
   */
  static final long SETTLE_MILLIS = 250;

  /**
   * What the watched side runs: {@code both} (the figure), or {@code metrics} or {@code jfr} alone
   * to tell their costs apart, or {@code redial-jfr}: a recording of Redial's own events only,
   * without the JDK's ({@code -Dredial.bench.watch=metrics}).
   */
  static final String WATCH = System.getProperty("redial.bench.watch", "both");

  public static void run(Plan plan, Results results, LongSupplier nanos) throws Exception {
    if (!List.of("both", "metrics", "jfr", "redial-jfr").contains(WATCH)) {
      throw new IllegalArgumentException("redial.bench.watch must be both, metrics, jfr or"
          + " redial-jfr, but was '" + WATCH + "'");
    }
    Sizes sizes = Sizes.of(plan);
    double[] watched = new double[sizes.pairs()];
    double[] plain = new double[sizes.pairs()];
    AtomicInteger remaining = new AtomicInteger();
    AtomicLong scrapes = new AtomicLong();
    CompletableFuture<?>[] done = new CompletableFuture<?>[1];
    byte[] frame = new byte[FRAME_BYTES];
    try (EchoServer server = EchoServer.start(EchoMode.LENGTH_PREFIXED);
        Loops loops = new Loops(1, "bench-client");
        Connection c = Redial.connection("watched").endpoint(server.address())
            .eventLoopGroup(loops.group())
            .onMessage(bytes -> {
              if (remaining.decrementAndGet() == 0) {
                done[0].complete(null);
              }
            })
            .build()) {
      c.connect().get(10, TimeUnit.SECONDS);
      Round round = () -> {
        CompletableFuture<Void> f = new CompletableFuture<>();
        done[0] = f;
        remaining.set(BATCH);
        for (int i = 0; i < BATCH; i++) {
          c.send(frame);
        }
        f.get(30, TimeUnit.SECONDS);
      };
      for (int i = 0; i < sizes.warmupRounds(); i++) {
        measure(round, i % 2 == 1 ? c : null, sizes.roundMillis(), nanos, scrapes);
      }
      for (int i = 0; i < sizes.pairs(); i++) {
        boolean watchedFirst = i % 2 == 1;
        for (int k = 0; k < 2; k++) {
          boolean watch = (k == 0) == watchedFirst;
          double fps = measure(round, watch ? c : null, sizes.roundMillis(), nanos, scrapes);
          (watch ? watched : plain)[i] = fps;
        }
        System.out.printf("  watch pair %d: plain %.0f, watched %.0f frames/s (%.3f)%n", i + 1,
            plain[i], watched[i], watched[i] / plain[i]);
      }
    }
    Stats ratio = Stats.ratios(watched, plain);
    String what = switch (WATCH) {
      case "metrics" -> "RedialMetrics bound and scraped every " + SCRAPE_MILLIS + " ms, no JFR";
      case "jfr" -> "a JFR recording only";
      case "redial-jfr" -> "a JFR recording of Redial's events only";
      default -> "RedialMetrics bound and scraped every " + SCRAPE_MILLIS + " ms, JFR recording";
    };
    results.add(Figure.ratio(WATCH.equals("both") ? "12.watch" : "12.watch." + WATCH,
        "Throughput watched (" + what + ") vs not, one connection, 64 B frames, pipelined (echo)", "frames/s", Stats.of(watched), Stats.of(plain), ratio,
        "≥ 0.99", Figure.atLeast(ratio.median(), 0.99),
        "here \"Redial\" is the watched connection, the baseline the same connection unwatched; "
            + sizes.pairs() + " pairs of " + sizes.roundMillis() + " ms rounds in one JVM,"
            + " alternating which comes first; recording and scraper started " + SETTLE_MILLIS
            + " ms before the timed part"));
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("watchedFramesPerSecond", watched);
    d.put("plainFramesPerSecond", plain);
    d.put("scrapes", scrapes.get());
    results.detail("watchCost", d);
  }

  /** One pipelined batch: writes {@value #BATCH} frames and waits for their echoes. */
  private interface Round {
    void run() throws Exception;
  }

  /**
   * Runs batches for {@code millis}; frames per second. With {@code watched} non-null, a JFR
   * recording and a scraped registry with the connection's meters run for the round's length
   * (started before and stopped after the timed part).
   */
  private static double measure(Round round, Connection watched, int millis,
      LongSupplier nanos, AtomicLong scrapes) throws Exception {
    Recording recording = null;
    PrometheusMeterRegistry registry = null;
    Thread scraper = null;
    if (watched != null && WATCH.equals("redial-jfr")) {
      recording = new Recording();
      for (String event : List.of("io.redial.ConnectAttempt", "io.redial.StateChange",
          "io.redial.HeartbeatMissed", "io.redial.RequestTimeout")) {
        recording.enable(event);
      }
      recording.start();
    } else if (watched != null && !WATCH.equals("metrics")) {
      recording = new Recording(Configuration.getConfiguration("default"));
      recording.start();
    }
    if (watched != null && (WATCH.equals("both") || WATCH.equals("metrics"))) {
      PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      new RedialMetrics(watched).bindTo(r);
      registry = r;
      scraper = new Thread(() -> {
        while (!Thread.currentThread().isInterrupted()) {
          if (r.scrape().isEmpty()) {
            throw new IllegalStateException("an empty scrape");
          }
          scrapes.incrementAndGet();
          try {
            Thread.sleep(SCRAPE_MILLIS);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "watch-scraper");
      scraper.setDaemon(true);
      scraper.start();
    }
    try {
      Thread.sleep(SETTLE_MILLIS);
      long frames = 0;
      long start = nanos.getAsLong();
      long end = start + TimeUnit.MILLISECONDS.toNanos(millis);
      long now = start;
      while (now < end) {
        round.run();
        frames += BATCH;
        now = nanos.getAsLong();
      }
      return frames / ((now - start) / 1e9);
    } finally {
      if (scraper != null) {
        scraper.interrupt();
        scraper.join(10_000);
      }
      if (registry != null) {
        registry.close();
      }
      if (recording != null) {
        recording.close();
      }
    }
  }
}
