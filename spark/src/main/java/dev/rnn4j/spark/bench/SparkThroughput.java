package dev.rnn4j.spark.bench;

import dev.rnn4j.io.Safetensors;
import dev.rnn4j.nn.recurrent.CellKind;
import dev.rnn4j.optim.Adam;
import dev.rnn4j.spark.ModelSpec;
import dev.rnn4j.spark.Objective;
import dev.rnn4j.spark.RoundStats;
import dev.rnn4j.spark.ScoreOutput;
import dev.rnn4j.spark.SequenceColumns;
import dev.rnn4j.spark.SequenceExample;
import dev.rnn4j.spark.SequenceScorer;
import dev.rnn4j.spark.SparkScorer;
import dev.rnn4j.spark.SparkTrainer;
import dev.rnn4j.spark.TrainingOptions;
import dev.rnn4j.spark.TrainingResult;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
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
 * Measures (1) scoring throughput of {@link SparkScorer} on a local master against a single-JVM loop of
 * {@link SequenceScorer} over the same rows, and (2) the wall time of a training round against the rows per round.
 * Each figure is the median of several repetitions after a warm-up.
 */
@Command(name = "SparkThroughput", mixinStandardHelpOptions = true, version = "rnn4j spark 0.1.0-SNAPSHOT",
    description = "Spark scoring overhead and training round time.")
public final class SparkThroughput implements Callable<Integer> {

  @Option(names = "--master", defaultValue = "local[2]", description = "Spark master (default local[2]).")
  String master;

  @Option(names = "--rows", defaultValue = "8192", description = "Rows to score (default 8192).")
  int rows;

  @Option(names = "--steps", defaultValue = "32", description = "Steps per sequence (default 32).")
  int steps;

  @Option(names = "--input", defaultValue = "16", description = "Input size (default 16).")
  int input;

  @Option(names = "--hidden", defaultValue = "64", description = "LSTM hidden size (default 64).")
  int hidden;

  @Option(names = "--repeats", defaultValue = "5", description = "Timed repetitions (default 5).")
  int repeats;

  @Option(names = "--round-batches", split = ",", defaultValue = "8,32,128,512",
      description = "Rows per partition per round to time (default 8,32,128,512).")
  int[] roundBatches;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec command;

  private final PrintStream out = System.out;

  public static void main(String[] args) {
    System.exit(new CommandLine(new SparkThroughput()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (rows < 1 || steps < 1 || input < 1 || hidden < 1 || repeats < 1) {
      throw new CommandLine.ParameterException(command.commandLine(), "sizes and --repeats must be >= 1");
    }
    java.util.logging.Logger.getLogger("dev.rnn4j.spark").setLevel(java.util.logging.Level.WARNING);
    ModelSpec spec = ModelSpec.of(CellKind.LSTM, input, hidden).head(1);
    Path model = Files.createTempFile("rnn4j-throughput-", ".safetensors");
    Safetensors.save(spec.build(1), model);
    SplittableRandom rng = new SplittableRandom(3);
    List<float[]> seqs = new ArrayList<>();
    int[] lens = new int[rows];
    List<Row> data = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      float[] x = new float[steps * input];
      List<Float> flat = new ArrayList<>();
      for (int j = 0; j < x.length; j++) {
        x[j] = (float) rng.nextGaussian();
        flat.add(x[j]);
      }
      seqs.add(x);
      lens[i] = steps;
      data.add(RowFactory.create(flat));
    }
    SparkSession spark = SparkSession.builder().master(master).appName("rnn4j SparkThroughput")
        .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    try {
      out.printf(Locale.ROOT, "Spark %s, master %s, %d cores; LSTM I=%d H=%d + head, %d rows of %d steps%n",
          spark.version(), master, Runtime.getRuntime().availableProcessors(), input, hidden, rows, steps);
      // (1) scoring
      SequenceScorer local = SequenceScorer.load(spec, model);
      double[] single = time(() -> local.score(seqs, lens, ScoreOutput.HEAD));
      StructType schema = new StructType().add("x", DataTypes.createArrayType(DataTypes.FloatType));
      int partitions = spark.sparkContext().defaultParallelism();
      Dataset<Row> df = spark.createDataFrame(data, schema).repartition(partitions).cache();
      df.count();
      double[] distributed;
      try (SparkScorer scorer = SparkScorer.load(spark, spec, model)) {
        distributed = time(() -> scorer.score(df, SequenceColumns.flat("x", steps), ScoreOutput.HEAD, "y")
            .write().format("noop").mode("overwrite").save());
      }
      // What Spark costs without any scoring: the same rows through an identity mapPartitions with the same kind of
      // Row encoder (deserialise every row, serialise it again).
      double[] passThrough = time(() -> df.mapPartitions((MapPartitionsFunction<Row, Row>) it -> it,
          Encoders.row(df.schema())).write().format("noop").mode("overwrite").save());
      double s = median(single);
      double d = median(distributed);
      double p = median(passThrough);
      out.printf(Locale.ROOT, "scoring: single JVM %.3f s (%.0f rows/s), Spark %d partitions %.3f s (%.0f rows/s), "
          + "overhead ratio %.2f%n", s, rows / s, partitions, d, rows / d, d / s);
      out.printf(Locale.ROOT, "  the same rows through Spark without scoring (identity mapPartitions): %.3f s%n", p);
      out.printf(Locale.ROOT, "  single runs %s%n  spark runs  %s%n  pass-through runs %s%n",
          Arrays.toString(round(single)), Arrays.toString(round(distributed)), Arrays.toString(round(passThrough)));

      // (2) training rounds
      List<SequenceExample> train = new ArrayList<>();
      for (int i = 0; i < rows; i++) {
        train.add(SequenceExample.regression(seqs.get(i), steps, new float[] {seqs.get(i)[0]}));
      }
      JavaRDD<SequenceExample> rdd = JavaSparkContext.fromSparkContext(spark.sparkContext())
          .parallelize(train, partitions).persist(StorageLevel.MEMORY_ONLY());
      rdd.count();
      out.printf(Locale.ROOT, "training rounds (%d partitions, K = 1, Adam, %d parameters):%n", partitions,
          spec.build(0).flatSize());
      out.printf(Locale.ROOT, "  %10s %12s %12s %10s%n", "rows/round", "s/round", "rows/s", "min s");
      for (int b : roundBatches) {
        TrainingOptions o = TrainingOptions.of(Objective.MSE, repeats + 2).withBatchSize(b);
        TrainingResult r = new SparkTrainer(spark, spec, o, params -> new Adam(params, 1e-3)).fit(rdd, spec.build(2));
        double[] secs = r.history().stream().skip(2).mapToDouble(RoundStats::seconds).toArray();
        double m = median(secs);
        out.printf(Locale.ROOT, "  %10d %12.3f %12.0f %10.3f%n", (long) b * partitions, m, b * partitions / m,
            Arrays.stream(secs).min().orElse(m));
      }
      return 0;
    } finally {
      spark.stop();
      Files.deleteIfExists(model);
    }
  }

  private double[] time(Runnable r) {
    r.run(); // warm-up: JIT, model load, broadcast
    double[] t = new double[repeats];
    for (int i = 0; i < repeats; i++) {
      long t0 = System.nanoTime();
      r.run();
      t[i] = (System.nanoTime() - t0) / 1e9;
    }
    return t;
  }

  private static double median(double[] a) {
    double[] s = a.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static double[] round(double[] a) {
    return Arrays.stream(a).map(x -> Math.round(x * 1000) / 1000.0).toArray();
  }
}
