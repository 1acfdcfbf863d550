package dev.rnn4j.examples.support;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG line charts drawn with XChart (headless: no window is opened). */
public final class Charts {
  private Charts() {}

  /** Pixels between x tick labels that XChart aims for (its default, 74, lets long labels nearly touch). */
  static final int X_TICK_SPACING = 100;

  /** One named line; a faint one is drawn thin and pale, behind the others (raw values under their average). */
  public record Series(String name, double[] x, double[] y, boolean faint) {
    public Series {
      if (x.length != y.length) {
        throw new IllegalArgumentException(
            "Series " + name + ": x and y lengths differ: " + x.length + " vs " + y.length);
      }
    }

    public Series(String name, double[] x, double[] y) {
      this(name, x, y, false);
    }

    /** A series over x = 1, 2, ..., y.length. */
    public static Series indexed(String name, double[] y) {
      double[] x = new double[y.length];
      for (int i = 0; i < x.length; i++) {
        x[i] = i + 1;
      }
      return new Series(name, x, y);
    }

    /** This series drawn faint. */
    public Series asFaint() {
      return new Series(name, x, y, true);
    }
  }

  /**
   * Writes a line chart to {@code file} (a PNG; the suffix is added if missing) and returns the file. With
   * {@code logY}, points with y <= 0 are left out (a log axis cannot show them); over more than
   * {@value AxisScale#MAX_LIBRARY_LOG_DECADES} decades the y axis shows log10 of the values with one label per
   * decade or per few decades (see {@link AxisScale}).
   */
  public static Path line(Path file, String title, String xTitle, String yTitle, boolean logY, List<Series> series) {
    System.setProperty("java.awt.headless", "true");
    XYChart chart =
        new XYChartBuilder().width(900).height(520).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
    XYStyler styler = chart.getStyler();
    styler.setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Line);
    styler.setLegendPosition(LegendPosition.OutsideS);
    styler.setMarkerSize(4);
    styler.setXAxisTickMarkSpacingHint(X_TICK_SPACING);

    List<Series> shown = new ArrayList<>();
    double yMin = Double.POSITIVE_INFINITY;
    double yMax = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      Series kept = logY ? positive(s) : s;
      shown.add(kept);
      for (double v : kept.y()) {
        yMin = Math.min(yMin, v);
        yMax = Math.max(yMax, v);
      }
    }
    boolean log10Axis = logY && yMin <= yMax && !AxisScale.libraryLogAxis(yMin, yMax);
    if (logY && !log10Axis) {
      styler.setYAxisLogarithmic(true);
    }
    if (log10Axis) {
      styler.setYAxisMin(Math.floor(Math.log10(yMin)));
      styler.setYAxisMax(Math.ceil(Math.log10(yMax)));
      styler.setyAxisTickLabelsFormattingFunction(AxisScale::decadeLabel);
    }
    List<double[]> xs = new ArrayList<>();
    shown.forEach(s -> xs.add(s.x()));
    double[] xRange = AxisScale.xRange(xs.stream().flatMapToDouble(java.util.Arrays::stream).toArray());
    styler.setXAxisMin(xRange[0]);
    styler.setXAxisMax(xRange[1]);

    // Faint series first, so that the others are drawn over them.
    List<Series> ordered = new ArrayList<>(shown.stream().filter(Series::faint).toList());
    ordered.addAll(shown.stream().filter(s -> !s.faint()).toList());
    for (Series s : ordered) {
      double[] y = log10Axis ? log10(s.y()) : s.y();
      XYSeries added = chart.addSeries(s.name(), s.x(), y);
      added.setMarker(s.x().length > 60 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
      if (s.faint()) {
        added.setLineColor(new Color(150, 170, 215));
        added.setLineWidth(1f);
        added.setMarker(SeriesMarkers.NONE);
      } else {
        added.setLineStyle(new BasicStroke(2.2f));
      }
    }
    String name = file.toString();
    String base = name.endsWith(".png") ? name.substring(0, name.length() - 4) : name;
    try {
      BitmapEncoder.saveBitmap(chart, base, BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write chart " + base + ".png", e);
    }
    return Path.of(base + ".png");
  }

  /**
   * A loss curve: the raw per-step losses, faint, under their centred moving average (which, unlike a trailing
   * one, does not lag behind a falling loss and so does not sit above the data).
   */
  public static Path lossCurve(Path file, String title, double[] losses) {
    int half = smoothingHalfWidth(losses.length);
    return line(
        file,
        title,
        "training step",
        "loss",
        false,
        List.of(Series.indexed("loss per step", losses).asFaint(),
            Series.indexed(String.format(Locale.ROOT, "centred moving average (%d steps)", 2 * half + 1),
                centredMovingAverage(losses, half))));
  }

  /** Half the window of a loss curve's moving average: about 2% of the run, at least 1. */
  public static int smoothingHalfWidth(int steps) {
    return Math.max(1, steps / 50);
  }

  /**
   * Centred moving average: entry i is the mean of {@code values[i - h .. i + h]}, the window shrinking
   * symmetrically near the ends ({@code h' = min(h, i, n - 1 - i)}), so that the first and last entries are the
   * values themselves. A straight line is returned unchanged: the average has no lag.
   */
  public static double[] centredMovingAverage(double[] values, int halfWidth) {
    if (halfWidth < 0) {
      throw new IllegalArgumentException("centredMovingAverage: halfWidth must be >= 0, got " + halfWidth);
    }
    int n = values.length;
    double[] prefix = new double[n + 1];
    for (int i = 0; i < n; i++) {
      prefix[i + 1] = prefix[i] + values[i];
    }
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      int h = Math.min(halfWidth, Math.min(i, n - 1 - i));
      out[i] = (prefix[i + h + 1] - prefix[i - h]) / (2 * h + 1);
    }
    return out;
  }

  private static Series positive(Series s) {
    int n = 0;
    for (double v : s.y()) {
      n += v > 0 && Double.isFinite(v) ? 1 : 0;
    }
    double[] x = new double[n];
    double[] y = new double[n];
    int j = 0;
    for (int i = 0; i < s.y().length; i++) {
      if (s.y()[i] > 0 && Double.isFinite(s.y()[i])) {
        x[j] = s.x()[i];
        y[j++] = s.y()[i];
      }
    }
    return new Series(s.name(), x, y, s.faint());
  }

  private static double[] log10(double[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = Math.log10(values[i]);
    }
    return out;
  }
}
