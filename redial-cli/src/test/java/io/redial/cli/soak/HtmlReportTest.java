package io.redial.cli.soak;

import static org.assertj.core.api.Assertions.assertThat;

import io.redial.ConnectionState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HtmlReportTest {
  private static final long S = 1_000_000_000L;

  @Test
  void spansFollowTheTransitionsAndEndAtTheEnd() {
    long start = 10 * S;
    List<ConnectionLog.Transition> t = List.of(
        new ConnectionLog.Transition(start - S, ConnectionState.IDLE), // built before the start
        new ConnectionLog.Transition(start + S, ConnectionState.CONNECTING),
        new ConnectionLog.Transition(start + S + S / 5, ConnectionState.CONNECTED),
        new ConnectionLog.Transition(start + S + S / 5, ConnectionState.BACKOFF), // zero length
        new ConnectionLog.Transition(start + S + S / 5, ConnectionState.CONNECTED));
    assertThat(HtmlReport.spans(t, start, start + 3 * S)).containsExactly(
        new HtmlReport.Span(ConnectionState.IDLE, 0.0, 1.0),
        new HtmlReport.Span(ConnectionState.CONNECTING, 1.0, 1.2),
        new HtmlReport.Span(ConnectionState.CONNECTED, 1.2, 3.0));
  }

  @Test
  void pageInlinesTheChartLibraryAndNamesEveryFault() {
    Schedule schedule = Schedule.scripted(5, Duration.ofSeconds(20));
    HtmlReport.Content content = new HtmlReport.Content(5, Duration.ofSeconds(20), 2,
        List.of("  lost   0  ok", "  <odd> & \"quoted\""), true, schedule.steps(),
        List.of(new HtmlReport.Row("demo-00", List.of(new HtmlReport.Span(ConnectionState.CONNECTED, 0, 20))),
            new HtmlReport.Row("demo-01", List.of())));
    String page = new HtmlReport(HtmlReportTest::json).render(content);

    assertThat(page).startsWith("<!DOCTYPE html>").endsWith("</html>\n")
        .contains("Chart.js v4.4.1", "chartjs-plugin-annotation v3.0.1", "new Chart(")
        .contains("redial demo --seed 5 --duration 20s --connections 2")
        .contains("&lt;odd&gt; &amp; &quot;quoted&quot;")
        .contains("\"demo-00\"", "\"demo-01\"", "[\"CONNECTED\", 0.0, 20.0]")
        .doesNotContain("<script src", "<odd>");
    for (Step step : schedule.steps()) {
      assertThat(page).contains(step.label(), step.kind().explanation());
    }
    // Every script element closes exactly where it should.
    assertThat(page.split("<script>", -1)).hasSize(4);
    assertThat(page.split("</script>", -1)).hasSize(4);
  }

  @Test
  void scriptTextCannotCloseItsElement() {
    assertThat(HtmlReport.inScript("a = '</script><b>';")).isEqualTo("a = '<\\/script><b>';");
  }

  /** A stand-in for the CLI's JSON writer, enough for this page's data. */
  private static String json(Object v) {
    if (v instanceof Map<?, ?> m) {
      StringBuilder b = new StringBuilder("{");
      m.forEach((k, x) -> b.append(b.length() > 1 ? ", " : "").append(json(k)).append(": ")
          .append(json(x)));
      return b.append('}').toString();
    }
    if (v instanceof List<?> l) {
      StringBuilder b = new StringBuilder("[");
      l.forEach(x -> b.append(b.length() > 1 ? ", " : "").append(json(x)));
      return b.append(']').toString();
    }
    if (v instanceof Number || v instanceof Boolean) {
      return v.toString();
    }
    return "\"" + v.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
