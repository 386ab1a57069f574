package io.redial.bench.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The peer figures: from paired JMH values, recovery outcomes, into the report and charts. */
class PeersReportTest {
  @TempDir Path dir;

  private static Map<String, Map<String, List<Double>>> throughput() {
    Map<String, List<Double>> series = new LinkedHashMap<>();
    series.put("redial@raw", List.of(95.0, 100.0));
    series.put("raw", List.of(100.0, 100.0));
    series.put("redial@reactor", List.of(90.0, 120.0));
    series.put("reactor", List.of(60.0, 60.0));
    Map<String, Map<String, List<Double>>> values = new LinkedHashMap<>();
    values.put("throughput 64", series);
    return values;
  }

  @Test
  void rawKeepsItsFigureAndGoalPeersGetTheirOwnWithRedialAtLeastAsGood() {
    Results r = new Results();
    JmhSuite.Metric m = JmhSuite.METRICS.get(0);
    JmhSuite.figure(r, throughput(), m, "raw");
    JmhSuite.figure(r, throughput(), m, "reactor");
    JmhSuite.figure(r, throughput(), m, "vertx"); // no values: reported, not dropped

    Figure raw = r.figures().get(0);
    assertThat(raw.id()).isEqualTo("1.throughput.64B");
    assertThat(raw.against()).isEqualTo("raw");
    assertThat(raw.goal()).isEqualTo("≥ 0.97");
    assertThat(raw.ratio()).isEqualTo(0.975); // median of 0.95 and 1.00
    assertThat(raw.verdict()).isEqualTo(Figure.Verdict.MET);

    Figure reactor = r.figures().get(1);
    assertThat(reactor.id()).isEqualTo("10.throughput.64B.reactor");
    assertThat(reactor.title()).contains("Reactor Netty TcpClient");
    assertThat(reactor.goal()).isEqualTo("≥ 1.00");
    assertThat(reactor.ratio()).isEqualTo(1.75); // median of 1.5 and 2.0
    assertThat(reactor.ratioMin()).isEqualTo(1.5);
    assertThat(reactor.ratioMax()).isEqualTo(2.0);
    assertThat(reactor.baseline()).isEqualTo(60.0);
    assertThat(reactor.verdict()).isEqualTo(Figure.Verdict.MET);

    Figure vertx = r.figures().get(2);
    assertThat(vertx.verdict()).isEqualTo(Figure.Verdict.SKIPPED);
    assertThat(vertx.against()).isEqualTo("vertx");
  }

  @Test
  void latencyGoalIsAtMostOneAgainstAPeer() {
    Map<String, List<Double>> series = new LinkedHashMap<>();
    series.put("redial@handrolled", List.of(110.0));
    series.put("handrolled", List.of(100.0));
    Results r = new Results();
    JmhSuite.figure(r, Map.of("p50", series), JmhSuite.METRICS.get(2), "handrolled");
    Figure f = r.figures().get(0);
    assertThat(f.id()).isEqualTo("10.echo.p50.handrolled");
    assertThat(f.goal()).isEqualTo("≤ 1.00");
    assertThat(f.verdict()).isEqualTo(Figure.Verdict.MISSED);
  }

  @Test
  void everyClientsValuesForTheChartRedialFromAllItsPairs() {
    Map<String, double[]> by = JmhSuite.byClient(throughput().get("throughput 64"),
        List.of("raw", "reactor"));
    assertThat(by.keySet()).containsExactly("redial", "raw", "reactor");
    assertThat(by.get("redial")).containsExactly(95.0, 100.0, 90.0, 120.0);
    assertThat(by.get("reactor")).containsExactly(60.0, 60.0);
    Charts.Spec chart = Peers.chart("clients.png", "t", "frames/s", by);
    assertThat(chart).isInstanceOf(Charts.Bars.class);
    Charts.Bars bars = (Charts.Bars) chart;
    assertThat(bars.categories()).containsExactly("Redial", "raw Netty", "Reactor Netty TcpClient");
    assertThat(bars.labels().get(0)).isEqualTo("97.5 frames/s (90.0–120)");
    assertThat(bars.labels().get(2)).isEqualTo("60.0 frames/s");
    assertThat(Peers.chart("none.png", "t", "s", Map.of("raw", new double[0]))).isNull();
  }

