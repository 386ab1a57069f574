package io.redial.bench.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
  @TempDir Path dir;

  @Test
  void writesJsonMarkdownAndPngs() throws Exception {
    Results r = new Results();
    r.add(Figure.ratio("1.throughput.64B", "Throughput", "frames/s", Stats.of(90, 96),
        Stats.of(100, 100), Stats.ratios(new double[] {90, 96}, new double[] {100, 100}),
        "≥ 0.97", Figure.atLeast(0.93, 0.97), "2 rounds"));
    r.add(Figure.info("3.transition", "One event", "ns/event", 123.4, "a | pipe"));
    r.chart(new Charts.Xy("line.png", "t", "x", "y", true,
        List.of(new Charts.Series("a", new double[] {0, 1, 2}, new double[] {0, 10, 1_000}))));
    List<Path> files = Report.write(dir, Map.of("mode", "test", "startedAt", "now"), r);

    assertThat(files).extracting(p -> p.getFileName().toString())
        .containsExactlyInAnyOrder("ratios.png", "line.png", "results.json", "results.md");
    for (String png : List.of("ratios.png", "line.png")) {
      byte[] head = Files.readAllBytes(dir.resolve(png));
      assertThat(head.length).isGreaterThan(1_000);
      assertThat(new String(head, 1, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PNG");
    }
    String md = Files.readString(dir.resolve("results.md"));
    assertThat(md)
        .contains("| 1.throughput.64B | Throughput | 93.0 frames/s | 100 frames/s "
            + "| 0.930 (0.900–0.960) | ≥ 0.97 | **missed** |")
        .contains("| 3.transition | One event | 123 ns/event | — | — | — | — | a \\| pipe |")
        .contains("![t](line.png)");
    String json = Files.readString(dir.resolve("results.json"));
    assertThat(json).contains("\"verdict\": \"MISSED\"").contains("\"rawNetty\": null")
        .contains("\"charts\": [");
  }

  @Test
  void figuresAreListedInTheIssuesOrder() {
    Figure seven = Figure.info("7.halfopen", "seven", "s", 2, "");
    Figure one = Figure.info("1.throughput.64B", "one", "frames/s", 1, "");
    Figure failed = Figure.info("storm", "storm failed", "", Double.NaN, "");
    Figure six = Figure.info("6.storm.fixed", "six", "s", 1, "");
    assertThat(Report.ordered(List.of(seven, failed, one, six)))
        .containsExactly(one, six, seven, failed);
  }

  @Test
  void numbersKeepThreeSignificantDigits() {
    assertThat(Report.num(256_450.4)).isEqualTo("256,450");
    assertThat(Report.num(50.74)).isEqualTo("50.7");
    assertThat(Report.num(2.014)).isEqualTo("2.01");
    assertThat(Report.num(0.4812)).isEqualTo("0.481");
    assertThat(Report.num(Double.NaN)).isEqualTo("n/a");
  }
}
