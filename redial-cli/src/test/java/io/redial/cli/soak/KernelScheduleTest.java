package io.redial.cli.soak;

import static org.assertj.core.api.Assertions.assertThat;

import io.redial.cli.soak.Step.Kind;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code redial chaos --kernel}'s schedule: the kernel's kinds join the random ones. */
class KernelScheduleTest {
  private static final Duration MINUTE = Duration.ofMinutes(1);
  private static final Set<Kind> KERNEL = EnumSet.of(Kind.KERNEL_BLACKHOLE, Kind.KERNEL_DROP,
      Kind.KERNEL_RESET, Kind.KERNEL_LOSS);

  @Test
  void withKernelEveryRandomKindAndEveryKernelKindIsPlayedWithinItsRanges() {
    List<Step> steps = Schedule.random(7, MINUTE, true).steps();
    Set<Kind> kinds = EnumSet.noneOf(Kind.class);
    for (Step s : steps) {
      kinds.add(s.kind());
      assertThat(s.kernel()).isEqualTo(KERNEL.contains(s.kind()));
      if (s.kernel()) {
        assertThat(s.fault()).isEmpty();
        assertThat(s.end().minus(s.start()).toMillis()).isBetween(100L, 2_000L);
      }
      if (s.kind() == Kind.KERNEL_LOSS) {
        assertThat(s.value()).isBetween(5L, 30L);
      }
      if (s.kind() == Kind.KERNEL_DROP) {
        assertThat(s.value()).isBetween(0L, 1L);
      }
    }
    assertThat(kinds).containsAll(KERNEL).contains(Kind.RESET, Kind.BLACKHOLE, Kind.REFUSE,
        Kind.LATENCY, Kind.SLICE, Kind.SERVER_RESTART);
    assertThat(Schedule.random(7, MINUTE, true)).isEqualTo(Schedule.random(7, MINUTE, true));
  }

  @Test
  void withoutKernelNoKernelKindAndTheSameScheduleAsBefore() {
    assertThat(Schedule.random(7, MINUTE, false)).isEqualTo(Schedule.random(7, MINUTE));
    assertThat(Schedule.random(7, MINUTE).steps()).noneMatch(Step::kernel);
    assertThat(Schedule.warmUp().steps()).noneMatch(Step::kernel);
  }

  @Test
  void theKernelWarmUpPlaysEveryKernelKind() {
    Set<Kind> kinds = EnumSet.noneOf(Kind.class);
    Schedule.warmUp(true).steps().forEach(s -> kinds.add(s.kind()));
    assertThat(kinds).containsAll(KERNEL);
  }

  @Test
  void kernelStepsSayWhatTheyDo() {
    Duration a = Duration.ofSeconds(1);
    Duration b = Duration.ofMillis(1500);
    assertThat(new Step(Kind.KERNEL_LOSS, a, b, 12, 0).line())
        .isEqualTo("    1.000s kernel loss 12 % for 500 ms");
    assertThat(new Step(Kind.KERNEL_DROP, a, b, 0, 0).label())
        .isEqualTo("kernel one-way drop client to proxy");
    assertThat(new Step(Kind.KERNEL_DROP, a, b, 1, 0).label())
        .isEqualTo("kernel one-way drop proxy to client");
    assertThat(new Step(Kind.KERNEL_BLACKHOLE, a, b, 0, 0).label()).isEqualTo("kernel blackhole");
  }
}
