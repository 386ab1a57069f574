package io.redial.bench.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
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
  void jmhIterationsComeInWholeCyclesOfRedialPeerPairs() {
    for (Plan p : new Plan[] {Plan.quick(), Plan.full()}) {
      int cycle = Alternation.cycle(p.jmhPeers());
      assertThat(p.jmhPeers()).containsExactly("raw", "reactor", "vertx", "handrolled");
      assertThat(p.jmhMeasurementIterations() % cycle).isZero();
      assertThat(p.jmhWarmupIterations() % 2).isZero();
      assertThat(p.jmhConnectWarmupIterations()).isGreaterThan(p.jmhWarmupIterations());
      assertThat(p.recoveryConnections()).isEqualTo(1_000);
      assertThat(p.recoveryOutageSeconds()).isEqualTo(5);
    }
    assertThatThrownBy(() -> withJmh(2, 16, 12, List.of("raw", "reactor", "vertx", "handrolled")))
        .hasMessageContaining("jmhMeasurementIterations").hasMessageContaining("12")
        .hasMessageContaining("8");
    assertThatThrownBy(() -> withJmh(3, 16, 16, List.of("raw", "reactor", "vertx", "handrolled")))
        .hasMessageContaining("jmhWarmupIterations").hasMessageContaining("3");
    assertThatThrownBy(() -> withJmh(2, 16, 16, List.of("raw", "lettuce")))
        .hasMessageContaining("client").hasMessageContaining("'lettuce'");
    assertThat(withJmh(2, 4, 2, List.of("raw")).jmhPeers()).containsExactly("raw");
  }

  @Test
  void fewerPeersKeepWholeCycles() {
    Plan rawOnly = Plan.full().withJmhPeers(List.of("raw"));
    assertThat(rawOnly.jmhPeers()).containsExactly("raw");
    assertThat(rawOnly.jmhMeasurementIterations()).isEqualTo(24); // 12 raw/Redial pairs per fork
    Plan three = Plan.quick().withJmhPeers(List.of("raw", "reactor", "vertx"));
    assertThat(three.jmhMeasurementIterations()).isEqualTo(12); // 16 cut to whole cycles of 6
    assertThat(three.footprintConnections()).isEqualTo(Plan.quick().footprintConnections());
    assertThatThrownBy(() -> Plan.quick().withJmhPeers(List.of("redial")))
        .hasMessageContaining("peers").hasMessageContaining("redial");
  }

  private static Plan withJmh(int warmups, int connectWarmups, int measured, List<String> peers) {
    Plan q = Plan.quick();
    return new Plan("test", 2, warmups, connectWarmups, measured, 1, q.footprintConnections(),
        q.footprintRounds(), q.scaleTarget(), q.scaleSeconds(), q.stormConnections(),
        q.stormOutageSeconds(), q.stormRecoveryLimitSeconds(), q.halfOpenTrials(),
        q.halfOpenLimitSeconds(), q.agentPairs(), q.agentIterations(), q.fleetClients(),
        q.fleetAdmitPerSecond(), q.fleetOutageSeconds(), q.fleetLimitSeconds(), peers,
        q.recoveryConnections(), q.recoveryOutageSeconds(), q.recoveryLimitSeconds());
  }

  @Test
  void policyKeysAreStable() {
    assertThat(Storm.policies().keySet()).map(Storm::key).containsExactly(
        "fixed-1-s", "exponential-1-s-1-6-no-jitter", "grpc-1-s-1-6-20", "full-jitter-1-s");
  }
}
