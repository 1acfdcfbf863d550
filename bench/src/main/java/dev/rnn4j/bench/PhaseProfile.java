package dev.rnn4j.bench;

import dev.rnn4j.bench.PhaseClassifier.Attribution;
import dev.rnn4j.bench.PhaseClassifier.Frame;
import dev.rnn4j.tensor.Parallelism;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Where the time of a recurrent layer's pass goes. Runs the pass of {@link RecurrentCase} in a loop under a JFR
 * recording of execution samples, attributes every sample to an engine phase and the kernel running in it
 * ({@link PhaseClassifier}), and prints one table: each phase's share of the samples, its time per pass, and for the
 * phases that multiply matrices the GFLOP/s of their GEMM samples as a fraction of the FMA peak measured in the same
 * process. It explains a layer's fraction of the peak: which products run below the peak, and how much time goes to
 * work that is not a product at all.
 *
 * <pre>
 * java --add-modules=jdk.incubator.vector -cp bench/target/benchmarks.jar dev.rnn4j.bench.PhaseProfile \
 *     --cell lstm --config train --pass training
 * </pre>
 *
 * <p>Sampling, not instrumentation: the pass runs exactly as in the benchmarks, and a phase's time is its share of the
 * samples times the measured time per pass, so its error is binomial (a phase with share p of n samples is known to
 * about {@code sqrt(p (1 - p) / n)}; with the defaults n is about 2000, so 1% of the pass or less).
 * Times per pass are given for one thread only, where samples are time; with more threads the shares are of the
 * threads' busy time.
 */
@Command(name = "profile", mixinStandardHelpOptions = true,
    description = "Profiles a recurrent layer's pass by engine phase and kernel (JFR execution samples).")
