package io.redial.cli.soak;

import static org.assertj.core.api.Assertions.assertThat;

import io.redial.Backoff;
import io.redial.Connection;
import io.redial.ConnectionState;
import io.redial.Framing;
import io.redial.Redial;
import io.redial.testkit.EchoServer;
import io.redial.testkit.FaultHandle;
import io.redial.testkit.FaultProxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The numbered-frames traffic: on a real connection through a real proxy to the soak's server on
 * loopback (echoes are counted once; after a reconnect exactly the frames handed to the dead
 * socket are re-sent), and fed echoes directly (each kind of violation is counted). The client's
 * clock is a fake one, moved by hand.
 */
class SoakClientTest {
  private static final int INDEX = 3;
  private final AtomicLong now = new AtomicLong(1_000);
  private final AtomicLong openFutures = new AtomicLong();
  private final SoakClient client = new SoakClient(INDEX, new Traffic.Context(now::get, openFutures));
  private final ServerLedger ledger = new ServerLedger(System::nanoTime, Duration.ofSeconds(2).toNanos());
  private EchoServer server;
  private FaultProxy proxy;
  private Connection connection;

  /** Through a proxy to the soak's server. */
  private void connectable() {
    server = Soak.server(ledger);
    proxy = FaultProxy.builder(server.address()).seed(1).start();
    connection = Redial.connection("soak-test")
        .endpoint(proxy.listenAddress())
        .framing(Framing.lengthPrefixed(Frames.MAX_FRAME_BYTES))
        .backoff(Backoff.fixed(Duration.ofMillis(20)))
        .onMessage(client::onMessage)
        .listener(client::onEvent)
        .build();
    client.attach(connection);
  }

