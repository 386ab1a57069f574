package io.redial.cli.soak;

import io.redial.ConnectionState;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * The demo's one-page HTML report: the verdict, the fault schedule, and a timeline of each
 * connection's state with the faults as bands, drawn by Chart.js and its annotation plugin. Both
 * libraries are read from their webjars on the class path and inlined, so the page works offline
 * and from a file.
 */
final class HtmlReport {
  private static final String CHART_JS = "chart.js";
  private static final String ANNOTATION_JS = "chartjs-plugin-annotation";

  private final Function<Object, String> json;

  /** One connection's row: its name and the states it went through. */
  record Row(String name, List<Span> spans) {}

  /** A state held from {@code from} to {@code to}, in seconds since the run began. */
  record Span(ConnectionState state, double from, double to) {}

  /**
   * Everything on the page.
   *
   * @param verdictLines the verdict table as printed
   */
  record Content(long seed, Duration duration, int connections, List<String> verdictLines,
      boolean passed, List<Step> faults, List<Row> rows) {}

  /** @param json writes maps, lists, strings and numbers as JSON */
  HtmlReport(Function<Object, String> json) {
    this.json = json;
  }

  /**
   * A connection's spans from its transitions, cut at {@code endNanos}.
   *
   * @param startNanos the run's start, on the transitions' clock
   */
  static List<Span> spans(List<ConnectionLog.Transition> transitions, long startNanos, long endNanos) {
    List<Span> out = new ArrayList<>();
    for (int i = 0; i < transitions.size(); i++) {
      ConnectionLog.Transition t = transitions.get(i);
      long to = i + 1 < transitions.size() ? transitions.get(i + 1).nanos() : endNanos;
      double a = seconds(Math.max(0, t.nanos() - startNanos));
      double b = seconds(Math.max(0, Math.min(to, endNanos) - startNanos));
      if (b > a) {
        out.add(new Span(t.state(), a, b));
      }
    }
    return out;
  }

  private static double seconds(long nanos) {
    return Math.round(nanos / 1_000_000.0) / 1000.0;
  }

