package io.redial.bench.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redial.Backoff;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FleetSimulationTest {
  private static final FleetSimulation SMALL = new FleetSimulation(2_000, 500, 5_000, 10, 120_000, 42);

  @Test
  void sameSeedSameResult() {
    Backoff policy = Backoff.fullJitter(Duration.ofSeconds(1), Duration.ofSeconds(30));
    FleetSimulation.Result a = SMALL.run(policy);
    FleetSimulation.Result b = SMALL.run(policy);
    assertThat(b.attemptsPerSecond()).containsExactly(a.attemptsPerSecond());
    assertThat(b.totalAttempts()).isEqualTo(a.totalAttempts());
    assertThat(b.recoveredMillis()).isEqualTo(a.recoveredMillis());
  }

  @Test
  void anotherSeedAnotherJitter() {
    Backoff policy = Backoff.fullJitter(Duration.ofSeconds(1), Duration.ofSeconds(30));
    FleetSimulation other = new FleetSimulation(2_000, 500, 5_000, 10, 120_000, 43);
    assertThat(Arrays.equals(other.run(policy).attemptsPerSecond(), SMALL.run(policy).attemptsPerSecond()))
        .isFalse();
  }

  @Test
  void everyAttemptIsCountedAndEveryClientComesBack() {
    FleetSimulation.Result r =
        SMALL.run(Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(10), 1.6, 0.2));
    assertThat(r.allBack()).isTrue();
    assertThat(r.connectedAtLimit()).isEqualTo(2_000);
    assertThat(Arrays.stream(r.attemptsPerSecond()).sum()).isEqualTo(r.totalAttempts());
    assertThat(r.connectedPerSecond()[r.connectedPerSecond().length - 1]).isEqualTo(2_000);
    // the server admits 500 per second: 2 000 clients need at least 4 s after it is back
    assertThat(r.recoveredMillis()).isGreaterThanOrEqualTo(4_000);
  }

  @Test
  void aFixedDelayFleetRetriesInLockstep() {
    // 1 000 clients, 1 s apart in lockstep, the server down for 3.5 s: every client tries at
    // 1 s, 2 s and 3 s (refused), and at 4 s, when all are admitted (capacity is ample).
    FleetSimulation sim = new FleetSimulation(1_000, 1_000_000, 3_500, 10, 60_000, 1);
    FleetSimulation.Result r = sim.run(Backoff.fixed(Duration.ofSeconds(1)));
    assertThat(r.totalAttempts()).isEqualTo(4_000);
    assertThat(r.peakAttemptsPerSecond()).isEqualTo(1_000);
    assertThat(r.recoveredMillis()).isEqualTo(510); // step 400 ends at 4.01 s
  }

  @Test
  void lockstepAgainstAThinServerDoesNotRecoverInTime() {
    // all clients arrive in the same 10 ms step; 1 per step is admitted, the rest wait 1 s again
    FleetSimulation sim = new FleetSimulation(1_000, 100, 1_000, 10, 30_000, 1);
    FleetSimulation.Result r = sim.run(Backoff.fixed(Duration.ofSeconds(1)));
    assertThat(r.allBack()).isFalse();
    assertThat(r.recoveredMillis()).isEqualTo(-1);
    assertThat(r.connectedAtLimit()).isBetween(1, 100);
  }

  @Test
  void badParametersAreNamed() {
    assertThatThrownBy(() -> new FleetSimulation(0, 1, 0, 10, 1_000, 1))
        .hasMessageContaining("clients").hasMessageContaining("0");
    assertThatThrownBy(() -> new FleetSimulation(1, 0, 0, 10, 1_000, 1))
        .hasMessageContaining("admitPerSecond");
    assertThatThrownBy(() -> new FleetSimulation(1, 1, 5_000, 10, 1_000, 1))
        .hasMessageContaining("limitMillis");
  }
}
