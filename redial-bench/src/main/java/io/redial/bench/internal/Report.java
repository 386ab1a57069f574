package io.redial.bench.internal;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes {@code results.json}, {@code results.md} and the PNG charts of a run. */
public final class Report {
  private Report() {}

  /** Facts about the run for the header: mode, time, machine, JVM. */
  public static Map<String, Object> meta(Plan plan, String startedAt) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mode", plan.name());
    m.put("startedAt", startedAt);
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    m.put("jvmArgs", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
    m.put("maxHeapMiB", Runtime.getRuntime().maxMemory() >> 20);
    m.put("transport", Net.epoll() ? "epoll" : "nio");
    m.put("fdLimit", Scale.fdLimit());
    m.put("plan", plan.toString());
    m.put("loadAverageAtStart", loadAverage());
    return m;
  }

  /**
   * The machine's load averages (1, 5, 15 minutes) from {@code /proc/loadavg}, or "n/a": on a
   * shared machine they say how busy the rest of it was while the figures were taken.
   */
  public static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }

  /** Writes everything into {@code dir}; returns the files written. */
  public static List<Path> write(Path dir, Map<String, Object> meta, Results results)
      throws IOException {
    Files.createDirectories(dir);
    List<Path> written = new ArrayList<>();
    List<Charts.Spec> charts = new ArrayList<>(results.charts());
    Charts.Spec peerRatios = ratioChart(results.figures(), true);
    if (peerRatios != null) {
      charts.add(0, peerRatios);
    }
    Charts.Spec ratios = ratioChart(results.figures(), false);
    if (ratios != null) {
      charts.add(0, ratios);
    }
    List<String> chartFiles = new ArrayList<>();
    for (Charts.Spec spec : charts) {
      try {
        written.add(Charts.draw(spec, dir));
        chartFiles.add(spec.file());
      } catch (RuntimeException e) { // one chart that fails must not cost the figures
        System.out.println("  chart " + spec.file() + " failed: " + e);
      }
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("meta", meta);
    json.put("figures", ordered(results.figures()).stream().map(Figure::toMap).toList());
    json.put("details", results.details());
    json.put("charts", chartFiles);
    Path jsonFile = dir.resolve("results.json");
    Files.writeString(jsonFile, Json.write(json), StandardCharsets.UTF_8);
    written.add(jsonFile);
    Path md = dir.resolve("results.md");
    Files.writeString(md, markdown(meta, results.figures(), charts, chartFiles),
        StandardCharsets.UTF_8);
    written.add(md);
    return written;
  }

  /**
   * The ratios that have a goal, against raw Netty ({@code ratios.png}) or against the peers
   * ({@code peer-ratios.png}); null when there are none.
   */
  static Charts.Spec ratioChart(List<Figure> figures, boolean peers) {
    List<String> ids = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    List<Boolean> met = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    for (Figure f : ordered(figures)) {
      // the Redis lines compare with Lettuce, not raw Netty: they have their own chart
      if (Double.isFinite(f.ratio()) && !f.goal().isEmpty() && f.againstPeer() == peers
          && !f.id().startsWith("10.redis.")) {
        ids.add(f.id() + " (" + f.goal() + ")");
        ratios.add(f.ratio());
        met.add(f.verdict() == Figure.Verdict.MET);
        labels.add(ratio(f));
      }
    }
    if (ids.isEmpty()) {
      return null;
    }
    double[][] v = {ratios.stream().mapToDouble(Double::doubleValue).toArray()};
    String against = peers ? "peer" : "raw Netty";
    return new Charts.Bars(peers ? "peer-ratios.png" : "ratios.png", "Redial / " + against
            + ", same run (1.0 = equal; green: goal met, red: missed)",
        "ratio: median (lowest–highest)", ids, List.of("Redial / " + against), v, 1.0, met, labels);
  }

  /** Figures in the order (1–9; a failed section last), stable within a number. */
  static List<Figure> ordered(List<Figure> figures) {
    List<Figure> out = new ArrayList<>(figures);
    out.sort(java.util.Comparator.comparingInt(Report::number));
    return out;
  }

  private static int number(Figure f) {
    int dot = f.id().indexOf('.');
    try {
      return Integer.parseInt(dot < 0 ? f.id() : f.id().substring(0, dot));
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE;
    }
  }

  static String markdown(
      Map<String, Object> meta, List<Figure> figures, List<Charts.Spec> specs, List<String> files) {
    StringBuilder b = new StringBuilder();
    b.append("# Redial vs raw Netty and the peers: ").append(meta.get("mode")).append(" run, ")
        .append(meta.get("startedAt")).append("\n\n");
    b.append("Machine: ").append(meta.get("cores")).append(" cores, ").append(meta.get("java"))
        .append(", transport ").append(meta.get("transport")).append(", heap max ")
        .append(meta.get("maxHeapMiB")).append(" MiB, file-descriptor limit ")
        .append(meta.get("fdLimit")).append(". JVM flags: `").append(meta.get("jvmArgs"))
        .append("`. Load average (1, 5, 15 min) at the start: ")
        .append(meta.getOrDefault("loadAverageAtStart", "n/a")).append(", at the end: ")
        .append(meta.getOrDefault("loadAverageAtEnd", "n/a")).append(".\n\n");
    b.append("Every ratio is Redial / raw Netty measured in the same run with the same JVM flags. "
        + "JMH figures: every client takes turns iteration by iteration inside each fork, each "
        + "peer next to a Redial iteration, and each such adjacent pair gives a ratio; the other "
        + "figures interleave their rounds (in order, then in reverse). The spread "
        + "is the lowest and highest of those ratios. "
        + "Verdicts compare the median ratio with the goal; a missed goal is reported, not tuned "
        + "away.\n\n");
    b.append("| # | what | Redial | raw Netty | ratio (spread) | goal | verdict | notes |\n");
    b.append("|---|---|---|---|---|---|---|---|\n");
    List<Figure> peerFigures = new ArrayList<>();
    for (Figure f : ordered(figures)) {
      if (f.againstPeer()) {
        peerFigures.add(f);
        continue;
      }
      row(b, f);
    }
    b.append('\n');
    if (!peerFigures.isEmpty()) {
      b.append("## Redial against the clients users would pick instead\n\n");
      b.append("Each peer is written the way its own documentation recommends, with the reconnect"
          + " a production user adds; every ratio is Redial / that peer, measured in the same run"
          + " (JMH: taking turns in one JVM, each peer's iteration next to a Redial iteration)."
          + " Goal: Redial at least as good as each peer (ratio ≥ 1.00 for throughput, ≤ 1.00"
          + " for the rest).\n\n");
      b.append(Peers.clientsTable()).append('\n');
      b.append("| # | what | Redial | peer | Redial / peer (spread) | goal | verdict | notes |\n");
      b.append("|---|---|---|---|---|---|---|---|\n");
      for (Figure f : peerFigures) {
        row(b, f);
      }
      b.append('\n');
    }
    for (Charts.Spec s : specs) {
      if (files.contains(s.file())) {
        b.append("![").append(s.title()).append("](").append(s.file()).append(")\n\n");
      }
    }
    return b.toString();
  }

  private static void row(StringBuilder b, Figure f) {
    b.append("| ").append(f.id())
        .append(" | ").append(f.title())
        .append(" | ").append(num(f.redial())).append(' ').append(f.unit())
        .append(" | ").append(Double.isNaN(f.baseline()) ? "—" : num(f.baseline()) + " " + f.unit())
        .append(" | ").append(ratio(f))
        .append(" | ").append(f.goal().isEmpty() ? "—" : f.goal())
        .append(" | ").append(verdict(f.verdict()))
        .append(" | ").append(f.note().replace("|", "\\|"))
        .append(" |\n");
  }

  static String ratio(Figure f) {
    if (Double.isNaN(f.ratio())) {
      return "—";
    }
    if (f.ratioMin() == f.ratioMax()) {
      return String.format("%.3f", f.ratio());
    }
    return String.format("%.3f (%.3f–%.3f)", f.ratio(), f.ratioMin(), f.ratioMax());
  }

  static String verdict(Figure.Verdict v) {
    return switch (v) {
      case MET -> "met";
      case MISSED -> "**missed**";
      case INFO -> "—";
      case SKIPPED -> "skipped";
      case LIMITED -> "not testable here (machine limit)";
    };
  }

  /** Three significant digits, thousands separated. */
  static String num(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    double a = Math.abs(v);
    if (a >= 100) {
      return String.format("%,.0f", v);
    }
    if (a >= 10) {
      return String.format("%.1f", v);
    }
    if (a >= 1) {
      return String.format("%.2f", v);
    }
    return String.format("%.3g", v);
  }
}
