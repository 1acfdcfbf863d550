package dev.rnn4j.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns measurements into the report's rows: rates from the workload counts, fractions of the FMA peak measured in
 * the same run, scalar/SIMD ratios; and renders them as text and CSV.
 */
public final class ReportTable {

  /** The implementation label of rows without an {@code impl} parameter (the FMA peak). */
  static final String VECTOR_API = "vector-api";

  private final List<ReportRow> rows;
  private final Map<Precision, Double> peakFlopsPerSecond;

  private ReportTable(List<ReportRow> rows, Map<Precision, Double> peakFlopsPerSecond) {
    this.rows = List.copyOf(rows);
    this.peakFlopsPerSecond = peakFlopsPerSecond;
  }

  /** The rows, peaks first, then workloads in the order they were first measured, scalar before SIMD. */
  public List<ReportRow> rows() {
    return rows;
  }

  /** The one-thread FMA peak of each precision measured in this run, in FLOP/s (absent if not measured). */
  public Map<Precision, Double> peakFlopsPerSecond() {
    return Map.copyOf(peakFlopsPerSecond);
  }

  /** Builds the table from measurements with the workloads of {@code specs}. */
  public static ReportTable build(List<Measurement> measurements, List<Workloads.Spec> specs) {
    record Item(Measurement m, Workload w, int threads, String impl) {}
    List<Item> items = new ArrayList<>();
    for (Measurement m : measurements) {
      Workload w = Workloads.describe(specs, m.benchmark(), m.params());
      int threads = m.threads();
      if (m.params().containsKey("threads")) {
        // A library-level thread count (one JMH thread driving several library threads).
        threads *= Integer.parseInt(m.params().get("threads"));
      }
      items.add(new Item(m, w, threads, m.params().getOrDefault("impl", VECTOR_API)));
    }

    // The peak per precision: the one-thread peak rows (a multi-thread peak row is scaled down to one core).
    Map<Precision, Double> peak = new EnumMap<>(Precision.class);
    for (Item it : items) {
      if (it.w().peak()) {
        double rate = it.w().flopsPerOp() / it.m().secondsPerOp();
        peak.merge(it.w().precision(), rate, Math::max);
      }
    }

    Map<String, Integer> firstSeen = new HashMap<>();
    List<ReportRow> rows = new ArrayList<>();
    for (Item it : items) {
      Workload w = it.w();
      double spo = it.m().secondsPerOp();
      double gflops = w.flopsPerOp() > 0 ? w.flopsPerOp() / spo / 1e9 : Double.NaN;
      double gelems = w.elementsPerOp() > 0 ? w.elementsPerOp() / spo / 1e9 : Double.NaN;
      Double p = w.precision() == null ? null : peak.get(w.precision());
      // Per thread: the rate of the whole operation against the peak of as many cores as work on it.
      double fraction = p == null || Double.isNaN(gflops) ? Double.NaN : gflops * 1e9 / (p * it.threads());
      firstSeen.putIfAbsent(key(w.name(), it.threads()), firstSeen.size());
      String params = it.m().params().entrySet().stream()
          .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
      String notes = (it.m().allocBytesPerOp() / spo > ALLOC_SUSPICIOUS_BYTES_PER_SECOND ? ALLOCATES : "")
          + (!w.peak() && fraction > 1 ? ABOVE_PEAK : "")
          + (it.m().slowestToMedian() > SLOW_ITERATION_FACTOR ? SLOW_ITERATION : "");
      rows.add(new ReportRow(w, it.impl(), it.threads(), spo, it.m().relativeError(), gflops, gelems, fraction,
          it.m().allocBytesPerOp(), Double.NaN, it.m().benchmark(), params, notes));
    }

    // scalar / SIMD ratio on the SIMD row of each workload measured with both.
    Map<String, ReportRow> scalar = new HashMap<>();
    for (ReportRow r : rows) {
      if (r.implementation().equals("scalar")) {
        scalar.put(key(r.workload().name(), r.threads()), r);
      }
    }
    for (int i = 0; i < rows.size(); i++) {
      ReportRow r = rows.get(i);
      ReportRow s = scalar.get(key(r.workload().name(), r.threads()));
      if (r.implementation().equals("simd") && s != null) {
        rows.set(i, r.withRatio(s.secondsPerOp() / r.secondsPerOp()));
      }
    }

    rows.sort(Comparator.<ReportRow>comparingInt(r -> r.workload().peak() ? 0 : 1)
        .thenComparingInt(r -> firstSeen.get(key(r.workload().name(), r.threads())))
        .thenComparingInt(r -> implRank(r.implementation())));
    return new ReportTable(rows, peak);
  }

