package dev.rnn4j.examples.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG line charts drawn with XChart (headless: no window is opened). */
public final class Charts {
  private Charts() {}

  /** One named line. */
  public record Series(String name, double[] x, double[] y) {
    public Series {
      if (x.length != y.length) {
        throw new IllegalArgumentException(
            "Series " + name + ": x and y lengths differ: " + x.length + " vs " + y.length);
      }
    }

    /** A series over x = 1, 2, ..., y.length. */
    public static Series indexed(String name, double[] y) {
      double[] x = new double[y.length];
      for (int i = 0; i < x.length; i++) {
        x[i] = i + 1;
      }
      return new Series(name, x, y);
    }
  }

  /** Writes a line chart to {@code file} (a PNG; the suffix is added if missing) and returns the file. */
  public static Path line(Path file, String title, String xTitle, String yTitle, boolean logY, List<Series> series) {
    System.setProperty("java.awt.headless", "true");
    XYChart chart =
        new XYChartBuilder().width(900).height(520).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Line);
    chart.getStyler().setLegendPosition(LegendPosition.OutsideS);
    chart.getStyler().setYAxisLogarithmic(logY);
    chart.getStyler().setMarkerSize(4);
    for (Series s : series) {
      chart.addSeries(s.name(), s.x(), s.y()).setMarker(s.x().length > 60 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
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

  /** A loss curve: raw per-step losses and their moving average. */
  public static Path lossCurve(Path file, String title, double[] losses) {
    return line(
        file,
        title,
        "training step",
        "loss",
        false,
        List.of(Series.indexed("loss", losses), Series.indexed("moving average (50)", movingAverage(losses, 50))));
  }

  /** Trailing moving average over at most {@code window} values. */
  public static double[] movingAverage(double[] values, int window) {
    double[] out = new double[values.length];
    double sum = 0;
    for (int i = 0; i < values.length; i++) {
      sum += values[i];
      if (i >= window) {
        sum -= values[i - window];
      }
      out[i] = sum / Math.min(i + 1, window);
    }
    return out;
  }
}
