package dev.rnn4j.examples;

import dev.rnn4j.autograd.Ops;
import dev.rnn4j.examples.data.SeriesData;
import dev.rnn4j.examples.support.Charts;
import dev.rnn4j.examples.support.CommonOptions;
import dev.rnn4j.examples.support.KernelBanner;
import dev.rnn4j.examples.support.OptionChecks;
import dev.rnn4j.nn.Linear;
import dev.rnn4j.examples.support.TrainingProgress;
import dev.rnn4j.nn.Module;
import dev.rnn4j.nn.recurrent.CellState;
import dev.rnn4j.nn.recurrent.GradientClipping;
import dev.rnn4j.nn.recurrent.LSTM;
import dev.rnn4j.nn.recurrent.LSTMCell;
import dev.rnn4j.nn.recurrent.RNN;
import dev.rnn4j.nn.recurrent.RNNCell;
import dev.rnn4j.nn.recurrent.RecurrentCell;
import dev.rnn4j.nn.recurrent.RecurrentLayer;
import dev.rnn4j.nn.recurrent.RecurrentOptions;
import dev.rnn4j.nn.recurrent.TruncatedBptt;
import dev.rnn4j.optim.NonFinitePolicy;
import dev.rnn4j.optim.SGD;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Tensor;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Why gradients vanish and explode through time, and what truncated BPTT and clipping do about it.
 *
 * <p>Part 1 runs a cell for T steps on random inputs, takes a loss of the last state only, and prints the norm of
 * the loss's gradient with respect to the state d steps earlier: for a tanh RNN it shrinks geometrically with d
 * (vanishing) or, with large recurrent weights, grows (exploding); the LSTM's additive cell state carries it much
 * further. It also prints the global norm of the parameter gradients before and after clipping.
 *
 * <p>Part 2 trains on one long series with truncated BPTT (chunks of k1 steps, state carried across chunks without
 * gradient) with plain SGD: the large-weight tanh RNN without clipping, the same with clipping by global norm, and
 * an LSTM with clipping.
 */
@Command(
    name = "GradientFlow",
    mixinStandardHelpOptions = true,
    version = "rnn4j examples 0.1.0-SNAPSHOT",
    description = "Gradient norms through time for tanh-RNN vs LSTM, and truncated BPTT with and without clipping.")
public final class GradientFlow implements Callable<Integer> {

  /** A cell setup of part 1. */
  public enum Setup {
    RNN_DEFAULT("tanh RNN, default init"),
    RNN_LARGE("tanh RNN, large W_hh"),
    LSTM_DEFAULT("LSTM, default init"),
    LSTM_FORGET("LSTM, forget bias +2");

    final String label;

    Setup(String label) {
      this.label = label;
    }
  }

  /** Distances d at which part 1 reports the gradient norm. */
  public static final int[] DISTANCES = {0, 1, 2, 5, 10, 20, 50, 100};

  /**
   * Sizes of both parts.
   *
   * @param largeGain part 1: W_hh ~ N(0, largeGain^2 / H) for the "large" tanh RNN
   * @param tbpttGain part 2: the same for the tanh RNN trained with truncated BPTT; large enough that plain SGD
   *     blows up without clipping, small enough that the clipped run can still learn
   */
  public record Config(int inputSize, int hidden, int steps, int batch, double largeGain, int seriesLength,
      int streams, int k1, int k2, int epochs, double tbpttGain, double learningRate, double clipNorm, long seed) {
    public static Config full(long seed) {
      return new Config(8, 64, 120, 8, 2.5, 6000, 8, 50, 50, 3, 1.5, 0.2, 1.0, seed);
    }

    public static Config quick(long seed) {
      return new Config(8, 32, 120, 4, 2.5, 2000, 4, 50, 50, 2, 1.5, 0.2, 1.0, seed);
    }

    public Config withTbptt(double gain, double lr) {
      return new Config(inputSize, hidden, steps, batch, largeGain, seriesLength, streams, k1, k2, epochs, gain, lr,
          clipNorm, seed);
    }
  }

  /** ||dL/dh_{T-d}|| for each of {@link #DISTANCES}, and the parameter gradient norm before and after clipping. */
  public record GradientReport(Setup setup, double[] norms, double[] everyDistance, double parameterNormBefore,
      double parameterNormAfter) {}

