package io.redial.bench.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PlanTest {
  @Test
  void modesByName() {
    assertThat(Plan.named("quick")).isEqualTo(Plan.quick());
    assertThat(Plan.named("full")).isEqualTo(Plan.full());
    assertThatThrownBy(() -> Plan.named("fast"))
        .hasMessageContaining("mode").hasMessageContaining("'fast'").hasMessageContaining("quick");
  }

  @Test
  void fullModeHasTheIssuesSizes() {
    Plan full = Plan.full();
    assertThat(full.footprintConnections()).isEqualTo(10_000);
    assertThat(full.scaleTarget()).isEqualTo(100_000);
    assertThat(full.stormConnections()).isEqualTo(10_000);
    assertThat(full.stormOutageSeconds()).isEqualTo(5);
    assertThat(full.halfOpenLimitSeconds()).isEqualTo(60);
    assertThat(full.fleetClients()).isEqualTo(1_000_000);
  }

  @Test
  void jmhIterationsComeInRawRedialPairs() {
    for (Plan p : new Plan[] {Plan.quick(), Plan.full()}) {
      assertThat(p.jmhMeasurementIterations() % 2).isZero();
      assertThat(p.jmhConnectWarmupIterations()).isGreaterThan(p.jmhWarmupIterations());
    }
    Plan q = Plan.quick();
    assertThatThrownBy(() -> new Plan("odd", 2, 4, 10, 5, 1, q.footprintConnections(),
        q.footprintRounds(), q.scaleTarget(), q.scaleSeconds(), q.stormConnections(),
        q.stormOutageSeconds(), q.stormRecoveryLimitSeconds(), q.halfOpenTrials(),
        q.halfOpenLimitSeconds(), q.agentPairs(), q.agentIterations(), q.fleetClients(),
        q.fleetAdmitPerSecond(), q.fleetOutageSeconds(), q.fleetLimitSeconds()))
        .hasMessageContaining("jmhMeasurementIterations").hasMessageContaining("5");
  }

  @Test
  void policyKeysAreStable() {
    assertThat(Storm.policies().keySet()).map(Storm::key).containsExactly(
        "fixed-1-s", "exponential-1-s-1-6-no-jitter", "grpc-1-s-1-6-20", "full-jitter-1-s");
  }
}
