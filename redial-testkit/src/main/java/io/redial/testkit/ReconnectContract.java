package io.redial.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.util.concurrent.Ticker;
import io.redial.testkit.internal.DoubleConnect;
import io.redial.testkit.internal.FileDescriptors;
import io.redial.testkit.internal.HangingTarget;
import io.redial.testkit.internal.LeakCheck;
import io.redial.testkit.internal.Poll;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.Timeout;

/**
 * The standard reconnect scenarios, run against your client. Extend it, return an adapter for your
 * client from {@link #newClient(InetSocketAddress)}, and JUnit runs every scenario: real sockets on
 * loopback, an {@link EchoServer} and a {@link FaultProxy} in front of it, started and closed by
 * the contract for each test; every wait is bounded.
 *
 * <ul>
 *   <li>{@code connect()} from 16 threads at once → exactly one upstream connection;</li>
 *   <li>{@code connect()} while connected → no second connection, no exception;</li>
 *   <li>server restart, reset by peer → it reconnects, once;</li>
 *   <li>the server refuses for a while → retries back off, then it reconnects;</li>
 *   <li>blackhole → detected within {@link ClientAdapter#blackholeDetectionBound()};</li>
 *   <li>{@code close()} during a connect → no socket left open;</li>
 *   <li>{@link #reconnectCycles()} reconnect cycles → no growth in open file descriptors.</li>
 * </ul>
 *
 * A client that reuses its socket on reconnect fails with a message naming the bug
 * ({@code AlreadyConnectedException} / {@code EISCONN} / {@code WSAEISCONN}). The socket and file
 * descriptor checks read {@code /proc/self/fd}: on other systems those scenarios are skipped
 * (aborted by an assumption that says why). Do not run the contract in parallel with other tests.
 *
 * <p>For example, Redial's own {@code Connection} (tune the backoff and heartbeat so a run is quick):
 * <pre>{@code
 * class RedialConnectionContractTest extends ReconnectContract {
 *   @Override
 *   protected ClientAdapter newClient(InetSocketAddress target) {
 *     BlockingQueue<byte[]> inbox = new LinkedBlockingQueue<>();
 *     List<Duration> delays = new CopyOnWriteArrayList<>();
 *     Connection connection = Redial.connection("contract")
 *         .endpoint(target)
 *         .backoff(Backoff.exponential(Duration.ofMillis(20), Duration.ofMillis(500), 2.0, 0.0))
 *         .heartbeat(Heartbeat.every(Duration.ofMillis(100), Duration.ofMillis(500), "ping".getBytes()))
 *         .onMessage(inbox::add)
 *         .listener(e -> { if (e instanceof ConnectionEvent.AttemptFailed f) delays.add(f.nextDelay()); })
 *         .build();
 *     return new ClientAdapter() {
 *       public void connect() { connection.connect(); }
 *       public boolean isConnected() { return connection.state() == ConnectionState.CONNECTED; }
 *       public void send(byte[] frame) throws Exception { connection.send(frame).get(5, TimeUnit.SECONDS); }
 *       public byte[] receive(Duration timeout) throws InterruptedException {
 *         return inbox.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
 *       }
 *       public Duration blackholeDetectionBound() { return Duration.ofSeconds(2); }
 *       public long connectAttempts() { return connection.stats().attempts(); }
 *       public List<Duration> plannedRetryDelays() { return List.copyOf(delays); }
 *       public void close() { connection.close(); }
 *     };
 *   }
 * }
 * }</pre>
 * Frames the contract did not send (heartbeat echoes, late echoes from an old connection) are
 * skipped when it waits for an echo.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class ReconnectContract {
  /** Open descriptors tolerated after the cycles, for JVM activity unrelated to the client (class loading, JIT logs). */
  private static final int FD_SLACK = 5;
  private static final Duration STEP = Duration.ofSeconds(2);
  private static final int THREADS = 16;
  /**
   * A client that retries more often than this on average, while every connect is refused, has no
   * backoff: a hot loop.
   */
  protected static final Duration MIN_MEAN_RETRY_GAP = Duration.ofMillis(5);

  private final Ticker ticker = Ticker.systemTicker();
  private final AtomicLong payloadCounter = new AtomicLong();
  /** Every client made through {@link #client(InetSocketAddress)}; closed after each test. */
  private final List<ClientAdapter> clients = Collections.synchronizedList(new ArrayList<>());
  /** Set in {@link #startServers()}, null after {@link #stopServers()}; test thread only. */
  private EchoServer echo;
  private FaultProxy proxy;
  private int socketBaseline = -1;

  /** For subclasses. */
  protected ReconnectContract() {}

  /**
   * A new, not yet connected client for {@code target}. Called once per scenario for the proxy's
   * address, and once more with an address where connects hang (the close-during-connect scenario).
   */
  protected abstract ClientAdapter newClient(InetSocketAddress target) throws Exception;

  /** The echo server's framing; must match how the adapter frames payloads. */
  protected EchoMode framing() {
    return EchoMode.LENGTH_PREFIXED;
  }

  /** How long the client may take to reconnect after a fault ends (backoff included). */
  protected Duration reconnectBound() {
    return Duration.ofSeconds(10);
  }

  /** How long the refuse scenario refuses; the client should retry at least 3 times within it. */
  protected Duration refusalWindow() {
    return Duration.ofSeconds(2);
  }

  /** How many reconnect cycles the file-descriptor scenario runs. */
  protected int reconnectCycles() {
    return 100;
  }

  /** The seed for the proxy's random generator. */
  protected long seed() {
    return 20_100_56L; // WSAEISCONN is 10056
  }

  /** This scenario's proxy, in front of {@link #echoServer()}. */
  protected final FaultProxy proxy() {
    return proxy;
  }

  /** This scenario's echo server. */
  protected final EchoServer echoServer() {
    return echo;
  }

  /** Starts this scenario's echo server and proxy, after noting how many sockets were open. */
  @BeforeEach
  public final void startServers() {
    socketBaseline = FileDescriptors.supported() ? FileDescriptors.sockets() : -1;
    echo = EchoServer.start(framing());
    proxy = FaultProxy.builder(echo.address()).seed(seed()).start();
  }

  /** Closes the clients, then checks that nothing is left open, then closes the servers. */
  @AfterEach
  public final void stopServers() {
    List<String> problems = new ArrayList<>();
    List<ClientAdapter> toClose;
    synchronized (clients) {
      toClose = new ArrayList<>(clients);
      clients.clear();
    }
    ExecutorService closer = Executors.newSingleThreadExecutor();
    try {
      for (ClientAdapter c : toClose) {
        try {
          closer.submit(() -> {
            c.close();
            return null;
          }).get(STEP.toSeconds() * 5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          problems.add("close() threw " + e.getCause());
        } catch (TimeoutException e) {
          problems.add("close() did not return within " + STEP.toSeconds() * 5 + " s");
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          problems.add("interrupted while closing a client");
        }
      }
    } finally {
      closer.shutdownNow();
    }
    try {
      problems.addAll(LeakCheck.openConnections(proxy, echo));
    } finally {
      proxy.close();
      echo.close();
      proxy = null;
      echo = null;
    }
    if (socketBaseline >= 0) {
      String leak = LeakCheck.socketsAbove(socketBaseline);
      if (leak != null) {
        problems.add(leak);
      }
    }
    if (!problems.isEmpty()) {
      fail("after the scenario: " + String.join("; ", problems));
    }
  }

  // ---- scenarios ----

  /** connect() from 16 threads at once: no exception, exactly one connection upstream. */
  @Test
  public void connectFromSixteenThreadsOpensExactlyOneConnection() throws Exception {
    ClientAdapter client = client(proxy.listenAddress());
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      CyclicBarrier gate = new CyclicBarrier(THREADS);
      List<Future<?>> calls = new ArrayList<>();
      for (int i = 0; i < THREADS; i++) {
        calls.add(pool.submit((Callable<Void>) () -> {
          gate.await(STEP.toMillis(), TimeUnit.MILLISECONDS);
          client.connect();
          return null;
        }));
      }
      for (Future<?> call : calls) {
        try {
          call.get(reconnectBound().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
          DoubleConnect.failIfFound("connect() called from " + THREADS + " threads at once", e.getCause());
          fail("connect() called from " + THREADS + " threads at once threw " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
          fail("connect() called from " + THREADS + " threads at once did not return within " + reconnectBound());
        }
      }
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(STEP.toMillis(), TimeUnit.MILLISECONDS);
    }
    roundTrip(client, reconnectBound());
    assertUpstreamConnections(1, THREADS + " threads calling connect() at once");
  }

  /** connect() while connected: no exception, no second connection. */
  @Test
  public void connectWhileConnectedIsANoOp() throws Exception {
    ClientAdapter client = connected();
    for (int i = 0; i < 3; i++) {
      try {
        client.connect();
      } catch (Exception e) {
        DoubleConnect.failIfFound("connect() while connected", e);
        fail("connect() while connected threw " + e, e);
      }
    }
    roundTrip(client, reconnectBound());
    assertTrue(client.isConnected(), "after connect() while connected, isConnected() is false");
    assertUpstreamConnections(1, "connect() three more times while connected");
  }

  /** The server stops and starts again on the same port: the client reconnects, to one connection. */
  @Test
  public void reconnectsAfterServerRestart() throws Exception {
    ClientAdapter client = connected();
    long before = proxy.connections().get(0).id();
    echo.stop();
    // Not "no connections": a quick client may already be in again, on a proxy that cannot reach the server.
    awaitOrFail(() -> proxy.connections().stream().noneMatch(c -> c.id() == before), STEP,
        "the proxy kept the connection after the server stopped");
    echo.restart();
    roundTrip(client, reconnectBound());
    awaitOrFail(() -> echo.openConnections() == 1 && proxy.connections().size() == 1, LeakCheck.SETTLE,
        () -> "after the restart the client should hold exactly one connection; the server has "
            + echo.openConnections() + ", the proxy " + proxy.connections());
  }

  /** Every connection is reset (RST): the client reconnects, exactly once. */
  @Test
  public void reconnectsAfterResetByPeer() throws Exception {
    ClientAdapter client = connected();
    assertEquals(1, proxy.resetAll(), "connections reset");
    roundTrip(client, reconnectBound());
    awaitOrFail(() -> proxy.connections().size() == 1, LeakCheck.SETTLE,
        () -> "after the reset the client should hold exactly one connection; the proxy has " + proxy.connections());
    assertEquals(2, proxy.totalAccepted(),
        "connections accepted: the first, and exactly one more after the reset");
  }

  /**
   * The proxy refuses connects for {@link #refusalWindow()}: the client keeps retrying, without a
   * hot loop, with growing delays, then reconnects once.
   *
   * <p>What is judged holds on a loaded machine, where a poller's view of wall-clock gaps between
   * attempts does not: with {@link ClientAdapter#connectAttempts()}, that the client tried at least
   * 3 times and at most once per {@link #MIN_MEAN_RETRY_GAP} on average over the time the window
   * really took (load only ever lowers that count); with {@link ClientAdapter#plannedRetryDelays()},
   * that the delays the client itself planned while refused grow.
   */
  @Test
  @SuppressWarnings("try") // the fault is only held open, and undone at the end of the block
  public void backsOffWhileRefusedThenReconnects(TestReporter reporter) throws Exception {
    ClientAdapter client = connected();
    long attemptsBefore;
    long attemptsDuring;
    int plannedBefore;
    long windowNanos;
    try (FaultHandle refusing = proxy.refuseNew()) {
      attemptsBefore = client.connectAttempts();
      plannedBefore = client.plannedRetryDelays().size();
      long start = ticker.nanoTime();
      proxy.closeAll();
      Thread.sleep(refusalWindow().toMillis());
      attemptsDuring = client.connectAttempts() - attemptsBefore;
      windowNanos = ticker.nanoTime() - start;
      assertEquals(1, proxy.totalAccepted(), "nothing can be accepted while the proxy refuses");
      assertFalse(client.isConnected(), "isConnected() is true while every connect is refused");
    }
    List<Duration> planned = List.copyOf(client.plannedRetryDelays());
    roundTrip(client, reconnectBound());
    awaitOrFail(() -> proxy.connections().size() == 1, LeakCheck.SETTLE,
        () -> "after refusals the client should hold exactly one connection; the proxy has " + proxy.connections());
    assertEquals(2, proxy.totalAccepted(), "connections accepted: the first, and exactly one after the refusals");
    if (attemptsBefore < 0) {
      reporter.publishEntry("redial.backoff-check", "skipped: the adapter does not count connect attempts");
    } else {
      assertTrue(attemptsDuring >= 3, "while refused for " + refusalWindow() + " the client tried "
          + attemptsDuring + " time(s); it should keep retrying (at least 3 attempts; shorten its backoff for the test"
          + " or lengthen refusalWindow())");
      long mostAttempts = windowNanos / MIN_MEAN_RETRY_GAP.toNanos() + 1;
      assertTrue(attemptsDuring <= mostAttempts, "while refused for " + TimeUnit.NANOSECONDS.toMillis(windowNanos)
          + " ms the client tried " + attemptsDuring + " times: a retry loop without backoff (allowed: at most one"
          + " attempt per " + MIN_MEAN_RETRY_GAP.toMillis() + " ms on average, " + mostAttempts + ")");
    }
    if (planned.size() <= plannedBefore) {
      reporter.publishEntry("redial.backoff-growth-check",
          "skipped: the adapter does not report the client's planned retry delays");
      return;
    }
    List<Duration> whileRefused = planned.subList(plannedBefore, planned.size());
    assertTrue(whileRefused.size() >= 2, "the client planned " + whileRefused.size()
        + " retry delay(s) while refused; at least 2 are needed to see them grow: " + whileRefused);
    Duration first = whileRefused.get(0);
    Duration longestLater = Collections.max(whileRefused.subList(1, whileRefused.size()));
    assertTrue(longestLater.compareTo(first) > 0,
        "the retry delays the client planned while refused should grow; they were " + whileRefused);
  }

  /** Nothing passes any more: the client drops the connection within its declared bound, then reconnects. */
  @Test
  @SuppressWarnings("try") // the fault is only held open, and undone at the end of the block
  public void detectsBlackholeWithinDeclaredBound() throws Exception {
    ClientAdapter client = client(proxy.listenAddress());
    Duration bound = client.blackholeDetectionBound();
    assumeFalse(bound.isZero() || bound.isNegative(),
        "the adapter declares no blackhole detection (blackholeDetectionBound() is zero)");
    connect(client);
    roundTrip(client, reconnectBound());
    long blackholed = proxy.connections().get(0).id();
    try (FaultHandle hole = proxy.blackhole()) {
      // Watched from outside: a client that noticed closes its socket, and the proxy sees that close.
      // (isConnected() alone could flip back to true before a poll sees it, since reconnects succeed.)
      awaitOrFail(() -> proxy.connections().stream().noneMatch(c -> c.id() == blackholed), bound,
          () -> "a blackholed connection was still open after " + bound + ", the detection bound the adapter declares"
              + " (connected: " + client.isConnected() + ")");
    }
    roundTrip(client, reconnectBound());
    awaitOrFail(() -> proxy.connections().size() == 1, LeakCheck.SETTLE,
        () -> "after the blackhole the client should hold exactly one connection; the proxy has " + proxy.connections());
  }

  /** close() while a connect is pending (to a full listen backlog): no socket left open. */
  @Test
  public void closeDuringConnectLeavesNoSocket() throws Exception {
    assumeTrue(FileDescriptors.supported(), FileDescriptors.unsupportedReason());
    try (HangingTarget hanging = HangingTarget.open()) {
      assumeTrue(hanging != null, "could not make a connect hang here (a full listen backlog did not hold SYNs)");
      int before = FileDescriptors.sockets();
      ClientAdapter client = client(hanging.address());
      ExecutorService pool = Executors.newSingleThreadExecutor();
      try {
        Future<?> connecting = pool.submit(() -> {
          client.connect();
          return null;
        });
        awaitOrFail(() -> FileDescriptors.sockets() > before, STEP,
            "the client opened no socket after connect() (a connect to a full backlog should be pending)");
        assertFalse(client.isConnected(), "isConnected() is true while the connect cannot complete");
        ExecutorService closer = Executors.newSingleThreadExecutor();
        try {
          closer.submit(() -> {
            client.close();
            return null;
          }).get(STEP.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          fail("close() during a connect did not return within " + STEP.multipliedBy(2));
        } finally {
          closer.shutdownNow();
        }
        try {
          connecting.get(STEP.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
          DoubleConnect.failIfFound("connect() interrupted by close()", e.getCause());
          // Anything else is a fair answer to "you were closed while connecting".
        } catch (TimeoutException e) {
          fail("connect() did not return within " + STEP.multipliedBy(2) + " after close()");
        }
        awaitOrFail(() -> FileDescriptors.sockets() <= before, LeakCheck.SETTLE,
            () -> (FileDescriptors.sockets() - before) + " socket(s) still open after close() during a connect");
        assertFalse(client.isConnected(), "isConnected() is true after close()");
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /** {@link #reconnectCycles()} closes and resets: open sockets and file descriptors do not grow. */
  @Test
  public void reconnectCyclesDoNotGrowOpenFileDescriptors() throws Exception {
    assumeTrue(FileDescriptors.supported(), FileDescriptors.unsupportedReason());
    ClientAdapter client = connected();
    // One cycle first, so whatever the client creates lazily on its first reconnect exists before counting.
    cycle(client, 0);
    awaitOrFail(() -> proxy.connections().size() == 1, LeakCheck.SETTLE, "the first reconnect left extra connections");
    int fdsBefore = FileDescriptors.open();
    int socketsBefore = FileDescriptors.sockets();
    int cycles = reconnectCycles();
    for (int i = 1; i <= cycles; i++) {
      cycle(client, i);
    }
    awaitOrFail(() -> FileDescriptors.sockets() <= socketsBefore, LeakCheck.SETTLE,
        () -> "after " + cycles + " reconnects " + (FileDescriptors.sockets() - socketsBefore) + " more socket(s) are open");
    int growth = FileDescriptors.open() - fdsBefore;
    assertTrue(growth <= FD_SLACK, "after " + cycles + " reconnects " + growth + " more file descriptors are open");
    awaitOrFail(() -> echo.openConnections() == 1, LeakCheck.SETTLE,
        () -> "after the reconnects the server holds " + echo.openConnections() + " connections, expected 1");
  }

  // ---- helpers for the scenarios, and for subclasses that add their own ----

  /** A new client for {@code target}, closed after the scenario. */
  protected final ClientAdapter client(InetSocketAddress target) throws Exception {
    ClientAdapter c = newClient(target);
    clients.add(c);
    return c;
  }

  /** A new client through the proxy, connected, with one round trip done. */
  protected final ClientAdapter connected() throws Exception {
    ClientAdapter c = client(proxy.listenAddress());
    connect(c);
    roundTrip(c, reconnectBound());
    return c;
  }

  private void connect(ClientAdapter c) throws Exception {
    try {
      c.connect();
    } catch (Exception e) {
      DoubleConnect.failIfFound("the first connect()", e);
      throw e;
    }
  }

  /** Closes (or, every other time, resets) the connection and waits for a round trip on a new one. */
  private void cycle(ClientAdapter client, int i) throws Exception {
    int n = i % 2 == 0 ? proxy.closeAll() : proxy.resetAll();
    assertEquals(1, n, "connections through the proxy at reconnect cycle " + i);
    roundTrip(client, reconnectBound());
  }

  /**
   * Sends a fresh payload and waits for its echo, retrying until {@code bound}: the client may be
   * reconnecting. A double connect anywhere on the way fails at once.
   */
  protected final void roundTrip(ClientAdapter client, Duration bound) throws Exception {
    byte[] payload = ("redial-contract-" + payloadCounter.incrementAndGet()).getBytes(StandardCharsets.US_ASCII);
    long deadline = ticker.nanoTime() + bound.toNanos();
    Throwable last = null;
    for (int attempt = 0; attempt < 1_000; attempt++) {
      long left = deadline - ticker.nanoTime();
      if (left <= 0) {
        break;
      }
      Duration step = Duration.ofNanos(Math.min(left, STEP.toNanos()));
      if (!settle(client::isConnected, step)) {
        continue;
      }
      try {
        client.send(payload);
        long echoWait = Math.max(1, Math.min(deadline - ticker.nanoTime(), STEP.toNanos()));
        if (awaitEcho(client, payload, Duration.ofNanos(echoWait))) {
          return;
        }
      } catch (Exception e) {
        DoubleConnect.failIfFound("a round trip", e);
        last = e;
        // Give a reconnect a moment to start before trying again.
        settle(() -> false, Duration.ofMillis(20));
      }
    }
    AssertionError error = new AssertionError("no round trip within " + bound + " (connected: " + client.isConnected()
        + (last == null ? "" : ", last error: " + last) + ")");
    if (last != null) {
      error.initCause(last);
    }
    throw error;
  }

  private static boolean awaitEcho(ClientAdapter client, byte[] payload, Duration timeout) throws Exception {
    Ticker t = Ticker.systemTicker();
    long deadline = t.nanoTime() + timeout.toNanos();
    for (int frames = 0; frames < 10_000; frames++) {
      long left = deadline - t.nanoTime();
      if (left <= 0) {
        return false;
      }
      byte[] got = client.receive(Duration.ofNanos(left));
      if (got == null) {
        return false;
      }
      if (Arrays.equals(got, payload)) {
        return true;
      }
      // Not ours: a heartbeat echo, or a late echo from an earlier attempt.
    }
    return false;
  }

  private void assertUpstreamConnections(int expected, String after) {
    assertEquals(expected, proxy.totalAccepted(), "connections the proxy accepted after " + after);
    assertEquals(expected, echo.totalAccepted(), "connections the server accepted after " + after);
  }

  private static boolean settle(BooleanSupplier condition, Duration within) {
    Duration atMost = within.compareTo(Duration.ofMillis(10)) < 0 ? Duration.ofMillis(10) : within;
    return Poll.until(condition::getAsBoolean, atMost, Duration.ofMillis(5));
  }

  private static void awaitOrFail(BooleanSupplier condition, Duration within, String message) {
    awaitOrFail(condition, within, () -> message);
  }

  private static void awaitOrFail(BooleanSupplier condition, Duration within, Supplier<String> message) {
    if (!settle(condition, within)) {
      fail(message.get());
    }
  }
}
