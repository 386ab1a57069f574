package io.redial.bench.internal;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Paint;
import java.io.IOException;
import java.text.DecimalFormat;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.chart.ui.TextAnchor;

/** PNG charts of a run, drawn headless with JFreeChart. */
public final class Charts {
  /** Colours that stay apart on white paper. */
  private static final Color[] PALETTE = {
    new Color(0xD62728), new Color(0x1F77B4), new Color(0x2CA02C), new Color(0xFF7F0E),
    new Color(0x9467BD), new Color(0x8C564B)
  };

  private Charts() {}

  /** A chart to draw into {@code file} (a name inside the output folder). */
  public sealed interface Spec permits Xy, Bars {
    String file();

    String title();
  }

  /** One line of an {@link Xy} chart. */
  public record Series(String name, double[] x, double[] y) {
    public Series {
      if (x.length != y.length) {
        throw new IllegalArgumentException("x and y must have the same length, but were "
            + x.length + " and " + y.length);
      }
    }
  }

  /** Lines over a numeric x axis; {@code logY} for a logarithmic y axis (values below 1 drawn at 1). */
  public record Xy(String file, String title, String xLabel, String yLabel, boolean logY,
      List<Series> series) implements Spec {}

  /**
   * Grouped bars: {@code values[s][c]} is series {@code s} in category {@code c}; {@code marker}
   * draws a horizontal line (NaN: none). With verdicts ({@code met} not empty: green or red per
   * bar) or labels there is one series, drawn sideways; {@code labels}, when given, label its bars
   * (the median and its spread, say).
   */
  public record Bars(String file, String title, String yLabel, List<String> categories,
      List<String> seriesNames, double[][] values, double marker, List<Boolean> met,
      List<String> labels) implements Spec {
    /** Bars in the palette's colours, no verdicts. */
    public Bars(String file, String title, String yLabel, List<String> categories,
        List<String> seriesNames, double[][] values, double marker) {
      this(file, title, yLabel, categories, seriesNames, values, marker, List.of(), List.of());
    }
  }

  /** Green for a goal met, red for one missed; one series, drawn sideways so labels fit. */
  private static final class VerdictRenderer extends BarRenderer {
    private static final long serialVersionUID = 1L;
    private final List<Boolean> met;

    VerdictRenderer(List<Boolean> met) {
      this.met = met;
    }

    @Override
    public Paint getItemPaint(int row, int column) {
      return met.get(column) ? new Color(0x2CA02C) : new Color(0xD62728);
    }
  }

  /** Draws {@code spec} into {@code dir}; returns the file. */
  public static Path draw(Spec spec, Path dir) throws IOException {
    JFreeChart chart = spec instanceof Xy xy ? xy(xy) : bars((Bars) spec);
    chart.setBackgroundPaint(Color.WHITE);
    Path file = dir.resolve(spec.file());
    ChartUtils.saveChartAsPNG(file.toFile(), chart, 1000, 560);
    return file;
  }

  private static JFreeChart xy(Xy spec) {
    XYSeriesCollection data = new XYSeriesCollection();
    for (Series s : spec.series()) {
      XYSeries xs = new XYSeries(s.name(), false, true);
      for (int i = 0; i < s.x().length; i++) {
        // on a log axis a zero sits on the floor (1), so that a line does not bridge the gaps
        xs.add(s.x()[i], spec.logY() ? Math.max(1.0, s.y()[i]) : s.y()[i]);
      }
      data.addSeries(xs);
    }
    JFreeChart chart = ChartFactory.createXYLineChart(spec.title(), spec.xLabel(), spec.yLabel(),
        data, PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    for (int i = 0; i < spec.series().size(); i++) {
      plot.getRenderer().setSeriesStroke(i, new BasicStroke(1.6f));
      plot.getRenderer().setSeriesPaint(i, PALETTE[i % PALETTE.length]);
    }
    if (spec.logY()) {
      LogAxis axis = new LogAxis(spec.yLabel());
      axis.setSmallestValue(1);
      axis.setTickUnit(new NumberTickUnit(1)); // one tick per power of ten
      axis.setNumberFormatOverride(new DecimalFormat("#,##0"));
      plot.setRangeAxis(axis);
    }
    return chart;
  }

  private static JFreeChart bars(Bars spec) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (int s = 0; s < spec.seriesNames().size(); s++) {
      for (int c = 0; c < spec.categories().size(); c++) {
        double v = spec.values()[s][c];
        data.addValue(Double.isFinite(v) ? v : null, spec.seriesNames().get(s),
            spec.categories().get(c));
      }
    }
    boolean verdicts = !spec.met().isEmpty();
    boolean labelled = verdicts || !spec.labels().isEmpty();
    JFreeChart chart = ChartFactory.createBarChart(spec.title(), "", spec.yLabel(), data,
        labelled ? PlotOrientation.HORIZONTAL : PlotOrientation.VERTICAL,
        spec.seriesNames().size() > 1, false, false);
    CategoryPlot plot = chart.getCategoryPlot();
    if (labelled) {
      BarRenderer renderer = verdicts ? new VerdictRenderer(spec.met()) : new BarRenderer();
      if (!verdicts) {
        renderer.setSeriesPaint(0, PALETTE[1]);
      }
      renderer.setBarPainter(new StandardBarPainter());
      renderer.setShadowVisible(false);
      if (spec.labels().isEmpty()) {
        renderer.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator(
            "{2}", new DecimalFormat("0.000")));
      } else {
        renderer.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator() {
          private static final long serialVersionUID = 1L;

          @Override
          public String generateLabel(CategoryDataset dataset, int row, int column) {
            return spec.labels().get(column);
          }
        });
      }
      renderer.setDefaultItemLabelsVisible(true);
      // each label just past the end of its bar, with room on the axis for the longest
      renderer.setDefaultPositiveItemLabelPosition(
          new ItemLabelPosition(ItemLabelAnchor.OUTSIDE3, TextAnchor.CENTER_LEFT));
      plot.getRangeAxis().setUpperMargin(0.5);
      plot.setRenderer(renderer);
    } else {
      for (int i = 0; i < spec.seriesNames().size(); i++) {
        plot.getRenderer().setSeriesPaint(i, PALETTE[(i + 1) % PALETTE.length]);
      }
      ((BarRenderer) plot.getRenderer()).setBarPainter(new StandardBarPainter());
    }
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    if (Double.isFinite(spec.marker())) {
      ValueMarker m = new ValueMarker(spec.marker());
      m.setPaint(Color.RED);
      m.setStroke(new BasicStroke(1.5f));
      plot.addRangeMarker(m);
    }
    return chart;
  }
}
