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
    return m;
  }

  /** Writes everything into {@code dir}; returns the files written. */
  public static List<Path> write(Path dir, Map<String, Object> meta, Results results)
      throws IOException {
    Files.createDirectories(dir);
    List<Path> written = new ArrayList<>();
    List<Charts.Spec> charts = new ArrayList<>(results.charts());
    Charts.Spec ratios = ratioChart(results.figures());
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

  static Charts.Spec ratioChart(List<Figure> figures) {
    List<String> ids = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    List<Boolean> met = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    for (Figure f : ordered(figures)) {
      // the Redis lines compare with Lettuce, not raw Netty: they have their own chart
      if (Double.isFinite(f.ratio()) && !f.goal().isEmpty() && !f.id().startsWith("10.redis.")) {
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
    return new Charts.Bars("ratios.png", "Redial / raw Netty, same run (1.0 = equal; "
            + "green: goal met, red: missed)", "ratio: median (lowest–highest)", ids,
        List.of("Redial / raw Netty"), v, 1.0, met, labels);
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
    b.append("# Redial vs raw Netty: ").append(meta.get("mode")).append(" run, ")
        .append(meta.get("startedAt")).append("\n\n");
    b.append("Machine: ").append(meta.get("cores")).append(" cores, ").append(meta.get("java"))
        .append(", transport ").append(meta.get("transport")).append(", heap max ")
        .append(meta.get("maxHeapMiB")).append(" MiB, file-descriptor limit ")
        .append(meta.get("fdLimit")).append(". JVM flags: `").append(meta.get("jvmArgs"))
        .append("`.\n\n");
    b.append("Every ratio is Redial / raw Netty measured in the same run with the same JVM flags. "
        + "JMH figures: the two take turns iteration by iteration inside each fork, and each "
        + "adjacent pair gives a ratio; the other figures interleave A/B/B/A rounds. The spread "
        + "is the lowest and highest of those ratios. "
        + "Verdicts compare the median ratio with the goal; a missed goal is reported, not tuned "
        + "away.\n\n");
    b.append("| # | what | Redial | raw Netty | ratio (spread) | goal | verdict | notes |\n");
    b.append("|---|---|---|---|---|---|---|---|\n");
    for (Figure f : ordered(figures)) {
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
    b.append('\n');
    for (Charts.Spec s : specs) {
      if (files.contains(s.file())) {
        b.append("![").append(s.title()).append("](").append(s.file()).append(")\n\n");
      }
    }
    return b.toString();
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
