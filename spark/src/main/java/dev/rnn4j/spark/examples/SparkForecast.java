package dev.rnn4j.spark.examples;

import dev.rnn4j.autograd.Ops;
import dev.rnn4j.nn.recurrent.CellKind;
import dev.rnn4j.optim.Adam;
import dev.rnn4j.spark.ModelSpec;
import dev.rnn4j.spark.Objective;
import dev.rnn4j.spark.ScoreOutput;
import dev.rnn4j.spark.SequenceColumns;
import dev.rnn4j.spark.SequenceExample;
import dev.rnn4j.spark.FinalStateModel;
import dev.rnn4j.spark.SequenceScorer;
import dev.rnn4j.spark.SparkScorer;
import dev.rnn4j.spark.SparkTrainer;
import dev.rnn4j.spark.TrainingOptions;
import dev.rnn4j.spark.TrainingResult;
import dev.rnn4j.tensor.Tensor;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One-step-ahead forecasting of a noisy sum of two sines with a GRU, trained data-parallel on Spark and scored with
 * the distributed scorer; then the same model trained in one JVM on the same number of rows per step, for
 * comparison. Windows of the first 70% of the series train, the rest is held out.
 */
@Command(
    name = "SparkForecast",
    mixinStandardHelpOptions = true,
    version = "rnn4j spark 0.1.0-SNAPSHOT",
    description = "Trains a GRU forecaster on Spark (data-parallel), scores a held-out set with SparkScorer, and "
        + "compares with a single-JVM run.")
public final class SparkForecast implements Callable<Integer> {

  @Option(names = "--master", description = "Spark master (default: spark-submit's, else local[2]).")
  String master;

  @Option(names = "--partitions", defaultValue = "2", description = "Partitions of the training data (default 2).")
  int partitions;

  @Option(names = "--rounds", defaultValue = "300", description = "Training rounds (default 300).")
  int rounds;

  @Option(names = "--batch", defaultValue = "16", description = "Rows per partition per round (default 16).")
  int batch;

  @Option(names = "--hidden", defaultValue = "24", description = "GRU hidden size (default 24).")
  int hidden;

  @Option(names = "--window", defaultValue = "24", description = "Steps the model reads per forecast (default 24).")
  int window;

  @Option(names = "--lr", defaultValue = "0.01", description = "Adam learning rate (default 0.01).")
  double lr;

  @Option(names = "--seed", defaultValue = "7", description = "Seed of the data, weights and batches (default 7).")
  long seed;

  @Option(names = "--quick", description = "A short run (60 rounds) to check that everything works.")
  boolean quick;

  @Option(names = "--out", defaultValue = "spark/target/spark-forecast",
      description = "Directory for the model and the checkpoint (default spark/target/spark-forecast).")
  Path out;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec command;

  private final PrintStream stdout = System.out;

