package dev.rnn4j.spark;

import dev.rnn4j.io.Checkpoint;
import dev.rnn4j.optim.Optimizer;
import dev.rnn4j.optim.StepResult;
import dev.rnn4j.tensor.Tensor;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
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
 * partitions' results; the driver averages them, sets the average as its model's gradients and steps a core
 * optimizer ({@code dev.rnn4j.optim}: {@code SGD}, {@code Adam}, {@code AdamW} or your own). The optimizer and its
 * state stay on the driver, so a round broadcasts the parameters only, once.
 *
 * <pre>{@code
 * JavaRDD<SequenceExample> rows = SparkTrainer.examples(df, SequenceColumns.nested("window"), "next", Objective.MSE,
 *     spec).persist(StorageLevel.MEMORY_ONLY());
 * TrainingResult r = new SparkTrainer(spark, spec, TrainingOptions.of(Objective.MSE, 200).withBatchSize(32)
 *     .withCheckpoint(Path.of("/shared/run.safetensors"), 20), params -> new Adam(params, 1e-2))
 *     .fit(rows, spec.build(7));
 * r.model().save(Path.of("model.safetensors"));   // SparkScorer.load(spark, path) needs no spec
 * }</pre>
 *
 * <p>What the optimizer steps with: with one local step per round ({@code localSteps == 1}) the gradient is the
 * gradient of the mean loss over the union of the partitions' batches, so a round is one synchronous data-parallel
 * step. With K > 1 local steps it is the average, weighted by rows, of the partitions' parameter changes
 * {@code start - end} after K local SGD steps (local SGD; driver {@code SGD} at learning rate 1 is model averaging,
 * {@code SGD} with Nesterov momentum the outer step of DiLoCo).
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
  /** Checkpoint metadata (core's caller entries) that a resumed run must match. */
  static final String SPEC_KEY = "spark.spec";
  static final String RUN_KEY = "spark.run";

  private final SparkSession spark;
  private final ModelSpec spec;
  private final TrainingOptions options;
  private final Function<List<Tensor>, Optimizer> optimizer;
  private Consumer<RoundStats> listener = s -> { };

  /**
   * @param optimizer makes the driver's optimizer from the driver model's parameters (in
   *     {@code namedParameters()} order), e.g. {@code params -> new Adam(params, 1e-2)} or
   *     {@code params -> new SGD(params, 0.1, 0.9, 0, 0, true)}. It is called on the driver once per {@link #fit} or
   *     {@link #resume} and never serialized; it must return a new optimizer over those parameters (or some of them:
   *     the others stay frozen). Its {@code NonFinitePolicy} decides what a non-finite average does.
   * @throws IllegalArgumentException for a spec without head (training needs a head for the loss)
   */
  public SparkTrainer(SparkSession spark, ModelSpec spec, TrainingOptions options,
                      Function<List<Tensor>, Optimizer> optimizer) {
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
    FinalStateModel model = spec.build(0);
    model.setFlatParameters(initial.flatParameters());
    return run(data, model, newOptimizer(model), 0);
  }

  /**
   * Continues a run from a checkpoint it wrote, up to {@link TrainingOptions#rounds()} rounds in total; with the
   * same data, the result equals that of the uninterrupted run bit for bit. The checkpoint is core's
   * {@link Checkpoint}: parameters, optimizer state (its learning rate included, which replaces the new optimizer's),
   * rounds done as the step counter, and the spec and run settings as metadata. Batch draws need no saved generator
   * state: they are derived from (seed, round, step, partition).
   *
   * @throws IllegalArgumentException if the checkpoint was written for another spec (parameter names and shapes, or
   *     the cell), another optimizer type or hyperparameters, or other run settings; the message names what differs
   */
  public TrainingResult resume(JavaRDD<SequenceExample> data, Path checkpoint) throws IOException {
    FinalStateModel model = spec.build(0);
    Optimizer opt = newOptimizer(model);
    double newRate = opt.learningRate();
    Checkpoint.Loaded loaded;
    try {
      loaded = Checkpoint.of(model, opt).load(checkpoint);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("SparkTrainer.resume: " + e.getMessage(), e);
    }
    expect(checkpoint, loaded.metadata(), SPEC_KEY, spec.toString());
    expect(checkpoint, loaded.metadata(), RUN_KEY, options.describeRun());
    if (opt.learningRate() != newRate) {
      LOG.log(Level.WARNING, "resuming from {0}: the checkpoint''s learning rate {1} replaces the optimizer''s {2}",
          checkpoint, opt.learningRate(), newRate);
    }
    if (loaded.step() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("SparkTrainer.resume: " + checkpoint + " records " + loaded.step()
          + " rounds, more than a run can have");
    }
    LOG.log(Level.INFO, "resuming from {0} after round {1}", checkpoint, loaded.step());
    return run(data, model, opt, (int) loaded.step());
  }

  private static void expect(Path file, Map<String, String> meta, String key, String want) {
    String got = meta.get(key);
    if (!want.equals(got)) {
      throw new IllegalArgumentException("SparkTrainer.resume: checkpoint " + file + " has " + key + " "
          + (got == null ? "(none: not a SparkTrainer checkpoint)" : got) + ", this run has " + want);
    }
  }

  private Optimizer newOptimizer(FinalStateModel model) {
    Optimizer opt = optimizer.apply(model.parameters());
    if (opt == null) {
      throw new IllegalArgumentException("SparkTrainer: the optimizer factory returned null");
    }
    Map<Tensor, Boolean> mine = new IdentityHashMap<>();
    model.parameters().forEach(p -> mine.put(p, Boolean.TRUE));
    for (int i = 0; i < opt.parameters().size(); i++) {
      if (!mine.containsKey(opt.parameters().get(i))) {
        throw new IllegalArgumentException("SparkTrainer: the optimizer factory's optimizer updates a tensor that is"
            + " not one of the parameters it was given (its parameter " + i + ", "
            + opt.parameters().get(i) + ")");
      }
    }
    return opt;
  }

  private TrainingResult run(JavaRDD<SequenceExample> data, FinalStateModel model, Optimizer opt, int done)
      throws IOException {
    Objects.requireNonNull(data, "data");
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Checkpoint checkpoint = options.checkpoint() == null ? null : Checkpoint.of(model, opt);
    Map<String, String> checkpointMeta = Map.of(SPEC_KEY, spec.toString(), RUN_KEY, options.describeRun());
    String what = options.localSteps() == 1 ? "gradient" : "parameter change";
    ShardStep step = options.shardStep(spec);
    List<RoundStats> history = new ArrayList<>();
    for (int r = done; r < options.rounds(); r++) {
      long t0 = System.nanoTime();
      Broadcast<float[]> bc = jsc.broadcast(model.flatParameters());
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
      float[] average = new float[total.sum.length];
      for (int i = 0; i < average.length; i++) {
        average[i] = (float) (total.sum[i] / total.weight);
      }
      setGradients(model, average);
      StepResult applied;
      try {
        applied = opt.step();
      } catch (IllegalStateException e) {
        throw new IllegalStateException("SparkTrainer: round " + (r + 1) + ": the averaged " + what + " (loss " + loss
            + "): " + e.getMessage(), e);
      } finally {
        model.zeroGrad();
      }
      if (!applied.applied()) {
        int round1 = r + 1;
        LOG.log(Level.WARNING, () -> "round " + round1 + ": the optimizer skipped the step: the averaged " + what
            + " is not finite (loss " + loss + ")");
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      RoundStats stats = new RoundStats(r + 1, loss, total.rows, seconds);
      history.add(stats);
      LOG.log(Level.INFO, () -> String.format("round %d/%d: loss %.6g, %d rows, %.0f rows/s, %.3f s",
          stats.round(), options.rounds(), stats.loss(), stats.rows(), stats.rowsPerSecond(), stats.seconds()));
      listener.accept(stats);
      boolean last = r + 1 == options.rounds();
      if (checkpoint != null && ((r + 1) % options.checkpointEvery() == 0 || last)) {
        checkpoint.save(options.checkpoint(), r + 1, checkpointMeta);
        LOG.log(Level.DEBUG, "checkpoint after round {0}: {1}", r + 1, options.checkpoint());
      }
    }
    return new TrainingResult(model, history);
  }

  /**
   * Makes {@code values} (the layout of {@link FinalStateModel#flatParameters()}) the model's gradients, exactly:
   * backward from a leaf with a given output gradient stores a copy of it as the leaf's gradient.
   */
  private static void setGradients(FinalStateModel model, float[] values) {
    int at = 0;
    for (Tensor p : model.parameters()) {
      p.zeroGrad();
      p.backward(Tensor.wrap(values, at, p.shape()));
      at += p.numel();
    }
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
