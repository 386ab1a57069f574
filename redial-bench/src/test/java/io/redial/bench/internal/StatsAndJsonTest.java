package io.redial.bench.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatsAndJsonTest {
  @Test
  void medianAndSpread() {
    Stats s = Stats.of(3, 1, 2, Double.NaN);
    assertThat(s.median()).isEqualTo(2);
    assertThat(s.min()).isEqualTo(1);
    assertThat(s.max()).isEqualTo(3);
    assertThat(s.n()).isEqualTo(3);
    assertThat(Stats.of(1, 2, 3, 10).median()).isEqualTo(2.5);
    assertThat(Stats.of().median()).isNaN();
  }

  @Test
  void ratiosArePairwise() {
    Stats r = Stats.ratios(new double[] {10, 30}, new double[] {5, 10});
    assertThat(r.min()).isEqualTo(2);
    assertThat(r.max()).isEqualTo(3);
    assertThat(r.median()).isEqualTo(2.5);
    assertThatThrownBy(() -> Stats.ratios(new double[1], new double[2]))
        .hasMessageContaining("same length");
  }

  @Test
  void jsonEscapesAndNulls() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("s", "a\"b\\c\n");
    m.put("n", Double.NaN);
    m.put("i", 3.0);
    m.put("d", 0.5);
    m.put("l", List.of(1, true));
    m.put("a", new double[] {1, 2.5});
    String json = Json.write(m).replaceAll("\\s", "");
    assertThat(json)
        .isEqualTo("{\"s\":\"a\\\"b\\\\c\\n\",\"n\":null,\"i\":3,\"d\":0.5,\"l\":[1,true],\"a\":[1,2.5]}");
  }

  @Test
  void verdicts() {
    assertThat(Figure.atLeast(0.98, 0.97)).isEqualTo(Figure.Verdict.MET);
    assertThat(Figure.atLeast(0.96, 0.97)).isEqualTo(Figure.Verdict.MISSED);
    assertThat(Figure.atMost(1.06, 1.05)).isEqualTo(Figure.Verdict.MISSED);
    assertThat(Figure.atMost(Double.NaN, 1.05)).isEqualTo(Figure.Verdict.SKIPPED);
  }
}
