package io.redial.bench.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlternationTest {
  @Test
  void sidesTakeTurnsStartingWithFirst() {
    for (String first : List.of("raw", "redial")) {
      Alternation turns = new Alternation(first);
      List<String> seen = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        String impl = turns.next();
        assertThat(impl).isEqualTo(Alternation.implOf(first, i)); // the suite's mapping agrees
        seen.add(impl);
      }
      String other = first.equals("raw") ? "redial" : "raw";
      assertThat(seen).containsExactly(first, other, first, other, first, other);
    }
  }

  @Test
  void measuredIterationsAfterAnOddWarmUpStillMapToTheRightSide() {
    // 3 warm-ups, raw first: warm-ups are raw, redial, raw; the first measured one is redial
    assertThat(Alternation.implOf("raw", 3)).isEqualTo("redial");
    assertThat(Alternation.implOf("raw", 4)).isEqualTo("raw");
  }

  @Test
  void badInputIsNamed() {
    assertThatThrownBy(() -> new Alternation("netty"))
        .hasMessageContaining("first").hasMessageContaining("'netty'").hasMessageContaining("raw");
    assertThatThrownBy(() -> Alternation.implOf("raw", -1))
        .hasMessageContaining("index").hasMessageContaining("-1");
  }
}