  public static void main(String[] args) {
    System.exit(new CommandLine(new SparkForecast()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (partitions < 1 || rounds < 1 || batch < 1 || hidden < 1 || window < 2 || !(lr > 0)) {
      throw new CommandLine.ParameterException(command.commandLine(), "--partitions, --rounds, --batch and "
          + "--hidden must be >= 1, --window >= 2 and --lr > 0");
    }
    if (quick) {
      rounds = Math.min(rounds, 60);
    }
    // Progress comes through the listener below; the trainer's per-round log line would repeat it.
    java.util.logging.Logger.getLogger("dev.rnn4j.spark").setLevel(java.util.logging.Level.WARNING);
    Files.createDirectories(out);

    float[] series = series(2000, seed);
    int split = (int) (series.length * 0.7);
    List<SequenceExample> train = windows(series, 0, split);
    List<SequenceExample> test = windows(series, split - window, series.length);
    ModelSpec spec = ModelSpec.of(CellKind.GRU, 1, hidden).head(1);

    SparkSession.Builder b = SparkSession.builder().appName("rnn4j SparkForecast")
        .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false");
    if (master != null) {
      b.master(master);
    } else if (System.getProperty("spark.master") == null) {
      b.master("local[2]");
    }
    SparkSession spark = b.getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    try {
      stdout.printf(Locale.ROOT, "Spark %s, master %s; %d training windows in %d partitions, %d held out%n",
          spark.version(), spark.sparkContext().master(), train.size(), partitions, test.size());
      JavaRDD<SequenceExample> rdd = JavaSparkContext.fromSparkContext(spark.sparkContext())
          .parallelize(train, partitions).persist(StorageLevel.MEMORY_ONLY());

      // Distributed: K = 1, each round one Adam step on the average gradient of partitions x batch rows.
      Path checkpoint = out.resolve("checkpoint.safetensors");
      TrainingOptions options = TrainingOptions.of(Objective.MSE, rounds).withBatchSize(batch).withSeed(seed)
          .withCheckpoint(checkpoint, 50);
      long t0 = System.nanoTime();
      TrainingResult r = new SparkTrainer(spark, spec, options, params -> new Adam(params, lr))
          .onRound(s -> {
            if (s.round() % 50 == 0 || s.round() == rounds) {
              stdout.printf(Locale.ROOT, "  round %4d  loss %.5f  %6.0f rows/s%n", s.round(), s.loss(),
                  s.rowsPerSecond());
            }
          })
          .fit(rdd, spec.build(seed));
      double sparkSeconds = (System.nanoTime() - t0) / 1e9;
      Path modelFile = out.resolve("model.safetensors");
      r.model().save(modelFile); // with the spec in its metadata: the scorer needs no spec

      // Score the held-out windows with the distributed scorer.
      double sparkMse;
      try (SparkScorer scorer = SparkScorer.load(spark, modelFile)) {
        Dataset<Row> scored = scorer.score(heldOut(spark, test), SequenceColumns.nested("window"), ScoreOutput.HEAD,
            "forecast");
        sparkMse = scored.selectExpr("avg(pow(forecast[0] - next, 2))").first().getDouble(0);
      }

      // The same model trained in one JVM: Adam on partitions x batch random rows per step, as many steps.
      long t1 = System.nanoTime();
      FinalStateModel single = singleJvm(spec.build(seed), train, rounds, partitions * batch, lr);
      double singleSeconds = (System.nanoTime() - t1) / 1e9;
      double singleMse = mse(SequenceScorer.of(single), test);
      double lastValueMse = lastValueMse(test);

      stdout.printf(Locale.ROOT, "%nheld-out one-step MSE (%d windows of %d steps):%n", test.size(), window);
      stdout.printf(Locale.ROOT, "  Spark data-parallel (%d partitions)  %.5f   trained in %.1f s%n", partitions,
          sparkMse, sparkSeconds);
      stdout.printf(Locale.ROOT, "  single JVM                          %.5f   trained in %.1f s%n", singleMse,
          singleSeconds);
      stdout.printf(Locale.ROOT, "  repeat the last value               %.5f%n", lastValueMse);
      stdout.printf(Locale.ROOT, "model: %s, checkpoint: %s%n", modelFile, checkpoint);
      return 0;
    } finally {
      spark.stop();
    }
  }

  /** A noisy sum of two sines. */
  static float[] series(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] s = new float[n];
    for (int i = 0; i < n; i++) {
      s[i] = (float) (Math.sin(i * 0.07) + 0.5 * Math.sin(i * 0.23 + 1) + 0.1 * rng.nextGaussian());
    }
    return s;
  }

  /** Windows of {@code window} values ending before each position in [from + window, to), target the next value. */
  List<SequenceExample> windows(float[] s, int from, int to) {
    List<SequenceExample> out = new ArrayList<>();
    for (int end = from + window; end < to; end++) {
      float[] x = new float[window];
      System.arraycopy(s, end - window, x, 0, window);
      out.add(SequenceExample.regression(x, window, new float[] {s[end]}));
    }
    return out;
  }

  private static Dataset<Row> heldOut(SparkSession spark, List<SequenceExample> test) {
    List<Row> rows = new ArrayList<>();
    for (SequenceExample e : test) {
      List<List<Float>> steps = new ArrayList<>();
      for (float v : e.input()) {
        steps.add(List.of(v));
      }
      rows.add(RowFactory.create(steps, e.target()[0]));
    }
    StructType schema = new StructType()
        .add("window", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType)))
        .add("next", DataTypes.FloatType);
    return spark.createDataFrame(rows, schema).repartition(2);
  }

  private static FinalStateModel singleJvm(FinalStateModel m, List<SequenceExample> train, int steps, int batch,
                                         double lr) {
    Adam opt = new Adam(m.parameters(), lr);
    SplittableRandom rng = new SplittableRandom(1);
    int t = train.get(0).length();
    for (int s = 0; s < steps; s++) {
      float[] x = new float[t * batch];
      float[] y = new float[batch];
      for (int b = 0; b < batch; b++) {
        SequenceExample e = train.get(rng.nextInt(train.size()));
        for (int i = 0; i < t; i++) {
          x[i * batch + b] = e.input()[i];
        }
        y[b] = e.target()[0];
      }
      Ops.mse(m.predict(Tensor.wrap(x, 0, t, batch, 1), null), Tensor.wrap(y, 0, batch, 1)).backward();
      opt.step();
      m.zeroGrad();
    }
    return m;
  }

  private static double mse(SequenceScorer scorer, List<SequenceExample> test) {
    List<float[]> xs = new ArrayList<>();
    int[] lens = new int[test.size()];
    for (int i = 0; i < lens.length; i++) {
      xs.add(test.get(i).input());
      lens[i] = test.get(i).length();
    }
    float[][] y = scorer.score(xs, lens, ScoreOutput.HEAD);
    double sum = 0;
    for (int i = 0; i < y.length; i++) {
      double d = y[i][0] - test.get(i).target()[0];
      sum += d * d;
    }
    return sum / y.length;
  }

  private static double lastValueMse(List<SequenceExample> test) {
    double sum = 0;
    for (SequenceExample e : test) {
      double d = e.input()[e.length() - 1] - e.target()[0];
      sum += d * d;
    }
    return sum / test.size();
  }
}
