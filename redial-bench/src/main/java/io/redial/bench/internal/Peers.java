package io.redial.bench.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The report's parts about the clients Redial is measured against. */
final class Peers {
  private Peers() {}

  /**
   * A bar per client (median, labelled "median (lowest–highest)"), for one figure with every
   * client; null when no client has a value.
   */
  static Charts.Spec chart(String file, String title, String unit, Map<String, double[]> byClient) {
    List<String> names = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    List<Double> medians = new ArrayList<>();
    for (Map.Entry<String, double[]> e : byClient.entrySet()) {
      Stats s = Stats.of(e.getValue());
      if (s.n() == 0) {
        continue;
      }
      names.add(ClientKind.named(e.getKey()).label());
      medians.add(s.median());
      labels.add(label(s, unit));
    }
    if (names.isEmpty()) {
      return null;
    }
    double[][] v = {medians.stream().mapToDouble(Double::doubleValue).toArray()};
    return new Charts.Bars(file, title, unit + ": median (lowest–highest)", names,
        List.of("median"), v, Double.NaN, List.of(), labels);
  }

  /** {@code "96,292 frames/s (80,100–120,000)"}; no spread for a single value. */
  static String label(Stats s, String unit) {
    String m = Report.num(s.median()) + " " + unit;
    return s.n() < 2 || s.min() == s.max() ? m
        : m + " (" + Report.num(s.min()) + "–" + Report.num(s.max()) + ")";
  }

  /** The table of the clients: how each reconnects and what it does with sends while down. */
  static String clientsTable() {
    StringBuilder b = new StringBuilder();
    b.append("| client | reconnect | a send while disconnected |\n|---|---|---|\n");
    for (ClientKind k : ClientKind.echo()) {
      b.append("| ").append(k.label())
          .append(" | ").append(k.reconnect().isEmpty() ? "none" : k.reconnect())
          .append(" | ").append(k.offline())
          .append(" |\n");
    }
    return b.toString();
  }
}