public final class PhaseProfile implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--cell", defaultValue = "lstm", description = "lstm, gru or rnn. Default: ${DEFAULT-VALUE}")
  String cell;

  @Option(names = "--config", defaultValue = "train",
      description = "stream, train or large (PERFORMANCE.md). Default: ${DEFAULT-VALUE}")
  String config;

  @Option(names = "--pass", defaultValue = "training",
      description = "forward (inference) or training (forward + backward). Default: ${DEFAULT-VALUE}")
  String pass;

  @Option(names = "--api", description = "Run the public API (tensors, autograd) instead of the array-level engine.")
  boolean api;

  @Option(names = "--impl", defaultValue = "simd", description = "simd or scalar kernels. Default: ${DEFAULT-VALUE}")
  String impl;

  @Option(names = "--threads", defaultValue = "1", description = "Library threads. Default: ${DEFAULT-VALUE}")
  int threads;

  @Option(names = "--warmup", defaultValue = "5", description = "Seconds of warm-up. Default: ${DEFAULT-VALUE}")
  double warmupSeconds;

  @Option(names = "--seconds", defaultValue = "10",
      description = "Seconds timed, then as many recorded. Default: ${DEFAULT-VALUE}")
  double seconds;

  @Option(names = "--period", defaultValue = "5",
      description = "Sampling period in milliseconds (JFR's jdk.ExecutionSample). Default: ${DEFAULT-VALUE}")
  int periodMillis;

  public static void main(String[] args) {
    System.exit(new CommandLine(new PhaseProfile()).execute(args));
  }

  @Override
  public Integer call() throws IOException {
    CommandLine cmd = spec.commandLine();
    if (!pass.equals("forward") && !pass.equals("training")) {
      throw new CommandLine.ParameterException(cmd, "--pass: expected forward or training, got '" + pass + "'");
    }
    if (!List.of("lstm", "gru", "rnn").contains(cell)) {
      throw new CommandLine.ParameterException(cmd, "--cell: expected lstm, gru or rnn, got '" + cell + "'");
    }
    if (!List.of("simd", "scalar").contains(impl)) {
      throw new CommandLine.ParameterException(cmd, "--impl: expected simd or scalar, got '" + impl + "'");
    }
    try {
      RecurrentConfig.named(config);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cmd, "--config: " + e.getMessage());
    }
    if (threads < 1 || periodMillis < 1 || !(seconds > 0) || !(warmupSeconds >= 0)) {
      throw new CommandLine.ParameterException(cmd,
          "--threads and --period must be >= 1, --seconds > 0 and --warmup >= 0; got threads=" + threads
              + ", period=" + periodMillis + ", seconds=" + seconds + ", warmup=" + warmupSeconds);
    }
    Profile p = run();
    System.out.print(p.toText());
    return 0;
  }

  /** Runs the profile with the options set and returns its result. */
  Profile run() throws IOException {
    Parallelism.setThreads(threads);
    RecurrentConfig c = RecurrentConfig.named(config);
    RecurrentCase rc = RecurrentCase.create(cell, impl, config);
    boolean training = pass.equals("training");
    Runnable op = api
        ? (training ? rc::forwardBackward : rc::forward)
        : (training ? rc::engineForwardBackward : rc::engineForward);
    double peak = PeakFma.gflops(Math.min(1.0, Math.max(0.2, warmupSeconds / 5)));
    loop(op, warmupSeconds);
    // Time per pass from an unrecorded loop: sampling stops the thread to walk its stack, which at short periods
    // slows the pass measurably (about 25% at 1 ms here, a few percent at 10 ms). The shares come from the
    // recorded loop; the overhead falls on every phase alike.
    long start = System.nanoTime();
    int passes = loop(op, seconds);
    long nanos = System.nanoTime() - start;

    List<RecordedEvent> events;
    Path file = Files.createTempFile("rnn4j-profile", ".jfr");
    try (Recording rec = new Recording()) {
      rec.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(periodMillis));
      rec.start();
      loop(op, seconds);
      rec.stop();
      rec.dump(file);
      events = RecordingFile.readAllEvents(file);
    } finally {
      Files.deleteIfExists(file);
    }
    Map<Attribution, Integer> counts = new HashMap<>();
    int total = 0;
    for (RecordedEvent e : events) {
      if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null
          || !isWorker(e.getThread("sampledThread"))) {
        continue;
      }
      List<Frame> frames = new ArrayList<>();
      for (RecordedFrame f : e.getStackTrace().getFrames()) {
        if (f.isJavaFrame()) {
          frames.add(new Frame(f.getMethod().getType().getName(), f.getMethod().getName()));
        }
      }
      counts.merge(PhaseClassifier.classify(frames), 1, Integer::sum);
      total++;
    }
    String title = cellName() + " " + (training ? "training pass" : "forward pass") + ", " + c.describe() + ", "
        + (api ? "public API" : "engine") + ", " + impl + " kernels, " + threads + (threads == 1 ? " thread" : " threads");
    return new Profile(title, flops(c), peak, passes, nanos, periodMillis, threads, total, counts);
  }

  private String cellName() {
    return switch (cell) {
      case "lstm" -> "LSTM";
      case "gru" -> "GRU";
      case "rnn" -> "RNN";
      default -> cell;
    };
  }

  /** GEMM FLOPs of each phase that multiplies matrices, for this case's pass. */
  Map<String, Double> flops(RecurrentConfig c) {
    int gates = switch (cell) {
      case "lstm" -> 4;
      case "gru" -> 3;
      default -> 1;
    };
    double rows = (double) c.steps() * c.batch();
    double gh = (double) gates * c.hidden();
    Map<String, Double> f = new HashMap<>();
    f.put(PhaseClassifier.INPUT_PROJECTION, 2 * rows * c.input() * gh);
    f.put(PhaseClassifier.RECURRENCE, 2 * rows * c.hidden() * gh);
    if (pass.equals("training")) {
      f.put(PhaseClassifier.BACKWARD_RECURRENCE, 2 * rows * gh * c.hidden());
      f.put(PhaseClassifier.WEIGHT_GRADIENTS, 2 * rows * gh * (c.input() + c.hidden()));
      f.put(PhaseClassifier.INPUT_GRADIENT, 2 * rows * gh * c.input());
    }
    return f;
  }

  private static boolean isWorker(RecordedThread t) {
    if (t == null || t.getJavaName() == null) {
      return false;
    }
    return t.getJavaName().equals("main") || t.getJavaName().startsWith("rnn4j-worker");
  }

  private static int loop(Runnable op, double seconds) {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    int n = 0;
    do {
      op.run();
      n++;
    } while (System.nanoTime() < end);
    return n;
  }

  /**
   * The result: samples per attribution, and what turns them into times and rates.
   *
   * @param flops GEMM FLOPs per pass of each phase that multiplies
   * @param peak the FMA peak of one core, GFLOP/s
   * @param nanos wall time of the recorded passes
   */
  record Profile(String title, Map<String, Double> flops, double peak, int passes, long nanos, int periodMillis,
                 int threads, int samples, Map<Attribution, Integer> counts) {

    double msPerPass() {
      return nanos / 1e6 / passes;
    }

    /** Time per pass of the samples that share is of: wall time on one thread. */
    double ms(int count) {
      return samples == 0 ? 0 : msPerPass() * count / samples;
    }

    String toText() {
      double totalFlops = flops.values().stream().mapToDouble(Double::doubleValue).sum();
      StringBuilder sb = new StringBuilder();
      sb.append(title).append('\n');
      sb.append(String.format(Locale.ROOT, "FMA peak %.1f GFLOP/s per core (PeakFmaBenchmark.fp32 in this process, median of 1 ms windows)%n",
          peak));
      double rate = totalFlops / (msPerPass() * 1e6);
      sb.append(String.format(Locale.ROOT, "%d passes, %.2f ms per pass: %.2f GFLOP of products, %.1f GFLOP/s, "
          + "%.1f%% of %d x peak%n", passes, msPerPass(), totalFlops / 1e9, rate, 100 * rate / (peak * threads),
          threads));
      sb.append(String.format(Locale.ROOT, "%d samples (period %d ms)%n%n", samples, periodMillis));
      List<Map.Entry<Attribution, Integer>> rows = new ArrayList<>(counts.entrySet());
      Map<String, Integer> phaseTotals = new HashMap<>();
      rows.forEach(e -> phaseTotals.merge(e.getKey().phase(), e.getValue(), Integer::sum));
      rows.sort(Comparator.<Map.Entry<Attribution, Integer>>comparingInt(e -> -phaseTotals.get(e.getKey().phase()))
          .thenComparing(e -> e.getKey().phase())
          .thenComparingInt(e -> -e.getValue()));
      sb.append("| phase | kernel | samples | share | ms/pass | GEMM GFLOP/s | % peak |\n");
      sb.append("|---|---|---:|---:|---:|---:|---:|\n");
      for (Map.Entry<Attribution, Integer> e : rows) {
        Attribution a = e.getKey();
        int n = e.getValue();
        String gflops = "";
        String pct = "";
        Double f = flops.get(a.phase());
        if (f != null && a.kernel().startsWith("gemm")) {
          int gemmSamples = rows.stream()
              .filter(o -> o.getKey().phase().equals(a.phase()) && o.getKey().kernel().startsWith("gemm"))
              .mapToInt(Map.Entry::getValue).sum();
          if (gemmSamples == n) {
            double g = f / (ms(n) * 1e6);
            gflops = String.format(Locale.ROOT, "%.1f", g);
            pct = threads == 1 ? String.format(Locale.ROOT, "%.1f%%", 100 * g / peak) : "";
          }
        }
        sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %.1f%% | %s | %s | %s |%n", a.phase(), a.kernel(), n,
            100.0 * n / Math.max(1, samples), threads == 1 ? String.format(Locale.ROOT, "%.2f", ms(n)) : "",
            threads == 1 ? gflops : "", pct));
      }
      return sb.toString();
    }
  }
}
