package io.redial.cli.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