  @Test
  void recoveryComparesRedialWithEachPeerAndCountsLostFrames() {
    Plan plan = Plan.quick();
    List<Recovery.Outcome> outcomes = List.of(
        new Recovery.Outcome("redial", 1_000, true, 1.5, 1_000, 2_000, 1_000, 1_000),
        new Recovery.Outcome("handrolled", 1_000, true, 0.8, 1_000, 6_000, 1_000, 0),
        new Recovery.Outcome("vertx", 1_000, true, Double.NaN, 990, 3_000, 1_000, 7));
    Results r = new Results();
    Recovery.report(plan, r, outcomes);
    assertThat(r.figures()).extracting(Figure::id)
        .containsExactly("11.recovery.handrolled", "11.recovery.vertx");
    Figure hand = r.figures().get(0);
    assertThat(hand.redial()).isEqualTo(1.5);
    assertThat(hand.baseline()).isEqualTo(0.8);
    assertThat(hand.ratio()).isEqualTo(1.5 / 0.8);
    assertThat(hand.verdict()).isEqualTo(Figure.Verdict.INFO);
    assertThat(hand.note())
        .contains("Redial: 1.50 s, 2,000 attempts, 0 of 1,000 lost")
        .contains("hand-rolled Netty reconnect: 0.80 s, 6,000 attempts, 1,000 of 1,000 lost")
        .contains("queued");
    assertThat(r.figures().get(1).note()).contains("not all back (990 of 1,000)")
        .contains("993 of 1,000 lost");
    assertThat(outcomes.get(0).lost()).isZero();
    assertThat(new Recovery.Outcome("raw", 10, true, 1, 10, 1, 10, 12).lost())
        .as("duplicate echoes never make the loss negative").isZero();
    assertThat(r.charts()).extracting(Charts.Spec::file).containsExactly("recovery.png");
    assertThat(r.details()).containsKey("recovery");
  }

  @Test
  void reportPutsPeersInTheirOwnTableAndChart() throws Exception {
    Results r = new Results();
    JmhSuite.figure(r, throughput(), JmhSuite.METRICS.get(0), "raw");
    JmhSuite.figure(r, throughput(), JmhSuite.METRICS.get(0), "reactor");
    Report.write(dir, Map.of("mode", "test", "startedAt", "now"), r);
    String md = Files.readString(dir.resolve("results.md"));
    int peersAt = md.indexOf("## Redial against the clients users would pick instead");
    assertThat(peersAt).isPositive();
    assertThat(md.substring(0, peersAt)).contains("| 1.throughput.64B |")
        .doesNotContain("10.throughput.64B.reactor");
    assertThat(md.substring(peersAt))
        .contains("| 10.throughput.64B.reactor | Throughput, one connection, 64 B frames,"
            + " pipelined (echo): Redial vs Reactor Netty TcpClient | 105 frames/s | 60.0 frames/s"
            + " | 1.750 (1.500–2.000) | ≥ 1.00 | met |")
        .contains("| Vert.x NetClient | by hand: closeHandler");
    assertThat(Files.exists(dir.resolve("peer-ratios.png"))).isTrue();
    assertThat(Files.exists(dir.resolve("ratios.png"))).isTrue();
    String json = Files.readString(dir.resolve("results.json"));
    assertThat(json).contains("\"against\": \"reactor\"").contains("\"peer\": 60");
  }

  @Test
  void peerBackoffDoublesFromOneSecondWithTwentyPercentJitterAndACap() {
    assertThat(VertxClient.Backoffs.delayMillis(0, 0)).isEqualTo(1_000);
    assertThat(VertxClient.Backoffs.delayMillis(1, 0)).isEqualTo(2_000);
    assertThat(VertxClient.Backoffs.delayMillis(2, -1)).isEqualTo(3_200);
    assertThat(VertxClient.Backoffs.delayMillis(2, 0.999)).isEqualTo(4_799);
    assertThat(VertxClient.Backoffs.delayMillis(40, 1)).isEqualTo(120_000);
    for (int i = 0; i < 100; i++) {
      assertThat(VertxClient.Backoffs.delayMillis(0)).isBetween(800L, 1_200L);
    }
    assertThatThrownBy(() -> VertxClient.Backoffs.delayMillis(-1, 0))
        .hasMessageContaining("failures").hasMessageContaining("-1");
  }

  @Test
  void kindsAreNamedAndDescribed() {
    assertThat(ClientKind.peers()).containsExactly("raw", "reactor", "vertx", "handrolled");
    assertThat(ClientKind.reconnecting()).extracting(ClientKind::name)
        .containsExactly("redial", "reactor", "vertx", "handrolled");
    for (ClientKind k : ClientKind.echo()) {
      assertThat(ClientKind.named(k.name())).isSameAs(k);
      assertThat(k.offline()).isNotBlank();
    }
    assertThatThrownBy(() -> ClientKind.named("lettuce"))
        .hasMessageContaining("client").hasMessageContaining("'lettuce'")
        .hasMessageContaining("reactor");
  }
}
