package io.redial.bench.internal;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.redial.Connection;
import io.redial.ConnectionEvent;
import io.redial.Heartbeat;
import io.redial.Redial;
import io.redial.testkit.EchoMode;
import io.redial.testkit.EchoServer;
import io.redial.testkit.FaultProxy;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * Figure 7: a blackhole in a {@link FaultProxy} (sockets stay open, nothing passes): how long until
 * Redial's 1 s / 1 s heartbeat reports {@code HeartbeatMissed}, against a raw Netty channel with
 * TCP keepalive only (the kernel's defaults). Both run through the same proxy at the same time;
 * waiting stops at the limit, reported as "&gt; limit". The same under a kernel blackhole, in a
 * network namespace, is {@link HalfOpenKernel} (figure 7k), measured at the same time.
 */
public final class HalfOpen {
  private HalfOpen() {}

  public static void run(Plan plan, Results results, LongSupplier nanos) throws Exception {
    long limitMillis = plan.halfOpenLimitSeconds() * 1000L;
    // The kernel's blackhole, in a network namespace, at the same time (both mostly wait).
    HalfOpenKernel.Pending kernel = HalfOpenKernel.start(plan);
    double[] redial = new double[plan.halfOpenTrials()];
    double[] raw = new double[plan.halfOpenTrials()];
    EventLoopGroup group = Net.newGroup(1, "raw-netty");
    try (EchoServer echo = EchoServer.start(EchoMode.LENGTH_PREFIXED)) {
      for (int t = 0; t < plan.halfOpenTrials(); t++) {
        try (FaultProxy proxy = FaultProxy.start(echo.address())) {
          double[] r = trial(group, proxy.listenAddress(), proxy::blackhole, limitMillis, nanos);
          redial[t] = r[0];
          raw[t] = r[1];
          System.out.printf("  half-open trial %d: Redial heartbeat %s, raw Netty keepalive %s%n",
              t + 1, show(redial[t], limitMillis), show(raw[t], limitMillis));
        }
      }
    } finally {
      Net.shutdown(group);
    }
    double limit = limitMillis / 1000.0;
    Stats r = Stats.of(redial);
    Stats b = Stats.of(raw);
    boolean censored = b.median() >= limit;
    Stats ratio = Stats.ratios(redial, raw);
    results.add(Figure.ratio("7.halfopen", "Half-open detection (blackhole): heartbeat 1 s / 1 s "
            + "vs TCP keepalive only", "s", r, b, ratio,
        "", Figure.Verdict.INFO,
        (censored ? "raw Netty: no sign within " + (long) limit + " s (reported as > "
            + (long) limit + " s, so the ratio is an upper bound); " : "")
            + "keepalive probes are answered by the proxy's kernel, and Linux waits "
            + keepaliveIdle() + " s before the first probe"));
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("limitSeconds", limit);
    d.put("redialSeconds", redial);
    d.put("rawNettySeconds", raw);
    d.put("rawNettyCensored", censored);
    d.put("tcpKeepaliveIdleSeconds", keepaliveIdle());
    results.detail("halfOpen", d);
    HalfOpenKernel.finish(kernel, plan, results);
  }

  /**
   * One trial: Redial (heartbeat 1 s / 1 s) and a raw Netty channel (keepalive only) connect to
   * {@code target}, both get an echo, then {@code fault} runs; seconds until each noticed,
   * {@code {redial, raw}}, the limit when it did not.
   */
  static double[] trial(EventLoopGroup group, InetSocketAddress target, Runnable fault,
      long limitMillis, LongSupplier nanos) throws Exception {
    CompletableFuture<Long> missed = new CompletableFuture<>();
    CompletableFuture<byte[]> redialEcho = new CompletableFuture<>();
    Connection c = Redial.connection("half-open")
        .endpoint(target)
        .heartbeat(Heartbeat.every(Duration.ofSeconds(1), Duration.ofSeconds(1),
            "ping".getBytes(StandardCharsets.US_ASCII)))
        .onMessage(redialEcho::complete)
        .listener(e -> {
          if (e instanceof ConnectionEvent.HeartbeatMissed) {
            missed.complete(nanos.getAsLong());
          }
        })
        .build();
    CompletableFuture<Long> inactive = new CompletableFuture<>();
    CompletableFuture<byte[]> rawEcho = new CompletableFuture<>();
    Channel ch = null;
    try {
      c.connect().get(10, TimeUnit.SECONDS);
      ch = RawClient.connect(RawClient.bootstrap(group, rawEcho::complete,
          () -> inactive.complete(nanos.getAsLong())), target);
      // both paths carry data before the blackhole
      c.send(new byte[] {1});
      ch.writeAndFlush(new byte[] {1});
      redialEcho.get(10, TimeUnit.SECONDS);
      rawEcho.get(10, TimeUnit.SECONDS);
      long t0 = nanos.getAsLong();
      fault.run();
      double r = secondsUntil(missed, t0, limitMillis, nanos);
      return new double[] {r, secondsUntil(inactive, t0, limitMillis, nanos)};
    } finally {
      c.close();
      if (ch != null) {
        ch.close().awaitUninterruptibly(10, TimeUnit.SECONDS);
      }
    }
  }

  /** Seconds from {@code t0} until {@code f} completes, or the limit when it does not. */
  private static double secondsUntil(
      CompletableFuture<Long> f, long t0, long limitMillis, LongSupplier nanos) throws Exception {
    long left = limitMillis - (nanos.getAsLong() - t0) / 1_000_000;
    try {
      return (f.get(Math.max(0, left), TimeUnit.MILLISECONDS) - t0) / 1e9;
    } catch (TimeoutException e) {
      return limitMillis / 1000.0;
    }
  }

  static String show(double seconds, long limitMillis) {
    return seconds >= limitMillis / 1000.0 ? "> " + limitMillis / 1000 + " s"
        : String.format("%.2f s", seconds);
  }

  static String keepaliveIdle() {
    try {
      // readAllLines, not readString: JDK 17's readString returns one byte of this /proc file
      return java.nio.file.Files.readAllLines(
          java.nio.file.Path.of("/proc/sys/net/ipv4/tcp_keepalive_time")).get(0).strip();
    } catch (Exception e) {
      return "?";
    }
  }

}
