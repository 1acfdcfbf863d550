package dev.rnn4j.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/** The report's PNG charts, drawn with XChart (headless). */
final class ReportChart {

  private ReportChart() {}

  /**
   * Writes {@code flops.png} (fraction of the in-run FMA peak per FLOP-counted workload, one bar per
   * implementation; the peaks themselves are in the title) and, when the table has element-counted rows, {@code elements.png} (billions of elements per
   * second). Returns the files written.
   */
  static List<Path> write(ReportTable table, Path dir, String subtitle) throws IOException {
    List<Path> written = new ArrayList<>();
    List<ReportRow> flopRows = table.rows().stream()
        .filter(r -> !r.workload().peak() && !Double.isNaN(r.fractionOfPeak())).toList();
    if (!flopRows.isEmpty()) {
      Path file = dir.resolve("flops.png");
      save(chart("% of the in-run FMA peak" + peaks(table) + ", " + subtitle, "% of FMA peak", flopRows,
          r -> 100 * r.fractionOfPeak()), file);
      written.add(file);
    }
    List<ReportRow> elemRows = table.rows().stream().filter(r -> !Double.isNaN(r.gelems())).toList();
    if (!elemRows.isEmpty()) {
      Path file = dir.resolve("elements.png");
      save(chart("Element-wise kernels, " + subtitle, "billion elements / s", elemRows,
          ReportRow::gelems), file);
      written.add(file);
    }
    return written;
  }

  private static String peaks(ReportTable table) {
    StringBuilder sb = new StringBuilder();
    table.peakFlopsPerSecond().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
        sb.append(sb.length() == 0 ? " (" : ", ").append(e.getKey().name().toLowerCase(Locale.ROOT)).append(' ')
            .append(String.format(Locale.ROOT, "%.1f", e.getValue() / 1e9)).append(" GFLOP/s"));
    return sb.length() == 0 ? "" : sb.append(')').toString();
  }

  private static CategoryChart chart(String title, String yTitle, List<ReportRow> rows,
                                     ToDoubleFunction<ReportRow> value) {
    Set<String> categories = new LinkedHashSet<>();
    Map<String, Map<String, Double>> byImpl = new LinkedHashMap<>();
    for (ReportRow r : rows) {
      String category = r.threads() == 1 ? r.workload().name() : r.workload().name() + " x" + r.threads();
      categories.add(category);
      byImpl.computeIfAbsent(r.implementation(), k -> new LinkedHashMap<>()).put(category, value.applyAsDouble(r));
    }
    int width = Math.max(1000, 70 * categories.size() + 200);
    CategoryChart chart = new CategoryChartBuilder().width(width).height(650).title(title)
        .xAxisTitle("workload").yAxisTitle(yTitle).build();
    Styler s = chart.getStyler();
    s.setLegendPosition(Styler.LegendPosition.InsideNE);
    chart.getStyler().setXAxisLabelRotation(60);
    chart.getStyler().setOverlapped(false);
    List<String> x = new ArrayList<>(categories);
    for (Map.Entry<String, Map<String, Double>> e : byImpl.entrySet()) {
      // Every series spans all categories; null (no bar) where an implementation was not measured.
      List<Double> y = new ArrayList<>();
      for (String c : x) {
        y.add(e.getValue().get(c));
      }
      chart.addSeries(e.getKey(), x, y);
    }
    return chart;
  }

  private static void save(CategoryChart chart, Path file) throws IOException {
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapFormat.PNG);
  }
}
