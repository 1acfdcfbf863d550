package dev.rnn4j.bench;

import dev.rnn4j.autograd.NoGrad;
import dev.rnn4j.kernels.JitActivity;
import dev.rnn4j.kernels.KernelSelector;
import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.nn.recurrent.GRU;
import dev.rnn4j.nn.recurrent.LSTM;
import dev.rnn4j.nn.recurrent.RNN;
import dev.rnn4j.nn.recurrent.RecurrentLayer;
import dev.rnn4j.nn.recurrent.RecurrentOptions;
import dev.rnn4j.nn.recurrent.StreamState;
import dev.rnn4j.nn.recurrent.WarmUp;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.Tensor;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Cold start of a service that embeds a layer: in a fresh JVM (run it as its own process), builds one layer through
 * the public API and times every NoGrad forward from the very first, so that it shows what the first requests pay
 * while the JIT compiles the kernels (the Vector API is many times slower than plain loops until C2 has compiled it).
 *
 * <pre>
 * java --add-modules=jdk.incubator.vector -cp bench/target/benchmarks.jar dev.rnn4j.bench.ColdStart \
 *     --cell lstm --config stream --calls 3000
 * </pre>
 *
 * <p>It prints the 1st, 2nd, 10th, 100th and 1000th call, the steady state (median, minimum and 99th percentile of the
 * last tenth of the calls), and from when on every call stays within 1.5x and 1.2x of that median: the call number and
 * the JVM's uptime then. Timings, not a benchmark: one process is one sample, so run it several times.
 *
 * <p>{@code --pass train} times a recorded forward and its backward pass instead, {@code --pass steps} the same
 * sequence through {@code RecurrentLayer.steps} on caller arrays (the serving call that allocates nothing); {@code --warm-up inference,...}
 * runs {@link WarmUp} on the layer first (and prints what it did and how long it took), so that the timed calls show
 * what a service's requests pay after warming up at load time, and then the CPU time the calling thread, the C2 and C1
 * compiler threads and the collector had used by the warm-up's end ({@link ThreadGroupCpu}: figures that other processes
 * on the machine hardly move); {@code --warm-up-short-steps 0} warms up without short calls. Under {@code -Drnn4j.kernels=adaptive} the first line
 * says at which call the kernels switched. {@code --outliers N} lists the last N calls over 1.5x the steady median
 * with what else happened during each (this thread's CPU time and wait for a CPU, the machine's steal time,
 * collections, JIT time; the JVM uptime to match against {@code -Xlog}), to tell the library's slow calls from the
 * machine's.
 */
@Command(name = "cold-start", mixinStandardHelpOptions = true,
    description = "Times every forward of a layer from the first one in a fresh JVM.")
