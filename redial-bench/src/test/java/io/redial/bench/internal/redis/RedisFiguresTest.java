package io.redial.bench.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.redial.bench.internal.Charts;
import io.redial.bench.internal.Figure;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisFiguresTest {
  private static Map<String, List<Double>> sides(List<Double> redial, List<Double> lettuce) {
    return Map.of("redial", redial, "lettuce", lettuce);
  }

  @Test
  void ratiosArePerPairWithTheirSpreadAndGoalsFromTheIssue() {
    List<Figure> f = RedisFigures.jmh(Map.of(
        "throughput", sides(List.of(110.0, 90.0, 100.0), List.of(100.0, 100.0, 80.0)),
        "p50", sides(List.of(50.0, 60.0), List.of(50.0, 50.0)),
        "p99", sides(List.of(120.0, 90.0), List.of(100.0, 100.0))), 1_000);

    Figure tp = f.get(0);
    assertThat(tp.id()).isEqualTo("10.redis.throughput");
    assertThat(tp.ratio()).isCloseTo(1.1, within(1e-9)); // ratios 1.1, 0.9, 1.25
    assertThat(tp.ratioMin()).isCloseTo(0.9, within(1e-9));
    assertThat(tp.ratioMax()).isCloseTo(1.25, within(1e-9));
    assertThat(tp.redial()).isEqualTo(100.0);
    assertThat(tp.baseline()).isEqualTo(100.0);
    assertThat(tp.goal()).isEqualTo("≥ 1.0");
    assertThat(tp.verdict()).isEqualTo(Figure.Verdict.MET);
    assertThat(tp.note()).contains("3 pairs").contains("Lettuce");

    Figure p50 = f.get(1);
    assertThat(p50.goal()).isEmpty();
    assertThat(p50.verdict()).isEqualTo(Figure.Verdict.INFO);
    assertThat(p50.ratio()).isCloseTo(1.1, within(1e-9));

    Figure p99 = f.get(2); // ratios 1.2 and 0.9: median 1.05 > 1.0, a miss, reported
    assertThat(p99.ratio()).isCloseTo(1.05, within(1e-9));
    assertThat(p99.goal()).isEqualTo("≤ 1.0");
    assertThat(p99.verdict()).isEqualTo(Figure.Verdict.MISSED);
  }

  @Test
  void aThroughputBelowLettucesIsAMiss() {
    Figure tp = RedisFigures.jmh(Map.of(
        "throughput", sides(List.of(95.0, 99.0), List.of(100.0, 100.0))), 1_000).get(0);
    assertThat(tp.verdict()).isEqualTo(Figure.Verdict.MISSED);
  }

  @Test
  void missingOrUnpairedResultsAreSkippedNotInvented() {
    List<Figure> f = RedisFigures.jmh(Map.of(
        "throughput", sides(List.of(1.0, 2.0), List.of(1.0))), 1_000);
    assertThat(f).extracting(Figure::verdict).containsOnly(Figure.Verdict.SKIPPED);
    assertThat(f.get(0).note()).contains("Redial 2, Lettuce 1");
    assertThat(f.get(1).ratio()).isNaN();
  }

  @Test
  void heapIsPerConnectionBesideLettuceWithTheDifference() {
    Figure h = RedisFigures.heap(new double[] {3_000, 3_200}, new double[] {5_000, 5_000}, 1_000);
    assertThat(h.id()).isEqualTo("10.redis.heap");
    assertThat(h.redial()).isEqualTo(3_100.0);
    assertThat(h.baseline()).isEqualTo(5_000.0);
    assertThat(h.ratio()).isCloseTo(0.62, within(1e-9));
    assertThat(h.note()).contains("-1,900 B");
    assertThat(h.title()).contains("1,000 connections");
  }

  @Test
  void chartShowsOnlyTheRedisLinesRedWhereMissed() {
    List<Figure> f = new java.util.ArrayList<>(RedisFigures.jmh(Map.of(
        "throughput", sides(List.of(90.0), List.of(100.0)),
        "p50", sides(List.of(50.0), List.of(50.0)),
        "p99", sides(List.of(90.0), List.of(100.0))), 1_000));
    f.add(Figure.info("3.transition", "other", "ns", 1, ""));
    Charts.Bars chart = (Charts.Bars) RedisFigures.chart(f);
    assertThat(chart.file()).isEqualTo("redis.png");
    assertThat(chart.categories()).containsExactly("10.redis.throughput (≥ 1.0)", "10.redis.p50",
        "10.redis.p99 (≤ 1.0)");
    assertThat(chart.met()).containsExactly(false, true, true);
    assertThat(chart.values()[0]).containsExactly(0.9, 1.0, 0.9);
    assertThat(chart.marker()).isEqualTo(1.0);
    assertThat(RedisFigures.chart(List.of())).isNull();
  }
}
