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
}
