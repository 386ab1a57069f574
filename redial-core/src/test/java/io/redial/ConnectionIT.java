package io.redial;

import static io.redial.ConnectionState.BACKOFF;
import static io.redial.ConnectionState.CLOSED;
import static io.redial.ConnectionState.CLOSING;
import static io.redial.ConnectionState.CONNECTED;
import static io.redial.ConnectionState.CONNECTING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.redial.internal.Lifecycle;
import io.redial.internal.ManagedConnection;
import io.redial.testing.Fds;
import io.redial.testing.LoopbackServer;
import io.redial.testing.Recorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The lifecycle on real loopback sockets. */
class ConnectionIT {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private LoopbackServer server() throws Exception {
    LoopbackServer s = LoopbackServer.start();
    toClose.add(s);
    return s;
  }

  private Connection connection(LoopbackServer server, Recorder recorder) {
    Connection c = Redial.connection("it")
        .endpoint(server.address())
        .backoff(Backoff.fixed(Duration.ofMillis(50)))
        .connectTimeout(Duration.ofSeconds(5))
        .listener(recorder)
        .build();
    toClose.add(c);
    return c;
  }

  @Test
  void threadsAwaitingStatesWakeExactlyForTheirStates() throws Exception {
    LoopbackServer server = server();
    Connection c = connection(server, new Recorder());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      // 4 threads wait for CONNECTED and 4 for CLOSED, all before anything happens
      List<Future<Boolean>> connected = new ArrayList<>();
      List<Future<Boolean>> closed = new ArrayList<>();
      CountDownLatch started = new CountDownLatch(8);
      for (int i = 0; i < 4; i++) {
        connected.add(pool.submit(() -> {
          started.countDown();
          return c.awaitState(CONNECTED, WAIT);
        }));
        closed.add(pool.submit(() -> {
          started.countDown();
          return c.awaitState(CLOSED, WAIT);
        }));
      }
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      // nobody moves the connection: a short wait for BACKOFF times out and says so
      assertThat(c.awaitState(BACKOFF, Duration.ofMillis(50))).isFalse();
      c.connect().get(10, TimeUnit.SECONDS);
      for (Future<Boolean> f : connected) {
        assertThat(f.get(10, TimeUnit.SECONDS)).isTrue();
      }
      for (Future<Boolean> f : closed) {
        assertThat(f.isDone()).isFalse(); // CONNECTED did not wake the CLOSED waiters
      }
      c.close();
      for (Future<Boolean> f : closed) {
        assertThat(f.get(10, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(c.awaitState(CLOSED, Duration.ZERO)).isTrue(); // already there
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void connectFrom32ThreadsThen1000MoreCallsMakesExactlyOneSocket() throws Exception {
    LoopbackServer server = server();
    Connection c = connection(server, new Recorder());
    ExecutorService pool = Executors.newFixedThreadPool(32);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<CompletableFuture<Connection>>> calls = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        calls.add(pool.submit(() -> {
          go.await();
          return c.connect();
        }));
      }
      go.countDown();
      Set<CompletableFuture<Connection>> distinct = new HashSet<>();
      for (var call : calls) {
        CompletableFuture<Connection> f = call.get(10, TimeUnit.SECONDS);
        distinct.add(f);
        assertThat(f.get(10, TimeUnit.SECONDS)).isSameAs(c);
      }
      assertThat(distinct).as("every concurrent caller shares one future").hasSize(1);
      for (int i = 0; i < 1_000; i++) {
        assertThat(c.connect()).isCompletedWithValue(c);
      }
      await().atMost(WAIT).until(() -> server.accepted() >= 1);
      assertThat(server.accepted()).isEqualTo(1);
      assertThat(server.open()).isEqualTo(1);
      assertThat(c.generation()).isEqualTo(1);
      assertThat(c.stats().attempts()).isEqualTo(1);
      assertThat(c.state()).isEqualTo(CONNECTED);
    } finally {
      pool.shutdownNow();
    }
  }

  private void reconnectsWithAFreshChannelAfter(Consumer<LoopbackServer> fault) throws Exception {
    LoopbackServer server = server();
    Recorder rec = new Recorder();
    Connection c = connection(server, rec);
    c.connect().get(10, TimeUnit.SECONDS);
    for (int round = 1; round <= 3; round++) {
      int acceptedSoFar = round;
      // the client is CONNECTED once the kernel completed the handshake; the fault must wait
      // until the server has accept()ed the socket, or it would miss it
      await().atMost(WAIT).until(() -> server.accepted() == acceptedSoFar);
      long genBefore = c.generation();
      int before = rec.transitions().size();
      fault.accept(server);
      long wanted = genBefore + 1;
      await().atMost(WAIT).until(() -> rec.transitions().stream()
          .anyMatch(t -> t.to() == CONNECTED && t.generation() == wanted));
      assertThat(rec.states().subList(before, rec.states().size()))
          .containsExactly(BACKOFF, CONNECTING, CONNECTED);
      int accepts = round + 1;
      // the kernel completes the handshake before the server thread accept()s
      await().atMost(WAIT).until(() -> server.accepted() >= accepts);
      assertThat(server.accepted()).isEqualTo(accepts);
    }
    assertThat(server.maxOpen()).as("sockets of this connection open at once").isEqualTo(1);
    assertThat(c.generation()).isEqualTo(4);
    assertThat(c.stats().disconnects()).isEqualTo(3);
  }

  @Test
  void serverClosesTheSocket() throws Exception {
    reconnectsWithAFreshChannelAfter(LoopbackServer::closeAll);
  }

  @Test
  void serverResetsTheSocket() throws Exception {
    reconnectsWithAFreshChannelAfter(LoopbackServer::resetAll);
  }

  @Test
  void serverStopsAndRestartsOnTheSamePort() throws Exception {
    reconnectsWithAFreshChannelAfter(s -> {
      s.stop();
      s.restart();
    });
  }

  @Test
  void aLateEventFromAnOldGenerationChangesNothing() throws Exception {
    LoopbackServer server = server();
    Recorder rec = new Recorder();
    Connection c = connection(server, rec);
    c.connect().get(10, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> server.accepted() == 1);
    server.closeAll();
    await().atMost(WAIT).until(() -> c.state() == CONNECTED && c.generation() == 2);
    int events = rec.events().size();
    ManagedConnection mc = (ManagedConnection) c;
    RedialException late = RedialException.of("WSAECONNRESET", "late report about generation 1");
    mc.inject(new Lifecycle.ChannelLost(1, late));
    mc.inject(new Lifecycle.ChannelClosed(1));
    mc.inject(new Lifecycle.ConnectFailed(1, late));
    mc.inject(new Lifecycle.PingUnanswered(1));
    mc.inject(new Lifecycle.TransportUp(1));
    // a round trip through the event loop: everything injected before it has been handled
    mc.barrier().get(10, TimeUnit.SECONDS);
    assertThat(c.state()).isEqualTo(CONNECTED);
    assertThat(c.generation()).isEqualTo(2);
    assertThat(rec.events()).hasSize(events);
    assertThat(server.accepted()).isEqualTo(2);
    assertThat(server.open()).isEqualTo(1);
  }

  @Test
  void refusedConnectsBackOffUntilTheServerComesBack() throws Exception {
    LoopbackServer server = server();
    server.stop();
    Recorder rec = new Recorder();
    Connection c = connection(server, rec);
    CompletableFuture<Connection> f = c.connect();
    await().atMost(WAIT).until(() -> rec.of(ConnectionEvent.AttemptFailed.class).size() >= 3);
    assertThat(f).isNotDone();
    ConnectionEvent.AttemptFailed failed = rec.of(ConnectionEvent.AttemptFailed.class).get(0);
    assertThat(failed.socketError().name()).isEqualTo("WSAECONNREFUSED");
    assertThat(failed.nextDelay()).contains(Duration.ofMillis(50));
    server.restart();
    assertThat(f.get(10, TimeUnit.SECONDS)).isSameAs(c);
    await().atMost(WAIT).until(() -> server.accepted() >= 1);
    assertThat(server.accepted()).isEqualTo(1);
  }

  @Test
  void maxAttemptsSpentClosesWithTheLastCause() throws Exception {
    LoopbackServer server = server();
    server.stop();
    Recorder rec = new Recorder();
    Connection c = Redial.connection("budget")
        .endpoint(server.address())
        .backoff(Backoff.fixed(Duration.ofMillis(10)))
        .maxAttempts(3)
        .listener(rec)
        .build();
    toClose.add(c);
    assertThatThrownBy(() -> c.connect().join())
        .isInstanceOf(CompletionException.class)
        .cause().isInstanceOf(RedialException.class)
        .hasMessageContaining("gave up after 3 failed attempts");
    assertThat(c.state()).isEqualTo(CLOSED);
    assertThat(c.stats().attempts()).isEqualTo(3);
    assertThat(rec.states()).last().isEqualTo(CLOSED);
  }

  @Test
  void closeIsTerminalAndConnectAfterCloseSaysSo() throws Exception {
    LoopbackServer server = server();
    Connection c = connection(server, new Recorder());
    c.connect().get(10, TimeUnit.SECONDS);
    c.close();
    assertThat(c.state()).isEqualTo(CLOSED);
    c.close(); // a second close is a no-op
    assertThatThrownBy(() -> c.connect().join())
        .cause().isInstanceOf(RedialException.class)
        .hasMessageContaining("closed");
    assertThat(((RedialException) c.connect().handle((v, t) -> t.getCause() != null
        ? t.getCause() : t).join()).error().name()).isEqualTo("CONNECTION_CLOSED");
    await().atMost(WAIT).until(() -> server.open() == 0);
  }

  @Test
  void closeDuringConnectLeavesNothingOpen() throws Exception {
    // a TLS handshake with a server that accepts and never answers keeps the attempt CONNECTING
    LoopbackServer server = LoopbackServer.start(LoopbackServer.Mode.SILENT_ACCEPT);
    toClose.add(server);
    Recorder rec = new Recorder();
    Connection c = Redial.connection("closing")
        .endpoint(server.address())
        .tls(javax.net.ssl.SSLContext.getDefault())
        .listener(rec)
        .build();
    toClose.add(c);
    CompletableFuture<Connection> f = c.connect();
    await().atMost(WAIT).until(() -> server.accepted() == 1);
    assertThat(c.state()).isEqualTo(CONNECTING);
    c.close();
    assertThat(c.state()).isEqualTo(CLOSED);
    assertThat(f).isCompletedExceptionally();
    assertThat(rec.states()).containsExactly(CONNECTING, CLOSING, CLOSED);
    // the server now reads: it sees end of stream on the attempt's socket, so it was closed
    server.mode(LoopbackServer.Mode.ECHO);
    await().atMost(WAIT).until(() -> server.open() == 0);
  }

  @Test
  void twoHundredConnectCloseCyclesLeakNoFileDescriptor() throws Exception {
    assertThat(Fds.supported()).as("this test counts descriptors in /proc/self/fd").isTrue();
    LoopbackServer server = server();
    // warm up: the shared event loop group, native transport and selector fds are created once
    try (Connection warm = connection(server, new Recorder())) {
      warm.connect().get(10, TimeUnit.SECONDS);
    }
    await().atMost(WAIT).until(() -> server.open() == 0);
    int before = Fds.sockets();
    for (int i = 0; i < 200; i++) {
      Connection c = Redial.connection("cycle-" + i).endpoint(server.address()).build();
      c.connect().get(10, TimeUnit.SECONDS);
      c.close();
      assertThat(c.state()).isEqualTo(CLOSED);
    }
    await().atMost(WAIT).until(() -> server.open() == 0);
    int after = Fds.sockets();
    System.out.printf("open sockets before 200 cycles: %d, after: %d (all fds: %d)%n", before,
        after, Fds.count());
    assertThat(after).isEqualTo(before);
    assertThat(server.accepted()).isEqualTo(201);
  }
}
