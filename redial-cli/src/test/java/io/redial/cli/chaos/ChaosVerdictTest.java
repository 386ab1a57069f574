package io.redial.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ChaosVerdictTest {
  private static final ChaosVerdict.Tally CLEAN = new ChaosVerdict.Tally(100, 100, 0, 0, 0, 0, 5, 0, 3);
  private static final long MIB = 1 << 20;

  private static ChaosVerdict verdict(ChaosVerdict.Tally t) {
    return new ChaosVerdict(9, t, 0, 0, 0, OptionalInt.of(0), 0, 100 * MIB, 104 * MIB);
  }

  @Test
  void everyCheckAtZeroPassesAndTheSeedIsPrinted() {
    ChaosVerdict v = verdict(CLEAN);
    assertThat(v.passed()).isTrue();
    assertThat(v.lines()).last().asString().startsWith("PASS (seed 9;");
    assertThat(String.join("\n", v.lines())).doesNotContain("FAIL");
  }

  @Test
  void anyClientCountAboveZeroFails() {
    ChaosVerdict.Tally[] bad = {
        new ChaosVerdict.Tally(100, 99, 1, 0, 0, 0, 0, 0, 0),
        new ChaosVerdict.Tally(100, 100, 0, 1, 0, 0, 0, 0, 0),
        new ChaosVerdict.Tally(100, 100, 0, 0, 1, 0, 0, 0, 0),
        new ChaosVerdict.Tally(100, 100, 0, 0, 0, 1, 0, 0, 0),
        new ChaosVerdict.Tally(100, 100, 0, 0, 0, 0, 0, 1, 0),
        new ChaosVerdict.Tally(0, 0, 0, 0, 0, 0, 0, 0, 0), // nothing sent: nothing tested
    };
    for (ChaosVerdict.Tally t : bad) {
      ChaosVerdict v = verdict(t);
      assertThat(v.passed()).as(t.toString()).isFalse();
      assertThat(v.lines()).as(t.toString()).anyMatch(l -> l.endsWith("FAIL"));
      assertThat(v.lines()).last().asString().startsWith("FAIL (seed 9;");
    }
  }

  @Test
  void processLevelChecksFail() {
    assertThat(new ChaosVerdict(1, CLEAN, 1, 0, 0, OptionalInt.of(0), 0, MIB, MIB).passed()).isFalse();
    assertThat(new ChaosVerdict(1, CLEAN, 0, 1, 0, OptionalInt.of(0), 0, MIB, MIB).passed()).isFalse();
    assertThat(new ChaosVerdict(1, CLEAN, 0, 0, 1, OptionalInt.of(0), 0, MIB, MIB).passed()).isFalse();
    assertThat(new ChaosVerdict(1, CLEAN, 0, 0, 0, OptionalInt.of(1), 0, MIB, MIB).passed()).isFalse();
    assertThat(new ChaosVerdict(1, CLEAN, 0, 0, 0, OptionalInt.of(0), 1, MIB, MIB).passed()).isFalse();
    // Without /proc/self/fd the socket count is not judged, and says so.
    ChaosVerdict unmeasured = new ChaosVerdict(1, CLEAN, 0, 0, 0, OptionalInt.empty(), 0, MIB, MIB);
    assertThat(unmeasured.passed()).isTrue();
    assertThat(unmeasured.lines()).contains("  file-descriptor delta: not measured (no /proc/self/fd)");
  }

  @Test
  void theHeapMayGrowFivePercent() {
    assertThat(new ChaosVerdict(1, CLEAN, 0, 0, 0, OptionalInt.of(0), 0, 100 * MIB, 105 * MIB)
        .heapHeld()).isTrue();
    ChaosVerdict grown = new ChaosVerdict(1, CLEAN, 0, 0, 0, OptionalInt.of(0), 0, 100 * MIB, 106 * MIB);
    assertThat(grown.heapHeld()).isFalse();
    assertThat(grown.passed()).isFalse();
    assertThat(grown.lines()).anyMatch(l -> l.contains("+6.0 %") && l.endsWith("FAIL"));
  }
}
