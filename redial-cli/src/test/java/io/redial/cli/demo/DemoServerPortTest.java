package io.redial.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.redial.testkit.internal.LoopbackPorts;
import org.junit.jupiter.api.Test;

class DemoServerPortTest {
  @Test
  void theDemoServerListensBelowTheRange() {
    try (DemoServer server = new DemoServer(new Ledger(1), System::nanoTime)) {
      assertThat(server.address().getPort()).isLessThan(LoopbackPorts.ephemeralLow());
      assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
    }
  }
}
