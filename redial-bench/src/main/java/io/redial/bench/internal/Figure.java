package io.redial.bench.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of the report: Redial's figure, the raw-Netty baseline measured in the same run, their
 * ratio with its spread over the interleaved rounds, and whether the goal was met.
 *
 * @param id short key, e.g. {@code "1.throughput.64B"}
 * @param title what was measured, for people
 * @param unit unit of {@code redial} and {@code baseline}
 * @param redial Redial's value (median over rounds)
 * @param baseline the baseline's value (median over rounds); NaN when there is none
 * @param ratio median of per-round ratios; NaN when there is no baseline
 * @param ratioMin lowest per-round ratio
 * @param ratioMax highest per-round ratio
 * @param goal the goal, as text
 * @param verdict met, missed, or no goal
 * @param note how it was measured, or why a figure is missing
 * @param against the client {@code baseline} comes from: {@code "raw"} (raw Netty, figures 1–9)
 *     or a peer's {@link ClientKind#name()} (figures 10–11)
 */
public record Figure(
    String id,
    String title,
    String unit,
    double redial,
    double baseline,
    double ratio,
    double ratioMin,
    double ratioMax,
    String goal,
    Verdict verdict,
    String note,
    String against) {

  /** A figure whose baseline, if any, is raw Netty. */
  public Figure(String id, String title, String unit, double redial, double baseline,
      double ratio, double ratioMin, double ratioMax, String goal, Verdict verdict, String note) {
    this(id, title, unit, redial, baseline, ratio, ratioMin, ratioMax, goal, verdict, note,
        ClientKind.RAW);
  }

  /** Whether a goal was met. */
  public enum Verdict {
    MET,
    MISSED,
    INFO,
    SKIPPED,
    /** The machine's own limit (descriptors, say) stopped the try before the goal. */
    LIMITED
  }

  /** A figure with a baseline; {@code verdict} from comparing the median ratio with the goal. */
  public static Figure ratio(
      String id, String title, String unit, Stats redial, Stats baseline, Stats ratio,
      String goal, Verdict verdict, String note) {
    return ratio(id, title, unit, redial, baseline, ratio, goal, verdict, note, ClientKind.RAW);
  }

  /** As {@link #ratio(String, String, String, Stats, Stats, Stats, String, Verdict, String)},
   * against {@code against}. */
  public static Figure ratio(
      String id, String title, String unit, Stats redial, Stats baseline, Stats ratio,
      String goal, Verdict verdict, String note, String against) {
    return new Figure(id, title, unit, redial.median(), baseline.median(), ratio.median(),
        ratio.min(), ratio.max(), goal, verdict, note, against);
  }

  /** True when the baseline is a peer, not raw Netty. */
  public boolean againstPeer() {
    return !against.equals(ClientKind.RAW);
  }

  /** A figure without a baseline (absolute, or compared with something that is not Netty). */
  public static Figure info(String id, String title, String unit, double value, String note) {
    return new Figure(id, title, unit, value, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
        "", Verdict.INFO, note);
  }

  /** Verdict for "the ratio should be at least {@code goal}". */
  public static Verdict atLeast(double ratio, double goal) {
    return Double.isNaN(ratio) ? Verdict.SKIPPED : ratio >= goal ? Verdict.MET : Verdict.MISSED;
  }

  /** Verdict for "the ratio should be at most {@code goal}". */
  public static Verdict atMost(double ratio, double goal) {
    return Double.isNaN(ratio) ? Verdict.SKIPPED : ratio <= goal ? Verdict.MET : Verdict.MISSED;
  }

  /** For {@code results.json}. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("title", title);
    m.put("unit", unit);
    m.put("redial", redial);
    if (againstPeer()) {
      m.put("against", against);
      m.put("peer", baseline);
    } else {
      m.put("rawNetty", baseline);
    }
    m.put("ratio", ratio);
    m.put("ratioMin", ratioMin);
    m.put("ratioMax", ratioMax);
    m.put("goal", goal);
    m.put("verdict", verdict.name());
    m.put("note", note);
    return m;
  }
}
