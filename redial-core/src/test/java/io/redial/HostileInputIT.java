package io.redial;

import static io.redial.ConnectionState.BACKOFF;
import static io.redial.ConnectionState.CLOSED;
import static io.redial.ConnectionState.CLOSING;
import static io.redial.ConnectionState.CONNECTED;
import static io.redial.ConnectionState.CONNECTING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.redial.testing.Fds;
import io.redial.testing.LoopbackServer;
import io.redial.testing.Recorder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile and bad input not covered elsewhere: host names that do not resolve, a listener and an
 * {@code onMessage} handler that throw, and 10 000 tasks calling {@code connect()}, {@code
 * close()} and {@code send()} at random. Each gets a clear error, completes every future, and
 * leaks no socket.
 *
 * <p>Names use the reserved {@code .invalid} top-level domain (RFC 2606), and the test JVM
 * resolves from a loopback-only hosts file: the lookup fails locally, no query leaves the machine.
 */
class HostileInputIT {
  private static final String NO_SUCH_HOST = "no-such-host.invalid";
  private static final Duration WAIT = Duration.ofSeconds(20);
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private int socketsBefore;

  @BeforeEach
  void countSockets() {
    socketsBefore = Fds.supported() ? Fds.sockets() : 0;
  }

  @AfterEach
  void closeAllAndCheckNoSocketLeaked() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    if (Fds.supported()) {
      await().atMost(WAIT).until(() -> Fds.sockets() <= socketsBefore);
    }
  }

  private LoopbackServer server() throws Exception {
    LoopbackServer s = LoopbackServer.start();
    toClose.add(s);
    return s;
  }

  private <C extends Connection> C closeLater(C c) {
    toClose.add(c);
    return c;
  }

  private Connection unresolvable(Recorder rec) {
    return closeLater(Redial.connection("unresolvable")
        .endpoint(NO_SUCH_HOST, 4242)
        .backoff(Backoff.fixed(Duration.ofMillis(20)))
        .maxAttempts(3)
        .listener(rec)
        .build());
  }

  @Test
  void aHostThatDoesNotResolveIsRetriedThenGivenUpAndQueuedFramesFailSayingWhy() throws Exception {
    Recorder rec = new Recorder();
    Connection c = unresolvable(rec);
    CompletableFuture<Void> queued = c.send("before connect".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> c.connect().get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(RedialException.class)
        .hasMessageContaining("gave up after 3 failed attempts");
    List<ConnectionEvent.AttemptFailed> failures = rec.of(ConnectionEvent.AttemptFailed.class);
    assertThat(failures).extracting(ConnectionEvent.AttemptFailed::endpoint)
        .containsExactly(NO_SUCH_HOST + ":4242", NO_SUCH_HOST + ":4242", NO_SUCH_HOST + ":4242");
    assertThat(failures.get(2).nextDelay()).isEmpty();
    assertThat(c.state()).isEqualTo(CLOSED);
    // The frame queued while it tried is not lost silently: its future fails, saying why.
    assertThatThrownBy(() -> queued.get(10, TimeUnit.SECONDS))
        .cause().isInstanceOf(RedialException.class);
    assertThat(c.stats().queuedFrames()).isZero();
  }

  /**
   * Each failed attempt must say that the name did not resolve. Exposes a bug in redial-core
   * (found by this test): Netty's Bootstrap closes the channel before it fails the connect
   * promise when resolution fails, so the lifecycle first sees the close ("closed before it
   * connected [CHANNEL_CLOSED]") and then ignores the real cause (UnknownHostException) as an
   * event of a finished attempt.
   */
  @Test
  void eachAttemptOnAHostThatDoesNotResolveSaysTheNameDidNotResolve() throws Exception {
    Recorder rec = new Recorder();
    Connection c = unresolvable(rec);
    CompletableFuture<Connection> connect = c.connect();
    await().atMost(WAIT).until(connect::isDone);

    List<ConnectionEvent.AttemptFailed> failures = rec.of(ConnectionEvent.AttemptFailed.class);
    assertThat(failures).hasSize(3);
    for (ConnectionEvent.AttemptFailed f : failures) {
      assertThat(f.error()).hasMessageContaining(NO_SUCH_HOST);
      assertThat(f.socketError().name()).isEqualTo("WSAHOST_NOT_FOUND");
    }
    assertThatThrownBy(() -> connect.get(10, TimeUnit.SECONDS))
        .cause().hasMessageContaining(NO_SUCH_HOST);
  }

  @Test
  void anEndpointThatDoesNotResolveFailsOverToTheNextAndQueuedFramesGoOut() throws Exception {
    LoopbackServer server = server();
    List<String> received = new CopyOnWriteArrayList<>();
    Recorder rec = new Recorder();
    Connection c = closeLater(Redial.connection("failover")
        .endpoint(NO_SUCH_HOST, server.port())
        .endpoint("localhost", server.port()) // a name the hosts file resolves, at each attempt
        .backoff(Backoff.fixed(Duration.ofMillis(20)))
        .onMessage(m -> received.add(new String(m, StandardCharsets.UTF_8)))
        .listener(rec)
        .build());
    CompletableFuture<Void> queued = c.send("queued".getBytes(StandardCharsets.UTF_8));

    c.connect().get(10, TimeUnit.SECONDS);
    queued.get(10, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> received.contains("queued"));
    assertThat(rec.of(ConnectionEvent.AttemptFailed.class))
        .first().satisfies(f -> assertThat(f.endpoint()).isEqualTo(NO_SUCH_HOST + ":" + server.port()));
    assertThat(server.accepted()).isEqualTo(1);
    assertThat(c.generation()).isEqualTo(2); // one channel per attempt, the failed one included
  }

  @Test
  void aListenerThatThrowsDoesNotStopTheConnectionNorTheOtherListeners() throws Exception {
    LoopbackServer server = server();
    AtomicInteger thrown = new AtomicInteger();
    Recorder rec = new Recorder();
    List<String> received = new CopyOnWriteArrayList<>();
    Connection c = closeLater(Redial.connection("throwing-listener")
        .endpoint(server.address())
        .backoff(Backoff.fixed(Duration.ofMillis(20)))
        .listener(e -> {
          thrown.incrementAndGet();
          throw new IllegalStateException("listener bug on " + e);
        })
        .listener(rec)
        .onMessage(m -> received.add(new String(m, StandardCharsets.UTF_8)))
        .build());

    c.connect().get(10, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> server.accepted() == 1);
    server.resetAll();
    await().atMost(WAIT).until(() -> c.generation() == 2 && c.state() == CONNECTED);
    c.send("after".getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> received.contains("after"));
    c.close();

    assertThat(rec.states())
        .containsExactly(CONNECTING, CONNECTED, BACKOFF, CONNECTING, CONNECTED, CLOSING, CLOSED);
    assertThat(thrown.get()).as("the throwing listener got every event too")
        .isEqualTo(rec.events().size());
  }

  @Test
  void anOnMessageThatThrowsLosesNoLaterFrameAndKeepsTheConnection() throws Exception {
    LoopbackServer server = server();
    List<Integer> received = new CopyOnWriteArrayList<>();
    Connection c = closeLater(Redial.connection("throwing-handler")
        .endpoint(server.address())
        .onMessage(m -> {
          int n = Integer.parseInt(new String(m, StandardCharsets.UTF_8));
          received.add(n);
          if (n % 2 == 0) {
            throw new IllegalArgumentException("handler bug on frame " + n);
          }
        })
        .build());
    c.connect().get(10, TimeUnit.SECONDS);
    for (int i = 0; i < 100; i++) {
      c.send(Integer.toString(i).getBytes(StandardCharsets.UTF_8));
    }
    await().atMost(WAIT).until(() -> received.size() == 100);
    assertThat(received).isSorted().doesNotHaveDuplicates();
    assertThat(c.state()).isEqualTo(CONNECTED);
    assertThat(c.generation()).isEqualTo(1);
    assertThat(c.stats().framesReceived()).isEqualTo(100);
  }

  /**
   * 10 000 tasks on 64 threads: each picks one of a few slots and calls {@code connect()},
   * {@code close()} or {@code send()} on its connection; a task that finds its slot's connection
   * CLOSED puts a new one there. No call throws, every future completes, a failed one with a
   * {@link RedialException}, no connection ever holds two sockets (at most one per slot is open
   * at any moment), and once everything is closed no socket is left.
   */
  @Test
  void tenThousandTasksConnectingClosingAndSendingAtRandom() throws Exception {
    LoopbackServer server = server();
    int slots = 4;
    List<Connection> all = new CopyOnWriteArrayList<>();
    AtomicReferenceArray<Connection> current = new AtomicReferenceArray<>(slots);
    AtomicInteger built = new AtomicInteger();
    for (int i = 0; i < slots; i++) {
      current.set(i, newConnection(server, built, all));
    }
    ConcurrentLinkedQueue<CompletableFuture<?>> futures = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(64);
    List<Future<?>> tasks = new ArrayList<>();
    SplittableRandom seeds = new SplittableRandom(10_000);
    try {
      for (int t = 0; t < 10_000; t++) {
        SplittableRandom r = seeds.split();
        tasks.add(pool.submit(() -> {
          int slot = r.nextInt(slots);
          Connection c = current.get(slot);
          if (c.state() == CLOSED) {
            Connection fresh = newConnection(server, built, all);
            if (!current.compareAndSet(slot, c, fresh)) {
              fresh.close(); // another task replaced it first
            }
            c = current.get(slot);
          }
          int op = r.nextInt(100);
          if (op < 40) {
            futures.add(c.connect());
          } else if (op < 42) {
            c.close(); // rare enough that connections live long enough to connect at times
          } else {
            futures.add(c.send(new byte[] {(byte) op}));
          }
        }));
      }
      for (Future<?> task : tasks) {
        task.get(60, TimeUnit.SECONDS); // rethrows whatever a call threw
      }
    } finally {
      pool.shutdownNow();
    }
    for (Connection c : all) {
      c.close();
    }
    int succeeded = 0;
    int failed = 0;
    for (CompletableFuture<?> f : futures) {
      try {
        f.get(10, TimeUnit.SECONDS);
        succeeded++;
      } catch (ExecutionException e) {
        failed++;
        assertThat(e.getCause()).isInstanceOf(RedialException.class);
        assertThat(e.getCause().getMessage()).isNotBlank();
      }
    }
    String summary = built.get() + " connections, " + server.accepted() + " sockets accepted, "
        + succeeded + " futures succeeded, " + failed + " failed";
    System.out.println("10 000 tasks: " + summary);
    // Closes happened and new connections took their slots; real sockets were opened; calls
    // both succeeded and failed (most fail: a graceful close keeps a connection CLOSING a while).
    assertThat(built.get()).as(summary).isGreaterThan(slots * 2);
    assertThat(server.accepted()).as(summary).isPositive();
    assertThat(succeeded).as(summary).isPositive();
    assertThat(failed).as(summary).isPositive();
    assertThat(server.maxOpen()).as("never more sockets than slots").isLessThanOrEqualTo(slots);
    for (Connection c : all) {
      assertThat(c.state()).isEqualTo(CLOSED);
      assertThat(c.stats().queuedFrames()).isZero();
    }
    await().atMost(WAIT).until(() -> server.open() == 0);
  }

  private Connection newConnection(LoopbackServer server, AtomicInteger built,
      List<Connection> all) {
    Connection c = Redial.connection("random-" + built.incrementAndGet())
        .endpoint(server.address())
        .backoff(Backoff.fixed(Duration.ofMillis(10)))
        .closeTimeout(Duration.ofSeconds(2))
        .build();
    all.add(c);
    return c;
  }
}
