package dev.rnn4j.bench;

import dev.rnn4j.kernels.Kernels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The benchmark report: runs the FMA peak, a chosen set of benchmarks with the GC profiler, and the FMA peak again;
 * then prints one table (workload, implementation, threads, time per operation, GFLOP/s or elements/s, fraction of
 * the in-run FMA peak, bytes allocated per operation, scalar/SIMD ratio, notes) and writes it as text, Markdown, CSV
 * and PNG charts.
 *
 * <pre>
 * java --add-modules=jdk.incubator.vector -cp bench/target/benchmarks.jar dev.rnn4j.bench.Report --quick
 * </pre>
 */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Runs rnn4j's JMH benchmarks with the in-run FMA peak and the GC profiler and writes one table.")
public final class Report implements Callable<Integer> {

  @Option(names = "--quick", description = "Short warmup and measurement (3 x 0.5 s each) for a smoke run.")
  boolean quick;

  @Option(names = "--include", paramLabel = "REGEX", defaultValue = "dev\\.rnn4j\\.bench\\..*",
      description = "Benchmarks to run: a regex over JMH's full names (package.Class.method); repeatable. "
          + "The FMA peak always runs, before and after them. Default: ${DEFAULT-VALUE}")
  List<String> include = new ArrayList<>();

  @Option(names = "--exclude", paramLabel = "REGEX", description = "Benchmarks to leave out; repeatable.")
  List<String> exclude = new ArrayList<>();