  /** Never connected: sends wait in its queue, or fail at once. */
  private void unconnected(boolean rejectWhileDisconnected) {
    var b = Redial.connection("soak-test")
        .endpoint(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9))
        .listener(client::onEvent);
    if (rejectWhileDisconnected) {
      b.rejectWhileDisconnected();
    }
    connection = b.build();
    client.attach(connection);
  }

  @AfterEach
  void stop() {
    connection.close();
    // Every send future completes once the connection is closed: nothing hangs.
    await("no open futures", () -> openFutures.get() == 0);
    if (proxy != null) {
      proxy.close();
      server.close();
    }
  }

  private static void await(String what, BooleanSupplier condition) {
    Awaitility.await(what).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(2))
        .until(condition::getAsBoolean);
  }

  @Test
  void everyFrameIsEchoedOnce() throws Exception {
    connectable();
    connection.connect().get();
    for (int i = 0; i < 20; i++) {
      client.tick(100);
    }
    await("20 echoes", () -> client.tally().echoed() == 20);
    assertThat(client.tally()).isEqualTo(new Tally(20, 20, 0, 0, 0, 0, 0, 0, 0, 0));
    assertThat(client.idle()).isTrue();
    assertThat(ledger.counts().distinctReceived()).isEqualTo(20);
  }

  /**
   * Frames written into a blackholed socket are re-sent once after the reconnect; frames queued
   * while disconnected go out once, by Redial. (Regression: re-sending from the CONNECTED listener
   * flushes the queue, so the queued frames must not be picked after the first re-send.)
   */
  @Test
  void reSendsExactlyTheFramesHandedToADeadSocket() throws Exception {
    connectable();
    connection.connect().get();
    FaultHandle hole = proxy.blackhole();
    for (int i = 0; i < 5; i++) {
      client.tick(100);
    }
    await("5 frames written", () -> connection.stats().framesSent() == 5);
    FaultHandle refuse = proxy.refuseNew();
    proxy.resetAll();
    await("disconnected", () -> connection.state() != ConnectionState.CONNECTED);
    hole.close();
    for (int i = 0; i < 5; i++) {
      client.tick(100); // queued: not connected
    }
    // send() hands each frame to the event loop: the queue's count follows, it does not lead.
    await("5 frames queued", () -> connection.stats().queuedFrames() == 5);
    refuse.close();
    await("10 echoes", () -> client.tally().echoed() == 10);
    Tally t = client.tally();
    assertThat(t.resent()).as("only the 5 frames written into the blackhole").isEqualTo(5);
    assertThat(t.duplicated()).isZero();
    assertThat(t.outOfOrder()).isZero();
    assertThat(t.unechoed()).isZero();
    ServerLedger.Counts counts = ledger.counts();
    assertThat(counts.duplicates()).isZero();
    assertThat(counts.distinctReceived()).isEqualTo(10);
  }

  /** A blackhole that lifts before anyone noticed drops frames inside a live connection. */
  @Test
  void reSendsFramesDroppedInsideALiveConnectionOnceALaterEchoArrives() throws Exception {
    threeFramesIntoABlackholeThatLifts();
    assertThat(client.tally().resent()).isZero();
    client.tick(100); // its echo reveals the gap before it
    await("4 echoes", () -> client.tally().echoed() == 4);
    Tally t = client.tally();
    assertThat(t.resent()).isEqualTo(3);
    assertThat(t.duplicated()).isZero();
    assertThat(t.outOfOrder()).isZero();
    assertThat(ledger.counts().duplicates()).isZero();
  }

  /** The same drop when no later frame comes to reveal it: re-sent once its echo is overdue. */
  @Test
  void reSendsFramesWhoseEchoIsOverdue() throws Exception {
    threeFramesIntoABlackholeThatLifts();
    now.addAndGet(SoakClient.RETRANSMIT_NANOS); // not yet overdue: exactly the bound
    client.repair();
    assertThat(client.tally().resent()).isZero();
    now.addAndGet(1);
    client.repair();
    await("3 echoes", () -> client.tally().echoed() == 3);
    Tally t = client.tally();
    assertThat(t.resent()).isEqualTo(3);
    assertThat(t.duplicated()).isZero();
    assertThat(t.unechoed()).isZero();
  }

  /** Connected, three frames written while nothing passes, then the blackhole lifts unnoticed. */
  private void threeFramesIntoABlackholeThatLifts() throws Exception {
    connectable();
    connection.connect().get();
    try (FaultHandle hole = proxy.blackhole()) {
      for (int i = 0; i < 3; i++) {
        client.tick(100);
      }
      await("3 frames written", () -> connection.stats().framesSent() == 3);
    }
  }

  @Test
  void theWindowBoundsFramesWithoutEcho() {
    unconnected(false);
    for (int i = 0; i < 5; i++) {
      client.tick(2);
    }
    assertThat(client.tally().sent()).isEqualTo(2);
    assertThat(client.tally().unechoed()).isEqualTo(2);
    client.onMessage(Frames.data(INDEX, 0, 0));
    client.tick(2);
    assertThat(client.tally().sent()).isEqualTo(3);
  }

  @Test
  void countsOutOfOrderDuplicatedAndUnechoed() {
    unconnected(false);
    for (int i = 0; i < 3; i++) {
      client.tick(10);
    }
    assertThat(openFutures.get()).isEqualTo(3);
    client.onMessage(Frames.data(INDEX, 1, 0));
    client.onMessage(Frames.data(INDEX, 0, 0)); // backwards
    client.onMessage(Frames.data(INDEX, 0, 0)); // again
    Tally t = client.tally();
    assertThat(t.sent()).isEqualTo(3);
    assertThat(t.echoed()).isEqualTo(2);
    assertThat(t.unechoed()).isEqualTo(1); // seq 2, still without its echo
    assertThat(t.outOfOrder()).isEqualTo(2);
    assertThat(t.duplicated()).isEqualTo(1);
    assertThat(t.corrupt()).isZero();
    assertThat(client.idle()).isFalse();
  }

  @Test
  void aFailedSendIsResentAndBothAttemptsMayEchoOnce() {
    unconnected(true); // every send fails at once: not connected
    client.tick(10);
    // The send fails on the connection's event loop, soon: repair until it is re-sent.
    await("re-sent", () -> {
      client.repair();
      return client.tally().resent() >= 1;
    });
    assertThat(client.tally().sendFailures()).isPositive();
    client.onMessage(Frames.data(INDEX, 0, 0));
    client.onMessage(Frames.data(INDEX, 0, 1));
    assertThat(client.tally().duplicated()).isZero();
    client.onMessage(Frames.data(INDEX, 0, 1));
    assertThat(client.tally().duplicated()).isEqualTo(1);
    assertThat(client.tally().unechoed()).isZero();
  }

  @Test
  void aFrameResentTooOftenIsGivenUpAndCountedLost() {
    unconnected(true);
    client.tick(10);
    await("given up", () -> {
      client.repair();
      return client.idle();
    });
    assertThat(client.tally().resent()).isEqualTo(Frames.MAX_ATTEMPT);
    assertThat(client.tally().unechoed()).isEqualTo(1);
  }

  @Test
  void echoesThatWereNeverSentOrNotOursAreCorrupt() {
    unconnected(false);
    client.tick(10);
    client.onMessage(Frames.data(INDEX + 1, 0, 0)); // another connection's
    client.onMessage(Frames.data(INDEX, 5, 0)); // never sent
    client.onMessage(new byte[] {'D', 0});
    client.onMessage(Frames.ping(INDEX)); // the heartbeat's answer: fine
    assertThat(client.tally().corrupt()).isEqualTo(3);
    assertThat(client.tally().echoed()).isZero();
  }
}
