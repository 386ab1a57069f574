package io.redial.bench.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a run found: figures for the table, details for the JSON, and charts to draw. */
public final class Results {
  private final List<Figure> figures = new ArrayList<>();
  private final Map<String, Object> details = new LinkedHashMap<>();
  private final List<Charts.Spec> charts = new ArrayList<>();

  public synchronized void add(Figure f) {
    figures.add(f);
  }

  public synchronized void detail(String key, Object value) {
    details.put(key, value);
  }

  public synchronized void chart(Charts.Spec spec) {
    charts.add(spec);
  }

  public synchronized List<Figure> figures() {
    return List.copyOf(figures);
  }

  public synchronized Map<String, Object> details() {
    return new LinkedHashMap<>(details);
  }

  public synchronized List<Charts.Spec> charts() {
    return List.copyOf(charts);
  }
}
