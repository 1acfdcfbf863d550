package dev.rnn4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.io.Checkpoint;
import dev.rnn4j.io.LoadOptions;
import dev.rnn4j.io.Safetensors;
import dev.rnn4j.io.SafetensorsFile;
import dev.rnn4j.nn.recurrent.CellKind;
import dev.rnn4j.optim.Adam;
import dev.rnn4j.optim.AdamW;
import dev.rnn4j.optim.NonFinitePolicy;
import dev.rnn4j.optim.Optimizer;
import dev.rnn4j.optim.SGD;
import dev.rnn4j.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkTrainerTest {

  static final ModelSpec SPEC = ModelSpec.of(CellKind.LSTM, 3, 6).layers(2).head(1);
  static final double U = Math.ulp(1.0f) / 2; // unit roundoff of float32, 2^-24

  static JavaSparkContext jsc;

  @TempDir
  Path dir;

  @BeforeAll
  static void setUp() {
    jsc = JavaSparkContext.fromSparkContext(SharedSpark.get().sparkContext());
  }

  static int[] bits(float[] a) {
    int[] out = new int[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = Float.floatToRawIntBits(a[i]);
    }
    return out;
  }

  /**
   * The mean-loss gradient of {@code m} on all {@code rows} as one batch, in order: left in the parameters' gradients
   * for an optimizer to step, and returned flat.
   */
  static float[] unionGradient(FinalStateModel m, List<SequenceExample> rows) {
    int n = rows.size();
    int[] idx = new int[n];
    int[] lens = new int[n];
    List<float[]> xs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      idx[i] = i;
      lens[i] = rows.get(i).length();
      xs.add(rows.get(i).input());
    }
    SequenceBatch b = SequenceBatch.pack(xs, lens, 0, n, SPEC.inputSize());
    Objective.MSE.loss(m.predict(b.input(), b.lengths()), rows, idx).backward();
    double[] g = new double[m.flatSize()];
    m.addFlatGradients(1, g);
    float[] out = new float[g.length];
    for (int i = 0; i < g.length; i++) {
      out[i] = (float) g[i];
    }
    return out;
  }

  /** One single-JVM SGD step of {@code m} on all {@code rows} as one batch, in order; returns the gradient. */
  static float[] unionStep(FinalStateModel m, List<SequenceExample> rows, double lr) {
    float[] g = unionGradient(m, rows);
    new SGD(m.parameters(), lr).step();
    m.zeroGrad();
    return g;
  }

  /**
   * One partition holding all rows, K = 1: each round's averaged gradient is the union batch's gradient exactly (the
   * partition's sum is its gradient times 12 in float64, divided by 12: both exact), so the driver's core optimizer,
   * whichever the factory makes, steps exactly as the same optimizer in a single-JVM loop, state included.
   */
  @Test
  void oneRoundOnOnePartitionEqualsASingleJvmStepBitForBit() throws IOException {
    List<SequenceExample> rows = TrainingData.regression(12, 3, 1, 7, 1);
    List<Function<List<Tensor>, Optimizer>> optimizers = List.of(p -> new SGD(p, 0.1),
        p -> new SGD(p, 0.1, 0.9, 0, 0, true), p -> new Adam(p, 0.01), p -> new AdamW(p, 0.01, 0.9, 0.99, 1e-8, 0.1));
    for (int k = 0; k < optimizers.size(); k++) {
      FinalStateModel reference = SPEC.build(3);
      Optimizer opt = optimizers.get(k).apply(reference.parameters());
      TrainingOptions o = TrainingOptions.of(Objective.MSE, 3).withBatchSize(64);
      TrainingResult r = new SparkTrainer(SharedSpark.get(), SPEC, o, optimizers.get(k))
          .fit(jsc.parallelize(rows, 1), SPEC.build(3));
      for (int round = 0; round < 3; round++) {
        unionGradient(reference, rows);
        opt.step();
        reference.zeroGrad();
      }
      assertArrayEquals(bits(reference.flatParameters()), bits(r.model().flatParameters()), "optimizer " + k);
      assertEquals(3, r.history().size());
    }
  }

  /**
   * K = 1, SGD, two equal shards of 8 one-step sequences: one round against one single-JVM step on the union batch.
   *
   * <p>Why they may differ, and by how much. Every gradient element is a sum over the rows of one term per row (one
   * time step: the weight, bias and head gradients each take one product or value per row; W_hh's terms are 0 since
   * h0 = 0). The terms are the same numbers in both runs: the forward and backward passes compute each row
   * independently, bit for bit, and the loss's 1/16 (union) and 1/8 (shard, times 8/16 on the driver) are powers of
   * two, which scale without rounding. Only the summation differs: the union sums 16 terms in the GEMMs' order; the
   * shards sum 8 each, in float64 times 8 (exact), added and divided by 16 in float64 and rounded to float32 once.
   * With S = sum |term| and g* the exact sum, a float32 sum of m terms in any order errs by at most gamma_m * S,
   * gamma_m = m u / (1 - m u), u = 2^-24; the float64 combination adds at most 2^-50 S and the final rounding
   * u |g*| <= u (|g_union| + gamma_16 S). So |g_spark - g_union| <= e_g = (2 gamma_16 + 2^-50) S + u (|g_union| +
   * gamma_16 S). S comes from each row's own gradient G_i in a batch of one (its one term, rounded once, at 16 times
   * the union's scale): S <= (1 + u) sum |G_i| / 16. The SGD update p - lr g rounds at most twice:
   * |p'_x - (p - lr g_x)| <= 2.0001 u (|p| + lr |g_x|), so |p'_spark - p'_union| <= lr e_g (1 + u)
   * + 4.0002 u (|p| + lr (|g_union| + e_g)).
   */
  @Test
  void oneRoundOnTwoEqualShardsEqualsAUnionStepWithinTheSummationBound() throws IOException {
    int n = 16;
    double lr = 0.5;
    List<SequenceExample> rows = TrainingData.regression(n, 3, 1, 1, 2);
    FinalStateModel start = SPEC.build(5);
    float[] p0 = start.flatParameters();
    TrainingResult r = new SparkTrainer(SharedSpark.get(), SPEC, TrainingOptions.of(Objective.MSE, 1)
        .withBatchSize(n), p -> new SGD(p, lr)).fit(jsc.parallelize(rows, 2), start);
    float[] spark = r.model().flatParameters();

    FinalStateModel union = SPEC.build(5);
    float[] gUnion = unionStep(union, rows, lr);
    float[] pUnion = union.flatParameters();

    double[] s = new double[p0.length];
    for (SequenceExample row : rows) {
      FinalStateModel one = SPEC.build(5);
      float[] g = unionStep(one, List.of(row), lr);
      for (int j = 0; j < s.length; j++) {
        s[j] += Math.abs(g[j]) / n * (1 + U);
      }
    }
    double gamma = n * U / (1 - n * U);
    int differ = 0;
    for (int j = 0; j < p0.length; j++) {
      double eg = (2 * gamma + 0x1p-50) * s[j] + U * (Math.abs(gUnion[j]) + gamma * s[j]);
      double bound = lr * eg * (1 + U) + 4.0002 * U * (Math.abs(p0[j]) + lr * (Math.abs(gUnion[j]) + eg));
      double diff = Math.abs((double) spark[j] - pUnion[j]);
      assertTrue(diff <= bound, "parameter value " + j + ": spark " + spark[j] + ", union " + pUnion[j] + ", |diff| "
          + diff + " > bound " + bound);
      if (spark[j] != pUnion[j]) {
        differ++;
      }
    }
    // the step moved the parameters (W_hh has no gradient with one step): the comparison is not between copies
    int moved = 0;
    int nonzero = 0;
    for (int j = 0; j < p0.length; j++) {
      moved += spark[j] != p0[j] ? 1 : 0;
      nonzero += gUnion[j] != 0 ? 1 : 0;
    }
    assertTrue(moved > nonzero / 2, moved + " moved of " + nonzero + " with a gradient; " + differ
        + " differ from the union");
  }

  // Counts partition computations of the failing RDD below, in this JVM (local mode runs the tasks here).
  static final AtomicInteger COMPUTED = new AtomicInteger();
  static final AtomicInteger FAILED = new AtomicInteger();

  @Test
  void aTaskThatFailsOnceLeavesTheSameModelBitForBit() throws IOException {
    List<SequenceExample> rows = TrainingData.regression(40, 3, 2, 6, 3);
    TrainingOptions o = TrainingOptions.of(Objective.MSE, 3).withBatchSize(8).withSeed(9);
    Function<List<Tensor>, Optimizer> opt = p -> new Adam(p, 0.02);
    float[] clean = new SparkTrainer(SharedSpark.get(), SPEC, o, opt).fit(jsc.parallelize(rows, 2), SPEC.build(1))
        .model().flatParameters();

    COMPUTED.set(0);
    FAILED.set(0);
    // The third partition computed (in round 2) throws on its first attempt; Spark retries it (local[2,2]).
    JavaRDD<SequenceExample> failing = jsc.parallelize(rows, 2).mapPartitions(it -> {
      if (COMPUTED.incrementAndGet() == 3 && TaskContext.get().attemptNumber() == 0) {
        FAILED.incrementAndGet();
        throw new IllegalStateException("injected failure of the first attempt");
      }
      return it;
    });
    float[] retried = new SparkTrainer(SharedSpark.get(), SPEC, o, opt).fit(failing, SPEC.build(1)).model()
        .flatParameters();
    assertEquals(1, FAILED.get(), "the injected failure happened");
    assertArrayEquals(bits(clean), bits(retried));
  }

  @Test
  void resumingFromACheckpointGivesTheUninterruptedRunBitForBit() throws IOException {
    List<SequenceExample> rows = TrainingData.regression(30, 3, 1, 5, 4);
    JavaRDD<SequenceExample> data = jsc.parallelize(rows, 2);
    TrainingOptions o = TrainingOptions.of(Objective.MSE, 4).withBatchSize(6).withSeed(2);
    Function<List<Tensor>, Optimizer> opt = p -> new Adam(p, 0.02);
    float[] whole = new SparkTrainer(SharedSpark.get(), SPEC, o, opt).fit(data, SPEC.build(8)).model()
        .flatParameters();

    Path ckpt = dir.resolve("run.safetensors");
    new SparkTrainer(SharedSpark.get(), SPEC, o.withRounds(2).withCheckpoint(ckpt, 2), opt)
        .fit(data, SPEC.build(8));
    TrainingResult resumed = new SparkTrainer(SharedSpark.get(), SPEC, o, opt).resume(data, ckpt);
    assertEquals(2, resumed.history().size());
    assertEquals(3, resumed.history().get(0).round());
    assertArrayEquals(bits(whole), bits(resumed.model().flatParameters()));

    // the checkpoint is also a model file
    FinalStateModel loaded = SPEC.build(0);
    Safetensors.load(loaded, ckpt, LoadOptions.strict().allowUnexpected(true));
    assertTrue(loaded.flatParameters().length == whole.length);

    // refused before any round runs: another optimizer setting, other run settings
    String other = assertThrows(IllegalArgumentException.class, () -> new SparkTrainer(SharedSpark.get(), SPEC, o,
        p -> new Adam(p, 0.02, 0.8, 0.999, 1e-8, 0)).resume(data, ckpt)).getMessage();
    assertTrue(other.contains("beta1 0.9 in the state but 0.8 here"), other);
    String run = assertThrows(IllegalArgumentException.class,
        () -> new SparkTrainer(SharedSpark.get(), SPEC, o.withSeed(3), opt).resume(data, ckpt)).getMessage();
    assertTrue(run.contains("spark.run") && run.contains("seed=2") && run.contains("seed=3"), run);
  }

  @Test
  void checkpointsEveryNRounds() throws IOException {
    List<SequenceExample> rows = TrainingData.regression(20, 3, 1, 4, 6);
    Path ckpt = dir.resolve("every.safetensors");
    TrainingOptions o = TrainingOptions.of(Objective.MSE, 3).withCheckpoint(ckpt, 2);
    Function<List<Tensor>, Optimizer> nesterov = p -> new SGD(p, 0.1, 0.9, 0, 0, true);
    float[] trained = new SparkTrainer(SharedSpark.get(), SPEC, o, nesterov)
        .fit(jsc.parallelize(rows, 2), SPEC.build(2)).model().flatParameters();
    // after round 2 and after the last (3): core's checkpoint, the rounds as its step counter
    FinalStateModel m = SPEC.build(0);
    Checkpoint.Loaded loaded = Checkpoint.of(m, nesterov.apply(m.parameters())).load(ckpt);
    assertEquals(3, loaded.step());
    assertEquals(SPEC.toString(), loaded.metadata().get("spark.spec"));
    assertArrayEquals(bits(trained), bits(m.flatParameters()));
    try (SafetensorsFile f = SafetensorsFile.open(ckpt)) {
      assertTrue(f.header().entry("optimizer.momentum_buffer.rnn.weight_ih_l0").isPresent());
    }
    assertTrue(Files.list(dir).allMatch(p -> p.getFileName().toString().equals("every.safetensors")),
        "no temporary files left");
  }

  @Test
  void localStepsTrainAndAreReproducible() throws IOException {
    List<SequenceExample> rows = TrainingData.regression(64, 3, 1, 3, 7);
    ModelSpec spec = ModelSpec.of(CellKind.GRU, 3, 8).head(1);
    TrainingOptions o = TrainingOptions.of(Objective.MSE, 10).withLocalSteps(4, 0.3).withBatchSize(16).withSeed(3);
    SparkTrainer t = new SparkTrainer(SharedSpark.get(), spec, o, p -> new SGD(p, 1.0));
    TrainingResult a = t.fit(jsc.parallelize(rows, 2), spec.build(4));
    TrainingResult b = t.fit(jsc.parallelize(rows, 2), spec.build(4));
    assertArrayEquals(bits(a.model().flatParameters()), bits(b.model().flatParameters()));
    double first = a.history().get(0).loss();
    double last = a.history().get(a.history().size() - 1).loss();
    assertTrue(last < 0.5 * first, "loss " + first + " -> " + last);
    for (RoundStats s : a.history()) {
      assertEquals(2L * 4 * 16, s.rows()); // two partitions x 4 steps x 16 rows
      assertTrue(s.rowsPerSecond() > 0 && Double.isFinite(s.loss()));
    }
  }

  @Test
  void anOptimizerFactoryThatReturnsNullOrForeignParametersIsRefused() {
    List<SequenceExample> rows = TrainingData.regression(4, 3, 1, 2, 9);
    TrainingOptions o = TrainingOptions.of(Objective.MSE, 1);
    String none = assertThrows(IllegalArgumentException.class, () -> new SparkTrainer(SharedSpark.get(), SPEC, o,
        p -> null).fit(jsc.parallelize(rows, 1), SPEC.build(0))).getMessage();
    assertTrue(none.contains("returned null"), none);
    FinalStateModel elsewhere = SPEC.build(0);
    String foreign = assertThrows(IllegalArgumentException.class, () -> new SparkTrainer(SharedSpark.get(), SPEC, o,
        p -> new SGD(elsewhere.parameters(), 0.1)).fit(jsc.parallelize(rows, 1), SPEC.build(0))).getMessage();
    assertTrue(foreign.contains("not one of the parameters it was given"), foreign);
  }

  /** A non-finite average goes to the optimizer's policy: THROW names the round, SKIP leaves the model as it was. */
  @Test
  void aNonFiniteAverageIsHandledByTheOptimizersPolicy() throws IOException {
    List<SequenceExample> rows = new ArrayList<>(TrainingData.regression(6, 3, 1, 3, 10));
    rows.set(4, SequenceExample.regression(new float[] {1, Float.NaN, 2}, 1, new float[] {0}));
    JavaRDD<SequenceExample> data = jsc.parallelize(rows, 2);
    TrainingOptions o = TrainingOptions.of(Objective.MSE, 2);
    String thrown = assertThrows(IllegalStateException.class, () -> new SparkTrainer(SharedSpark.get(), SPEC, o,
        p -> new SGD(p, 0.1)).fit(data, SPEC.build(6))).getMessage();
    assertTrue(thrown.contains("round 1: the averaged gradient") && thrown.contains("NaN"), thrown);

    FinalStateModel start = SPEC.build(6);
    TrainingResult skipped = new SparkTrainer(SharedSpark.get(), SPEC, o,
        p -> new SGD(p, 0.1).nonFinitePolicy(NonFinitePolicy.SKIP)).fit(data, start);
    assertEquals(2, skipped.history().size());
    assertArrayEquals(bits(start.flatParameters()), bits(skipped.model().flatParameters()));
  }

  @Test
  void examplesFromADatasetAndTheirSchemaChecks() throws IOException {
    var spark = SharedSpark.get();
    var schema = new org.apache.spark.sql.types.StructType()
        .add("x", "array<array<float>>").add("y", "array<float>").add("k", "int");
    List<org.apache.spark.sql.Row> rs = new ArrayList<>();
    for (SequenceExample e : TrainingData.regression(16, 3, 2, 4, 8)) {
      List<List<Float>> steps = new ArrayList<>();
      for (int t = 0; t < e.length(); t++) {
        List<Float> s = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          s.add(e.input()[t * 3 + i]);
        }
        steps.add(s);
      }
      rs.add(org.apache.spark.sql.RowFactory.create(steps, List.of(e.target()[0]), 0));
    }
    var df = spark.createDataFrame(rs, schema);
    JavaRDD<SequenceExample> ex = SparkTrainer.examples(df, SequenceColumns.nested("x"), "y", Objective.MSE, SPEC);
    TrainingResult r = new SparkTrainer(spark, SPEC, TrainingOptions.of(Objective.MSE, 2), p -> new SGD(p, 0.1))
        .fit(ex, SPEC.build(0));
    assertEquals(2, r.history().size());

    String missing = assertThrows(IllegalArgumentException.class,
        () -> SparkTrainer.examples(df, SequenceColumns.nested("x"), "z", Objective.MSE, SPEC)).getMessage();
    assertTrue(missing.contains("no target column 'z'"), missing);
    String type = assertThrows(IllegalArgumentException.class,
        () -> SparkTrainer.examples(df, SequenceColumns.nested("x"), "y", Objective.CROSS_ENTROPY, SPEC))
        .getMessage();
    assertTrue(type.contains("must be int"), type);
    String noHead = assertThrows(IllegalArgumentException.class,
        () -> new SparkTrainer(spark, SPEC.head(0), TrainingOptions.of(Objective.MSE, 1), p -> new SGD(p, 1)))
        .getMessage();
    assertTrue(noHead.contains("has no head"), noHead);
  }
}
