package io.redial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.redial.testing.FakeScheduler;
import io.redial.testing.LoopbackServer;
import io.redial.testing.Recorder;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/**
 * Real sockets, fake time: the connect timeout, the backoff wait and the stability that resets it
 * are driven by a clock the test moves, so their exact values are asserted without sleeping.
 */
class FakeTimeIT {
  @Test
  void connectTimeoutThenExactBackoffThenANewAttempt() throws Exception {
    // a TLS handshake against a server that never answers: the attempt hangs until timed out
    try (LoopbackServer server = LoopbackServer.start(LoopbackServer.Mode.SILENT_ACCEPT)) {
      FakeScheduler time = new FakeScheduler();
      Recorder rec = new Recorder();
      Connection c = Redial.connection("fake-time")
          .endpoint(server.address())
          .tls(SSLContext.getDefault())
          .connectTimeout(Duration.ofSeconds(3))
          .backoff(Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(60), 2.0, 0.2))
          .random(new FixedRandom(1.0)) // the top of the jitter range: +20 %
          .listener(rec)
          .build(time::forLoop, time);
      try {
        CompletableFuture<Connection> f = c.connect();
        await().atMost(Duration.ofSeconds(10)).until(() -> server.accepted() == 1);
        assertThat(time.pending()).containsExactly(Duration.ofSeconds(3)); // the connect timer

        time.advance(Duration.ofMillis(2_999));
        assertThat(c.state()).isEqualTo(ConnectionState.CONNECTING);
        time.advance(Duration.ofMillis(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> c.state() == ConnectionState.BACKOFF);
        var failed = rec.of(ConnectionEvent.AttemptFailed.class).get(0);
        assertThat(failed.socketError().name()).isEqualTo("CONNECT_TIMEOUT");
        assertThat(failed.error()).hasMessageContaining("within PT3S");
        assertThat(failed.nextDelay()).contains(Duration.ofMillis(1_200));
        assertThat(time.pending()).containsExactly(Duration.ofMillis(1_200));

        time.advance(Duration.ofMillis(1_199));
        assertThat(c.state()).isEqualTo(ConnectionState.BACKOFF);
        assertThat(c.generation()).isEqualTo(1);
        time.advance(Duration.ofMillis(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> server.accepted() == 2);
        assertThat(c.state()).isEqualTo(ConnectionState.CONNECTING);
        assertThat(c.generation()).isEqualTo(2);
        assertThat(f).isNotDone();

        // the second wait is twice the first: 2 s + 20 %
        time.advance(Duration.ofSeconds(3));
        await().atMost(Duration.ofSeconds(10)).until(() -> c.state() == ConnectionState.BACKOFF);
        assertThat(time.pending()).containsExactly(Duration.ofMillis(2_400));
      } finally {
        c.close();
      }
      assertThat(time.pending()).as("no timer left after close").isEmpty();
    }
  }

  @Test
  void theBackoffStartsOverOnlyAfterAConnectionStayedUpForStableAfter() throws Exception {
    try (LoopbackServer server = LoopbackServer.start()) {
      FakeScheduler time = new FakeScheduler();
      Recorder rec = new Recorder();
      Connection c = Redial.connection("stable")
          .endpoint(server.address())
          .backoff(Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(60), 2.0, 0.0))
          .stableAfter(Duration.ofSeconds(5))
          .listener(rec)
          .build(time::forLoop, time);
      try {
        c.connect().get(10, TimeUnit.SECONDS);
        // connected: no timer at all (the stability check needs none)
        assertThat(time.pending()).isEmpty();

        // lost at once: 1 s; lost again at once: 2 s, the backoff grows
        assertThat(dropAndAwaitBackoff(server, c, time)).containsExactly(Duration.ofSeconds(1));
        reconnect(c, time, Duration.ofSeconds(1), 2);
        time.advance(Duration.ofMillis(4_999)); // 1 ms short of stable
        assertThat(dropAndAwaitBackoff(server, c, time)).containsExactly(Duration.ofSeconds(2));

        // up for exactly stableAfter, then lost: the wait starts over at 1 s
        reconnect(c, time, Duration.ofSeconds(2), 3);
        time.advance(Duration.ofSeconds(5));
        assertThat(dropAndAwaitBackoff(server, c, time)).containsExactly(Duration.ofSeconds(1));
        assertThat(rec.of(ConnectionEvent.StateChanged.class).stream()
            .filter(e -> e.to() == ConnectionState.CONNECTED).count()).isEqualTo(3);
      } finally {
        c.close();
      }
      assertThat(time.pending()).as("no timer left after close").isEmpty();
    }
  }