  /** Per-chunk training losses of one TBPTT run, and the mean of the last epoch's chunk losses. */
  public record TbpttRun(String label, double[] chunkLosses, double lastEpochLoss, double meanClipRatio) {}

  @Mixin CommonOptions common;

  @Option(names = "--data", paramLabel = "FILE", description = "Your own long series for part 2 (one number per line).")
  Path dataFile;

  public static void main(String[] args) {
    System.exit(new CommandLine(new GradientFlow()).execute(args));
  }

  @Override
  public Integer call() {
    OptionChecks checks = common.validate("GradientFlow");
    if (common.stepsGiven()) {
      throw checks.error("--steps", "GradientFlow has no number of training steps to set: part 1 takes one"
          + " gradient, part 2 runs a fixed number of epochs over the series (fewer with --quick)");
    }
    Config cfg = common.quick() ? Config.quick(common.seed()) : Config.full(common.seed());
    double[] series = dataFile != null ? checks.read("--data", dataFile, SeriesData::fromFile)
        : SeriesData.noisySines(cfg.seriesLength(), 0.1, cfg.seed());
    PrintStream out = System.out;
    KernelBanner.print(out, "Gradient flow through time: vanishing, exploding, clipping, truncated BPTT");
    out.printf(Locale.ROOT, "part 1: %d steps of random inputs (batch %d, input %d, hidden %d); loss = <u, h_T>%n",
        cfg.steps(), cfg.batch(), cfg.inputSize(), cfg.hidden());
    List<GradientReport> reports = new ArrayList<>();
    for (Setup s : Setup.values()) {
      reports.add(gradientNorms(s, cfg));
    }
    StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "  %6s", "d"));
    for (GradientReport r : reports) {
      header.append(String.format(Locale.ROOT, "  %22s", r.setup().label));
    }
    out.println("norm of dL/dh_{T-d}:");
    out.println(header);
    for (int i = 0; i < DISTANCES.length; i++) {
      StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "  %6d", DISTANCES[i]));
      for (GradientReport r : reports) {
        row.append(String.format(Locale.ROOT, "  %22.3e", r.norms()[i]));
      }
      out.println(row);
    }
    out.printf(Locale.ROOT, "global norm of all parameter gradients, before -> after clipping to %.1f:%n", cfg.clipNorm());
    for (GradientReport r : reports) {
      out.printf(Locale.ROOT, "  %-24s %12.4e -> %.4e%n", r.setup().label, r.parameterNormBefore(), r.parameterNormAfter());
    }

    out.printf(Locale.ROOT, "%npart 2: truncated BPTT on one series of %d points in %d streams, chunks k1=%d, k2=%d, "
        + "%d epochs, SGD lr %.3f%n", series.length, cfg.streams(), cfg.k1(), cfg.k2(), cfg.epochs(), cfg.learningRate());
    List<TbpttRun> runs = new ArrayList<>();
    String gain = String.format(Locale.ROOT, "W_hh gain %.1f", cfg.tbpttGain());
    String[] labels = {"tanh RNN, " + gain + ", no clipping", "tanh RNN, " + gain + ", clip " + cfg.clipNorm(),
        "LSTM, clip " + cfg.clipNorm()};
    for (int i = 0; i < 3; i++) {
      int chunks = cfg.epochs() * ((series.length / cfg.streams() - 1 + cfg.k1() - 1) / cfg.k1());
      try (TrainingProgress p = TrainingProgress.create(common, "run " + (i + 1) + "/3", chunks, out)) {
        runs.add(trainTbptt(labels[i], i == 2, i > 0, series, cfg, p.listener()));
      }
    }
    out.println("mean loss (standardised MSE) over the last epoch's chunks; mean clipping factor (1 = not clipped):");
    for (TbpttRun r : runs) {
      out.printf(Locale.ROOT, "  %-38s %12.5g   %.3g%n", r.label(), r.lastEpochLoss(), r.meanClipRatio());
    }

    Path dir = common.outputDir("GradientFlow");
    List<Charts.Series> normSeries = new ArrayList<>();
    for (GradientReport r : reports) {
      double[] ys = r.everyDistance();
      double[] xs = new double[ys.length];
      int firstZero = -1;
      for (int i = 0; i < xs.length; i++) {
        xs[i] = i;
        firstZero = firstZero < 0 && !(ys[i] > 0) ? i : firstZero;
      }
      // A log axis cannot show 0: the chart leaves those points out and the legend says where they start.
      String label = firstZero < 0 ? r.setup().label
          : r.setup().label + " (underflows to 0 from d = " + firstZero + ")";
      normSeries.add(new Charts.Series(label, xs, ys));
    }
    Path normsPng = Charts.line(dir.resolve("gradient-norms.png"), "||dL/dh(T-d)|| against distance d", "d (steps back)",
        "gradient norm (log scale)", true, normSeries);
    List<Charts.Series> lossSeries = new ArrayList<>();
    int half = Math.max(1, runs.get(0).chunkLosses().length / 20);
    for (TbpttRun r : runs) {
      double[] ys = r.chunkLosses().clone();
      boolean capped = false;
      for (int i = 0; i < ys.length; i++) {
        capped |= !(ys[i] <= 1e3);
        ys[i] = Double.isFinite(ys[i]) ? Math.min(ys[i], 1e3) : 1e3; // keep a diverged run on the chart
      }
      String label = capped ? r.label() + " (NaN or above 1000: drawn at 1000)" : r.label();
      lossSeries.add(Charts.Series.indexed(label, Charts.centredMovingAverage(ys, half)));
    }
    Path lossPng = Charts.line(dir.resolve("tbptt-loss.png"), "Truncated BPTT: loss per chunk (centred moving average over " + (2 * half + 1) + " chunks)",
        "chunk", "loss (log scale)", true, lossSeries);
    out.println("gradient norms chart: " + normsPng.toAbsolutePath());
    out.println("TBPTT loss chart: " + lossPng.toAbsolutePath());
    return 0;
  }

  /** Part 1 for one setup. */
  public static GradientReport gradientNorms(Setup setup, Config cfg) {
    SplittableRandom rng = new SplittableRandom(cfg.seed());
    RecurrentOptions options = new RecurrentOptions(cfg.inputSize(), cfg.hidden()).seed(rng.nextLong());
    RecurrentCell cell = setup == Setup.RNN_DEFAULT || setup == Setup.RNN_LARGE ? new RNNCell(options) : new LSTMCell(options);
    if (setup == Setup.RNN_LARGE) {
      setNormal(cell.namedParameters().get("weight_hh"), cfg.largeGain() / Math.sqrt(cfg.hidden()), rng);
    }
    if (setup == Setup.LSTM_FORGET) {
      addToForgetBias(cell.namedParameters().get("bias_ih"), cfg.hidden(), 2.0);
    }
    int t = cfg.steps();
    int b = cfg.batch();
    Tensor[] states = new Tensor[t + 1];
    CellState s = null;
    for (int i = 0; i < t; i++) {
      Tensor x = Tensor.normal(DType.FLOAT32, rng, 0, 1, b, cfg.inputSize());
      s = cell.forward(x, s);
      states[i + 1] = s.h();
      states[i + 1].retainGrad();
    }
    Tensor u = Tensor.normal(DType.FLOAT32, rng, 0, 1, b, cfg.hidden());
    Ops.sum(Ops.mul(states[t], u)).backward();
    double[] norms = new double[DISTANCES.length];
    for (int i = 0; i < DISTANCES.length; i++) {
      int step = t - DISTANCES[i];
      norms[i] = step >= 1 ? norm(states[step].grad()) : Double.NaN;
    }
    double[] every = new double[t];
    for (int d = 0; d < t; d++) {
      every[d] = norm(states[t - d].grad());
    }
    double before = GradientClipping.clipByNorm(cell.parameters(), cfg.clipNorm());
    double after = 0;
    for (Tensor p : cell.parameters()) {
      double n = norm(p.grad());
      after += n * n;
    }
    return new GradientReport(setup, norms, every, before, Math.sqrt(after));
  }

  /** A recurrent layer plus a linear read-out of the next value. */
  static final class Forecaster extends Module {
    final RecurrentLayer rnn;
    final Linear readout;
    final int hidden;

    Forecaster(boolean lstm, Config cfg, SplittableRandom rng) {
      hidden = cfg.hidden();
      RecurrentOptions o = new RecurrentOptions(1, cfg.hidden()).seed(rng.nextLong());
      rnn = registerModule("rnn", lstm ? new LSTM(o) : new RNN(o));
      readout = registerModule("readout", new Linear(cfg.hidden(), 1, rng));
      if (!lstm) {
        setNormal(rnn.namedParameters().get("weight_hh_l0"), cfg.tbpttGain() / Math.sqrt(cfg.hidden()), rng);
      }
    }
  }

  /** Part 2: one model trained with truncated BPTT over the series, split into parallel streams. */
  public static TbpttRun trainTbptt(String label, boolean lstm, boolean clip, double[] series, Config cfg,
      TrainingProgress.Listener listener) {
    SplittableRandom rng = new SplittableRandom(cfg.seed());
    Forecaster model = new Forecaster(lstm, cfg, rng);
    double[] ms = SeriesData.meanStd(series, 0, series.length);
    int b = cfg.streams();
    int len = series.length / b;
    int steps = len - 1;
    float[] x = new float[steps * b];
    float[] y = new float[steps * b];
    for (int j = 0; j < b; j++) {
      for (int t = 0; t < steps; t++) {
        x[t * b + j] = (float) ((series[j * len + t] - ms[0]) / ms[1]);
        y[t * b + j] = (float) ((series[j * len + t + 1] - ms[0]) / ms[1]);
      }
    }
    Tensor input = Tensor.fromArray(x, steps, b, 1);
    Tensor target = Tensor.fromArray(y, steps, b, 1);
    SGD sgd = new SGD(model.parameters(), cfg.learningRate());
    if (!clip) {
      // This run exists to show an unclipped RNN diverging: let NaN gradients through (the default policy throws) so
      // that its losses turn NaN in the table and the chart instead of ending the example.
      sgd.nonFinitePolicy(NonFinitePolicy.UNCHECKED);
    }
    TruncatedBptt tbptt = new TruncatedBptt(cfg.k1(), cfg.k2());
    List<Double> all = new ArrayList<>();
    double[] clipSum = {0};
    double[] chunkLoss = {0};
    int[] counter = {0};
    double last = Double.NaN;
    for (int epoch = 0; epoch < cfg.epochs(); epoch++) {
      double[] losses = tbptt.run(model.rnn, input,
          (out, start) -> {
            int k = out.size(0);
            Tensor pred = model.readout.forward(out.reshape(k * b, model.hidden));
            Tensor loss = Ops.mse(pred, target.slice(start, start + k).reshape(k * b, 1));
            chunkLoss[0] = loss.item();
            return loss;
          },
          chunk -> {
            if (clip) {
              double n = GradientClipping.clipByNorm(model.parameters(), cfg.clipNorm());
              clipSum[0] += Double.isFinite(n) ? Math.min(1, cfg.clipNorm() / n) : 0;
            } else {
              clipSum[0] += 1;
            }
            sgd.step();
            model.zeroGrad();
            counter[0]++;
            listener.step(counter[0], chunkLoss[0]);
          });
      double sum = 0;
      for (double l : losses) {
        all.add(l);
        sum += l;
      }
      last = sum / losses.length;
    }
    double[] chunkLosses = all.stream().mapToDouble(Double::doubleValue).toArray();
    return new TbpttRun(label, chunkLosses, last, clipSum[0] / counter[0]);
  }

  private static void setNormal(Tensor p, double std, SplittableRandom rng) {
    for (int i = 0; i < p.numel(); i++) {
      p.setFlat(i, std * gaussian(rng));
    }
  }

  /** PyTorch's gate order is i, f, g, o: the forget gate's bias is the second block of H entries. */
  private static void addToForgetBias(Tensor bias, int hidden, double value) {
    for (int i = hidden; i < 2 * hidden; i++) {
      bias.setFlat(i, bias.getFlat(i) + value);
    }
  }

  private static double gaussian(SplittableRandom rng) {
    double u1 = 1.0 - rng.nextDouble();
    double u2 = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  private static double norm(Tensor g) {
    double ss = 0;
    for (int i = 0; i < g.numel(); i++) {
      double v = g.getFlat(i);
      ss += v * v;
    }
    return Math.sqrt(ss);
  }
}
