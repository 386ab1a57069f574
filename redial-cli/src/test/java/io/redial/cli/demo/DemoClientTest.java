package io.redial.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.redial.Backoff;
import io.redial.Connection;
import io.redial.ConnectionState;
import io.redial.Framing;
import io.redial.Redial;
import io.redial.testkit.FaultHandle;
import io.redial.testkit.FaultProxy;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The demo's application protocol on a real connection through a real proxy to the demo server,
 * on loopback: echoes are counted once, and after a reconnect exactly the frames handed to the
 * dead socket are re-sent.
 */
class DemoClientTest {
  private final Ledger ledger = new Ledger(Duration.ofSeconds(2).toNanos());
  private DemoServer server;
  private FaultProxy proxy;
  private DemoClient client;
  private Connection connection;

  @BeforeEach
  void start() {
    server = new DemoServer(ledger, System::nanoTime);
    proxy = FaultProxy.builder(server.address()).seed(1).start();
    client = new DemoClient(0, System::nanoTime);
    connection = Redial.connection("demo-test")
        .endpoint(proxy.listenAddress())
        .framing(Framing.lengthPrefixed(Protocol.MAX_FRAME_BYTES))
        .backoff(Backoff.fixed(Duration.ofMillis(20)))
        .onMessage(client::onMessage)
        .listener(client::onEvent)
        .build();
    client.attach(connection);
  }

  @AfterEach
  void stop() {
    connection.close();
    proxy.close();
    server.close();
  }

  private static void await(String what, BooleanSupplier condition) {
    Awaitility.await(what).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
        .until(condition::getAsBoolean);
  }

  @Test
  void everyFrameIsEchoedOnce() throws Exception {
    connection.connect().get();
    for (int i = 0; i < 20; i++) {
      assertThat(client.sendNext(100)).isTrue();
    }
    await("20 echoes", () -> client.tally().echoed() == 20);
    assertThat(client.tally()).isEqualTo(new DemoClient.Tally(20, 20, 0, 0, 0, 0, 0, 0, 0));
    assertThat(ledger.counts(System.nanoTime()).distinctReceived()).isEqualTo(20);
  }

  @Test
  void windowBoundsFramesWithoutEcho() throws Exception {
    try (FaultHandle hole = proxy.blackhole()) {
      connection.connect().get();
      for (int i = 0; i < 5; i++) {
        client.sendNext(3);
      }
      assertThat(client.tally().sent()).isEqualTo(3);
      assertThat(client.tally().unechoed()).isEqualTo(3);
    }
  }

  /**
   * Frames written into a blackholed socket are re-sent once after the reconnect; frames queued
   * while disconnected go out once, by Redial. (Regression: re-sending from the CONNECTED listener
   * flushes the queue, so the queued frames must not be picked after the first re-send.)
   */
  @Test
  void reSendsExactlyTheFramesHandedToADeadSocket() throws Exception {
    connection.connect().get();
    FaultHandle hole = proxy.blackhole();
    for (int i = 0; i < 5; i++) {
      client.sendNext(100);
    }
    await("5 frames written", () -> connection.stats().framesSent() == 5);
    FaultHandle refuse = proxy.refuseNew();
    proxy.resetAll();
    await("disconnected", () -> connection.state() != ConnectionState.CONNECTED);
    hole.close();
    for (int i = 0; i < 5; i++) {
      client.sendNext(100); // queued: not connected
    }
    assertThat(connection.stats().queuedFrames()).isEqualTo(5);
    refuse.close();
    await("10 echoes", () -> client.tally().echoed() == 10);
    DemoClient.Tally t = client.tally();
    assertThat(t.resent()).as("only the 5 frames written into the blackhole").isEqualTo(5);
    assertThat(t.duplicateEchoes()).isZero();
    assertThat(t.outOfOrder()).isZero();
    assertThat(t.unechoed()).isZero();
    assertThat(t.reconnects()).isEqualTo(1);
    Ledger.Counts server = ledger.counts(System.nanoTime());
    assertThat(server.duplicates()).isZero();
    assertThat(server.distinctReceived()).isEqualTo(10);
  }

  /** A blackhole that lifts before anyone noticed drops frames inside a live connection. */
  @Test
  void reSendsFramesDroppedInsideALiveConnectionOnceALaterEchoArrives() throws Exception {
    connection.connect().get();
    try (FaultHandle hole = proxy.blackhole()) {
      for (int i = 0; i < 3; i++) {
        client.sendNext(100);
      }
      await("3 frames written", () -> connection.stats().framesSent() == 3);
    }
    assertThat(client.tally().resent()).isZero();
    client.sendNext(100); // its echo reveals the gap before it
    await("4 echoes", () -> client.tally().echoed() == 4);
    DemoClient.Tally t = client.tally();
    assertThat(t.resent()).isEqualTo(3);
    assertThat(t.reconnects()).as("the connection stayed up").isZero();
    assertThat(t.duplicateEchoes()).isZero();
    assertThat(t.outOfOrder()).isZero();
    assertThat(ledger.counts(System.nanoTime()).duplicates()).isZero();
  }

  @Test
  void aSecondEchoOfOneFrameIsCountedAsDuplicate() throws Exception {
    connection.connect().get();
    client.sendNext(100);
    await("1 echo", () -> client.tally().echoed() == 1);
    client.onMessage(Protocol.data(0, 0, 0));
    client.onMessage(Protocol.data(0, 57, 0)); // never sent
    client.onMessage(Protocol.data(1, 0, 0)); // another connection's
    DemoClient.Tally t = client.tally();
    assertThat(t.duplicateEchoes()).isEqualTo(1);
    assertThat(t.corrupt()).isEqualTo(2);
  }
}
