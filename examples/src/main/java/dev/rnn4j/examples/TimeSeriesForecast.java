package dev.rnn4j.examples;

import dev.rnn4j.autograd.NoGrad;
import dev.rnn4j.autograd.Ops;
import dev.rnn4j.examples.data.SeriesData;
import dev.rnn4j.examples.support.Charts;
import dev.rnn4j.examples.support.CommonOptions;
import dev.rnn4j.examples.support.KernelBanner;
import dev.rnn4j.examples.support.OptionChecks;
import dev.rnn4j.nn.Linear;
import dev.rnn4j.examples.support.TrainingProgress;
import dev.rnn4j.nn.Module;
import dev.rnn4j.nn.recurrent.GRU;
import dev.rnn4j.nn.recurrent.RecurrentOptions;
import dev.rnn4j.nn.recurrent.RecurrentOutput;
import dev.rnn4j.optim.Adam;
import dev.rnn4j.tensor.Tensor;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Forecasting with a GRU: a noisy sum of two sines (or the user's series) is fed one value at a time and the model
 * predicts the next value. It is trained on the first 70% of the series and scored on the rest, against repeating
 * the last value; then it runs free for a horizon, feeding its own predictions back in.
 */
// try-with-resources on a NoGrad scope never names the resource: that is the point of the scope.
@SuppressWarnings("try")
@Command(
    name = "TimeSeriesForecast",
    mixinStandardHelpOptions = true,
    version = "rnn4j examples 0.1.0-SNAPSHOT",
    description = "Forecasts a noisy series one step and many steps ahead with a GRU.")
public final class TimeSeriesForecast implements Callable<Integer> {

  /** Model size and training length. */
  public record Config(int hidden, int window, int batch, int steps, double learningRate, long seed) {
    public static Config full(long seed) {
      return new Config(48, 64, 32, 600, 1e-2, seed);
    }

    public static Config quick(long seed) {
      return new Config(24, 48, 16, 200, 2e-2, seed);
    }

    public Config withSteps(int newSteps) {
      return new Config(hidden, window, batch, newSteps, learningRate, seed);
    }
  }

  /**
   * Mean squared errors in the series' own units on the test part: one-step-ahead model and last-value baseline;
   * over the free-running horizon: model and last-value baseline. {@code predictions[i]} forecasts
   * {@code series[testStart + i]}.
   */
  public record Result(Model model, double[] losses, double oneStepMse, double lastValueMse, double[] predictions,
      int testStart, double[] freeRun, int freeRunStart, double freeRunMse, double freeRunBaselineMse) {}

  /** GRU over scalar inputs -> linear read-out of the next value, at every step. */
  public static final class Model extends Module {
    private final GRU gru;
    private final Linear readout;
    private final int hidden;

    public Model(int hidden, SplittableRandom rng) {
      this.hidden = hidden;
      gru = registerModule("gru", new GRU(new RecurrentOptions(1, hidden).seed(rng.nextLong())));
      readout = registerModule("readout", new Linear(hidden, 1, rng));
    }

    /** Predictions [T, B, 1] and the final state, for inputs [T, B, 1] from {@code h0} (zeros when null). */
    public RecurrentOutput forward(Tensor x, Tensor h0) {
      RecurrentOutput r = gru.forward(x, h0, null, null);
      int t = x.size(0);
      int b = x.size(1);
      Tensor y = readout.forward(r.output().reshape(t * b, hidden)).reshape(t, b, 1);
      return new RecurrentOutput(y, r.hN(), null);
    }
  }

  @Mixin CommonOptions common;

  @Option(names = "--data", paramLabel = "FILE", description = "Your own series: one number per line (or CSV, last column).")
  Path dataFile;

  @Option(names = "--length", paramLabel = "N", defaultValue = "3000", description = "Length of the generated series (default: ${DEFAULT-VALUE}).")
  int length;

  @Option(names = "--noise", paramLabel = "S", defaultValue = "0.1", description = "Noise standard deviation of the generated series (default: ${DEFAULT-VALUE}).")
  double noise;

  @Option(names = "--horizon", paramLabel = "N", defaultValue = "100", description = "Steps of the free-running forecast (default: ${DEFAULT-VALUE}).")
  int horizon;

  /** The longest generated series and forecast horizon accepted. */
  static final int MAX_LENGTH = 10_000_000;

  public static void main(String[] args) {
    System.exit(new CommandLine(new TimeSeriesForecast()).execute(args));
  }

  @Override
  public Integer call() {
    OptionChecks checks = common.validate("TimeSeriesForecast");
    Config base = common.quick() ? Config.quick(common.seed()) : Config.full(common.seed());
    Config cfg = base.withSteps(common.steps(base.steps(), base.steps()));
    checks.inRange("--horizon", horizon, 1, MAX_LENGTH);
    checks.inRange("--noise", noise, 0, 100);
    double[] series;
    if (dataFile != null) {
      series = checks.read("--data", dataFile, SeriesData::fromFile);
    } else {
      series = SeriesData.noisySines(checks.inRange("--length", length, 1, MAX_LENGTH), noise, common.seed());
    }
    if (!fits(series.length, cfg, horizon)) {
      String source = dataFile != null ? "--data" : "--length";
      String what = (dataFile != null ? "the series in " + dataFile + " has " : "a series of ") + series.length
          + " points; windows of " + cfg.window() + " in the first 70% and a free run of " + horizon
          + " steps in the rest need at least " + minimumLength(cfg, horizon);
      throw checks.error(checks.given("--horizon") ? "--horizon" : source, what);
    }
    PrintStream out = System.out;
    KernelBanner.print(out, "Time-series forecasting with a GRU");
    out.printf(Locale.ROOT, "series: %s, %d points; train on the first 70%%, test on the rest%n",
        dataFile != null ? dataFile.toString() : "sin(2 pi t/50) + 0.5 sin(2 pi t/17 + 1) + N(0, " + noise + "^2)", series.length);
    Result r;
    double seconds;
    try (TrainingProgress progress = TrainingProgress.create(common, "training", cfg.steps(), out)) {
      r = train(series, cfg, horizon, progress.listener());
      seconds = progress.elapsedSeconds();
    }
    out.printf(Locale.ROOT, "trained in %.1f s%n", seconds);
    out.println("test mean squared error             one step ahead   free run of " + horizon + " steps");
    out.printf(Locale.ROOT, "  GRU                               %10.5f       %10.5f%n", r.oneStepMse(), r.freeRunMse());
    out.printf(Locale.ROOT, "  repeat the last known value       %10.5f       %10.5f%n", r.lastValueMse(), r.freeRunBaselineMse());
    if (dataFile == null) {
      out.printf(Locale.ROOT, "  (noise floor: no forecast beats the noise variance %.5f on average)%n", noise * noise);
    }
    Path dir = common.outputDir("TimeSeriesForecast");
    Path loss = Charts.lossCurve(dir.resolve("loss.png"), "GRU forecaster: training loss (MSE, standardised)", r.losses());
    int shown = Math.min(300, r.predictions().length);
    double[] t = new double[shown];
    double[] truth = new double[shown];
    double[] pred = new double[shown];
    for (int i = 0; i < shown; i++) {
      t[i] = r.testStart() + i;
      truth[i] = series[r.testStart() + i];
      pred[i] = r.predictions()[i];
    }
    double[] ft = new double[r.freeRun().length];
    for (int i = 0; i < ft.length; i++) {
      ft[i] = r.freeRunStart() + i;
    }
    Path forecast = Charts.line(dir.resolve("forecast.png"), "GRU forecast vs truth", "t", "value", false,
        List.of(new Charts.Series("truth", t, truth), new Charts.Series("one step ahead", t, pred),
            new Charts.Series("free run", ft, r.freeRun())));
    out.println("loss curve: " + loss.toAbsolutePath());
    out.println("forecast vs truth: " + forecast.toAbsolutePath());
    return 0;
  }

  /** Whether {@link #train} accepts a series of {@code n} points. */
  static boolean fits(int n, Config cfg, int horizon) {
    int split = (int) (n * 0.7);
    return split >= cfg.window() + 2 && n - split >= horizon + 2;
  }

  /** The shortest series {@link #train} accepts. */
  static int minimumLength(Config cfg, int horizon) {
    // Both conditions are monotone in n up to the rounding of 0.7 n; start just below the real-valued bound.
    int n = (int) Math.max(1, Math.max((cfg.window() + 2) / 0.7, (horizon + 2) / 0.3) - 2);
    while (!fits(n, cfg, horizon)) {
      n++;
    }
    return n;
  }

  /** Trains on the first 70% of {@code series} and evaluates on the rest. */
  public static Result train(double[] series, Config cfg, int horizon, TrainingProgress.Listener listener) {
    int split = (int) (series.length * 0.7);
    if (!fits(series.length, cfg, horizon)) {
      throw new IllegalArgumentException("TimeSeriesForecast: series of " + series.length
          + " points is too short for windows of " + cfg.window() + " and a horizon of " + horizon);
    }
    double[] ms = SeriesData.meanStd(series, 0, split);
    double mean = ms[0];
    double std = ms[1];
    float[] z = new float[series.length];
    for (int i = 0; i < z.length; i++) {
      z[i] = (float) ((series[i] - mean) / std);
    }
    SplittableRandom rng = new SplittableRandom(cfg.seed());
    Model model = new Model(cfg.hidden(), rng.split());
    Adam adam = new Adam(model.parameters(), cfg.learningRate());
    double[] losses = new double[cfg.steps()];
    int w = cfg.window();
    int b = cfg.batch();
    float[] x = new float[w * b];
    float[] y = new float[w * b];
    for (int step = 0; step < cfg.steps(); step++) {
      for (int j = 0; j < b; j++) {
        int start = rng.nextInt(split - w - 1);
        for (int t = 0; t < w; t++) {
          x[t * b + j] = z[start + t];
          y[t * b + j] = z[start + t + 1];
        }
      }
      model.zeroGrad();
      Tensor pred = model.forward(Tensor.fromArray(x, w, b, 1), null).output();
      Tensor loss = Ops.mse(pred, Tensor.fromArray(y, w, b, 1));
      loss.backward();
      adam.step();
      losses[step] = loss.item();
      listener.step(step + 1, losses[step]);
    }
    try (NoGrad ignored = NoGrad.enter()) {
      model.eval();
      // One step ahead over the test part: run the whole series once; output t forecasts value t + 1.
      Tensor all = model.forward(Tensor.fromArray(java.util.Arrays.copyOf(z, series.length - 1), series.length - 1, 1, 1), null)
          .output();
      double[] predictions = new double[series.length - split];
      double se = 0;
      double seLast = 0;
      for (int i = split; i < series.length; i++) {
        double p = all.getFlat(i - 1) * std + mean;
        predictions[i - split] = p;
        se += (p - series[i]) * (p - series[i]);
        seLast += (series[i - 1] - series[i]) * (series[i - 1] - series[i]);
      }
      int n = series.length - split;
      // Free run: read the test part up to freeStart, then feed back the model's own forecasts.
      int freeStart = split + Math.min(200, (series.length - split - horizon) / 2);
      RecurrentOutput warm = model.forward(Tensor.fromArray(java.util.Arrays.copyOf(z, freeStart), freeStart, 1, 1), null);
      Tensor h = warm.hN();
      float next = (float) warm.output().getFlat(freeStart - 1);
      double[] free = new double[horizon];
      double seFree = 0;
      double seFreeBase = 0;
      for (int i = 0; i < horizon; i++) {
        free[i] = next * std + mean;
        double truth = series[freeStart + i];
        seFree += (free[i] - truth) * (free[i] - truth);
        seFreeBase += (series[freeStart - 1] - truth) * (series[freeStart - 1] - truth);
        RecurrentOutput r = model.forward(Tensor.fromArray(new float[] {next}, 1, 1, 1), h);
        h = r.hN();
        next = (float) r.output().getFlat(0);
      }
      model.train();
      return new Result(model, losses, se / n, seLast / n, predictions, split, free, freeStart, seFree / horizon,
          seFreeBase / horizon);
    }
  }
}
