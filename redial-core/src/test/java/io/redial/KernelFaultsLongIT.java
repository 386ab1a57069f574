package io.redial;

import static org.assertj.core.api.Assertions.assertThat;

import io.redial.testing.KernelScenarios;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The long kernel-fault tests, out of the default run (they mostly wait): {@code mvn -B verify
 * -Plong}. See {@link KernelFaultsIT}.
 */
class KernelFaultsLongIT {
  @Test
  void rawNettyWithTheKernelsKeepaliveNoticesNothingWithinSixtySeconds() throws Exception {
    Map<String, String> r = KernelScenarios.run(120, "raw-keepalive", "60");
    // the figure users face (Lettuce #1466, gRPC #3377): the kernel retransmits for ~15 minutes
    // (tcp_retries2) and keepalive waits 2 h before its first probe, and not while data is pending
    assertThat(r).containsEntry("noticedAfterMs", "-1")
        .containsEntry("how", "nothing")
        .containsEntry("activeAtEnd", "true");
    assertThat(Long.parseLong(r.get("keepaliveTimeSeconds"))).isGreaterThan(60);
  }

  @Test
  void thirtySecondsOfTenPercentLossBothWaysLoseDuplicateAndReorderNothing() throws Exception {
    KernelFaultsIT.checkLoss(KernelScenarios.run(150, "loss", "10", "30"));
  }
}
