package io.redial;

import static org.assertj.core.api.Assertions.assertThat;

import io.redial.testing.KernelScenarioMain;
import io.redial.testing.KernelScenarios;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Faults the kernel makes, in a private network namespace (redial-testkit's {@code NetNamespace}
 * and {@code KernelFaults}): no userspace proxy in the path, so the client's kernel really
 * retransmits into silence, really receives a reset, really loses packets. Each scenario runs in
 * a child JVM inside the namespace ({@code KernelScenarioMain}) and prints what the connection
 * reported; the judging is here. The long ones (60 s of raw Netty, 30 s of loss) are in
 * {@code KernelFaultsLongIT}, run with {@code -Plong}.
 */
class KernelFaultsIT {
  /** Loss test length in the default run: over a thousand frames, hundreds of retransmissions. */
  static final int LOSS_SECONDS = 8;

  @Test
  void aHeartbeatOfOneSecondAndOneSecondNoticesAKernelBlackholeWithin2200Ms() throws Exception {
    Map<String, String> r = KernelScenarios.run(90, "heartbeat-blackhole");
    // round 0 warms the child JVM up (its first miss loads what reports it); it is printed only
    for (int round = 1; round < KernelScenarioMain.ROUNDS; round++) {
      String k = "." + round;
      // the rule was in place before the next ping went out (1 s after the last pong)
      assertThat(ms(r, "ruleStartAfterReadMs" + k) + ms(r, "ruleTookMs" + k)).isLessThan(1_000);
      assertThat(r).containsEntry("lastReadBeforeMiss" + k, "true")
          .containsEntry("lostCause" + k, "HEARTBEAT_TIMEOUT");
      // judged on the connection's own times: its last frame read, its HeartbeatMissed event
      assertThat(ms(r, "missedAfterReadMs" + k))
          .as("round %d: interval + timeout = 2 s, and no later than 2.2 s", round)
          .isGreaterThanOrEqualTo(1_950).isLessThan(2_200);
      assertThat(ms(r, "missedAfterRuleMs" + k)).isLessThan(2_200);
    }
    assertThat(Long.parseLong(r.get("reconnectedGeneration")))
        .isGreaterThan(KernelScenarioMain.ROUNDS);
  }

  @Test
  void aKernelResetIsReportedAsWsaeconnresetThenTheConnectionComesBack() throws Exception {
    Map<String, String> r = KernelScenarios.run(60, "reset");
    assertThat(r).containsEntry("lostCause", "WSAECONNRESET")
        .containsEntry("attemptFailedWith", "WSAECONNREFUSED");
    assertThat(Long.parseLong(r.get("reconnectedGeneration"))).isGreaterThanOrEqualTo(2);
    assertThat(Long.parseLong(r.get("echoes"))).isGreaterThanOrEqualTo(2);
  }

  @Test
  void withoutAHeartbeatTcpUserTimeoutBoundsAKernelBlackholeToItsValuePlusOneSecond()
      throws Exception {
    Map<String, String> r = KernelScenarios.run(90, "user-timeout", "3");
    // the kernel gives up on unacknowledged data after 3 s; the frames go out every 100 ms
    assertThat(ms(r, "lostAfterRuleMs")).isGreaterThanOrEqualTo(2_500).isLessThan(4_000);
    assertThat(r.get("lostCause")).isNotEqualTo("none").isNotEqualTo("HEARTBEAT_TIMEOUT");
    assertThat(Long.parseLong(r.get("reconnectedGeneration"))).isGreaterThanOrEqualTo(2);
  }

  @Test
  void underTenPercentLossBothWaysNothingTcpAcceptedIsLostDuplicatedOrReordered()
      throws Exception {
    checkLoss(KernelScenarios.run(LOSS_SECONDS + 90, "loss", "10", Integer.toString(LOSS_SECONDS)));
  }

  /** Every frame sent reached the server once and in order, and came back the same way. */
  static void checkLoss(Map<String, String> r) {
    long sent = Long.parseLong(r.get("sent"));
    assertThat(sent).as("frames sent").isGreaterThan(500);
    assertThat(r).containsEntry("sendsFailed", "0")
        .containsEntry("serverOutOfOrder", "0") // a gap, a duplicate or a swap all count here
        .containsEntry("echoesOutOfOrder", "0")
        .containsEntry("generation", "1") // TCP carried it all: no reconnect was needed
        .containsEntry("serverConnections", "1");
    assertThat(Long.parseLong(r.get("serverReceived"))).isEqualTo(sent);
    assertThat(Long.parseLong(r.get("echoes"))).isEqualTo(sent);
    assertThat(Long.parseLong(r.get("retransmittedSegments"))).as("the kernel really lost packets")
        .isGreaterThan(20);
  }

  private static double ms(Map<String, String> r, String key) {
    assertThat(r).containsKey(key);
    return Double.parseDouble(r.get(key));
  }
}
