package io.redial.cli.chaos;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.redial.Backoff;
import io.redial.Connection;
import io.redial.Framing;
import io.redial.Heartbeat;
import io.redial.Redial;
import io.redial.testkit.FaultHandle;
import io.redial.testkit.FaultProxy;
import io.redial.testkit.internal.FileDescriptors;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One soak: an echo server, a {@link FaultProxy} in front of it, and N managed connections sending
 * numbered frames through the {@link ChaosSchedule}'s faults; then a quiet drain with the faults
 * off, a close, and the {@link ChaosVerdict}.
 *
 * <p>Baselines (sockets, threads, heap) are taken after the server, the proxy and the event loops
 * are up and one warm-up connection has come and gone, right before the connections are built;
 * the same is measured after they are all closed. Every wait is bounded: the run takes at most the
 * duration plus {@link #MAX_TAIL}. The CLI reads the system clock directly.
 */
public final class ChaosRun {
  /** The most connections. */
  public static final int MAX_CONNECTIONS = 2_000;
  /** Frames a connection may have without an echo; beyond it, it waits. */
  static final int WINDOW = 64;
  /** How long an older server-side socket may stay open once a newer one of its connection spoke. */
  static final Duration DOUBLE_CONNECT_GRACE = Duration.ofSeconds(2);
  /** After the faults: up to this long for every frame to get its echo. */
  static final Duration DRAIN = Duration.ofSeconds(20);
  /** Everything after the faults, bounded. */
  static final Duration MAX_TAIL = Duration.ofSeconds(60);
  private static final Duration HEARTBEAT = Duration.ofMillis(500);
  private static final long TICK_MILLIS = 10;
  private static final long SEND_EVERY_NANOS = 20_000_000L;
  private static final Duration SETTLE = Duration.ofSeconds(5);

  /**
   * What to run.
   *
   * @param connections 1 to {@link #MAX_CONNECTIONS}
   * @param duration how long faults are played (see {@link ChaosSchedule#of})
   * @param seed decides the faults, the proxy's draws and the backoff jitter
   */
  public record Options(int connections, Duration duration, long seed) {
    public Options {
      if (connections < 1 || connections > MAX_CONNECTIONS) {
        throw new IllegalArgumentException("connections is " + connections + "; allowed: 1 to "
            + MAX_CONNECTIONS);
      }
      ChaosSchedule.of(seed, duration); // checks the duration, naming the allowed range
    }
  }

  /** Netty's switch for its per-thread object pools (Recycler), read once when Netty loads. */
  static final String NETTY_POOLS = "io.netty.recycler.maxCapacityPerThread";

  private final Options options;
  private final PrintWriter out;

  /**
   * Turns Netty's object pools off for this JVM; effective only before Netty's {@code Recycler}
   * is loaded, so call it first thing. Why: each pool keeps up to 4096 recycled objects per thread
   * and type, and keeps only one in eight returned objects, so it grows slowly all through a soak:
   * bounded, yet megabytes of "heap growth" that would hide or fake a leak in the 5 % check.
   * Does nothing if the property is already set.
   */
  public static void disableNettyObjectPools() {
    if (System.getProperty(NETTY_POOLS) == null) {
      System.setProperty(NETTY_POOLS, "0");
    }
  }

  public ChaosRun(Options options, PrintWriter out) {
    this.options = options;
    this.out = out;
  }

  /** Runs the soak and judges it. Throws only when the soak's own machinery fails. */
  public ChaosVerdict run() throws InterruptedException {
    ChaosSchedule schedule = ChaosSchedule.of(options.seed(), options.duration());
    out.printf(Locale.ROOT, "redial chaos: %d connections, %s of faults (%d, one every %d-%d ms),"
        + " seed %d%n", options.connections(), options.duration(), schedule.faults().size(),
        ChaosSchedule.MIN_GAP.toMillis(), ChaosSchedule.MAX_GAP.toMillis(), options.seed());
    if (!"0".equals(System.getProperty(NETTY_POOLS))) {
      out.println("redial chaos: Netty's object pools are on (" + NETTY_POOLS + "="
          + System.getProperty(NETTY_POOLS, "default") + "): they fill slowly and count as heap"
          + " growth");
    }
    out.flush();
    SplittableRandom random = new SplittableRandom(options.seed());
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    try (ChaosServer server = new ChaosServer(System::nanoTime, DOUBLE_CONNECT_GRACE.toNanos());
        FaultProxy proxy = FaultProxy.builder(server.address())
            .seed(options.seed()).connectTimeout(Duration.ofSeconds(2)).start()) {
      AtomicLong openFutures = new AtomicLong();
      warmUp(proxy, server, group, openFutures);
      Baseline before = Baseline.take();
      List<ChaosClient> clients = new ArrayList<>();
      for (int i = 0; i < options.connections(); i++) {
        clients.add(client(i, proxy, group, random.split(), openFutures));
      }
      for (ChaosClient c : clients) {
        c.track(c.connection().connect());
      }
      play(schedule, proxy, server, clients);
      drain(clients);
      ChaosVerdict.Tally total = ChaosVerdict.Tally.ZERO;
      for (ChaosClient c : clients) {
        total = total.plus(c.tally()); // before close: what close fails is not "echoed"
      }
      closeAll(clients);
      awaitTrue(() -> openFutures.get() == 0 && server.openSockets() == 0
          && proxy.connections().isEmpty());
      long doubles = server.doubleConnects();
      long hung = openFutures.get();
      clients.clear(); // so that the heap measured after holds none of the soak's bookkeeping
      Baseline after = Baseline.settle(before);
      if (after.threads() > before.threads()) {
        out.println("redial chaos: threads started and still alive: " + newThreads(before.threadIds()));
      }
      return new ChaosVerdict(options.seed(), total, hung, doubles, server.corrupt(),
          before.sockets().isPresent() && after.sockets().isPresent()
              ? OptionalInt.of(after.sockets().getAsInt() - before.sockets().getAsInt())
              : OptionalInt.empty(),
          after.threads() - before.threads(), before.heap(), after.heap());
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }
  }

  private Connection build(int i, FaultProxy proxy, EventLoopGroup group, SplittableRandom jitter,
      ChaosClient client) {
    return Redial.connection(String.format(Locale.ROOT, "chaos-%03d", i))
        .endpoint(proxy.listenAddress())
        .framing(Framing.lengthPrefixed(ChaosFrames.MAX_FRAME_BYTES))
        .backoff(Backoff.exponential(Duration.ofMillis(20), Duration.ofMillis(500), 2.0, 0.2))
        .connectTimeout(Duration.ofSeconds(1))
        .heartbeat(Heartbeat.every(HEARTBEAT, HEARTBEAT, ChaosFrames.ping(i)))
        .stableAfter(Duration.ofSeconds(1))
        .closeTimeout(Duration.ofSeconds(2))
        .random(jitter)
        // One loop each, chosen here: handing over the group put every connection on one loop
        // (see the demo's note on Transport.channelClass).
        .eventLoopGroup(group.next())
        .onMessage(client::onMessage)
        .listener(client::onEvent)
        .build();
  }

  private ChaosClient client(int i, FaultProxy proxy, EventLoopGroup group,
      SplittableRandom jitter, AtomicLong openFutures) {
    ChaosClient client = new ChaosClient(i, openFutures);
    client.attach(build(i, proxy, group, jitter, client));
    return client;
  }

  /**
   * A short soak with every fault once and as many connections, so that the baselines include
   * what the soak loads and starts only once, or grows to its steady size: classes, the error
   * catalog, loop threads, the buffer allocator's chunks and recyclers.
   */
  private void warmUp(FaultProxy proxy, ChaosServer server, EventLoopGroup group,
      AtomicLong openFutures) throws InterruptedException {
    List<ChaosClient> clients = new ArrayList<>();
    for (int i = 0; i < options.connections(); i++) {
      // Indexes above the soak's own, so that the server never takes one for the other.
      clients.add(client(options.connections() + i, proxy, group, new SplittableRandom(i),
          openFutures));
    }
    for (ChaosClient c : clients) {
      c.track(c.connection().connect());
    }
    play(ChaosSchedule.warmUp(), proxy, server, clients);
    drain(clients);
    closeAll(clients);
  }

  /** Plays the faults while the connections send; returns with every fault undone. */
  private void play(ChaosSchedule schedule, FaultProxy proxy, ChaosServer server,
      List<ChaosClient> clients) throws InterruptedException {
    ArrayDeque<ChaosSchedule.Fault> next = new ArrayDeque<>(schedule.faults());
    List<Active> active = new ArrayList<>();
    long start = System.nanoTime();
    long duration = schedule.duration().toNanos();
    long nextSend = start;
    try {
      for (long t = 0; t < duration; t = System.nanoTime() - start) {
        while (!next.isEmpty() && next.peek().at().toNanos() <= t) {
          ChaosSchedule.Fault f = next.poll();
          Active a = begin(f, proxy, server, start);
          if (a != null) {
            active.add(a);
          }
        }
        for (int i = active.size() - 1; i >= 0; i--) {
          if (active.get(i).endAt - System.nanoTime() <= 0) {
            active.remove(i).end.run();
          }
        }
        long now = System.nanoTime();
        if (now - nextSend >= 0) {
          nextSend += SEND_EVERY_NANOS;
          if (now - nextSend > 0) {
            nextSend = now; // behind (a slow fault): do not burst to catch up
          }
          for (ChaosClient c : clients) {
            c.repair(now);
            c.sendNext(WINDOW);
          }
        }
        Thread.sleep(TICK_MILLIS);
      }
    } finally {
      for (Active a : active) {
        a.end.run();
      }
    }
  }

  /** A fault in place, and how to undo it. */
  private record Active(long endAt, Runnable end) {}

  private static Active begin(ChaosSchedule.Fault f, FaultProxy proxy, ChaosServer server,
      long start) {
    long endAt = start + f.at().plus(f.length()).toNanos();
    return switch (f.kind()) {
      case RESET -> {
        proxy.resetAll();
        yield null;
      }
      case BLACKHOLE -> undo(endAt, proxy.blackhole());
      case REFUSE -> undo(endAt, proxy.refuseNew());
      case LATENCY -> undo(endAt, proxy.latency(Duration.ofMillis(f.value()),
          Duration.ofMillis(f.value() / 4)));
      case SLICE -> undo(endAt, proxy.slice(f.value(), f.value() / 2, Duration.ofMillis(1)));
      case SERVER_RESTART -> {
        server.stop();
        yield new Active(endAt, server::restart);
      }
    };
  }

  private static Active undo(long endAt, FaultHandle handle) {
    return new Active(endAt, handle::close);
  }

  /** With the faults off: re-sends until every frame has its echo, bounded by {@link #DRAIN}. */
  private static void drain(List<ChaosClient> clients) throws InterruptedException {
    long end = System.nanoTime() + DRAIN.toNanos();
    while (!allIdle(clients) && System.nanoTime() - end < 0) {
      long now = System.nanoTime();
      for (ChaosClient c : clients) {
        c.repair(now);
      }
      Thread.sleep(TICK_MILLIS);
    }
  }

  private static boolean allIdle(List<ChaosClient> clients) {
    for (ChaosClient c : clients) {
      if (!c.idle()) {
        return false;
      }
    }
    return true;
  }

  private void closeAll(List<ChaosClient> clients) throws InterruptedException {
    List<CompletableFuture<Void>> closing = new ArrayList<>();
    for (ChaosClient c : clients) {
      closing.add(c.track(c.connection().closeAsync()));
    }
    try {
      CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(15, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      out.println("redial chaos: connections did not all close within 15 s: " + e);
    }
  }

  /** Waits, bounded by {@link #SETTLE}, until the condition holds. */
  private static void awaitTrue(BooleanSupplier condition)
      throws InterruptedException {
    long end = System.nanoTime() + SETTLE.toNanos();
    while (!condition.getAsBoolean() && System.nanoTime() - end < 0) {
      Thread.sleep(TICK_MILLIS);
    }
  }

  private static List<String> newThreads(Set<Long> before) {
    List<String> names = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (!before.contains(t.getId())) {
        names.add(t.getName());
      }
    }
    return names;
  }

  /** Sockets, threads and heap at one moment. */
  private record Baseline(OptionalInt sockets, int threads, Set<Long> threadIds, long heap) {
    static Baseline take() {
      Set<Long> ids = new HashSet<>();
      for (long id : ManagementFactory.getThreadMXBean().getAllThreadIds()) {
        ids.add(id);
      }
      return new Baseline(countSockets(), countThreads(), ids, heapAfterGc());
    }

    /** Measures again, waiting (bounded) for sockets and threads on their way out. */
    static Baseline settle(Baseline before) throws InterruptedException {
      awaitTrue(() -> countSockets().orElse(0) <= before.sockets.orElse(0)
          && countThreads() <= before.threads);
      return take();
    }

    private static OptionalInt countSockets() {
      return FileDescriptors.supported() ? OptionalInt.of(FileDescriptors.sockets())
          : OptionalInt.empty();
    }

    private static int countThreads() {
      return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    /**
     * The heap's pools as the last of three full collections left them: what is live, without
     * what was allocated since (the measuring itself included).
     */
    private static long heapAfterGc() {
      for (int i = 0; i < 3; i++) {
        System.gc();
      }
      long used = 0;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
          used += pool.getCollectionUsage().getUsed();
        }
      }
      return used > 0 ? used : ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
  }
}