  /** The page. */
  String render(Content c) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("duration", c.duration().toMillis() / 1000.0);
    List<Object> faults = new ArrayList<>();
    for (Step s : c.faults()) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("label", s.label());
      f.put("start", s.start().toMillis() / 1000.0);
      f.put("end", s.end().toMillis() / 1000.0);
      f.put("instant", s.instant());
      faults.add(f);
    }
    data.put("faults", faults);
    List<Object> rows = new ArrayList<>();
    for (Row r : c.rows()) {
      List<Object> spans = new ArrayList<>();
      for (Span s : r.spans()) {
        spans.add(List.of(s.state().name(), s.from(), s.to()));
      }
      rows.add(Map.of("name", r.name(), "spans", spans));
    }
    data.put("rows", rows);

    StringBuilder h = new StringBuilder(512 * 1024);
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<title>redial demo: ").append(c.passed() ? "PASS" : "FAIL").append("</title>\n")
        .append("<style>\n")
        .append("body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1200px}\n")
        .append("h1{font-size:22px} h2{font-size:17px;margin-top:28px}\n")
        .append("pre{background:#f6f6f6;padding:12px;font-size:13px}\n")
        .append("table{border-collapse:collapse;font-size:14px} td,th{border-bottom:1px solid #ddd;")
        .append("padding:4px 12px;text-align:left}\n")
        .append(".pass{color:#2e7d32} .fail{color:#c62828}\n")
        .append("</style>\n</head>\n<body>\n");
    h.append("<h1>redial demo <span class=\"").append(c.passed() ? "pass\">PASS" : "fail\">FAIL")
        .append("</span></h1>\n<p>").append(c.connections()).append(" managed connections through a ")
        .append("fault proxy to an echo server, for ").append(Schedule.human(c.duration()))
        .append(", seed ").append(c.seed()).append(". Re-run: <code>redial demo --seed ")
        .append(c.seed()).append(" --duration ").append(Schedule.human(c.duration()))
        .append(" --connections ").append(c.connections()).append("</code></p>\n");
    h.append("<h2>Verdict</h2>\n<pre>");
    for (String line : c.verdictLines()) {
      h.append(escape(line)).append('\n');
    }
    h.append("</pre>\n<h2>Timeline</h2>\n<p>One row per connection, coloured by state; shaded ")
        .append("bands are the faults.</p>\n")
        .append("<div style=\"position:relative;height:")
        .append(120 + 18 * Math.max(1, c.rows().size())).append("px\">")
        .append("<canvas id=\"timeline\"></canvas></div>\n");
    h.append("<h2>Fault schedule</h2>\n<table>\n<tr><th>from</th><th>to</th><th>fault</th>")
        .append("<th>what happens</th></tr>\n");
    for (Step s : c.faults()) {
      h.append("<tr><td>").append(String.format(Locale.ROOT, "%.2f s", s.start().toMillis() / 1000.0))
          .append("</td><td>").append(s.instant() ? "(instant)"
              : String.format(Locale.ROOT, "%.2f s", s.end().toMillis() / 1000.0))
          .append("</td><td>").append(escape(s.label())).append("</td><td>")
          .append(escape(s.kind().explanation())).append("</td></tr>\n");
    }
    h.append("</table>\n");
    h.append("<script>\n").append(script(CHART_JS, "dist/chart.umd.js")).append("\n</script>\n");
    h.append("<script>\n").append(script(ANNOTATION_JS, "dist/chartjs-plugin-annotation.min.js"))
        .append("\n</script>\n");
    h.append("<script>\nconst data = ").append(inScript(json.apply(data))).append(";\n")
        .append(TIMELINE_JS).append("</script>\n</body>\n</html>\n");
    return h.toString();
  }

  private static final String TIMELINE_JS = """
      const colors = {CONNECTED: '#2e7d32', CONNECTING: '#f9a825', BACKOFF: '#ef6c00',
        IDLE: '#bdbdbd', CLOSING: '#78909c', CLOSED: '#37474f'};
      const labels = data.rows.map(r => r.name);
      const datasets = Object.keys(colors).map(state => ({
        label: state, backgroundColor: colors[state], borderWidth: 0, grouped: false,
        barPercentage: 0.8, categoryPercentage: 1.0,
        data: data.rows.flatMap(r => r.spans.filter(s => s[0] === state)
          .map(s => ({y: r.name, x: [s[1], s[2]]})))
      }));
      const annotations = {};
      data.faults.forEach((f, i) => {
        annotations['fault' + i] = f.instant
          ? {type: 'line', xMin: f.start, xMax: f.start, borderColor: '#c62828', borderWidth: 2,
             label: {display: true, content: f.label, position: i % 2 ? 'end' : 'start',
                     font: {size: 11}, color: '#8e0000',
                     backgroundColor: 'rgba(255,255,255,0.85)'}}
          : {type: 'box', xMin: f.start, xMax: f.end, backgroundColor: 'rgba(198,40,40,0.13)',
             borderColor: 'rgba(198,40,40,0.55)', borderWidth: 1,
             label: {display: true, content: f.label,
                     position: {x: 'center', y: i % 2 ? 'end' : 'start'}, // neighbours alternate
                     font: {size: 11}, color: '#8e0000'}};
      });
      new Chart(document.getElementById('timeline'), {
        type: 'bar',
        data: {labels, datasets},
        options: {
          indexAxis: 'y', animation: false, responsive: true, maintainAspectRatio: false,
          scales: {
            x: {type: 'linear', min: 0, max: data.duration, title: {display: true, text: 'seconds'}},
            y: {ticks: {autoSkip: false, font: {size: 10}}}
          },
          plugins: {
            annotation: {annotations},
            legend: {position: 'top'},
            tooltip: {callbacks: {label: c => c.dataset.label + ' ' + c.raw.x[0].toFixed(2)
              + ' s to ' + c.raw.x[1].toFixed(2) + ' s'}}
          }
        }
      });
      """;

  /** A webjar's file, found through the webjar's own version so an upgrade needs no edit here. */
  static String script(String webjar, String file) {
    String props = "META-INF/maven/org.webjars.npm/" + webjar + "/pom.properties";
    Properties p = new Properties();
    try (InputStream in = resource(props)) {
      p.load(in);
      String path = "META-INF/resources/webjars/" + webjar + "/" + p.getProperty("version") + "/"
          + file;
      try (InputStream js = resource(path)) {
        return inScript(new String(js.readAllBytes(), StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + webjar + " from the class path", e);
    }
  }

  private static InputStream resource(String path) throws IOException {
    InputStream in = HtmlReport.class.getClassLoader().getResourceAsStream(path);
    if (in == null) {
      throw new IOException(path + " is not on the class path");
    }
    return in;
  }

  /** Text safe inside a script element: it cannot close the element early. */
  static String inScript(String js) {
    return js.replace("</", "<\\/");
  }

  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        default -> b.append(ch);
      }
    }
    return b.toString();
  }
}