  /**
   * Allocation rate above which a row is marked. JMH's own bookkeeping allocates a few KiB per iteration (well under
   * 0.1 MB/s); the kernels allocate nothing, but Vector API code that C2 has not compiled yet runs with boxed vectors
   * and allocates hundreds of MB/s.
   */
  static final double ALLOC_SUSPICIOUS_BYTES_PER_SECOND = 1e6;

  /** How many times slower than the median an iteration may be before the row is marked. */
  static final double SLOW_ITERATION_FACTOR = 5;

  static final String ALLOCATES = "a";
  static final String ABOVE_PEAK = "p";
  static final String SLOW_ITERATION = "w";

  /** Explanations of the markers in the note column that occur in this table; empty if none. */
  public String footnotes() {
    StringBuilder sb = new StringBuilder();
    if (rows.stream().anyMatch(r -> r.notes().contains(ALLOCATES))) {
      sb.append("\na: allocates more than 1 MB/s. The kernels allocate nothing, so for a kernel benchmark this means"
          + " C2 had not yet compiled its\n   Vector API code (boxed vectors): the figure is not representative. Rerun"
          + " without --quick or on a quieter machine.\n   (Benchmarks of layers that allocate by design are marked"
          + " too.)\n");
    }
    if (rows.stream().anyMatch(r -> r.notes().contains(SLOW_ITERATION))) {
      sb.append("\nw: at least one measurement iteration was more than 5x slower than the median, typically because C2"
          + " had not finished\n   compiling (a loaded machine starves the compiler threads). The median above"
          + " ignores it; JMH's error does not.\n");
    }
    if (rows.stream().anyMatch(r -> r.notes().contains(ABOVE_PEAK))) {
      sb.append("\np: faster than the in-run FMA peak, which is impossible: the peak measurement was disturbed and the"
          + " fractions of this\n   precision are not meaningful.\n");
    }
    return sb.toString();
  }

  private static String key(String workload, int threads) {
    return workload + "\u0000" + threads;
  }

