package dev.rnn4j.spark;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Synchronous data-parallel training on Spark, in rounds: the driver broadcasts the parameters; every partition of
 * the training RDD runs its local step(s) on its own rows ({@link ShardStep}); {@code treeAggregate} sums the
 * partitions' results; the driver averages them and steps its {@link DriverOptimizer}. The optimizer's state stays on
 * the driver, so a round broadcasts the parameters only, once.
 *
 * <pre>{@code
 * JavaRDD<SequenceExample> rows = SparkTrainer.examples(df, SequenceColumns.nested("window"), "next", Objective.MSE,
 *     spec).persist(StorageLevel.MEMORY_ONLY());
 * TrainingResult r = new SparkTrainer(spark, spec, TrainingOptions.of(Objective.MSE, 200).withBatchSize(32)
 *     .withCheckpoint(Path.of("/shared/run.safetensors"), 20), DriverOptimizer.adam(1e-2)).fit(rows, spec.build(7));
 * }</pre>
 *
 * <p>A task is a pure function of the broadcast parameters, its partition's rows (in their order) and the round: a
 * task Spark retries after a failure computes the same bits, and so the run ends with the same model. The partitions'
 * results are added in float64 ({@link PartialSum}), which keeps the sum independent of the order Spark merges them
 * in (exactly so for two partitions). Every JVM must use the same kernel set (the same {@code --add-modules} flags),
 * since the SIMD and scalar kernels round differently.
 *
 * <p>Each round logs its loss and rows per second at INFO through {@link System.Logger} {@code dev.rnn4j.spark}.
 * The RDD is read once per round: persist it if computing it is expensive.
 */
public final class SparkTrainer {

  private static final System.Logger LOG = System.getLogger("dev.rnn4j.spark");

  private final SparkSession spark;
  private final ModelSpec spec;
  private final TrainingOptions options;
  private final DriverOptimizer optimizer;
  private Consumer<RoundStats> listener = s -> { };

  /**
   * @param optimizer settings of the driver's optimizer (its state is not used: each run starts from a fresh copy
   *     or from a checkpoint)
   * @throws IllegalArgumentException for a spec without head (training needs a head for the loss)
   */
  public SparkTrainer(SparkSession spark, ModelSpec spec, TrainingOptions options, DriverOptimizer optimizer) {
    this.spark = Objects.requireNonNull(spark, "spark");
    this.spec = Objects.requireNonNull(spec, "spec");
    this.options = Objects.requireNonNull(options, "options");
    this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
    if (!spec.hasHead()) {
      throw new IllegalArgumentException("SparkTrainer: the spec " + spec + " has no head; the " + options.objective()
          + " loss needs one (ModelSpec.head(outputs))");
    }
  }

  /** Calls {@code listener} on the driver after each round (after the log line); returns this. */
  public SparkTrainer onRound(Consumer<RoundStats> listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
    return this;
  }

  /** Trains from {@code initial}'s parameters (not modified) for {@link TrainingOptions#rounds()} rounds. */
  public TrainingResult fit(JavaRDD<SequenceExample> data, FinalStateModel initial) throws IOException {
    if (!initial.spec().equals(spec)) {
      throw new IllegalArgumentException("SparkTrainer: the initial model's spec " + initial.spec()
          + " differs from the trainer's " + spec);
    }
    return run(data, initial.flatParameters(), optimizer.fresh(), 0);
  }

  /**
   * Continues a run from a checkpoint it wrote, up to {@link TrainingOptions#rounds()} rounds in total; with the
   * same data, the result equals that of the uninterrupted run bit for bit.
   *
   * @throws IllegalArgumentException if the checkpoint was written for another spec, optimizer or run settings
   */
  public TrainingResult resume(JavaRDD<SequenceExample> data, Path checkpoint) throws IOException {
    DriverOptimizer opt = optimizer.fresh();
    FinalStateModel layout = spec.build(0);
    TrainingCheckpoint c = TrainingCheckpoint.load(checkpoint, layout, opt, options);
    opt.restore(c.optimizerSteps(), c.optimizerState(), layout.flatSize());
    LOG.log(Level.INFO, "resuming from {0} after round {1}", checkpoint, c.roundsDone());
    return run(data, c.params(), opt, c.roundsDone());
  }