public final class ColdStart implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--cell", defaultValue = "lstm", description = "lstm, gru or rnn. Default: ${DEFAULT-VALUE}")
  String cell;

  @Option(names = "--config", defaultValue = "stream",
      description = "stream, train or large (PERFORMANCE.md). Default: ${DEFAULT-VALUE}")
  String config;

  @Option(names = "--calls", defaultValue = "3000", description = "Forward calls timed. Default: ${DEFAULT-VALUE}")
  int calls;

  @Option(names = "--pass", defaultValue = "forward",
      description = "forward (NoGrad forward), steps (the same sequence through RecurrentLayer.steps on arrays, "
          + "from a zero stream state: nothing allocated) or train (recorded forward and backward of the output's "
          + "sum). Default: ${DEFAULT-VALUE}")
  String pass;

  @Option(names = "--warm-up", split = ",", paramLabel = "PASS",
      description = "Before the timed calls, WarmUp the layer at the configuration's shapes with these passes "
          + "(inference, streaming, training; comma-separated) and print what it did.")
  List<String> warmUp = List.of();

  @Option(names = "--warm-up-budget-ms", defaultValue = "" + 1000 * WarmUp.DEFAULT_BUDGET_SECONDS,
      description = "The warm-up's budget in ms. Default: ${DEFAULT-VALUE}")
  long warmUpBudgetMs;

  @Option(names = "--warm-up-short-steps", defaultValue = "" + WarmUp.DEFAULT_SHORT_STEPS,
      description = "Time steps of the warm-up's short calls, before its calls at the configuration's shapes "
          + "(0: none, every warm-up call at the configuration's shapes). Default: ${DEFAULT-VALUE}")
  int warmUpShortSteps;

  @Option(names = "--outliers", defaultValue = "0",
      description = "Also list up to this many of the last calls over 1.5x the steady median (call number, ms, "
          + "JVM uptime at its start and end in ms), to match against -Xlog's uptime decorations (gc, jit, "
          + "safepoint). Default: ${DEFAULT-VALUE}")
  int outliers;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ColdStart()).execute(args));
  }

  @Override
  public Integer call() {
    CommandLine cmd = spec.commandLine();
    if (!List.of("lstm", "gru", "rnn").contains(cell)) {
      throw new CommandLine.ParameterException(cmd, "--cell: expected lstm, gru or rnn, got '" + cell + "'");
    }
    RecurrentConfig c;
    try {
      c = RecurrentConfig.named(config);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cmd, "--config: " + e.getMessage());
    }
    if (calls < 20) {
      throw new CommandLine.ParameterException(cmd, "--calls: at least 20 (the steady state is the last tenth), got "
          + calls);
    }
    if (!List.of("forward", "steps", "train").contains(pass)) {
      throw new CommandLine.ParameterException(cmd, "--pass: expected forward, steps or train, got '" + pass + "'");
    }
    if (warmUpShortSteps < 0) {
      throw new CommandLine.ParameterException(cmd, "--warm-up-short-steps: expected >= 0, got " + warmUpShortSteps);
    }
    WarmUp w = WarmUp.forShapes(c.batch(), c.steps()).budget(Duration.ofMillis(Math.max(1, warmUpBudgetMs)))
        .shortSteps(warmUpShortSteps);
    for (String p : warmUp) {
      w = switch (p) {
        case "inference" -> w.inference();
        case "streaming" -> w.streaming();
        case "training" -> w.training();
        default -> throw new CommandLine.ParameterException(cmd,
            "--warm-up: expected inference, streaming or training, got '" + p + "'");
      };
    }
    long startedMs = ManagementFactory.getRuntimeMXBean().getUptime();
    RecurrentOptions o = new RecurrentOptions(c.input(), c.hidden()).seed(1);
    RecurrentLayer layer = switch (cell) {
      case "gru" -> new GRU(o);
      case "rnn" -> new RNN(o);
      default -> new LSTM(o);
    };
    Tensor x = Tensor.normal(DType.FLOAT32, new SplittableRandom(2), 0, 1, c.steps(), c.batch(), c.input());
    WarmUp.Result warmed = warmUp.isEmpty() ? null : w.run(layer);
    long timedFromMs = ManagementFactory.getRuntimeMXBean().getUptime();
    ThreadGroupCpu warmedCpu = warmed == null ? null : ThreadGroupCpu.now();
    long warmedThreadCpu = JitActivity.currentThreadCpuNanos();
    double warmedLoad = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    boolean train = pass.equals("train");
    boolean steps = pass.equals("steps");
    StreamState state = steps ? layer.newStreamState(c.batch()) : null;
    float[] xArray = x.toFloatArray();
    float[] outArray = new float[c.steps() * c.batch() * c.hidden()];
    Kernels firstKernels = KernelScope.current();
    int switchedAt = 0;
    double[] ms = new double[calls];
    double[] uptimeMs = new double[calls];
    double[] startUptimeMs = new double[calls];
    var runtime = ManagementFactory.getRuntimeMXBean();
    // What else happened during each call, read between calls (only with --outliers: the reads take some µs)
    CallCauses causes = outliers > 0 ? new CallCauses(calls) : null;
    for (int i = 0; i < calls; i++) {
      if (switchedAt == 0 && KernelScope.current() != firstKernels) {
        switchedAt = i + 1; // adaptive mode: this call is the first on the other kernels
      }
      if (causes != null) {
        causes.before();
      }
      startUptimeMs[i] = runtime.getUptime();
      long t0 = System.nanoTime();
      if (train) {
        layer.forward(x).output().sum().backward();
      } else if (steps) {
        state.reset();
        layer.steps(xArray, 0, c.steps(), state, outArray, 0);
      } else {
        NoGrad.get(() -> layer.forward(x));
      }
      ms[i] = (System.nanoTime() - t0) / 1e6;
      uptimeMs[i] = runtime.getUptime();
      if (causes != null) {
        causes.after(i);
      }
    }
    ThreadGroupCpu endCpu = ThreadGroupCpu.now();
    // Through the command's own stream, so that tests can capture it.
    PrintWriter out = cmd.getOut();
    out.println(cell.toUpperCase(Locale.ROOT)
        + (train ? " forward and backward, " : steps ? " steps on arrays, " : " NoGrad forward, ")
        + c.describe() + ", kernels " + describe(firstKernels, switchedAt, uptimeMs) + ", JVM up " + startedMs
        + " ms before the layer was built");
    if (warmed != null) {
      out.println(warmed + "; timed calls start at JVM uptime " + timedFromMs + " ms");
      out.println(String.format(Locale.ROOT, "at the warm-up's end: calling thread CPU %.0f ms; %s; load average %.2f",
          warmedThreadCpu / 1e6, warmedCpu == null ? "no per-thread CPU times (/proc/self/task)" : warmedCpu,
          warmedLoad));
    }
    Summary summary = Summary.of(ms, uptimeMs);
    out.println(summary.toText());
    if (outliers > 0) {
      out.println(causes.cpuSummary(uptimeMs));
      out.print(summary.outliersText(startUptimeMs, uptimeMs, causes, outliers));
      causes.close();
    }
    if (endCpu != null) {
      out.println("after the timed calls: " + endCpu);
    }
    out.flush();
    return 0;
  }

  private static String describe(Kernels first, int switchedAt, double[] uptimeMs) {
    if (switchedAt == 0) {
      return first.name() + (KernelSelector.adaptive().isPresent() ? " (adaptive, not switched yet)" : "");
    }
    return String.format(Locale.ROOT, "%s, then %s from call %d (adaptive; JVM uptime %.0f ms)", first.name(),
        KernelScope.current().name(), switchedAt, switchedAt > 1 ? uptimeMs[switchedAt - 2] : 0.0);
  }

  /**
   * What happened beside each timed call: the calling thread's CPU time, its wait for a CPU (another process held its
   * core), the machine's steal ticks (the hypervisor), garbage collections and JIT compile time. A call much slower
   * than the median with CPU time near the median waited (the wait and steal columns say for what); one whose CPU time
   * is high ran slower code (a deoptimised method, a collection's barriers) or a collection ran in it.
   */
  static final class CallCauses implements AutoCloseable {
    private final double[] cpuMs;
    private final double[] waitMs;
    private final double[] waitBeforeMs;
    private final long[] steal;
    private final long[] gcs;
    private final long[] jitMs;
    private final ProcCounters proc = new ProcCounters();
    private final List<java.lang.management.GarbageCollectorMXBean> collectors =
        ManagementFactory.getGarbageCollectorMXBeans();
    private long cpu0;
    private long wait0;
    private long waitAfter = -1; // the wait counter after the previous call
    private long steal0;
    private long gc0;
    private long jit0;

    CallCauses(int calls) {
      cpuMs = new double[calls];
      waitMs = new double[calls];
      waitBeforeMs = new double[calls];
      steal = new long[calls];
      gcs = new long[calls];
      jitMs = new long[calls];
    }

    private long collections() {
      long n = 0;
      for (int i = 0; i < collectors.size(); i++) {
        n += collectors.get(i).getCollectionCount();
      }
      return n;
    }

    void before() {
      gc0 = collections();
      jit0 = JitActivity.totalCompileMillis();
      steal0 = proc.stealTicks();
      wait0 = proc.runQueueWaitNanos();
      cpu0 = JitActivity.currentThreadCpuNanos();
    }

    void after(int i) {
      long cpu1 = JitActivity.currentThreadCpuNanos();
      long wait1 = proc.runQueueWaitNanos();
      long steal1 = proc.stealTicks();
      cpuMs[i] = cpu0 < 0 || cpu1 < 0 ? -1 : (cpu1 - cpu0) / 1e6;
      waitMs[i] = wait0 < 0 || wait1 < 0 ? -1 : (wait1 - wait0) / 1e6;
      // a wait just before the call (another process ran on this core) leaves the caches to refill: the call's CPU
      // time then grows though it waited for nothing itself
      waitBeforeMs[i] = waitAfter < 0 || wait0 < 0 ? -1 : (wait0 - waitAfter) / 1e6;
      waitAfter = wait1;
      steal[i] = steal0 < 0 || steal1 < 0 ? -1 : steal1 - steal0;
      gcs[i] = collections() - gc0;
      jitMs[i] = JitActivity.totalCompileMillis() - jit0;
    }

    /**
     * The same "from which call on" figures by this thread's CPU time instead of the wall clock: what the code did,
     * without the time other processes or the hypervisor held the CPU (on a shared machine the wall-clock figures
     * mostly show those). The median is that of the last tenth's CPU times; the totals are of the whole run.
     */
    String cpuSummary(double[] uptimeMs) {
      if (cpuMs.length == 0 || cpuMs[0] < 0) {
        return "no per-thread CPU time in this JVM";
      }
      Summary cpu = Summary.of(cpuMs, uptimeMs);
      double waited = 0;
      long stolen = 0;
      long collections = 0;
      for (int i = 0; i < cpuMs.length; i++) {
        waited += Math.max(0, waitMs[i]);
        stolen += Math.max(0, steal[i]);
        collections += gcs[i];
      }
      return String.format(Locale.ROOT, "by this thread's CPU time: median %.3f ms, every call within 1.5x from call "
          + "%d, within 1.2x from call %d; during the calls: waited for a CPU %.1f ms in all, machine steal %d ticks, "
          + "%d collections", cpu.median(), cpu.within15(), cpu.within12(), waited, stolen, collections);
    }

    String describe(int i) {
      return String.format(Locale.ROOT, "cpu %.3f ms, waited %.3f ms (%.3f ms just before), steal %d, gc %d, jit %d ms",
          cpuMs[i], waitMs[i], waitBeforeMs[i], steal[i], gcs[i], jitMs[i]);
    }

    @Override
    public void close() {
      proc.close();
    }
  }

  /**
   * What a run of calls shows.
   *
   * @param ms each call's time, in call order
   * @param median the steady state: the median of the last tenth of the calls
   * @param min the minimum of the last tenth
   * @param p99 the 99th percentile of the last tenth (nearest rank)
   * @param within15 the 1-based number of the first call from which every call is within 1.5x the median
   * @param within12 likewise within 1.2x
   * @param uptime15 the JVM's uptime in ms at the end of call {@code within15 - 1} (the last slower call), 0 if none
   * @param uptime12 likewise for 1.2x
   */
  record Summary(double[] ms, double median, double min, double p99, int within15, int within12, double uptime15,
                 double uptime12) {

    static Summary of(double[] ms, double[] uptimeMs) {
      int n = ms.length;
      double[] tail = Arrays.copyOfRange(ms, n - Math.max(1, n / 10), n);
      Arrays.sort(tail);
      double median = tail[(tail.length - 1) / 2];
      double p99 = tail[(int) Math.ceil(0.99 * tail.length) - 1];
      int w15 = settledFrom(ms, 1.5 * median);
      int w12 = settledFrom(ms, 1.2 * median);
      return new Summary(ms, median, tail[0], p99, w15, w12, w15 > 1 ? uptimeMs[w15 - 2] : 0,
          w12 > 1 ? uptimeMs[w12 - 2] : 0);
    }

    /** The 1-based number of the first call after the last one slower than {@code limit}. */
    private static int settledFrom(double[] ms, double limit) {
      for (int i = ms.length - 1; i >= 0; i--) {
        if (ms[i] > limit) {
          return i + 2;
        }
      }
      return 1;
    }

    /**
     * The last {@code max} calls over 1.5x the median, one line each, oldest first: the call number, its time, the
     * ratio to the median and the JVM's uptime at its start and end ({@code -Xlog}'s {@code uptime} decoration
     * counts from the same origin).
     */
    String outliersText(double[] startUptimeMs, double[] uptimeMs, CallCauses causes, int max) {
      StringBuilder sb = new StringBuilder();
      int shown = 0;
      int first = ms.length;
      for (int i = ms.length - 1; i >= 0 && shown < max; i--) {
        if (ms[i] > 1.5 * median) {
          first = i;
          shown++;
        }
      }
      int total = 0;
      for (double t : ms) {
        total += t > 1.5 * median ? 1 : 0;
      }
      sb.append(String.format(Locale.ROOT, "calls over 1.5x the median: %d; the last %d (with this thread's CPU "
          + "time, its wait for a CPU during the call and between it and the previous one, the machine's steal ticks, collections and JIT compile ms during the call):%n",
          total, shown));
      for (int i = first; i < ms.length; i++) {
        if (ms[i] > 1.5 * median) {
          sb.append(String.format(Locale.ROOT, "  call %d: %.3f ms (%.1fx), JVM uptime %.0f-%.0f ms, %s%n", i + 1,
              ms[i], ms[i] / median, startUptimeMs[i], uptimeMs[i], causes == null ? "" : causes.describe(i)));
        }
      }
      return sb.toString();
    }

    String toText() {
      StringBuilder sb = new StringBuilder();
      for (int call : new int[] {1, 2, 10, 100, 1000}) {
        if (call <= ms.length) {
          sb.append(String.format(Locale.ROOT, "call %d: %.3f ms%n", call, ms[call - 1]));
        }
      }
      sb.append(String.format(Locale.ROOT, "steady (last %d calls): median %.3f ms, min %.3f, p99 %.3f%n",
          Math.max(1, ms.length / 10), median, min, p99));
      sb.append(String.format(Locale.ROOT, "every call within 1.5x the median from call %d (JVM uptime %.0f ms)%n",
          within15, uptime15));
      sb.append(String.format(Locale.ROOT, "every call within 1.2x the median from call %d (JVM uptime %.0f ms)",
          within12, uptime12));
      return sb.toString();
    }
  }
}