  private static int implRank(String impl) {
    return switch (impl) {
      case "scalar" -> 0;
      case "simd" -> 1;
      default -> 2;
    };
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Rendering
  // ---------------------------------------------------------------------------------------------------------------

  private static final String[] HEADER = {
      "workload", "impl", "threads", "time/op", "+-err", "GFLOP/s", "Gelem/s", "% peak", "B/op", "scalar/simd",
      "note"};

  /** The table as aligned plain text (one header line, a rule, one line per row). */
  public String toText() {
    List<String[]> cells = cells();
    int[] width = new int[HEADER.length];
    for (String[] row : cells) {
      for (int c = 0; c < row.length; c++) {
        width[c] = Math.max(width[c], row[c].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String[] row = cells.get(i);
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < row.length; c++) {
        // Text columns left-aligned, numbers right-aligned.
        boolean left = c <= 1 || c == HEADER.length - 1;
        String fmt = "%" + (left ? "-" : "") + width[c] + "s";
        line.append(c == 0 ? "" : "  ").append(String.format(Locale.ROOT, fmt, row[c]));
      }
      sb.append(line.toString().stripTrailing()).append('\n');
      if (i == 0) {
        sb.append("-".repeat(line.length())).append('\n');
      }
    }
    return sb.toString();
  }

  /** The table as a GitHub Markdown table (for bench/README.md). */
  public String toMarkdown() {
    List<String[]> cells = cells();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      sb.append("| ").append(String.join(" | ", cells.get(i))).append(" |\n");
      if (i == 0) {
        sb.append("|");
        for (int c = 0; c < HEADER.length; c++) {
          sb.append(c <= 1 || c == HEADER.length - 1 ? "---|" : "---:|");
        }
        sb.append('\n');
      }
    }
    return sb.toString();
  }

  private List<String[]> cells() {
    List<String[]> cells = new ArrayList<>();
    cells.add(HEADER);
    for (ReportRow r : rows) {
      cells.add(new String[] {
          r.workload().name(),
          r.implementation(),
          Integer.toString(r.threads()),
          formatTime(r.secondsPerOp()),
          Double.isNaN(r.relativeError()) ? "" : String.format(Locale.ROOT, "%.1f%%", 100 * r.relativeError()),
          fixed(r.gflops(), 2),
          fixed(r.gelems(), 3),
          Double.isNaN(r.fractionOfPeak()) ? "" : String.format(Locale.ROOT, "%.1f%%", 100 * r.fractionOfPeak()),
          fixed(r.bytesPerOp(), 0),
          Double.isNaN(r.scalarOverSimd()) ? "" : String.format(Locale.ROOT, "%.1fx", r.scalarOverSimd()),
          r.notes()});
    }
    return cells;
  }

  /** The CSV header line. */
  static final String CSV_HEADER = "workload,implementation,threads,seconds_per_op,relative_error,gflops,gelems_per_s,"
      + "fraction_of_peak,bytes_per_op,scalar_over_simd,flops_per_op,elements_per_op,precision,benchmark,params,notes";

  /** The table as CSV (RFC 4180 quoting; empty fields for unknown values; full precision numbers). */
  public String toCsv() {
    StringBuilder sb = new StringBuilder(CSV_HEADER).append('\n');
    for (ReportRow r : rows) {
      Workload w = r.workload();
      List<String> f = List.of(
          csv(w.name()), csv(r.implementation()), Integer.toString(r.threads()), num(r.secondsPerOp()),
          num(r.relativeError()), num(r.gflops()), num(r.gelems()), num(r.fractionOfPeak()), num(r.bytesPerOp()),
          num(r.scalarOverSimd()), w.flopsPerOp() > 0 ? num(w.flopsPerOp()) : "",
          w.elementsPerOp() > 0 ? num(w.elementsPerOp()) : "",
          w.precision() == null ? "" : w.precision().name().toLowerCase(Locale.ROOT),
          csv(r.benchmark()), csv(r.params()), csv(r.notes()));
      sb.append(String.join(",", f)).append('\n');
    }
    return sb.toString();
  }

  static String csv(String s) {
    if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
      return "\"" + s.replace("\"", "\"\"") + "\"";
    }
    return s;
  }

  private static String num(double v) {
    return Double.isNaN(v) ? "" : Double.toString(v);
  }

  private static String fixed(double v, int decimals) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  /** A time with a unit chosen so that 1 <= value < 1000 where possible: "812.4 us", "3.21 ms". */
  static String formatTime(double seconds) {
    if (Double.isNaN(seconds)) {
      return "";
    }
    String[] units = {"s", "ms", "us", "ns"};
    double v = seconds;
    int u = 0;
    while (u < units.length - 1 && Math.abs(v) < 1) {
      v *= 1000;
      u++;
    }
    String digits = Math.abs(v) >= 100 ? "%.1f" : Math.abs(v) >= 10 ? "%.2f" : "%.3f";
    return String.format(Locale.ROOT, digits + " %s", v, units[u]);
  }
}