  @Option(names = {"-p", "--param"}, paramLabel = "NAME=V1,V2",
      description = "Override a benchmark parameter's values, e.g. -p shape=512x512x512; repeatable.")
  List<String> params = new ArrayList<>();

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "bench/target/report",
      description = "Output directory for report.txt, .csv, .md, the PNG charts and JMH's JSON. "
          + "Default: ${DEFAULT-VALUE}")
  Path out;

  @Option(names = "--keep-going",
      description = "Report what succeeded when a benchmark fails (default: stop at the first failure).")
  boolean keepGoing;

  public static void main(String[] args) {
    // The charts are drawn off-screen; no display is needed (and none exists on a build machine).
    System.setProperty("java.awt.headless", "true");
    System.exit(new CommandLine(new Report()).execute(args));
  }

  @Override
  public Integer call() throws IOException {
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      System.err.println("report: the FMA peak needs the Vector API; run with --add-modules=jdk.incubator.vector");
      return 2;
    }
    Files.createDirectories(out);
    String started = DateTimeFormatter.ISO_INSTANT.format(Instant.now().atOffset(ZoneOffset.UTC).withNano(0));
    String loadBefore = MachineInfo.loadAverage();

    // The peak runs before and after the selected benchmarks, in runs of its own with settings long enough for C2
    // to compile the Vector API code even on a loaded machine; the higher of the two is the reference (load only
    // ever lowers a measured peak), and both go into the header, so drift over the run is visible.
    List<Measurement> peakBefore;
    List<Measurement> selected;
    List<Measurement> peakAfter;
    try {
      peakBefore = run(peakOptions("jmh-peak-before.json"));
      selected = run(selectedOptions());
      peakAfter = run(peakOptions("jmh-peak-after.json"));
    } catch (RunnerException e) {
      System.err.println("report: a benchmark failed, no report written: " + e.getMessage()
          + (e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")"));
      System.err.println("report: see the benchmark's output above; --keep-going reports the others");
      return 1;
    }
    List<Measurement> measurements = new ArrayList<>(higherPeaks(peakBefore, peakAfter));
    measurements.addAll(selected);
    ReportTable table = ReportTable.build(measurements, Workloads.ALL);

    String header = header(started, loadBefore, MachineInfo.loadAverage(), table)
        + "peak runs: before " + describePeaks(peakBefore) + "; after " + describePeaks(peakAfter) + "\n";
    String text = header + "\n" + table.toText() + table.footnotes();
    System.out.println();
    System.out.println(text);
    Files.writeString(out.resolve("report.txt"), text);
    Files.writeString(out.resolve("report.csv"), table.toCsv());
    Files.writeString(out.resolve("report.md"), "```\n" + header + "```\n\n" + table.toMarkdown() + table.footnotes());
    List<Path> charts = ReportChart.write(table, out, (quick ? "quick run " : "") + started);
    Stream<Path> files = Stream.of("report.txt", "report.csv", "report.md", "jmh-result.json", "jmh-peak-before.json",
        "jmh-peak-after.json").map(out::resolve);
    System.out.println("wrote " + Stream.concat(files, charts.stream()).map(Path::toString).toList());
    return 0;
  }

  private static List<Measurement> run(ChainedOptionsBuilder opts) throws RunnerException {
    Collection<RunResult> results = new Runner(opts.build()).run();
    return results.stream().map(Measurement::from).toList();
  }

  private static final String PEAK = "dev\\.rnn4j\\.bench\\.PeakFmaBenchmark\\..*";

  private ChainedOptionsBuilder peakOptions(String resultFile) {
    return new OptionsBuilder()
        .include(PEAK)
        .addProfiler(GCProfiler.class)
        .shouldFailOnError(true)
        .warmupIterations(5).warmupTime(TimeValue.milliseconds(500))
        .measurementIterations(5).measurementTime(TimeValue.milliseconds(500))
        .result(out.resolve(resultFile).toString())
        .resultFormat(ResultFormatType.JSON);
  }

  private ChainedOptionsBuilder selectedOptions() {
    ChainedOptionsBuilder opts = new OptionsBuilder()
        .exclude(PEAK)
        .addProfiler(GCProfiler.class)
        .shouldFailOnError(!keepGoing)
        .result(out.resolve("jmh-result.json").toString())
        .resultFormat(ResultFormatType.JSON);
    include.forEach(opts::include);
    exclude.forEach(opts::exclude);
    for (String p : params) {
      int eq = p.indexOf('=');
      if (eq <= 0) {
        throw new CommandLine.ParameterException(new CommandLine(this), "--param: expected NAME=V1,V2, got '" + p + "'");
      }
      opts.param(p.substring(0, eq), p.substring(eq + 1).split(","));
    }
    if (quick) {
      // Warmup long enough for C2 to compile the Vector API code: before that it runs boxed, 10-100x slower.
      opts.warmupIterations(3).warmupTime(TimeValue.milliseconds(500))
          .measurementIterations(3).measurementTime(TimeValue.milliseconds(500));
    }
    return opts;
  }

  /** Per peak benchmark, the measurement with the higher score (throughput: higher is better). */
  static List<Measurement> higherPeaks(List<Measurement> before, List<Measurement> after) {
    Map<String, Measurement> best = new LinkedHashMap<>();
    for (Measurement m : before) {
      best.put(m.benchmark(), m);
    }
    for (Measurement m : after) {
      best.merge(m.benchmark(), m, (a, b) -> b.secondsPerOp() < a.secondsPerOp() ? b : a);
    }
    return List.copyOf(best.values());
  }

  private static String describePeaks(List<Measurement> peaks) {
    ReportTable t = ReportTable.build(peaks, Workloads.ALL);
    StringBuilder sb = new StringBuilder();
    t.peakFlopsPerSecond().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
        sb.append(sb.length() == 0 ? "" : " ").append(e.getKey().name().toLowerCase(Locale.ROOT))
            .append(String.format(Locale.ROOT, " %.1f", e.getValue() / 1e9)));
    return sb.append(" GFLOP/s").toString();
  }

  private String header(String started, String loadBefore, String loadAfter, ReportTable table) {
    StringBuilder sb = new StringBuilder();
    sb.append("rnn4j benchmark report").append(quick ? " (--quick: short iterations, indicative only)" : "")
        .append('\n');
    sb.append("started  ").append(started).append('\n');
    sb.append("JDK      ").append(System.getProperty("java.vm.name")).append(' ')
        .append(System.getProperty("java.runtime.version")).append(" (").append(System.getProperty("java.vendor"))
        .append(")\n");
    sb.append("CPU      ").append(MachineInfo.cpu()).append(", ").append(Runtime.getRuntime().availableProcessors())
        .append(" processors\n");
    sb.append("caches   ").append(MachineInfo.caches()).append('\n');
    Kernels kernels = Kernels.get();
    for (String tuning : new String[] {kernels.f32().tuning(), kernels.f64().tuning()}) {
      if (!tuning.isEmpty()) {
        sb.append("blocking ").append(tuning).append('\n');
      }
    }
    sb.append("load avg ").append(loadBefore).append(" before, ").append(loadAfter).append(" after\n");
    sb.append("peak    ");
    if (table.peakFlopsPerSecond().isEmpty()) {
      sb.append(" not measured");
    }
    table.peakFlopsPerSecond().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
        sb.append(String.format(Locale.ROOT, " %s %.1f GFLOP/s", e.getKey().name().toLowerCase(Locale.ROOT),
            e.getValue() / 1e9)));
    sb.append(" (FMA peak of one core measured in this run; % peak = GFLOP/s / (peak x threads))\n");
    sb.append("time/op is the median over measurement iterations; +-err is JMH's 99.9% error of the mean\n");
    return sb.toString();
  }
}