  private TrainingResult run(JavaRDD<SequenceExample> data, float[] start, DriverOptimizer opt, int done)
      throws IOException {
    Objects.requireNonNull(data, "data");
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    FinalStateModel model = spec.build(0);
    int[] sizes = model.parameters().stream().mapToInt(t -> t.numel()).toArray();
    float[] params = start.clone();
    ShardStep step = options.shardStep(spec);
    List<RoundStats> history = new ArrayList<>();
    for (int r = done; r < options.rounds(); r++) {
      long t0 = System.nanoTime();
      Broadcast<float[]> bc = jsc.broadcast(params);
      int round = r;
      PartialSum total;
      try {
        total = data.mapPartitionsWithIndex(
                (p, rows) -> Collections.singletonList(step.run(round, bc.value(), p, rows)).iterator(), false)
            .treeAggregate(PartialSum.zero(), PartialSum::add, PartialSum::add, options.aggregationDepth());
      } finally {
        bc.destroy();
      }
      if (total.sum == null || total.weight == 0) {
        throw new IllegalArgumentException("SparkTrainer: round " + (r + 1) + ": the data has no rows");
      }
      double loss = total.loss / total.rows;
      float[] grad = new float[params.length];
      for (int i = 0; i < grad.length; i++) {
        grad[i] = (float) (total.sum[i] / total.weight);
        if (!Float.isFinite(grad[i])) {
          throw new IllegalStateException("SparkTrainer: round " + (r + 1) + ": the averaged "
              + (options.localSteps() == 1 ? "gradient" : "parameter change") + " is not finite at parameter value "
              + i + " (" + grad[i] + "); loss " + loss + "; the run stops before the update");
        }
      }
      opt.step(sizes, params, grad);
      double seconds = (System.nanoTime() - t0) / 1e9;
      RoundStats stats = new RoundStats(r + 1, loss, total.rows, seconds);
      history.add(stats);
      LOG.log(Level.INFO, () -> String.format("round %d/%d: loss %.6g, %d rows, %.0f rows/s, %.3f s",
          stats.round(), options.rounds(), stats.loss(), stats.rows(), stats.rowsPerSecond(), stats.seconds()));
      listener.accept(stats);
      boolean last = r + 1 == options.rounds();
      if (options.checkpoint() != null && ((r + 1) % options.checkpointEvery() == 0 || last)) {
        TrainingCheckpoint.save(options.checkpoint(), model, params, opt, r + 1, options);
        LOG.log(Level.DEBUG, "checkpoint after round {0}: {1}", r + 1, options.checkpoint());
      }
    }
    model.setFlatParameters(params);
    return new TrainingResult(model, history);
  }

  /**
   * The rows of {@code data} as training examples: sequences from {@code columns}, and the target from
   * {@code targetColumn} ({@code array<float>} of {@code spec.headOutputs()} floats for {@link Objective#MSE}, an
   * integer class for {@link Objective#CROSS_ENTROPY}). Checks the schema on the driver; rows are parsed lazily.
   *
   * @throws IllegalArgumentException for a missing column or a wrong type
   */
  public static JavaRDD<SequenceExample> examples(Dataset<Row> data, SequenceColumns columns, String targetColumn,
                                                  Objective objective, ModelSpec spec) {
    String op = "SparkTrainer.examples";
    StructType schema = data.schema();
    columns.check(op, schema);
    DataType want = objective == Objective.MSE ? DataTypes.createArrayType(DataTypes.FloatType) : DataTypes.IntegerType;
    int ti;
    try {
      ti = schema.fieldIndex(targetColumn);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(op + ": no target column '" + targetColumn + "'; the columns are "
          + Arrays.toString(schema.fieldNames()));
    }
    DataType got = schema.fields()[ti].dataType();
    boolean ok = objective == Objective.MSE ? got instanceof ArrayType a
        && a.elementType().equals(DataTypes.FloatType) : got.equals(want);
    if (!ok) {
      throw new IllegalArgumentException(op + ": target column '" + targetColumn + "' must be " + want.simpleString()
          + " for " + objective + ", got " + got.simpleString());
    }
    int[] idx = columns.indices(schema);
    int in = spec.inputSize();
    return data.javaRDD().map(row -> {
      SequenceColumns.Parsed p = columns.parse(row, idx, in, op, "row");
      if (row.isNullAt(ti)) {
        throw new IllegalArgumentException(op + ": target column '" + targetColumn + "' is null");
      }
      if (objective == Objective.MSE) {
        List<Object> t = row.getList(ti);
        float[] target = new float[t.size()];
        for (int i = 0; i < target.length; i++) {
          target[i] = (Float) t.get(i);
        }
        return SequenceExample.regression(p.values(), p.length(), target);
      }
      return SequenceExample.classification(p.values(), p.length(), row.getInt(ti));
    });
  }
}
