package io.redial.bench.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReportRedisLinesTest {
  @Test
  void theRawNettyRatioChartLeavesTheLettuceLinesToTheirOwnChart() {
    Figure raw = Figure.ratio("1.throughput.64B", "t", "frames/s", Stats.of(1), Stats.of(1),
        Stats.of(1.0), "≥ 0.97", Figure.Verdict.MET, "");
    Figure redis = Figure.ratio("10.redis.throughput", "r", "requests/s", Stats.of(1),
        Stats.of(1), Stats.of(1.02), "≥ 1.0", Figure.Verdict.MET, "");
    Charts.Bars chart = (Charts.Bars) Report.ratioChart(List.of(raw, redis), false);
    assertThat(chart.categories()).containsExactly("1.throughput.64B (≥ 0.97)");
    assertThat(Report.ordered(List.of(redis, raw))).containsExactly(raw, redis);
  }
}
