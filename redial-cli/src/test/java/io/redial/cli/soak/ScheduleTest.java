package io.redial.cli.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redial.cli.soak.Step.Kind;
import io.redial.testkit.Fault;
import io.redial.testkit.FaultKind;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScheduleTest {
  private static final Duration MINUTE = Duration.ofMinutes(1);
  private static final Set<Kind> SCRIPTED = EnumSet.of(Kind.SERVER_RESTART, Kind.RESET,
      Kind.BLACKHOLE, Kind.LATENCY, Kind.BANDWIDTH, Kind.REFUSED);
  private static final Set<Kind> RANDOM = EnumSet.of(Kind.RESET, Kind.BLACKHOLE, Kind.REFUSE,
      Kind.LATENCY, Kind.SLICE, Kind.SERVER_RESTART);

  @Test
  void sameSeedSameScriptedSchedule() {
    for (long seed = -5; seed < 50; seed++) {
      assertThat(Schedule.scripted(seed, Duration.ofSeconds(30)))
          .isEqualTo(Schedule.scripted(seed, Duration.ofSeconds(30)));
    }
  }

  @Test
  void seedsChangeTheScriptedOrderAndValues() {
    Set<List<Kind>> orders = new HashSet<>();
    Set<Long> latencies = new HashSet<>();
    for (long seed = 0; seed < 40; seed++) {
      Schedule s = Schedule.scripted(seed, Duration.ofSeconds(30));
      orders.add(s.steps().stream().map(Step::kind).toList());
      latencies.add(s.steps().stream().filter(x -> x.kind() == Kind.LATENCY)
          .findFirst().orElseThrow().value());
    }
    assertThat(orders).hasSizeGreaterThan(20);
    assertThat(latencies).hasSizeGreaterThan(10);
  }

  @ParameterizedTest
  @ValueSource(strings = {"PT5S", "PT8S", "PT10S", "PT30S", "PT1M", "PT10M"})
  void scriptedPlaysEveryFaultOnceInOrderWithinTheRun(String text) {
    Duration duration = Duration.parse(text);
    for (long seed = 0; seed < 20; seed++) {
      Schedule s = Schedule.scripted(seed, duration);
      assertThat(s.steps()).extracting(Step::kind).containsExactlyInAnyOrderElementsOf(SCRIPTED);
      Duration previousEnd = Duration.ZERO;
      for (Step step : s.steps()) {
        assertThat(step.start()).as("no overlap: %s", s).isGreaterThan(previousEnd);
        previousEnd = step.end();
        switch (step.kind()) {
          case RESET -> assertThat(step.instant()).isTrue();
          case BLACKHOLE -> assertThat(step.end().minus(step.start()))
              .isGreaterThanOrEqualTo(Schedule.BLACKHOLE_MIN);
          case LATENCY -> assertThat(step.value()).isBetween(100L, 250L);
          case BANDWIDTH -> assertThat(step.value()).isBetween(1_500L, 3_000L);
          default -> assertThat(step.end()).isGreaterThan(step.start());
        }
      }
      // A quiet tail of at least 1 s to recover and drain.
      assertThat(s.quietFrom()).isLessThanOrEqualTo(duration.minusMillis(1_000));
    }
  }

  @Test
  void scriptedSchedulesOfEightSecondsAndMoreAreTheOnesEarlierVersionsPlayed() {
    // Recorded from the demo before the harness was shared: the same seed, the same script.
    Schedule s = Schedule.scripted(99, Duration.ofSeconds(8));
    assertThat(s.steps().get(0).start()).isEqualTo(Duration.ofMillis(800));
    assertThat(s.quietFrom()).isLessThanOrEqualTo(Duration.ofMillis(8_000 - 1_600));
  }

  @ParameterizedTest
  @ValueSource(strings = {"PT4.999S", "PT0S", "PT10M0.001S", "PT-1S"})
  void scriptedDurationOutsideTheRangeIsRefusedWithTheRange(String text) {
    assertThatThrownBy(() -> Schedule.scripted(1, Duration.parse(text)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("duration is ")
        .hasMessageContaining("allowed: 5s to 10m");
  }

  @Test
  void randomTheSameSeedGivesTheSameScheduleAndAnotherSeedAnother() {
    assertThat(Schedule.random(42, MINUTE)).isEqualTo(Schedule.random(42, MINUTE));
    assertThat(Schedule.random(43, MINUTE).steps()).isNotEqualTo(Schedule.random(42, MINUTE).steps());
  }

  @Test
  void randomPlaysAFaultEvery50To500MsOfEveryKind() {
    List<Step> steps = Schedule.random(7, MINUTE).steps();
    assertThat(steps).hasSizeBetween(120, 1_200);
    long previous = 0;
    Set<Kind> kinds = EnumSet.noneOf(Kind.class);
    for (Step s : steps) {
      assertThat(s.start().toMillis() - previous).isBetween(50L, 500L);
      assertThat(s.start()).isLessThan(MINUTE);
      previous = s.start().toMillis();
      kinds.add(s.kind());
    }
    assertThat(kinds).containsExactlyInAnyOrderElementsOf(RANDOM);
  }

  @Test
  void randomKeepsTheServerDownAtMostOnceAtATime() {
    long upAt = 0;
    for (Step s : Schedule.random(11, Duration.ofMinutes(10)).steps()) {
      if (s.kind() == Kind.SERVER_RESTART) {
        assertThat(s.start().toMillis()).isGreaterThanOrEqualTo(upAt);
        upAt = s.end().toMillis();
      }
    }
  }

  @Test
  void theWarmUpPlaysEveryRandomKind() {
    Set<Kind> kinds = EnumSet.noneOf(Kind.class);
    Schedule.warmUp().steps().forEach(s -> kinds.add(s.kind()));
    assertThat(kinds).containsExactlyInAnyOrderElementsOf(RANDOM);
  }

  @Test
  void aRandomDurationOutOfRangeIsNamed() {
    assertThatThrownBy(() -> Schedule.random(1, Duration.ofMillis(999)))
        .hasMessage("duration is PT0.999S; allowed: 1s to 24h");
    assertThatThrownBy(() -> Schedule.random(1, Duration.ofHours(25)))
        .hasMessageContaining("allowed: 1s to 24h");
  }

  @Test
  void labelsNameTheFaultItsValueAndHowLong() {
    Step latency = new Step(Kind.LATENCY, Duration.ofSeconds(1), Duration.ofSeconds(2), 180, 40);
    Step bandwidth = new Step(Kind.BANDWIDTH, Duration.ofSeconds(1), Duration.ofSeconds(2), 2000, 0);
    assertThat(latency.label()).isEqualTo("latency 180 ms, jitter 40 ms");
    assertThat(bandwidth.label()).isEqualTo("bandwidth limit 2000 B/s");
    assertThat(new Step(Kind.SLICE, Duration.ofMillis(1500), Duration.ofMillis(1700), 8, 0).line())
        .isEqualTo("    1.500s slice 8 B for 200 ms");
    assertThat(new Step(Kind.RESET, Duration.ofMillis(20), Duration.ofMillis(20), 0, 0).line())
        .isEqualTo("    0.020s reset of every connection");
  }

  @Test
  void stepsAreTestKitFaultsExceptResetsAndRestarts() {
    Duration a = Duration.ofSeconds(1);
    Duration b = Duration.ofSeconds(2);
    assertThat(new Step(Kind.LATENCY, a, b, 180, 40).fault())
        .contains(Fault.latency(Duration.ofMillis(180), Duration.ofMillis(40)));
    assertThat(new Step(Kind.BANDWIDTH, a, b, 2000, 0).fault()).contains(Fault.bandwidth(2000));
    assertThat(new Step(Kind.SLICE, a, b, 8, 0).fault())
        .contains(Fault.slice(8, 4, Duration.ofMillis(1)));
    assertThat(new Step(Kind.BLACKHOLE, a, b, 0, 0).fault()).contains(Fault.blackhole());
    assertThat(new Step(Kind.REFUSED, a, b, 0, 0).fault().orElseThrow().kind())
        .isInstanceOf(FaultKind.RefuseNew.class);
    assertThat(new Step(Kind.REFUSE, a, b, 0, 0).fault().orElseThrow().kind())
        .isInstanceOf(FaultKind.RefuseNew.class);
    assertThat(new Step(Kind.RESET, a, a, 0, 0).fault()).isEmpty();
    assertThat(new Step(Kind.SERVER_RESTART, a, b, 0, 0).fault()).isEmpty();
    assertThatThrownBy(() -> new Step(Kind.LATENCY, b, a, 1, 0))
        .hasMessageContaining("step ends before it starts");
  }
}
