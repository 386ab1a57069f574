package io.redial.cli.demo;

import io.redial.testkit.internal.LoopbackPorts;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.redial.Backoff;
import io.redial.Connection;
import io.redial.ConnectionState;
import io.redial.Framing;
import io.redial.Heartbeat;
import io.redial.Redial;
import io.redial.testkit.FaultHandle;
import io.redial.testkit.FaultProxy;
import io.redial.testkit.internal.FileDescriptors;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * One run of {@code redial demo}: starts the echo server, the fault proxy and the managed
 * connections, plays the fault schedule while the connections send numbered frames, then closes
 * everything and judges.
 *
 * <p>Time: the system's monotonic clock (the CLI may read it directly); every wait is bounded, and
 * the whole run takes at most the duration plus {@link #MAX_SHUTDOWN}.
 */
public final class DemoRun {
  /** Heartbeat: a ping after 500 ms without a frame, given up 500 ms later. */
  static final Duration HEARTBEAT = Duration.ofMillis(500);
  /** Each connection sends one frame per tick while the script runs. */
  static final Duration SEND_EVERY = Duration.ofMillis(100);
  /** Frames a connection may have in flight without an echo; beyond it, it skips a tick. */
  static final int WINDOW = 1_000;
  /** How long an older socket may stay open once a newer socket of its connection spoke. */
  static final Duration DOUBLE_CONNECT_GRACE = Duration.ofSeconds(2);
  /** The bound on everything after the duration: late echoes, closing, counting sockets. */
  static final Duration MAX_SHUTDOWN = Duration.ofSeconds(16);
  private static final Duration TICK = Duration.ofMillis(20);
  private static final Duration LATE_ECHOES = Duration.ofSeconds(3);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(4);
  private static final Duration SOCKETS_SETTLE = Duration.ofSeconds(3);

  /**
   * What to run.
   *
   * @param report where to write the HTML report, or null
   */
  public record Options(int connections, Duration duration, long seed, Path report) {
    /** Most connections: each is a socket pair through the proxy plus one to the server. */
    public static final int MAX_CONNECTIONS = 1_000;

    public Options {
      if (connections < 1 || connections > MAX_CONNECTIONS) {
        throw new IllegalArgumentException("connections is " + connections + "; allowed: 1 to "
            + MAX_CONNECTIONS);
      }
      FaultSchedule.of(seed, duration); // checks the duration, naming the allowed range
    }
  }

  /** The outcome: the verdict, and the report's path if one was written. */
  public record Result(boolean passed, List<String> verdictLines, Optional<Path> report) {}

  private final Options options;
  private final PrintWriter out;
  private final LiveView view;
  private final HtmlReport html;
  private final LongSupplier clock = System::nanoTime;

  /**
   * @param inPlace redraw the live view in place (a terminal) rather than print lines
   * @param emphasis highlighting for the view (colour, or identity)
   * @param json a JSON writer for the report's data
   */
  public DemoRun(Options options, PrintWriter out, boolean inPlace,
      UnaryOperator<String> emphasis, Function<Object, String> json) {
    this.options = options;
    this.out = out;
    this.view = new LiveView(out, inPlace, emphasis);
    this.html = new HtmlReport(json);
  }

  /** Runs the demo. Throws only for a failure of the demo's own machinery. */
  public Result run() throws InterruptedException {
    FaultSchedule schedule = FaultSchedule.of(options.seed(), options.duration());
    Optional<Integer> socketsBefore = countSockets();
    Ledger ledger = new Ledger(DOUBLE_CONNECT_GRACE.toNanos());
    List<DemoClient> clients = new ArrayList<>();
    long start;
    long end;
    long blackholeFrom = -1;
    long blackholeTo = -1;
    Ledger.Counts server;
    try (DemoServer echo = new DemoServer(ledger, clock);
        FaultProxy proxy = LoopbackPorts.bindBelowEphemeral(
            port -> FaultProxy.builder(echo.address()).seed(options.seed())
                .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
                .connectTimeout(Duration.ofSeconds(2)).start(),
            new SplittableRandom(options.seed()))) {
      EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
      try {
        out.println("redial demo: " + options.connections() + " connections -> fault proxy "
            + hostPort(proxy.listenAddress().toString()) + " -> echo server "
            + hostPort(echo.address().toString()) + ", " + FaultSchedule.human(options.duration())
            + ", seed " + options.seed());
        for (FaultSchedule.Step s : schedule.steps()) {
          out.println(String.format(Locale.ROOT, "  %6.2fs  %s", s.start().toMillis() / 1000.0,
              s.label()) + (s.instant() ? "" : String.format(Locale.ROOT, " (%.2fs)",
              s.end().minus(s.start()).toMillis() / 1000.0)));
        }
        out.flush();
        SplittableRandom jitter = new SplittableRandom(options.seed());
        for (int i = 0; i < options.connections(); i++) {
          DemoClient client = new DemoClient(i, clock);
          Connection c = Redial.connection(String.format(Locale.ROOT, "demo-%02d", i))
              .endpoint(proxy.listenAddress())
              .framing(Framing.lengthPrefixed(Protocol.MAX_FRAME_BYTES))
              .backoff(Backoff.exponential(Duration.ofMillis(50), Duration.ofMillis(500), 2.0, 0.2))
              .connectTimeout(Duration.ofSeconds(1))
              .heartbeat(Heartbeat.every(HEARTBEAT, HEARTBEAT, Protocol.ping(i)))
              .stableAfter(Duration.ofSeconds(1))
              .closeTimeout(Duration.ofSeconds(2))
              .random(jitter.split())
              // One loop each, chosen here: redial-core's Transport.channelClass(group) calls
              // group.next() too, so handing over the group put every connection on one loop.
              // NIO on purpose: an attached agent sees the clients' JDK socket channels.
              .eventLoopGroup(group.next())
              .onMessage(client::onMessage)
              .listener(client::onEvent)
              .build();
          client.attach(c);
          clients.add(client);
        }
        start = clock.getAsLong();
        for (DemoClient c : clients) {
          c.connection().connect();
        }
        long[] blackhole = play(schedule, proxy, echo, clients, start);
        blackholeFrom = blackhole[0];
        blackholeTo = blackhole[1];
        awaitEchoes(clients, start + options.duration().toNanos() + LATE_ECHOES.toNanos());
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (DemoClient c : clients) {
          closing.add(c.connection().closeAsync());
        }
        try {
          CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new))
              .get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
          out.println("redial demo: connections did not all close within " + CLOSE_WAIT + ": " + e);
        }
        end = clock.getAsLong();
        // The proxy and the server close their side once they see the client's close.
        long drained = clock.getAsLong() + SOCKETS_SETTLE.toNanos();
        while ((echo.openSockets() > 0 || !proxy.connections().isEmpty())
            && clock.getAsLong() - drained < 0) {
          Thread.sleep(TICK.toMillis());
        }
        server = ledger.counts(clock.getAsLong());
      } finally {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
      }
    }
    Optional<Integer> socketsAfter = countSockets();
    // Event loops release their sockets as they terminate; a leak is what is still open after this.
    long settle = clock.getAsLong() + SOCKETS_SETTLE.toNanos();
    while (socketsBefore.isPresent() && socketsAfter.get() > socketsBefore.get()
        && clock.getAsLong() - settle < 0) {
      Thread.sleep(TICK.toMillis());
      socketsAfter = countSockets();
    }

    DemoClient.Tally total = DemoClient.Tally.ZERO;
    for (DemoClient c : clients) {
      total = total.plus(c.tally());
    }
    long longest = -1;
    int detected = 0;
    if (blackholeFrom >= 0) {
      for (DemoClient c : clients) {
        long miss = c.firstMissBetween(blackholeFrom, blackholeTo + 2 * HEARTBEAT.toNanos());
        if (miss >= 0) {
          detected++;
          longest = Math.max(longest, miss - blackholeFrom);
        }
      }
    }
    Optional<Verdict.SocketCount> sockets = socketsBefore.isPresent() && socketsAfter.isPresent()
        ? Optional.of(new Verdict.SocketCount(socketsBefore.get(), socketsAfter.get()))
        : Optional.empty();
    Verdict verdict = Verdict.of(total, server, sockets,
        longest < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(longest)), detected,
        clients.size());
    Optional<Path> report = Optional.empty();
    if (options.report() != null) {
      List<HtmlReport.Row> rows = new ArrayList<>();
      for (DemoClient c : clients) {
        rows.add(new HtmlReport.Row(c.connection().name(),
            HtmlReport.spans(c.transitions(), start, end)));
      }
      String page = html.render(new HtmlReport.Content(options.seed(), options.duration(),
          clients.size(), verdict.lines(), verdict.passed(), schedule.steps(), rows));
      try {
        Path parent = options.report().toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        Files.writeString(options.report(), page);
        report = Optional.of(options.report());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the report to " + options.report(), e);
      }
    }
    return new Result(verdict.passed(), verdict.lines(), report);
  }

  /**
   * Plays the schedule while sending, until the duration is over or, once sending has stopped,
   * every frame has its echo. Returns when the blackhole started and ended (nanos; -1 if never).
   */
  private long[] play(FaultSchedule schedule, FaultProxy proxy, DemoServer echo,
      List<DemoClient> clients, long start) throws InterruptedException {
    long duration = options.duration().toNanos();
    long quiet = schedule.quietFrom().toNanos();
    long stopSending = quiet + (duration - quiet) / 2;
    long[] blackhole = {-1, -1};
    List<FaultSchedule.Step> steps = schedule.steps();
    boolean[] started = new boolean[steps.size()];
    boolean[] ended = new boolean[steps.size()];
    FaultHandle[] handles = new FaultHandle[steps.size()];
    long viewEvery = view.inPlace() ? 250_000_000L
        : Math.max(1_000_000_000L, duration / 30);
    long nextView = start;
    long nextSend = start;
    long maxTicks = duration / TICK.toNanos() + 10;
    try {
      for (long tick = 0; tick < maxTicks; tick++) {
        long now = clock.getAsLong();
        long t = now - start;
        if (t >= duration) {
          break;
        }
        for (int i = 0; i < steps.size(); i++) {
          FaultSchedule.Step s = steps.get(i);
          if (!started[i] && t >= s.start().toNanos()) {
            started[i] = true;
            if (s.kind() == FaultSchedule.Kind.BLACKHOLE) {
              blackhole[0] = clock.getAsLong();
            }
            handles[i] = begin(s, proxy, echo);
            ended[i] = s.instant();
          }
          if (started[i] && !ended[i] && t >= s.end().toNanos()) {
            ended[i] = true;
            finish(s, handles[i], echo);
            if (s.kind() == FaultSchedule.Kind.BLACKHOLE) {
              blackhole[1] = clock.getAsLong();
            }
          }
        }
        if (t < stopSending && now - nextSend >= 0) {
          nextSend += SEND_EVERY.toNanos();
          for (DemoClient c : clients) {
            c.repairFailedSends();
            c.sendNext(WINDOW);
          }
        }
        if (now - nextView >= 0) {
          nextView = now + viewEvery;
          view.update(snapshot(clients, t, current(steps, t, quiet)));
        }
        if (t >= stopSending && allEchoed(clients)) {
          break;
        }
        Thread.sleep(TICK.toMillis());
      }
    } finally {
      for (int i = 0; i < steps.size(); i++) {
        if (started[i] && !ended[i]) {
          finish(steps.get(i), handles[i], echo);
          if (steps.get(i).kind() == FaultSchedule.Kind.BLACKHOLE) {
            blackhole[1] = clock.getAsLong();
          }
        }
      }
    }
    view.update(snapshot(clients, Math.min(duration, clock.getAsLong() - start), "none"));
    return blackhole;
  }

  private static FaultHandle begin(FaultSchedule.Step s, FaultProxy proxy, DemoServer echo) {
    return switch (s.kind()) {
      case SERVER_RESTART -> {
        echo.stop();
        yield null;
      }
      case RESET -> {
        proxy.resetAll();
        yield null;
      }
      case BLACKHOLE -> proxy.blackhole();
      case LATENCY -> proxy.latency(Duration.ofMillis(s.value()), Duration.ofMillis(s.jitter()));
      case BANDWIDTH -> proxy.bandwidth(s.value());
      case REFUSED -> {
        FaultHandle h = proxy.refuseNew();
        proxy.closeAll(); // so that every connection has to connect again, into the refusals
        yield h;
      }
    };
  }

  private static void finish(FaultSchedule.Step s, FaultHandle handle, DemoServer echo) {
    if (s.kind() == FaultSchedule.Kind.SERVER_RESTART) {
      echo.restart();
    }
    if (handle != null) {
      handle.close();
    }
  }

  private static String current(List<FaultSchedule.Step> steps, long t, long quiet) {
    for (FaultSchedule.Step s : steps) {
      long a = s.start().toNanos();
      long b = s.instant() ? a + 500_000_000L : s.end().toNanos(); // show an instant for 0.5 s
      if (t >= a && t < b) {
        return s.label();
      }
    }
    return t >= quiet ? "none (script over: recovering, then draining)"
        : t < steps.get(0).start().toNanos() ? "none (warming up)" : "none";
  }

  private void awaitEchoes(List<DemoClient> clients, long deadline) throws InterruptedException {
    long maxTicks = LATE_ECHOES.toNanos() / TICK.toNanos() + 1;
    for (long i = 0; i < maxTicks && !allEchoed(clients) && clock.getAsLong() - deadline < 0; i++) {
      for (DemoClient c : clients) {
        c.repairFailedSends();
      }
      Thread.sleep(TICK.toMillis());
    }
  }

  private static boolean allEchoed(List<DemoClient> clients) {
    for (DemoClient c : clients) {
      if (c.tally().unechoed() > 0) {
        return false;
      }
    }
    return true;
  }

  private LiveView.Snapshot snapshot(List<DemoClient> clients, long t, String fault) {
    Map<ConnectionState, Integer> states = new EnumMap<>(ConnectionState.class);
    DemoClient.Tally total = DemoClient.Tally.ZERO;
    long queued = 0;
    for (DemoClient c : clients) {
      states.merge(c.connection().state(), 1, Integer::sum);
      total = total.plus(c.tally());
      queued += c.connection().stats().queuedFrames();
    }
    return new LiveView.Snapshot(t / 1_000_000, options.duration().toMillis(), states, total.reconnects(), total.sent(),
        total.echoed(), queued, fault);
  }

  private static Optional<Integer> countSockets() {
    // The test kit's counter: network sockets only, minus the JDK's own Unix socket pair.
    return FileDescriptors.supported() ? Optional.of(FileDescriptors.sockets()) : Optional.empty();
  }

  private static String hostPort(String address) {
    return address.startsWith("/") ? address.substring(1) : address;
  }
}
