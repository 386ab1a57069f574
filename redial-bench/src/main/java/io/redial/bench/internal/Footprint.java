package io.redial.bench.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoopGroup;
import io.redial.Connection;
import io.redial.Redial;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Figure 4: live heap and threads per idle connection, N Redial connections against N raw Netty
 * channels, in rounds A/B(/B/A). The servers run in a child process, so the heap measured here
 * holds only client objects.
 */
public final class Footprint {
  /** Connects in flight at once while opening. */
  static final int BATCH = 500;

  private Footprint() {}

  /** One measurement. */
  record Sample(String impl, int connections, long heapBytes, int threads) {
    double bytesPerConnection() {
      return (double) heapBytes / connections;
    }
  }

  public static void run(Plan plan, Results results, LongSupplier nanos) throws Exception {
    int n = plan.footprintConnections();
    int cores = Runtime.getRuntime().availableProcessors();
    EventLoopGroup rawGroup = Net.newGroup(cores, "raw-netty");
    try (ServerProcess server = ServerProcess.start(List.of("127.0.0.2", "127.0.0.3"), "1g")) {
      List<InetSocketAddress> targets = server.addresses();
      Bootstrap raw = RawClient.bootstrap(rawGroup, bytes -> {});
      // Warm both up, so that lazily started threads and loaded classes are not counted.
      openRaw(raw, targets, cores * 2).forEach(Channel::close);
      closeAll(openRedial(targets, cores * 2));
      List<Sample> rawSamples = new ArrayList<>();
      List<Sample> redialSamples = new ArrayList<>();
      for (int round = 0; round < plan.footprintRounds(); round++) {
        // A/B, then B/A: drift in the JVM's own heap does not favour one side
        boolean rawFirst = round % 2 == 0;
        for (int k = 0; k < 2; k++) {
          boolean doRaw = (k == 0) == rawFirst;
          Sample s = doRaw ? measureRaw(raw, targets, n) : measureRedial(targets, n);
          (doRaw ? rawSamples : redialSamples).add(s);
          System.out.printf("  footprint %-6s %,d connections: %,.0f B/connection, %+d threads%n",
              s.impl(), n, s.bytesPerConnection(), s.threads());
        }
      }
      double[] rawBytes = rawSamples.stream().mapToDouble(Sample::bytesPerConnection).toArray();
      double[] redialBytes = redialSamples.stream().mapToDouble(Sample::bytesPerConnection).toArray();
      Stats rb = Stats.of(rawBytes);
      Stats mb = Stats.of(redialBytes);
      Stats ratio = Stats.ratios(redialBytes, rawBytes);
      double extra = mb.median() - rb.median();
      results.add(Figure.ratio("4.heap", "Footprint: live heap per idle connection at "
              + String.format("%,d", n) + " connections", "B/conn", mb, rb, ratio,
          "≤ raw + 1 KiB", extra <= 1024 ? Figure.Verdict.MET : Figure.Verdict.MISSED,
          String.format("Redial costs %+,.0f B per connection more than a raw channel", extra)));
      int maxThreads = redialSamples.stream().mapToInt(Sample::threads).max().orElse(0);
      int rawThreads = rawSamples.stream().mapToInt(Sample::threads).max().orElse(0);
      results.add(new Figure("4.threads", "Footprint: threads added by "
              + String.format("%,d", n) + " idle connections", "threads", maxThreads, rawThreads,
          Double.NaN, Double.NaN, Double.NaN, "no thread per connection",
          maxThreads < Math.max(cores * 2, n / 100) ? Figure.Verdict.MET : Figure.Verdict.MISSED,
          "both on " + cores + " event-loop threads"));
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("connections", n);
      d.put("rawBytesPerConnection", rawBytes);
      d.put("redialBytesPerConnection", redialBytes);
      d.put("rawThreadsAdded", rawSamples.stream().mapToDouble(Sample::threads).toArray());
      d.put("redialThreadsAdded", redialSamples.stream().mapToDouble(Sample::threads).toArray());
      results.detail("footprint", d);
      results.chart(new Charts.Bars("footprint.png",
          "Live heap per idle connection (" + String.format("%,d", n)
              + " connections); red line: the goal, raw + 1 KiB",
          "bytes per connection", List.of("raw Netty", "Redial"), List.of("median"),
          new double[][] {{rb.median(), mb.median()}}, rb.median() + 1024));
    } finally {
      Net.shutdown(rawGroup);
    }
  }

  private static Sample measureRaw(Bootstrap raw, List<InetSocketAddress> targets, int n) {
    long heap0 = Waits.liveHeap();
    int threads0 = threads();
    List<Channel> channels = openRaw(raw, targets, n);
    long heap1 = Waits.liveHeap();
    int threads1 = threads();
    List<ChannelFuture> closing = new ArrayList<>(channels.size());
    channels.forEach(ch -> closing.add(ch.close()));
    closing.forEach(f -> f.awaitUninterruptibly(10, TimeUnit.SECONDS));
    return new Sample("raw", n, heap1 - heap0, threads1 - threads0);
  }

  private static Sample measureRedial(List<InetSocketAddress> targets, int n) {
    long heap0 = Waits.liveHeap();
    int threads0 = threads();
    List<Connection> connections = openRedial(targets, n);
    long heap1 = Waits.liveHeap();
    int threads1 = threads();
    closeAll(connections);
    return new Sample("redial", n, heap1 - heap0, threads1 - threads0);
  }

  static List<Channel> openRaw(Bootstrap raw, List<InetSocketAddress> targets, int n) {
    List<Channel> out = new ArrayList<>(n);
    for (int i = 0; i < n; i += BATCH) {
      List<ChannelFuture> batch = new ArrayList<>(BATCH);
      for (int j = i; j < Math.min(n, i + BATCH); j++) {
        batch.add(raw.connect(targets.get(j % targets.size())));
      }
      for (ChannelFuture f : batch) {
        if (!f.awaitUninterruptibly(30, TimeUnit.SECONDS) || !f.isSuccess()) {
          throw new IllegalStateException("raw connect failed after " + out.size()
              + " connections: " + f.cause(), f.cause());
        }
        out.add(f.channel());
      }
    }
    return out;
  }

  static List<Connection> openRedial(List<InetSocketAddress> targets, int n) {
    List<Connection> out = new ArrayList<>(n);
    for (int i = 0; i < n; i += BATCH) {
      List<CompletableFuture<Connection>> batch = new ArrayList<>(BATCH);
      for (int j = i; j < Math.min(n, i + BATCH); j++) {
        Connection c = Redial.connection("idle-" + j).endpoint(targets.get(j % targets.size()))
            .maxAttempts(1).build();
        out.add(c);
        batch.add(c.connect());
      }
      for (CompletableFuture<Connection> f : batch) {
        try {
          f.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
          closeAll(out);
          throw new IllegalStateException("redial connect failed after " + i + "+ connections: "
              + e, e);
        }
      }
    }
    return out;
  }

  static void closeAll(List<Connection> connections) {
    List<CompletableFuture<Void>> closing = new ArrayList<>(connections.size());
    connections.forEach(c -> closing.add(c.closeAsync()));
    try {
      CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      long open = closing.stream().filter(f -> !f.isDone()).count();
      System.out.println("  (closing " + connections.size() + " connections: " + open
          + " closeAsync() futures still pending after 30 s: " + e + ")");
    }
  }

  static int threads() {
    return ManagementFactory.getThreadMXBean().getThreadCount();
  }
}
