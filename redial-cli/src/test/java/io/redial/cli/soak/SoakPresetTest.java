package io.redial.cli.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What each preset keeps: the chaos soak measures its heap, the demo draws transitions. */
class SoakPresetTest {
  @Test
  void theChaosSoakMeasuresItsHeapAndKeepsNoTransitionsNorMisses() {
    assertThat(ChaosRun.PRESET.baselines()).isTrue();
    assertThat(ChaosRun.PRESET.transitions()).isFalse();
    assertThat(ChaosRun.PRESET.blackholeDetection()).isFalse();
  }

  @Test
  void theDemoKeepsTransitionsForItsReportAndMeasuresNoHeap() {
    assertThat(DemoRun.PRESET.transitions()).isTrue();
    assertThat(DemoRun.PRESET.blackholeDetection()).isTrue();
    assertThat(DemoRun.PRESET.baselines()).isFalse();
  }

  @Test
  void aPresetCannotKeepTransitionsAndMeasureTheHeap() {
    assertThatThrownBy(() -> new Soak.Preset("x-%d", Duration.ofMillis(20), 1,
        Duration.ofMillis(20), Duration.ofMillis(10), false, Duration.ofSeconds(1),
        Duration.ofSeconds(1), false, true, false, true, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("heap");
  }

  @Test
  void withViewEveryChangesOnlyTheViewPeriod() {
    Soak.Preset p = DemoRun.PRESET.withViewEvery(Duration.ofMillis(250));
    assertThat(p.viewEvery()).isEqualTo(Duration.ofMillis(250));
    assertThat(p.withViewEvery(DemoRun.PRESET.viewEvery())).isEqualTo(DemoRun.PRESET);
  }

  @Test
  void theThreadDeltaLeavesOutTheJdksProcessReaperAndCountsTheRest() throws Exception {
    Process p = new ProcessBuilder("sleep", "30").start(); // a reaper thread waits for it
    try {
      // The reaper may take a moment to start.
      Thread reaper = await("the JDK's process reaper thread, with a child process running")
          .atMost(Duration.ofSeconds(10))
          .until(() -> Thread.getAllStackTraces().keySet().stream()
              .filter(t -> t.getName().startsWith("process reaper")).findFirst().orElse(null),
              java.util.Objects::nonNull);
      assertThat(Soak.counted(reaper.getName(), reaper.isDaemon())).as(reaper.getName())
          .isFalse();
    } finally {
      p.destroyForcibly().waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
    }
    assertThat(Soak.counted("process reaper", true)).as("idle in its pool").isFalse();
    assertThat(Soak.counted("process reaper (pid 12)", true)).as("waiting").isFalse();
    assertThat(Soak.counted(Thread.currentThread().getName(), false)).isTrue();
    assertThat(Soak.counted("process reaper", false)).as("not a daemon: not the JDK's").isTrue();
    assertThat(Soak.counted("process reaper of mine", true)).isTrue();
    assertThat(Soak.counted("redial-1-1", true)).isTrue();
  }
}