  @Test
  void aHeartbeatIsMissedAtExactlyIntervalPlusTimeoutOnTheConnectionsOwnClock() throws Exception {
    // the server accepts and never answers: only the heartbeat can tell the connection is dead
    try (LoopbackServer server = LoopbackServer.start(LoopbackServer.Mode.SILENT_ACCEPT)) {
      FakeScheduler time = new FakeScheduler();
      Recorder rec = new Recorder();
      Connection c = Redial.connection("heartbeat")
          .endpoint(server.address())
          .heartbeat(Heartbeat.every(Duration.ofSeconds(2), Duration.ofSeconds(1), new byte[] {7}))
          .backoff(Backoff.fixed(Duration.ofSeconds(30)))
          .listener(rec)
          .build(time::forLoop, time);
      try {
        c.connect().get(10, TimeUnit.SECONDS);
        // the heartbeat's first check is armed when the channel becomes active
        await().atMost(Duration.ofSeconds(10))
            .until(() -> time.pending().contains(Duration.ofSeconds(2)));
        time.advance(Duration.ofMillis(1_999));
        assertThat(c.stats().framesSent()).isZero();
        time.advance(Duration.ofMillis(1)); // interval: the ping goes out
        await().atMost(Duration.ofSeconds(10)).until(() -> server.accepted() == 1);
        time.advance(Duration.ofMillis(999));
        assertThat(c.state()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(rec.of(ConnectionEvent.HeartbeatMissed.class)).isEmpty();
        time.advance(Duration.ofMillis(1)); // interval + timeout: missed
        await().atMost(Duration.ofSeconds(10)).until(() -> c.state() == ConnectionState.BACKOFF);
        assertThat(rec.of(ConnectionEvent.HeartbeatMissed.class))
            .containsExactly(new ConnectionEvent.HeartbeatMissed("heartbeat", 1));
        assertThat(time.pending()).containsExactly(Duration.ofSeconds(30));
      } finally {
        c.close();
      }
      assertThat(time.pending()).as("no timer left after close").isEmpty();
    }
  }

  @Test
  void maxConnectionAgeReplacesTheChannelAtItsAgeOnTheFakeClock() throws Exception {
    try (LoopbackServer server = LoopbackServer.start()) {
      FakeScheduler time = new FakeScheduler();
      MessageConnection<byte[]> c = Redial.connection("aged", Framing.lengthPrefixed())
          .endpoint(server.address())
          .maxConnectionAge(Duration.ofMinutes(10))
          .random(new FixedRandom(0.0)) // no jitter: exactly the age
          .build(time::forLoop, time);
      try {
        c.connect().get(10, TimeUnit.SECONDS);
        assertThat(time.pending()).containsExactly(Duration.ofMinutes(10));
        time.advance(Duration.ofMinutes(10).minusNanos(1));
        assertThat(c.generation()).isEqualTo(1);
        time.advance(Duration.ofNanos(1));
        await().atMost(Duration.ofSeconds(10)).until(
            () -> c.generation() == 2 && c.state() == ConnectionState.CONNECTED);
        assertThat(server.maxOpen()).isEqualTo(1);
        assertThat(time.pending()).containsExactly(Duration.ofMinutes(10));
      } finally {
        c.close();
      }
      assertThat(time.pending()).isEmpty();
    }
  }

  /** The server closes the connection; returns the pending timers once it is in BACKOFF. */
  private static java.util.List<Duration> dropAndAwaitBackoff(
      LoopbackServer server, Connection c, FakeScheduler time) {
    // connected means the kernel accepted the socket; the server thread may not have taken it
    // from the backlog yet, and closeAll() only closes what it took
    await().atMost(Duration.ofSeconds(10)).until(() -> server.accepted() == c.generation());
    server.closeAll();
    await().atMost(Duration.ofSeconds(10)).until(() -> c.state() == ConnectionState.BACKOFF);
    return time.pending();
  }

  private static void reconnect(Connection c, FakeScheduler time, Duration wait, long generation)
      throws Exception {
    time.advance(wait);
    await().atMost(Duration.ofSeconds(10)).until(
        () -> c.state() == ConnectionState.CONNECTED && c.generation() == generation);
  }
}
