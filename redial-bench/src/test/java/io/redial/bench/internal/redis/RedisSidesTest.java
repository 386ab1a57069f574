package io.redial.bench.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redial.bench.internal.Plan;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisSidesTest {
  @Test
  void sidesTakeTurnsFromTheFirst() {
    for (String first : List.of("lettuce", "redial")) {
      String other = first.equals("lettuce") ? "redial" : "lettuce";
      List<String> seen = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        seen.add(RedisSides.sideOf(first, i));
      }
      assertThat(seen).containsExactly(first, other, first, other, first, other);
    }
    // 3 warm-ups, Lettuce first: the first measured iteration is Redial's
    assertThat(RedisSides.sideOf("lettuce", 3)).isEqualTo("redial");
  }

  @Test
  void forksStartWithLettuceAndRedialInTurn() {
    assertThat(List.of(RedisSides.firstOfFork(0), RedisSides.firstOfFork(1),
        RedisSides.firstOfFork(2))).containsExactly("lettuce", "redial", "lettuce");
  }

  @Test
  void badInputIsNamed() {
    assertThatThrownBy(() -> RedisSides.sideOf("raw", 0))
        .hasMessageContaining("first").hasMessageContaining("'raw'")
        .hasMessageContaining("lettuce");
    assertThatThrownBy(() -> RedisSides.sideOf("redial", -1))
        .hasMessageContaining("index").hasMessageContaining("-1");
    assertThatThrownBy(() -> RedisSides.firstOfFork(-2))
        .hasMessageContaining("fork").hasMessageContaining("-2");
  }

  @Test
  void planFollowsTheRunsJmhSizesWithHalfTheFootprint() {
    RedisPlan quick = RedisPlan.of(Plan.quick());
    assertThat(quick.forks()).isEqualTo(Plan.quick().jmhForks());
    assertThat(quick.measurementIterations()).isEqualTo(Plan.quick().jmhMeasurementIterations());
    assertThat(quick.footprintConnections()).isEqualTo(1_000);
    assertThat(quick.warmupIterations()).isEqualTo(Plan.quick().jmhConnectWarmupIterations())
        .isGreaterThan(Plan.quick().jmhWarmupIterations());
    assertThat(quick.pairs())
        .isEqualTo(Plan.quick().jmhForks() * Plan.quick().jmhMeasurementIterations() / 2);
    RedisPlan full = RedisPlan.of(Plan.full());
    assertThat(full.footprintConnections()).isEqualTo(5_000);
    assertThat(full.footprintRounds()).isEqualTo(2);
    assertThat(full.maxClients()).isGreaterThan(full.footprintConnections());
    assertThat(full.pairs())
        .isEqualTo(Plan.full().jmhForks() * Plan.full().jmhMeasurementIterations() / 2);
  }

  @Test
  void planRejectsOddIterationsNamingThem() {
    assertThatThrownBy(() -> new RedisPlan(1, 2, 3, 1, 10, 1))
        .hasMessageContaining("measurementIterations").hasMessageContaining("3");
    assertThatThrownBy(() -> new RedisPlan(0, 2, 4, 1, 10, 1))
        .hasMessageContaining("forks").hasMessageContaining("0");
    assertThatThrownBy(() -> new RedisPlan(1, 2, 4, 1, 0, 1))
        .hasMessageContaining("footprintConnections");
  }
}
