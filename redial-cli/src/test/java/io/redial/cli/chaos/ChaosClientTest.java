package io.redial.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.redial.Connection;
import io.redial.ConnectionEvent;
import io.redial.ConnectionState;
import io.redial.Redial;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client's checks, fed echoes and events directly: each kind of violation is counted. The
 * connection is real but never connected (sends wait in its queue, or fail at once).
 */
class ChaosClientTest {
  private static final int INDEX = 3;
  private final AtomicLong openFutures = new AtomicLong();
  private final ChaosClient client = new ChaosClient(INDEX, openFutures);
  private Connection connection;

  private void attach(boolean rejectWhileDisconnected) {
    var b = Redial.connection("chaos-test")
        .endpoint(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9))
        .listener(client::onEvent);
    if (rejectWhileDisconnected) {
      b.rejectWhileDisconnected();
    }
    connection = b.build();
    client.attach(connection);
  }

  @AfterEach
  void close() {
    connection.close();
    // Every send future completes once the connection is closed: nothing hangs.
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> openFutures.get() == 0);
  }

  @Test
  void countsOutOfOrderDuplicatedAndUnechoed() {
    attach(false);
    for (int i = 0; i < 3; i++) {
      client.sendNext(10);
    }
    assertThat(openFutures.get()).isEqualTo(3);
    client.onMessage(ChaosFrames.data(INDEX, 1, 0));
    client.onMessage(ChaosFrames.data(INDEX, 0, 0)); // backwards within one generation
    client.onMessage(ChaosFrames.data(INDEX, 0, 0)); // again
    ChaosVerdict.Tally t = client.tally();
    assertThat(t.sent()).isEqualTo(3);
    assertThat(t.echoed()).isEqualTo(2);
    assertThat(t.lost()).isEqualTo(1); // seq 2, still without its echo
    assertThat(t.outOfOrder()).isEqualTo(2);
    assertThat(t.duplicated()).isEqualTo(1);
    assertThat(t.corrupt()).isZero();
    assertThat(client.idle()).isFalse();
  }

  @Test
  void theWindowBoundsFramesWithoutEcho() {
    attach(false);
    for (int i = 0; i < 5; i++) {
      client.sendNext(2);
    }
    assertThat(client.tally().sent()).isEqualTo(2);
    client.onMessage(ChaosFrames.data(INDEX, 0, 0));
    client.sendNext(2);
    assertThat(client.tally().sent()).isEqualTo(3);
  }

  @Test
  void aFailedSendIsResentAndBothAttemptsMayEchoOnce() {
    attach(true); // every send fails at once: not connected
    client.sendNext(10);
    // The send fails on the connection's event loop, soon: repair until it is re-sent.
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> {
      client.repair(System.nanoTime());
      return client.tally().resent() >= 1;
    });
    client.onMessage(ChaosFrames.data(INDEX, 0, 0));
    client.onMessage(ChaosFrames.data(INDEX, 0, 1));
    assertThat(client.tally().duplicated()).isZero();
    client.onMessage(ChaosFrames.data(INDEX, 0, 1));
    assertThat(client.tally().duplicated()).isEqualTo(1);
    assertThat(client.tally().lost()).isZero();
  }

  @Test
  void aFrameResentTooOftenIsGivenUpAndCountedLost() {
    attach(true);
    client.sendNext(10);
    // Each re-send fails on the event loop, soon; poll often so that 63 rounds take little time.
    Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(2)).until(() -> {
      client.repair(System.nanoTime());
      return client.idle();
    });
    assertThat(client.tally().resent()).isEqualTo(ChaosFrames.MAX_ATTEMPT);
    assertThat(client.tally().lost()).isEqualTo(1);
  }

  @Test
  void echoesThatWereNeverSentOrNotOursAreCorrupt() {
    attach(false);
    client.sendNext(10);
    client.onMessage(ChaosFrames.data(INDEX + 1, 0, 0));
    client.onMessage(ChaosFrames.data(INDEX, 5, 0));
    client.onMessage(new byte[] {'D', 0});
    client.onMessage(ChaosFrames.ping(INDEX)); // the heartbeat's answer: fine
    assertThat(client.tally().corrupt()).isEqualTo(3);
    assertThat(client.tally().echoed()).isZero();
  }

  @Test
  void anEventOfAnOlderGenerationAfterANewerOneIsStale() {
    attach(false);
    client.onEvent(new ConnectionEvent.AttemptStarted("chaos-test", 1, "x", 2));
    client.onEvent(new ConnectionEvent.HeartbeatMissed("chaos-test", 2));
    assertThat(client.tally().staleEvents()).isZero();
    client.onEvent(new ConnectionEvent.StateChanged("chaos-test", ConnectionState.CONNECTING,
        ConnectionState.BACKOFF, 1, null));
    assertThat(client.tally().staleEvents()).isEqualTo(1);
  }
}
