package io.redial.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FaultScheduleTest {

  @Test
  void sameSeedSameSchedule() {
    for (long seed = -5; seed < 50; seed++) {
      assertThat(FaultSchedule.of(seed, Duration.ofSeconds(30)))
          .isEqualTo(FaultSchedule.of(seed, Duration.ofSeconds(30)));
    }
  }

  @Test
  void seedsChangeTheOrderAndTheValues() {
    Set<List<FaultSchedule.Kind>> orders = new HashSet<>();
    Set<Long> latencies = new HashSet<>();
    for (long seed = 0; seed < 40; seed++) {
      FaultSchedule s = FaultSchedule.of(seed, Duration.ofSeconds(30));
      orders.add(s.steps().stream().map(FaultSchedule.Step::kind).toList());
      latencies.add(s.steps().stream().filter(x -> x.kind() == FaultSchedule.Kind.LATENCY)
          .findFirst().orElseThrow().value());
    }
    assertThat(orders).hasSizeGreaterThan(20);
    assertThat(latencies).hasSizeGreaterThan(10);
  }

  @ParameterizedTest
  @ValueSource(strings = {"PT8S", "PT10S", "PT30S", "PT1M", "PT10M"})
  void everyFaultOnceInOrderWithinTheRun(String text) {
    Duration duration = Duration.parse(text);
    for (long seed = 0; seed < 20; seed++) {
      FaultSchedule s = FaultSchedule.of(seed, duration);
      assertThat(s.steps()).extracting(FaultSchedule.Step::kind)
          .containsExactlyInAnyOrder(FaultSchedule.Kind.values());
      Duration previousEnd = Duration.ZERO;
      for (FaultSchedule.Step step : s.steps()) {
        assertThat(step.start()).as("no overlap: %s", s).isGreaterThan(previousEnd);
        previousEnd = step.end();
        switch (step.kind()) {
          case RESET -> assertThat(step.instant()).isTrue();
          case BLACKHOLE -> assertThat(step.end().minus(step.start()))
              .isGreaterThanOrEqualTo(FaultSchedule.BLACKHOLE_MIN);
          case LATENCY -> assertThat(step.value()).isBetween(100L, 250L);
          case BANDWIDTH -> assertThat(step.value()).isBetween(1_500L, 3_000L);
          default -> assertThat(step.end()).isGreaterThan(step.start());
        }
      }
      // A quiet tail of at least 1.5 s to recover and drain.
      assertThat(s.quietFrom()).isLessThanOrEqualTo(duration.minusMillis(1_500));
    }
  }

  @Test
  void labelsNameTheFaultAndItsValue() {
    FaultSchedule.Step latency = new FaultSchedule.Step(FaultSchedule.Kind.LATENCY,
        Duration.ofSeconds(1), Duration.ofSeconds(2), 180, 40);
    FaultSchedule.Step bandwidth = new FaultSchedule.Step(FaultSchedule.Kind.BANDWIDTH,
        Duration.ofSeconds(1), Duration.ofSeconds(2), 2000, 0);
    assertThat(latency.label()).isEqualTo("latency 180 ms, jitter 40 ms");
    assertThat(bandwidth.label()).isEqualTo("bandwidth limit 2000 B/s");
  }

  @ParameterizedTest
  @ValueSource(strings = {"PT7.999S", "PT0S", "PT10M0.001S", "PT-1S"})
  void durationOutsideTheRangeIsRefusedWithTheRange(String text) {
    assertThatThrownBy(() -> FaultSchedule.of(1, Duration.parse(text)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("duration is ")
        .hasMessageContaining("allowed: 8s to 10m");
  }
}
