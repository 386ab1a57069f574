package io.redial.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules' text and the checks that need no root. */
class KernelFaultsTest {
  @Test
  void eachDirectionMatchesTheServersPortOnTheLoopbackOnly() {
    assertThat(KernelFaults.matches(6379, Direction.BOTH, "drop")).containsExactly(
        "iif lo tcp dport 6379 drop", "iif lo tcp sport 6379 drop");
    assertThat(KernelFaults.matches(6379, Direction.UPSTREAM, "drop"))
        .containsExactly("iif lo tcp dport 6379 drop");
    assertThat(KernelFaults.matches(6379, Direction.DOWNSTREAM, "reject with tcp reset"))
        .containsExactly("iif lo tcp sport 6379 reject with tcp reset");
  }

  @Test
  void badPortsAndPercentagesAreRefusedByName() {
    KernelFaults faults = new KernelFaults(List.of("false"));
    assertThatThrownBy(() -> faults.loss(80, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("percent is 0; allowed: 1 to 100");
    assertThatThrownBy(() -> faults.loss(80, 101)).hasMessageStartingWith("percent is 101");
    assertThatThrownBy(() -> faults.blackhole(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port is 0; allowed: 1 to 65535");
    assertThatThrownBy(() -> faults.reset(70_000)).hasMessageStartingWith("port is 70000");
  }

  @Test
  void insideRefusesTheHostsOwnNamespace() {
    // this JVM was not started by NetNamespace: no rule may land on the host's loopback
    assertThat(NetNamespace.current()).isEmpty();
    assertThatThrownBy(KernelFaults::inside).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the host's loopback");
  }
}
