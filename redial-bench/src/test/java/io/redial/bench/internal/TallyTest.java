package io.redial.bench.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TallyTest {
  private final AtomicLong now = new AtomicLong(1_000);
  private final Tally tally = new Tally(now::get);

  @Test
  void countsAttemptsConnectionsAndFrames() {
    tally.attempt();
    tally.attempt();
    tally.connected();
    tally.frame(new byte[3]);
    assertThat(tally.attempts()).isEqualTo(2);
    assertThat(tally.up()).isEqualTo(1);
    assertThat(tally.frames()).isEqualTo(1);
    tally.disconnected();
    assertThat(tally.up()).isZero();
  }

  @Test
  void notesWhenTheLastConnectionCameBackByTheEventsOwnTime() {
    tally.connected();
    tally.connected();
    tally.disconnected();
    tally.disconnected();
    tally.awaitAll(2);
    now.set(5_000);
    tally.connected();
    assertThat(tally.allUpAt()).isEqualTo(-1); // one of two
    now.set(7_000);
    tally.connected();
    now.set(9_000);
    tally.disconnected();
    tally.connected(); // a later flap does not move the time
    assertThat(tally.allUpAt()).isEqualTo(7_000);
  }

  @Test
  void armingWhenAllAreUpAlreadyNotesNow() {
    tally.connected();
    now.set(4_000);
    tally.awaitAll(1);
    assertThat(tally.allUpAt()).isEqualTo(4_000);
  }

  @Test
  void beforeArmingNothingIsNoted() {
    tally.connected();
    assertThat(tally.allUpAt()).isEqualTo(-1);
    assertThatThrownBy(() -> tally.awaitAll(0)).hasMessageContaining("n").hasMessageContaining("0");
  }
}
