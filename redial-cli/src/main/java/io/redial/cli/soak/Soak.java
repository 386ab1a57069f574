package io.redial.cli.soak;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.redial.Backoff;
import io.redial.Connection;
import io.redial.ConnectionState;
import io.redial.Framing;
import io.redial.Heartbeat;
import io.redial.Redial;
import io.redial.testkit.Direction;
import io.redial.testkit.EchoMode;
import io.redial.testkit.EchoServer;
import io.redial.testkit.FaultHandle;
import io.redial.testkit.FaultProxy;
import io.redial.testkit.KernelFaults;
import io.redial.testkit.internal.FileDescriptors;
import io.redial.testkit.internal.LoopbackPorts;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The soak harness behind {@code redial demo} and {@code redial chaos}: an echo server, a
 * {@link FaultProxy} in front of it, N managed connections whose {@link Traffic} is checked,
 * a {@link Schedule} of faults played through the proxy (and server restarts), then a drain, a
 * close, and one {@link Verdict}. A {@link Preset} sets the pace and what is measured.
 *
 * <p>Baselines (sockets; with {@link Preset#baselines()}, also threads and heap) are taken once
 * the server, the proxy and the event loops are up (and, with {@link Preset#warmUp()}, one
 * warm-up soak has come and gone), right before the connections are built; the same is measured
 * after they are all closed. Every wait is bounded. The CLI reads the system clock directly.
 */
final class Soak {
  /** Heartbeat: a ping after 500 ms without a frame, given up 500 ms later. */
  static final Duration HEARTBEAT = Duration.ofMillis(500);
  /** How long an older server-side socket may stay open once a newer one of its connection spoke. */
  static final Duration DOUBLE_CONNECT_GRACE = Duration.ofSeconds(2);
  /** Bound on each settling wait: sockets, threads and futures on their way out. */
  static final Duration SETTLE = Duration.ofSeconds(5);
  /** Netty's switch for its per-thread object pools (Recycler), read once when Netty loads. */
  static final String NETTY_POOLS = "io.netty.recycler.maxCapacityPerThread";

  /**
   * How a soak runs.
   *
   * @param names connection names, a format of the index, e.g. {@code "demo-%02d"}
   * @param backoffInitial the connections' first retry delay (×2 each time, 500 ms cap, ±20 %)
   * @param window frames a connection may have without an echo; beyond it, it skips a tick
   * @param sendEvery each connection sends one frame per this
   * @param tick the harness's loop period
   * @param stopSendingEarly stop sending halfway through the quiet tail after the last fault, and
   *     end early once every frame is echoed (else: send until the duration is over)
   * @param drain after the duration: up to this long for every frame to get its echo
   * @param closeWait up to this long for the connections' close
   * @param warmUp play {@link Schedule#warmUp()} with as many connections before the baselines
   * @param baselines measure threads and heap too, not only sockets
   * @param blackholeDetection measure how fast heartbeats noticed the first blackhole (each
   *     connection keeps its heartbeat misses' times)
   * @param transitions keep each connection's state transitions for a report ({@link Row}); they
   *     grow with the run's length and are still held when the heap is measured after, so not
   *     with {@code baselines}
   * @param viewEvery how often to call the progress consumer (zero: never)
   */
  record Preset(String names, Duration backoffInitial, int window, Duration sendEvery,
      Duration tick, boolean stopSendingEarly, Duration drain, Duration closeWait,
      boolean warmUp, boolean baselines, boolean blackholeDetection, boolean transitions,
      Duration viewEvery) {
    Preset {
      if (baselines && transitions) {
        throw new IllegalArgumentException("transitions with baselines: the transitions kept for"
            + " the report would count as heap growth");
      }
    }

    /** This preset, calling the progress consumer every {@code every}. */
    Preset withViewEvery(Duration every) {
      return new Preset(names, backoffInitial, window, sendEvery, tick, stopSendingEarly, drain,
          closeWait, warmUp, baselines, blackholeDetection, transitions, every);
    }
  }

  /** What the live view shows at one moment. */
  record Moment(long elapsedNanos, Map<ConnectionState, Integer> states, Tally total,
      long queued, String fault) {}

  /** One connection of a finished soak, for a report. */
  record Row(String name, List<ConnectionLog.Transition> transitions) {}

  /**
   * The verdict, and what a report draws: when the soak started and ended, each connection (no
   * rows unless the preset keeps {@link Preset#transitions()}).
   */
  record Outcome(Verdict verdict, long startNanos, long endNanos, List<Row> rows) {}

  /** One connection in the harness. */
  private record Client(Connection connection, Traffic.Client traffic, ConnectionLog log) {}

  private final Preset preset;
  private final Traffic traffic;
  private final PrintWriter out;
  private final Consumer<Moment> progress;
  /** Plays the kernel's steps on the proxy's port; null when the schedule has none. */
  private final KernelFaults kernel;
  private final LongSupplier clock = System::nanoTime;
  private final AtomicLong openFutures = new AtomicLong();
  private final Traffic.Context context = new Traffic.Context(clock, openFutures);

  /**
   * @param out for the harness's own complaints (a close that timed out, threads left)
   * @param progress the live view, called every {@link Preset#viewEvery()}
   */
  Soak(Preset preset, Traffic traffic, PrintWriter out, Consumer<Moment> progress) {
    this(preset, traffic, out, progress, null);
  }

  /** @param kernel plays the schedule's kernel steps; null when it has none */
  Soak(Preset preset, Traffic traffic, PrintWriter out, Consumer<Moment> progress,
      KernelFaults kernel) {
    this.preset = preset;
    this.traffic = traffic;
    this.out = out;
    this.progress = progress;
    this.kernel = kernel;
  }

  /**
   * Turns Netty's object pools off for this JVM; effective only before Netty's {@code Recycler}
   * is loaded, so call it first thing. Why: each pool keeps up to 4096 recycled objects per
   * thread and type, and keeps only one in eight returned objects, so it grows slowly all
   * through a soak: bounded, yet megabytes of "heap growth" that would hide or fake a leak in
   * the 5 % check. Does nothing if the property is already set.
   */
  static void disableNettyObjectPools() {
    if (System.getProperty(NETTY_POOLS) == null) {
      System.setProperty(NETTY_POOLS, "0");
    }
  }

  /** A loopback echo server for soak frames, telling the ledger about every socket. */
  static EchoServer server(ServerLedger ledger) {
    return EchoServer.builder(EchoMode.LENGTH_PREFIXED).maxFrameBytes(Frames.MAX_FRAME_BYTES)
        .observer(ledger::observer).start();
  }

  /**
   * Runs the soak and judges it. {@code announce} is told where the proxy and the server listen,
   * once they do. Throws only when the soak's own machinery fails.
   */
  Outcome run(int connections, Schedule schedule, Consumer<String> announce)
      throws InterruptedException {
    ServerLedger ledger =
        new ServerLedger(clock, DOUBLE_CONNECT_GRACE.toNanos(), traffic.handshakes());
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    try (EchoServer server = server(ledger);
        FaultProxy proxy = LoopbackPorts.bindBelowEphemeral(
            port -> FaultProxy.builder(server.address()).seed(schedule.seed())
                .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
                .connectTimeout(Duration.ofSeconds(2)).start(),
            new SplittableRandom(schedule.seed()))) {
      announce.accept("fault proxy " + hostPort(proxy.listenAddress()) + " -> echo server "
          + hostPort(server.address()));
      if (preset.warmUp()) {
        List<Client> warm = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
          // Indexes above the soak's own, so that the server never takes one for the other.
          warm.add(client(connections + i, proxy, group, new SplittableRandom(i)));
        }
        connectAll(warm);
        play(Schedule.warmUp(kernel != null), proxy, server, warm, clock.getAsLong(), false);
        drain(warm);
        closeAll(warm);
      }
      Baseline before = Baseline.take(preset.baselines());
      SplittableRandom jitter = new SplittableRandom(schedule.seed());
      List<Client> clients = new ArrayList<>();
      for (int i = 0; i < connections; i++) {
        clients.add(client(i, proxy, group, jitter.split()));
      }
      long start = clock.getAsLong();
      connectAll(clients);
      long[] blackhole = play(schedule, proxy, server, clients, start, progress != null);
      drain(clients);
      Tally total = Tally.ZERO;
      for (Client c : clients) {
        total = total.plus(c.traffic.tally()).plus(c.log.tally()); // before close: what close fails is not "echoed"
      }
      closeAll(clients);
      if (kernel != null) {
        // Every client is closed: what the proxy still holds is its half of connections a kernel
        // fault cut (a FIN lost in a blackhole), not a client's socket; a client's leaked socket
        // would still count in the fd delta below.
        proxy.resetAll();
      }
      long end = clock.getAsLong();
      // The proxy and the server close their side once they see the client's close.
      awaitTrue(() -> openFutures.get() == 0 && server.openConnections() == 0
          && proxy.connections().isEmpty());
      ServerLedger.Counts counts = ledger.counts();
      long hung = openFutures.get();
      Optional<RequestTally> requests = Optional.empty();
      for (Client c : clients) {
        Optional<RequestTally> r = c.traffic.requests();
        if (r.isPresent()) {
          requests = Optional.of(requests.orElse(RequestTally.ZERO).plus(r.get()));
        }
      }
      Optional<Duration> detection = Optional.empty();
      int detected = 0;
      if (preset.blackholeDetection() && blackhole[0] >= 0) {
        long longest = -1;
        for (Client c : clients) {
          long miss = c.log.firstMissBetween(blackhole[0], blackhole[1] + 2 * HEARTBEAT.toNanos());
          if (miss >= 0) {
            detected++;
            longest = Math.max(longest, miss - blackhole[0]);
          }
        }
        detection = longest < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(longest));
      }
      List<Row> rows = new ArrayList<>();
      if (preset.transitions()) {
        for (Client c : clients) {
          rows.add(new Row(c.connection.name(), c.log.transitions()));
        }
      }
      // So that the heap measured after holds none of the soak's own bookkeeping: the clients
      // (their logs and frame records), the ledger's record of frames; the rows are empty when
      // the heap is measured (a Preset keeps transitions only without baselines).
      clients.clear();
      ledger.forgetFrames();
      Baseline after = Baseline.settle(before);
      if (after.threads() > before.threads() && preset.baselines()) {
        out.println("soak: threads started and still alive: " + newThreads(before.threadIds()));
      }
      Optional<Verdict.SocketCount> sockets = before.sockets().isPresent() && after.sockets().isPresent()
          ? Optional.of(new Verdict.SocketCount(before.sockets().getAsInt(), after.sockets().getAsInt()))
          : Optional.empty();
      Optional<Verdict.Baselines> baselines = preset.baselines()
          ? Optional.of(new Verdict.Baselines(before.threads(), after.threads(), before.heap(), after.heap()))
          : Optional.empty();
      Verdict verdict = new Verdict(schedule.seed(), connections, total, counts, hung, sockets,
          baselines, detection, detected, requests);
      return new Outcome(verdict, start, end, rows);
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }
  }

  private Client client(int i, FaultProxy proxy, EventLoopGroup group, SplittableRandom jitter) {
    Traffic.Client t = traffic.client(i, context);
    ConnectionLog log =
        new ConnectionLog(clock, preset.transitions(), preset.blackholeDetection());
    Connection c = t.configure(Redial.connection(String.format(Locale.ROOT, preset.names(), i))
        .endpoint(proxy.listenAddress())
        .framing(Framing.lengthPrefixed(Frames.MAX_FRAME_BYTES))
        .backoff(Backoff.exponential(preset.backoffInitial(), Duration.ofMillis(500), 2.0, 0.2))
        .connectTimeout(Duration.ofSeconds(1))
        .heartbeat(Heartbeat.every(HEARTBEAT, HEARTBEAT, Frames.ping(i)))
        .stableAfter(Duration.ofSeconds(1))
        .closeTimeout(Duration.ofSeconds(2))
        .random(jitter)
        // One loop each, chosen here: redial-core's Transport.channelClass(group) calls
        // group.next() too, so handing over the group put every connection on one loop.
        // NIO on purpose: an attached agent sees the clients' JDK socket channels.
        .eventLoopGroup(group.next())
        .onMessage(t::onMessage)
        .listener(event -> {
          log.onEvent(event);
          t.onEvent(event);
        }))
        .build();
    t.attach(c);
    return new Client(c, t, log);
  }

  private void connectAll(List<Client> clients) {
    for (Client c : clients) {
      context.track(c.connection.connect());
    }
  }

  /**
   * Plays the schedule while sending, until the duration is over (or, with
   * {@link Preset#stopSendingEarly()}, once sending has stopped and every frame has its echo);
   * returns with every fault undone, and when the first blackhole started and ended (nanos; -1
   * if never).
   */
  private long[] play(Schedule schedule, FaultProxy proxy, EchoServer server, List<Client> clients,
      long start, boolean view) throws InterruptedException {
    long duration = schedule.duration().toNanos();
    long quiet = schedule.quietFrom().toNanos();
    long stopSending = preset.stopSendingEarly() ? quiet + (duration - quiet) / 2 : duration;
    long[] blackhole = {-1, -1};
    List<Step> steps = schedule.steps();
    boolean[] started = new boolean[steps.size()];
    boolean[] ended = new boolean[steps.size()];
    Runnable[] handles = new Runnable[steps.size()];
    long sendEvery = preset.sendEvery().toNanos();
    long nextSend = start;
    long nextView = start;
    long maxTicks = duration / preset.tick().toNanos() + 10;
    try {
      for (long tick = 0; tick < maxTicks; tick++) {
        long now = clock.getAsLong();
        long t = now - start;
        if (t >= duration) {
          break;
        }
        for (int i = 0; i < steps.size(); i++) {
          Step s = steps.get(i);
          if (!started[i] && t >= s.start().toNanos()) {
            started[i] = true;
            if (s.kind() == Step.Kind.BLACKHOLE && blackhole[0] < 0) {
              blackhole[0] = clock.getAsLong();
            }
            handles[i] = begin(s, proxy, server);
            ended[i] = s.instant();
          }
          if (started[i] && !ended[i] && t >= s.end().toNanos()) {
            ended[i] = true;
            finish(s, handles[i], server);
            if (s.kind() == Step.Kind.BLACKHOLE && blackhole[1] < 0) {
              blackhole[1] = clock.getAsLong();
            }
          }
        }
        if (t < stopSending && now - nextSend >= 0) {
          nextSend += sendEvery;
          if (now - nextSend > 0) {
            nextSend = now; // behind (a slow fault): do not burst to catch up
          }
          for (Client c : clients) {
            c.traffic.tick(preset.window());
          }
        }
        if (view && now - nextView >= 0) {
          nextView = now + preset.viewEvery().toNanos();
          progress.accept(moment(clients, t, current(steps, t, quiet)));
        }
        if (preset.stopSendingEarly() && t >= stopSending && allIdle(clients)) {
          break;
        }
        Thread.sleep(preset.tick().toMillis());
      }
    } finally {
      for (int i = 0; i < steps.size(); i++) {
        if (started[i] && !ended[i]) {
          finish(steps.get(i), handles[i], server);
          if (steps.get(i).kind() == Step.Kind.BLACKHOLE && blackhole[1] < 0) {
            blackhole[1] = clock.getAsLong();
          }
        }
      }
    }
    if (view) {
      progress.accept(moment(clients, Math.min(duration, clock.getAsLong() - start), "none"));
    }
    return blackhole;
  }

  /** Puts a step's fault in place; returns what takes it away, if anything does. */
  private Runnable begin(Step s, FaultProxy proxy, EchoServer server) {
    if (s.kernel()) {
      if (kernel == null) {
        throw new IllegalStateException("a kernel step without kernel faults: " + s.line());
      }
      int port = proxy.listenAddress().getPort();
      KernelFaults.Rule rule = switch (s.kind()) {
        case KERNEL_BLACKHOLE -> kernel.blackhole(port);
        case KERNEL_DROP -> kernel.drop(port, s.value() == 0 ? Direction.UPSTREAM : Direction.DOWNSTREAM);
        case KERNEL_RESET -> kernel.reset(port);
        case KERNEL_LOSS -> kernel.loss(port, (int) s.value());
        default -> throw new IllegalStateException("not a kernel step: " + s.line());
      };
      if (s.kind() != Step.Kind.KERNEL_RESET) {
        return rule::close;
      }
      // A client socket the kernel reset is gone, but the proxy's side of it never hears of it
      // (the rule answers only the side that sends): the proxy, a peer here, is left half-open —
      // the very fault injected — and its sockets would count as the client's in the server-side
      // checks. When the rule goes, the proxy resets what it holds, as a server's own keepalive
      // would in the end.
      return () -> {
        rule.close();
        proxy.resetAll();
      };
    }
    FaultHandle handle = s.fault().map(proxy::add).orElse(null);
    switch (s.kind()) {
      case SERVER_RESTART -> server.stop();
      case RESET -> proxy.resetAll();
      case REFUSED -> proxy.closeAll(); // so that every connection has to connect again, into the refusals
      default -> { }
    }
    return handle == null ? null : handle::close;
  }

  private static void finish(Step s, Runnable handle, EchoServer server) {
    if (s.kind() == Step.Kind.SERVER_RESTART) {
      server.restart();
    }
    if (handle != null) {
      handle.run();
    }
  }

  /** The fault the live view shows at {@code t}. */
  private static String current(List<Step> steps, long t, long quiet) {
    for (Step s : steps) {
      long a = s.start().toNanos();
      long b = s.instant() ? a + 500_000_000L : s.end().toNanos(); // show an instant for 0.5 s
      if (t >= a && t < b) {
        return s.label();
      }
    }
    return t >= quiet ? "none (script over: recovering, then draining)"
        : !steps.isEmpty() && t < steps.get(0).start().toNanos() ? "none (warming up)" : "none";
  }

  private static Moment moment(List<Client> clients, long t, String fault) {
    Map<ConnectionState, Integer> states = new EnumMap<>(ConnectionState.class);
    Tally total = Tally.ZERO;
    long queued = 0;
    for (Client c : clients) {
      states.merge(c.connection.state(), 1, Integer::sum);
      total = total.plus(c.traffic.tally()).plus(c.log.tally());
      queued += c.connection.stats().queuedFrames();
    }
    return new Moment(t, states, total, queued, fault);
  }

  /** With sending over: re-sends until every frame has its echo, bounded by {@link Preset#drain()}. */
  private void drain(List<Client> clients) throws InterruptedException {
    long end = clock.getAsLong() + preset.drain().toNanos();
    long maxTicks = preset.drain().toNanos() / preset.tick().toNanos() + 1;
    for (long i = 0; i < maxTicks && !allIdle(clients) && clock.getAsLong() - end < 0; i++) {
      for (Client c : clients) {
        c.traffic.repair();
      }
      Thread.sleep(preset.tick().toMillis());
    }
  }

  private static boolean allIdle(List<Client> clients) {
    for (Client c : clients) {
      if (!c.traffic.idle()) {
        return false;
      }
    }
    return true;
  }

  private void closeAll(List<Client> clients) throws InterruptedException {
    List<CompletableFuture<Void>> closing = new ArrayList<>();
    for (Client c : clients) {
      c.traffic.closing();
      closing.add(context.track(c.connection.closeAsync()));
    }
    try {
      CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new))
          .get(preset.closeWait().toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      out.println("soak: connections did not all close within " + preset.closeWait() + ": " + e);
    }
  }

  /** Waits, bounded by {@link #SETTLE}, until the condition holds. */
  private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + SETTLE.toNanos();
    for (int i = 0; i < 1_000 && !condition.getAsBoolean() && System.nanoTime() - end < 0; i++) {
      Thread.sleep(10);
    }
  }

  private static List<String> newThreads(Set<Long> before) {
    List<String> names = new ArrayList<>();
    for (Thread t : countedThreads()) {
      if (!before.contains(t.getId())) {
        names.add(t.getName());
      }
    }
    return names;
  }

  /** The live threads the thread delta counts (see {@link #counted}). */
  private static List<Thread> countedThreads() {
    List<Thread> threads = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (counted(t.getName(), t.isDaemon())) {
        threads.add(t);
      }
    }
    return threads;
  }

  /**
   * Whether the thread delta counts a thread: all but the JDK's "process reaper" daemons (named
   * "process reaper (pid N)" while they wait for one). Those wait for child processes (here `ip`
   * and `nft`, run by {@code --kernel}) in a cached pool whose idle threads end only after a
   * minute, so one started during the soak may still be alive at the end without anything
   * having leaked.
   */
  static boolean counted(String name, boolean daemon) {
    return !(daemon && (name.equals("process reaper") || name.startsWith("process reaper (pid ")));
  }

  private static String hostPort(InetSocketAddress address) {
    String s = address.toString();
    return s.startsWith("/") ? s.substring(1) : s;
  }

  /** Sockets, threads and heap at one moment (threads and heap only when asked for). */
  private record Baseline(OptionalInt sockets, int threads, Set<Long> threadIds, long heap,
      boolean full) {
    static Baseline take(boolean full) {
      Set<Long> ids = new HashSet<>();
      if (full) {
        for (Thread t : countedThreads()) {
          ids.add(t.getId());
        }
      }
      return new Baseline(countSockets(), full ? countThreads() : 0, ids, full ? heapAfterGc() : 0, full);
    }

    /** Measures again, waiting (bounded) for sockets and threads on their way out. */
    static Baseline settle(Baseline before) throws InterruptedException {
      awaitTrue(() -> countSockets().orElse(0) <= before.sockets.orElse(0)
          && (!before.full || countThreads() <= before.threads));
      return take(before.full);
    }

    private static OptionalInt countSockets() {
      // The test kit's counter: network sockets only, minus the JDK's own Unix socket pair.
      return FileDescriptors.supported() ? OptionalInt.of(FileDescriptors.sockets())
          : OptionalInt.empty();
    }

    private static int countThreads() {
      return countedThreads().size();
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
