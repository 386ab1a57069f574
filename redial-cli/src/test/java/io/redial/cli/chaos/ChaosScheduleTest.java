package io.redial.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChaosScheduleTest {
  private static final Duration MINUTE = Duration.ofMinutes(1);

  @Test
  void theSameSeedGivesTheSameScheduleAndAnotherSeedAnother() {
    assertThat(ChaosSchedule.of(42, MINUTE)).isEqualTo(ChaosSchedule.of(42, MINUTE));
    assertThat(ChaosSchedule.of(43, MINUTE).faults()).isNotEqualTo(ChaosSchedule.of(42, MINUTE).faults());
  }

  @Test
  void aFaultEvery50To500MsOfEveryKind() {
    List<ChaosSchedule.Fault> faults = ChaosSchedule.of(7, MINUTE).faults();
    assertThat(faults).hasSizeBetween(120, 1_200);
    long previous = 0;
    EnumSet<ChaosSchedule.Kind> kinds = EnumSet.noneOf(ChaosSchedule.Kind.class);
    for (ChaosSchedule.Fault f : faults) {
      assertThat(f.at().toMillis() - previous).isBetween(50L, 500L);
      assertThat(f.at()).isLessThan(MINUTE);
      previous = f.at().toMillis();
      kinds.add(f.kind());
    }
    assertThat(kinds).containsExactlyInAnyOrder(ChaosSchedule.Kind.values());
  }

  @Test
  void theServerIsDownAtMostOnceAtATime() {
    long upAt = 0;
    for (ChaosSchedule.Fault f : ChaosSchedule.of(11, Duration.ofMinutes(10)).faults()) {
      if (f.kind() == ChaosSchedule.Kind.SERVER_RESTART) {
        assertThat(f.at().toMillis()).isGreaterThanOrEqualTo(upAt);
        upAt = f.at().plus(f.length()).toMillis();
      }
    }
  }

  @Test
  void theWarmUpPlaysEveryKind() {
    EnumSet<ChaosSchedule.Kind> kinds = EnumSet.noneOf(ChaosSchedule.Kind.class);
    ChaosSchedule.warmUp().faults().forEach(f -> kinds.add(f.kind()));
    assertThat(kinds).containsExactlyInAnyOrder(ChaosSchedule.Kind.values());
  }

  @Test
  void aDurationOutOfRangeIsNamed() {
    assertThatThrownBy(() -> ChaosSchedule.of(1, Duration.ofMillis(999)))
        .hasMessage("duration is PT0.999S; allowed: 1s to 24h");
    assertThatThrownBy(() -> ChaosSchedule.of(1, Duration.ofHours(25)))
        .hasMessageContaining("allowed: 1s to 24h");
  }

  @Test
  void labelsSayWhatWhenAndHowLong() {
    assertThat(new ChaosSchedule.Fault(Duration.ofMillis(1500), ChaosSchedule.Kind.LATENCY,
        Duration.ofMillis(200), 80).label()).isEqualTo("    1.500s latency 80 ms for 200 ms");
  }
}
