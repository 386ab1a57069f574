package io.redial.cli.soak;

import static org.assertj.core.api.Assertions.assertThat;

import io.redial.ConnectionEvent;
import io.redial.ConnectionState;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ConnectionLogTest {
  private final AtomicLong now = new AtomicLong(100);
  private final ConnectionLog log = new ConnectionLog(now::get);

  @Test
  void anEventOfAnOlderGenerationAfterANewerOneIsStale() {
    log.onEvent(new ConnectionEvent.AttemptStarted("c", 1, "x", 2));
    log.onEvent(new ConnectionEvent.HeartbeatMissed("c", 2));
    assertThat(log.tally().staleEvents()).isZero();
    log.onEvent(new ConnectionEvent.StateChanged("c", ConnectionState.CONNECTING,
        ConnectionState.BACKOFF, 1, null));
    assertThat(log.tally().staleEvents()).isEqualTo(1);
  }

  @Test
  void keepsTransitionsConnectsAndHeartbeatMisses() {
    now.set(200);
    log.onEvent(new ConnectionEvent.StateChanged("c", ConnectionState.IDLE, ConnectionState.CONNECTED, 1, null));
    now.set(300);
    log.onEvent(new ConnectionEvent.HeartbeatMissed("c", 1));
    now.set(400);
    log.onEvent(new ConnectionEvent.StateChanged("c", ConnectionState.BACKOFF, ConnectionState.CONNECTED, 2, null));
    assertThat(log.transitions()).containsExactly(new ConnectionLog.Transition(100, ConnectionState.IDLE),
        new ConnectionLog.Transition(200, ConnectionState.CONNECTED),
        new ConnectionLog.Transition(400, ConnectionState.CONNECTED));
    assertThat(log.tally().reconnects()).isEqualTo(1);
    assertThat(log.firstMissBetween(250, 350)).isEqualTo(300);
    assertThat(log.firstMissBetween(301, 1_000)).isEqualTo(-1);
  }

  @Test
  void withTransitionsOffItKeepsOnlyTheFirstStateHoweverManyChanges() {
    ConnectionLog off = new ConnectionLog(now::get, false, false);
    for (int i = 1; i <= 100_000; i++) {
      now.incrementAndGet();
      off.onEvent(new ConnectionEvent.StateChanged("c", ConnectionState.BACKOFF,
          i % 2 == 0 ? ConnectionState.CONNECTED : ConnectionState.BACKOFF, i, null));
      off.onEvent(new ConnectionEvent.HeartbeatMissed("c", i));
    }
    assertThat(off.keptTransitions()).isEqualTo(1);
    assertThat(off.transitions()).containsExactly(
        new ConnectionLog.Transition(100, ConnectionState.IDLE));
    assertThat(off.keptMisses()).isZero();
    assertThat(off.firstMissBetween(0, Long.MAX_VALUE)).isEqualTo(-1);
    // The counts still count.
    assertThat(off.stateChanges()).isEqualTo(100_000);
    assertThat(off.heartbeatMisses()).isEqualTo(100_000);
    assertThat(off.tally().reconnects()).isEqualTo(50_000 - 1);
    assertThat(off.tally().staleEvents()).isZero();
    off.onEvent(new ConnectionEvent.AttemptStarted("c", 3, "x", 1));
    assertThat(off.tally().staleEvents()).isEqualTo(1);
  }

  @Test
  void withTransitionsOnItKeepsThemUpToTheCap() {
    ConnectionLog on = new ConnectionLog(now::get, true, true);
    for (int i = 1; i <= 100_000; i++) {
      on.onEvent(new ConnectionEvent.StateChanged("c", ConnectionState.CONNECTING,
          ConnectionState.CONNECTED, i, null));
      on.onEvent(new ConnectionEvent.HeartbeatMissed("c", i));
    }
    assertThat(on.keptTransitions()).isEqualTo(ConnectionLog.MAX_TRANSITIONS);
    assertThat(on.keptMisses()).isEqualTo(ConnectionLog.MAX_MISSES);
    assertThat(on.stateChanges()).isEqualTo(100_000);
    assertThat(on.tally().reconnects()).isEqualTo(100_000 - 1);
  }
}
