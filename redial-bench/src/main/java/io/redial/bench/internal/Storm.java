package io.redial.bench.internal;

import io.redial.Backoff;
import io.redial.Connection;
import io.redial.ConnectionEvent;
import io.redial.ConnectionListener;
import io.redial.ConnectionState;
import io.redial.Redial;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.LongSupplier;

/**
 * Figure 6: N connections lose their server (a child process, stopped as in a crash) for a few
 * seconds; how long until all are back, and how bursty the reconnect attempts are (per 100 ms),
 * for four backoff policies on the same 1 s scale. There is no raw-Netty baseline: a hand-written
 * Netty reconnect loop is, almost always, the fixed delay, which is the first policy.
 */
public final class Storm {
  static final long BIN_NANOS = 100_000_000L;
  static final int BINS = 1_800; // 180 s of 100 ms bins

  private Storm() {}

  /** The policies compared, by name. */
  public static Map<String, Backoff> policies() {
    Map<String, Backoff> m = new LinkedHashMap<>();
    m.put("fixed 1 s", Backoff.fixed(Duration.ofSeconds(1)));
    m.put("exponential 1 s ×1.6, no jitter",
        Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(120), 1.6, 0.0));
    m.put("gRPC (1 s ×1.6 ±20 %)", Backoff.exponential());
    m.put("full jitter 1 s", Backoff.fullJitter(Duration.ofSeconds(1), Duration.ofSeconds(120)));
    return m;
  }

  /** Counts attempts and connects per 100 ms bin, and how many connections are up now. */
  static final class Recorder implements ConnectionListener {
    final LongSupplier nanos;
    final long t0;
    final AtomicIntegerArray attempts = new AtomicIntegerArray(BINS);
    final AtomicIntegerArray connects = new AtomicIntegerArray(BINS);
    final AtomicInteger connected = new AtomicInteger();

    Recorder(LongSupplier nanos) {
      this.nanos = nanos;
      this.t0 = nanos.getAsLong();
    }

    int bin() {
      return (int) Math.min(BINS - 1, (nanos.getAsLong() - t0) / BIN_NANOS);
    }

    @Override
    public void onEvent(ConnectionEvent event) {
      if (event instanceof ConnectionEvent.AttemptStarted) {
        attempts.incrementAndGet(bin());
      } else if (event instanceof ConnectionEvent.StateChanged s) {
        if (s.to() == ConnectionState.CONNECTED) {
          connected.incrementAndGet();
          connects.incrementAndGet(bin());
        } else if (s.from() == ConnectionState.CONNECTED) {
          connected.decrementAndGet();
        }
      }
    }
  }

  public static void run(Plan plan, Results results, LongSupplier nanos) throws Exception {
    int n = plan.stormConnections();
    long outageMillis = plan.stormOutageSeconds() * 1000L;
    List<Charts.Series> series = new ArrayList<>();
    Map<String, Object> details = new LinkedHashMap<>();
    try (ServerProcess server = ServerProcess.start(List.of("127.0.0.4", "127.0.0.5"), "1g")) {
      List<InetSocketAddress> targets = server.addresses();
      for (Map.Entry<String, Backoff> p : policies().entrySet()) {
        Recorder rec = new Recorder(nanos);
        List<Connection> conns = new ArrayList<>(n);
        try {
          for (int i = 0; i < n; i++) {
            conns.add(Redial.connection("storm-" + i)
                .endpoint(targets.get(i % targets.size()))
                .backoff(p.getValue())
                .stableAfter(Duration.ofMillis(500))
                .listener(rec)
                .build());
          }
          for (int i = 0; i < n; i += Footprint.BATCH) {
            List<CompletableFuture<Connection>> batch = new ArrayList<>();
            for (int j = i; j < Math.min(n, i + Footprint.BATCH); j++) {
              batch.add(conns.get(j).connect());
            }
            CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new))
                .get(60, TimeUnit.SECONDS);
          }
          Waits.pause(1_000); // longer than stableAfter: every backoff starts from scratch
          int stopBin = rec.bin();
          long stopAt = nanos.getAsLong();
          server.stop();
          boolean allDown = Waits.until(nanos, 20_000, () -> rec.connected.get() == 0);
          long left = outageMillis - (nanos.getAsLong() - stopAt) / 1_000_000;
          if (left > 0) {
            Waits.pause(left);
          }
          long restartAt = nanos.getAsLong();
          server.restart();
          // wait for all, noting when 99 % were back (full jitter has a long tail)
          long limitMillis = plan.stormRecoveryLimitSeconds() * 1000L;
          int most = (int) Math.ceil(n * 0.99);
          long[] mostAt = {-1};
          boolean allBack = Waits.until(nanos, limitMillis, () -> {
            int up = rec.connected.get();
            if (up >= most && mostAt[0] < 0) {
              mostAt[0] = nanos.getAsLong();
            }
            return up == n;
          });
          long backAt = nanos.getAsLong();
          int backCount = rec.connected.get();
          double mostSeconds = mostAt[0] < 0 ? Double.NaN : (mostAt[0] - restartAt) / 1e9;
          int backBin = rec.bin();
          double recoverySeconds = allBack ? (backAt - restartAt) / 1e9 : Double.NaN;
          long total = 0;
          int peak = 0;
          for (int b = stopBin; b <= backBin; b++) {
            total += rec.attempts.get(b);
            peak = Math.max(peak, rec.attempts.get(b));
          }
          int bins = backBin - stopBin + 1;
          double mean = (double) total / bins;
          System.out.printf("  storm %-32s all back %s after restart; attempts %,d, peak %,d "
                  + "per 100 ms, mean %,.1f%n", p.getKey(),
              allBack ? String.format("%.2f s", recoverySeconds) : "NOT within "
                  + limitMillis / 1000 + " s (" + backCount + " of " + n + ")", total, peak, mean);
          Map<String, Object> d = new LinkedHashMap<>();
          d.put("policy", p.getValue().toString());
          d.put("connections", n);
          d.put("allNoticedTheLoss", allDown);
          d.put("allBack", allBack);
          d.put("recoverySecondsAfterRestart", recoverySeconds);
          d.put("secondsUntil99PercentBack", mostSeconds);
          d.put("backAtEnd", backCount);
          d.put("secondsFromLossToAllBack", (backAt - stopAt) / 1e9);
          d.put("attempts", total);
          d.put("peakAttemptsPer100ms", peak);
          d.put("meanAttemptsPer100ms", mean);
          d.put("peakToMean", peak / mean);
          details.put(p.getKey(), d);
          results.add(new Figure("6.storm." + key(p.getKey()),
              "Reconnect storm, " + String.format("%,d", n) + " connections, " + p.getKey()
                  + ": time until all back after the server returned", "s",
              recoverySeconds, Double.NaN, Double.NaN, Double.NaN, Double.NaN, "", 
              Figure.Verdict.INFO,
              String.format("peak/mean attempts per 100 ms = %,d / %,.1f = %.1f; %,d attempts; "
                  + "99 %% back after %.2f s%s", peak, mean, peak / mean, total, mostSeconds,
                  allBack ? "" : String.format("; only %,d of %,d back within the %d s limit",
                      backCount, n, limitMillis / 1000))));
          int from = Math.max(0, stopBin - 5);
          int to = Math.min(BINS - 1, backBin + 5);
          double[] x = new double[to - from + 1];
          double[] y = new double[x.length];
          for (int b = from; b <= to; b++) {
            x[b - from] = (b - stopBin) / 10.0;
            y[b - from] = rec.attempts.get(b);
          }
          series.add(new Charts.Series(p.getKey(), x, y));
        } finally {
          Footprint.closeAll(conns);
        }
      }
    }
    results.detail("storm", details);
    results.chart(new Charts.Xy("storm.png", "Reconnect storm: " + String.format("%,d", n)
            + " connections, server down " + plan.stormOutageSeconds() + " s",
        "seconds since the server went down", "connect attempts per 100 ms", false, series));
  }

  static String key(String policyName) {
    return policyName.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
  }
}
