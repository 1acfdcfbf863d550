package dev.rnn4j.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/**
 * One JMH result reduced to what the report needs, independent of JMH's result classes (so that the report logic
 * is testable without running JMH).
 *
 * @param benchmark JMH's full benchmark name, {@code package.Class.method}
 * @param params the {@code @Param} values, in declaration order
 * @param threads JMH worker threads
 * @param score the median of the measurement iterations (of the samples, in sample-time mode), in {@code unit}
 * @param scoreError JMH's error of the mean (99.9% confidence half-width), in {@code unit}; NaN if unknown
 * @param unit JMH's score unit, a throughput ({@code ops/s}, {@code ops/ms} ...) or a time ({@code us/op} ...)
 * @param allocBytesPerOp bytes allocated per operation ({@code gc.alloc.rate.norm} of the GC profiler), the median
 *                        of the iterations like the score; NaN if the profiler did not run
 * @param slowestToMedian how many times slower than the median the slowest measurement iteration was (>= 1; NaN if
 *                        unknown): a large value means an iteration ran before C2 had compiled the code, or was
 *                        disturbed
 */
public record Measurement(String benchmark, Map<String, String> params, int threads, double score,
                          double scoreError, String unit, double allocBytesPerOp, double slowestToMedian) {

  /** The secondary-result label of the GC profiler's normalized allocation rate. */
  static final String ALLOC_NORM = "gc.alloc.rate.norm";

  public Measurement {
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }

  /** Reads a JMH result. */
  public static Measurement from(RunResult r) {
    var bp = r.getParams();
    Map<String, String> params = new LinkedHashMap<>();
    for (String key : bp.getParamsKeys()) {
      params.put(key, bp.getParam(key));
    }
    Result<?> primary = r.getPrimaryResult();
    var stats = primary.getStatistics();
    double median = stats.getN() > 0 ? stats.getPercentile(50) : primary.getScore();
    double slowest = stats.getN() == 0 ? Double.NaN
        : slowestToMedian(median, stats.getMin(), stats.getMax(), primary.getScoreUnit());
    double alloc = Double.NaN;
    for (String label : r.getSecondaryResults().keySet()) {
      // Older JMH versions prefix secondary labels with a middle dot.
      if (label.replace("\u00b7", "").equals(ALLOC_NORM)) {
        var allocStats = r.getSecondaryResults().get(label).getStatistics();
        alloc = allocStats.getN() > 0 ? allocStats.getPercentile(50) : r.getSecondaryResults().get(label).getScore();
      }
    }
    return new Measurement(bp.getBenchmark(), params, bp.getThreads(), median, primary.getScoreError(),
        primary.getScoreUnit(), alloc, slowest);
  }

  /**
   * How many times slower than the median the slowest iteration was: for a throughput the lowest score is the
   * slowest ({@code median / min}), for a time per operation the highest ({@code max / median}).
   */
  static double slowestToMedian(double median, double min, double max, String unit) {
    return unit.strip().startsWith("ops/") ? median / min : max / median;
  }

  /**
   * Seconds per operation, as one thread sees it: for a throughput score summed over {@code threads} workers,
   * {@code threads / opsPerSecond}; for a time score, the score converted to seconds.
   *
   * @throws IllegalArgumentException for a unit that is neither
   */
  public double secondsPerOp() {
    return secondsPerOp(score);
  }

  /** {@link #secondsPerOp()} for another score in the same unit (e.g. score +- error). */
  double secondsPerOp(double value) {
    String u = unit.strip().toLowerCase(Locale.ROOT);
    if (u.startsWith("ops/")) {
      return threads / (value / seconds(u.substring(4), u));
    }
    if (u.endsWith("/op")) {
      return value * seconds(u.substring(0, u.length() - 3), u);
    }
    throw new IllegalArgumentException("report: unknown JMH score unit '" + unit + "' of " + benchmark);
  }

  private static double seconds(String timeUnit, String whole) {
    return switch (timeUnit) {
      case "ns" -> 1e-9;
      case "us", "\u00b5s" -> 1e-6;
      case "ms" -> 1e-3;
      case "s" -> 1;
      case "min" -> 60;
      case "hr" -> 3600;
      case "day" -> 86400;
      default -> throw new IllegalArgumentException("report: unknown time unit in JMH score unit '" + whole + "'");
    };
  }

  /** The error of the score relative to the score (e.g. 0.03 for +-3%), NaN if unknown. */
  public double relativeError() {
    return Double.isNaN(scoreError) || score == 0 ? Double.NaN : Math.abs(scoreError / score);
  }
}
