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
 * channels and N idle clients of each peer (figure 10.heap), in rounds (in order, then in
 * reverse). The servers run in a child process, so the heap measured here holds only client
 * objects.
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
    List<String> peers = ClientKind.peers().stream().filter(p -> !p.equals(ClientKind.RAW))
        .toList();
    try (ServerProcess server = ServerProcess.start(List.of("127.0.0.2", "127.0.0.3"), "1g");
        Loops loops = new Loops(cores, "peers")) {
      List<InetSocketAddress> targets = server.addresses();
      Bootstrap raw = RawClient.bootstrap(rawGroup, bytes -> {});
      Map<String, ClientKind.Opener> openers = new LinkedHashMap<>();
      for (String p : peers) {
        openers.put(p, ClientKind.named(p).opener(loops, bytes -> {}, Events.NONE));
      }
      // Warm all up, so that lazily started threads and loaded classes are not counted.
      openRaw(raw, targets, cores * 2).forEach(Channel::close);
      closeAll(openRedial(targets, cores * 2));
      for (ClientKind.Opener o : openers.values()) {
        BenchClient.closeAll(openPeer(o, targets, cores * 2));
      }
      List<Sample> rawSamples = new ArrayList<>();
      List<Sample> redialSamples = new ArrayList<>();
      Map<String, List<Sample>> peerSamples = new LinkedHashMap<>();
      List<String> order = new ArrayList<>(List.of(ClientKind.RAW, ClientKind.REDIAL));
      order.addAll(peers);
      for (int round = 0; round < plan.footprintRounds(); round++) {
        // in order, then in reverse: drift in the JVM's own heap does not favour one side
        List<String> turn = new ArrayList<>(order);
        if (round % 2 == 1) {
          java.util.Collections.reverse(turn);
        }
        for (String impl : turn) {
          Sample s = switch (impl) {
            case ClientKind.RAW -> measureRaw(raw, targets, n);
            case ClientKind.REDIAL -> measureRedial(targets, n);
            default -> measurePeer(impl, openers.get(impl), targets, n);
          };
          (switch (impl) {
            case ClientKind.RAW -> rawSamples;
            case ClientKind.REDIAL -> redialSamples;
            default -> peerSamples.computeIfAbsent(impl, k -> new ArrayList<>());
          }).add(s);
          System.out.printf("  footprint %-10s %,d connections: %,.0f B/connection, %+d threads%n",
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
      Map<String, double[]> byClient = new LinkedHashMap<>();
      byClient.put(ClientKind.REDIAL, redialBytes);
      byClient.put(ClientKind.RAW, rawBytes);
      for (Map.Entry<String, List<Sample>> e : peerSamples.entrySet()) {
        String p = e.getKey();
        double[] bytes = e.getValue().stream().mapToDouble(Sample::bytesPerConnection).toArray();
        byClient.put(p, bytes);
        d.put(p + "BytesPerConnection", bytes);
        d.put(p + "ThreadsAdded", e.getValue().stream().mapToDouble(Sample::threads).toArray());
        Stats pb = Stats.of(bytes);
        Stats r = Stats.ratios(redialBytes, bytes);
        int threads = e.getValue().stream().mapToInt(Sample::threads).max().orElse(0);
        results.add(Figure.ratio("10.heap." + p, "Footprint: live heap per idle connection at "
                + String.format("%,d", n) + " connections: Redial vs "
                + ClientKind.named(p).label(), "B/conn", mb, pb, r, "≤ 1.00",
            Figure.atMost(r.median(), 1.0),
            String.format("Redial %+,.0f B per connection; %s adds %+d threads (Redial %+d)",
                mb.median() - pb.median(), ClientKind.named(p).label(), threads, maxThreads), p));
      }
      results.detail("footprint", d);
      Charts.Spec all = Peers.chart("clients-heap.png", "Live heap per idle connection ("
          + String.format("%,d", n) + " connections), every client", "B/conn", byClient);
      if (all != null) {
        results.chart(all);
      }
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

  private static Sample measurePeer(String impl, ClientKind.Opener opener,
      List<InetSocketAddress> targets, int n) {
    long heap0 = Waits.liveHeap();
    int threads0 = threads();
    List<BenchClient> clients = openPeer(opener, targets, n);
    long heap1 = Waits.liveHeap();
    int threads1 = threads();
    BenchClient.closeAll(clients);
    return new Sample(impl, n, heap1 - heap0, threads1 - threads0);
  }

  /** Starts {@code n} clients of a peer, {@value #BATCH} at a time, each awaited (bounded). */
  static List<BenchClient> openPeer(ClientKind.Opener opener, List<InetSocketAddress> targets,
      int n) {
    List<BenchClient> out = new ArrayList<>(n);
    for (int i = 0; i < n; i += BATCH) {
      List<CompletableFuture<Void>> batch = new ArrayList<>(BATCH);
      for (int j = i; j < Math.min(n, i + BATCH); j++) {
        BenchClient c = opener.start(targets.get(j % targets.size()));
        out.add(c);
        batch.add(c.firstConnect());
      }
      try {
        CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        BenchClient.closeAll(out);
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("connect failed after " + i + "+ connections: " + e, e);
      }
    }
    return out;
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
