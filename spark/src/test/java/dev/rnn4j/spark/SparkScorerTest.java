package dev.rnn4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.io.Safetensors;
import dev.rnn4j.nn.recurrent.CellKind;
import dev.rnn4j.nn.recurrent.SequenceModel;
import dev.rnn4j.optim.Adam;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkScorerTest {

  // Two layers, bidirectional, with a head: every part of the spec takes part.
  static final ModelSpec SPEC = ModelSpec.of(CellKind.LSTM, 3, 5).layers(2).bidirectional(true).head(2);
  static final int ROWS = 70;
  static final int MAX_STEPS = 9;

  @TempDir
  static Path dir;
  static Path modelFile;
  static SparkSession spark;
  static List<float[]> seqs = new ArrayList<>();
  static int[] lengths = new int[ROWS];

  @BeforeAll
  static void setUp() throws IOException {
    spark = SharedSpark.get();
    modelFile = dir.resolve("model.safetensors");
    Safetensors.save(SPEC.build(11), modelFile);
    SplittableRandom rng = new SplittableRandom(5);
    for (int i = 0; i < ROWS; i++) {
      lengths[i] = 1 + rng.nextInt(MAX_STEPS);
      float[] s = new float[lengths[i] * SPEC.inputSize()];
      for (int j = 0; j < s.length; j++) {
        s[j] = (float) rng.nextGaussian();
      }
      seqs.add(s);
    }
  }

  /** Rows (id, nested steps, flat steps padded to MAX_STEPS, length) in three partitions. */
  static Dataset<Row> data(int width) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      float[] s = seqs.get(i);
      // arrays, as a Row encoder takes them (java.util.List is not an external type of array columns)
      float[][] nested = new float[lengths[i]][width];
      float[] padded = new float[MAX_STEPS * width];
      for (int t = 0; t < lengths[i]; t++) {
        for (int k = 0; k < width; k++) {
          float v = k < SPEC.inputSize() ? s[t * SPEC.inputSize() + k] : 0f;
          nested[t][k] = v;
          padded[t * width + k] = v;
        }
      }
      rows.add(RowFactory.create(i, nested, padded, lengths[i]));
    }
    StructType schema = new StructType()
        .add("id", DataTypes.IntegerType)
        .add("steps", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType)))
        .add("flat", DataTypes.createArrayType(DataTypes.FloatType))
        .add("len", DataTypes.IntegerType);
    // three partitions without a shuffle
    return spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, 3),
        schema);
  }

  /** The single-JVM reference: one loop over the rows, one sequence per forward pass. */
  static float[][] reference(ScoreOutput output, int batch) throws IOException {
    return SequenceScorer.load(SPEC, modelFile).withBatchSize(batch).score(seqs, lengths, output);
  }

  static void assertBitwise(float[] want, float[] got, String what) {
    int[] w = new int[want.length];
    int[] g = new int[got.length];
    for (int i = 0; i < w.length; i++) {
      w[i] = Float.floatToRawIntBits(want[i]);
    }
    for (int i = 0; i < g.length; i++) {
      g[i] = Float.floatToRawIntBits(got[i]);
    }
    assertArrayEquals(w, g, what);
  }

  static float[] floats(List<?> list) {
    float[] out = new float[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (Float) list.get(i);
    }
    return out;
  }

  @Test
  void headAndFinalStateEqualTheSingleJvmLoopBitForBit() throws IOException {
    try (SparkScorer scorer = SparkScorer.load(spark, SPEC, modelFile)) {
      for (ScoreOutput output : List.of(ScoreOutput.HEAD, ScoreOutput.FINAL_STATE)) {
        float[][] want = reference(output, 1);
        float[][] wholeBatch = reference(output, ROWS);
        // every layout for the head, the nested one for the final state
        List<Dataset<Row>> runs = output == ScoreOutput.FINAL_STATE
            ? List.of(scorer.score(data(3), SequenceColumns.nested("steps"), output, "out"))
            : List.of(scorer.score(data(3), SequenceColumns.nested("steps"), output, "out"),
                scorer.withBatchSize(7).score(data(3), SequenceColumns.flat("flat", "len"), output, "out"),
                scorer.score(data(3), SequenceColumns.flat("flat", MAX_STEPS).withLengths("len"), output, "out"));
        for (Dataset<Row> scored : runs) {
          List<Row> rows = scored.collectAsList();
          assertEquals(ROWS, rows.size());
          for (Row r : rows) {
            int id = r.getInt(0);
            float[] got = floats(r.getList(r.fieldIndex("out")));
            assertBitwise(want[id], got, output + " row " + id);
            assertBitwise(wholeBatch[id], got, output + " row " + id + " (one batch of all rows)");
          }
        }
      }
    }
  }

  @Test
  void perStepOutputsEqualTheSingleJvmLoopBitForBit() throws IOException {
    float[][] want = reference(ScoreOutput.PER_STEP, 1);
    int width = 2 * SPEC.hiddenSize();
    try (SparkScorer scorer = SparkScorer.load(spark, SPEC, modelFile)) {
      List<Row> rows = scorer.score(data(3), SequenceColumns.nested("steps"), ScoreOutput.PER_STEP, "out")
          .collectAsList();
      for (Row r : rows) {
        int id = r.getInt(0);
        List<Object> steps = r.getList(r.fieldIndex("out"));
        assertEquals(lengths[id], steps.size(), "steps of row " + id);
        float[] flat = new float[steps.size() * width];
        for (int t = 0; t < steps.size(); t++) {
          float[] step = floats(scala.jdk.javaapi.CollectionConverters.asJava((scala.collection.Seq<?>) steps.get(t)));
          assertEquals(width, step.length);
          System.arraycopy(step, 0, flat, t * width, width);
        }
        assertBitwise(want[id], flat, "per-step row " + id);
      }
    }
  }

  /** The trainer's model saved with its spec scores without one, as the trained model in one JVM. */
  @Test
  void aModelTheTrainerSavedScoresWithoutASpec() throws IOException {
    ModelSpec spec = SPEC.head(1).names("net", "fc"); // bidirectional, two layers, other names: all must travel
    List<SequenceExample> train = TrainingData.regression(16, 3, 1, 5, 12);
    TrainingResult r = new SparkTrainer(spark, spec, TrainingOptions.of(Objective.MSE, 2).withBatchSize(8),
        p -> new Adam(p, 0.01)).fit(JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(train, 2),
        spec.build(4));
    Path saved = dir.resolve("trained.safetensors");
    r.model().save(saved, Map.of("note", "trained on Spark"));
    assertEquals(spec, ModelSpec.read(saved));
    assertEquals("trained on Spark", SequenceModel.userMetadata(saved).get("note"));

    float[][] want = SequenceScorer.of(r.model()).withBatchSize(1).score(seqs, lengths, ScoreOutput.HEAD);
    try (SparkScorer scorer = SparkScorer.load(spark, saved)) {
      List<Row> rows = scorer.score(data(3), SequenceColumns.nested("steps"), ScoreOutput.HEAD, "out")
          .collectAsList();
      assertEquals(ROWS, rows.size());
      for (Row row : rows) {
        int id = row.getInt(0);
        assertBitwise(want[id], floats(row.getList(row.fieldIndex("out"))), "row " + id);
      }
    }
    assertBitwise(r.model().flatParameters(), FinalStateModel.load(saved).flatParameters(), "FinalStateModel.load");

    // Without the spec in the file the caller must give it: a plain Safetensors.save file, and core's SequenceModel
    // file of the same module, whose head core applies at every step.
    String plain = assertThrows(IllegalArgumentException.class, () -> SparkScorer.load(spark, modelFile))
        .getMessage();
    assertTrue(plain.contains("ModelSpec.read") && plain.contains("explicit ModelSpec"), plain);
    Path perStep = dir.resolve("per-step-head.safetensors");
    SequenceModel.save(spec.build(1), perStep, Map.of());
    String head = assertThrows(IllegalArgumentException.class, () -> SparkScorer.load(spark, perStep)).getMessage();
    assertTrue(head.contains("applied at every step"), head);
    // a stack without head is the same model either way (a head's name is not recorded without a head)
    Path noHead = dir.resolve("no-head.safetensors");
    SequenceModel.save(spec.head(0).build(1), noHead, Map.of());
    assertEquals(spec.head(0).names("net", "head"), ModelSpec.read(noHead));
  }

  @Test
  void anExecutorLoadsAModelOnceForManyTasksAndJobs() throws IOException {
    try (SparkScorer scorer = SparkScorer.load(spark, SPEC.names("net", "fc"), save("renamed.safetensors"))) {
      long before = ModelCache.loads();
      scorer.score(data(3), SequenceColumns.nested("steps"), ScoreOutput.HEAD, "out").count();
      scorer.score(data(3), SequenceColumns.nested("steps"), ScoreOutput.FINAL_STATE, "out").collectAsList();
      // local mode: driver and executor share this JVM, so the cache is the one the tasks used (3 partitions x 2
      // jobs = 6 tasks, one load)
      assertEquals(1, ModelCache.loads() - before);
    }
  }

  private static Path save(String name) throws IOException {
    Path p = dir.resolve(name);
    Safetensors.save(SPEC.names("net", "fc").build(11), p);
    return p;
  }

  @Test
  void badInputIsAnIllegalArgumentOnTheDriver() throws IOException {
    try (SparkScorer scorer = SparkScorer.load(spark, SPEC, modelFile)) {
      Dataset<Row> df = data(3);
      String missing = assertThrows(IllegalArgumentException.class,
          () -> scorer.score(df, SequenceColumns.nested("x"), ScoreOutput.HEAD, "out")).getMessage();
      assertTrue(missing.contains("no column 'x'") && missing.contains("steps"), missing);

      Dataset<Row> doubles = df.withColumn("steps", df.col("steps").cast("array<array<double>>"));
      String type = assertThrows(IllegalArgumentException.class,
          () -> scorer.score(doubles, SequenceColumns.nested("steps"), ScoreOutput.HEAD, "out")).getMessage();
      assertTrue(type.contains("array<array<float>>") && type.contains("array<array<double>>"), type);

      String layout = assertThrows(IllegalArgumentException.class,
          () -> scorer.score(df, SequenceColumns.nested("flat"), ScoreOutput.HEAD, "out")).getMessage();
      assertTrue(layout.contains("'flat' must be array<array<float>>"), layout);

      // flat rows of different sizes without a length column: the steps cannot be told from padding
      Dataset<Row> ragged = df.withColumn("flat", org.apache.spark.sql.functions.expr(
          "slice(flat, 1, len * 3)"));
      String raggedMsg = assertThrows(IllegalArgumentException.class,
          () -> scorer.score(ragged, SequenceColumns.flat("flat", MAX_STEPS), ScoreOutput.HEAD, "out")).getMessage();
      assertTrue(raggedMsg.contains("ragged rows need a length column"), raggedMsg);

      String width = assertThrows(IllegalArgumentException.class,
          () -> scorer.score(data(4), SequenceColumns.nested("steps"), ScoreOutput.HEAD, "out")).getMessage();
      assertTrue(width.contains("has 4 floats but the model's input size is 3"), width);

      String exists = assertThrows(IllegalArgumentException.class,
          () -> scorer.score(df, SequenceColumns.nested("steps"), ScoreOutput.HEAD, "len")).getMessage();
      assertTrue(exists.contains("'len' already exists"), exists);

      String lenType = assertThrows(IllegalArgumentException.class,
          () -> scorer.score(df, SequenceColumns.flat("flat", "steps"), ScoreOutput.HEAD, "out")).getMessage();
      assertTrue(lenType.contains("must be an integer type"), lenType);
    }
  }

  @Test
  void aModelFileThatDoesNotMatchTheSpecIsRejectedAtLoad() {
    ModelSpec wider = ModelSpec.of(CellKind.LSTM, 4, 5).layers(2).bidirectional(true).head(2);
    String msg = assertThrows(IllegalArgumentException.class,
        () -> SparkScorer.load(spark, wider, modelFile)).getMessage();
    assertTrue(msg.contains("rnn.weight_ih_l0") && msg.contains("[20, 3]") && msg.contains("[20, 4]"), msg);
    String noHead = assertThrows(IllegalArgumentException.class,
        () -> SparkScorer.load(spark, SPEC.head(0), modelFile)).getMessage();
    assertTrue(noHead.contains("head.weight"), noHead);
  }

  @Test
  void headOutputNeedsAHead() throws IOException {
    Path p = dir.resolve("nohead.safetensors");
    Safetensors.save(SPEC.head(0).build(3), p);
    try (SparkScorer scorer = SparkScorer.load(spark, SPEC.head(0), p)) {
      String msg = assertThrows(IllegalArgumentException.class,
          () -> scorer.score(data(3), SequenceColumns.nested("steps"), ScoreOutput.HEAD, "out")).getMessage();
      assertTrue(msg.contains("output HEAD needs a model with a head"), msg);
    }
  }

  @Test
  void aBadRowLaterInTheDataFailsItsTaskNamingTheRow() throws IOException {
    try (SparkScorer scorer = SparkScorer.load(spark, SPEC, modelFile)) {
      // the probe reads the first rows only (of the first partition); the last row has a step of 2 floats
      Dataset<Row> df = data(3).withColumn("steps", org.apache.spark.sql.functions.expr(
          "if(id = " + (ROWS - 1) + ", transform(steps, s -> slice(s, 1, 2)), steps)"));
      Exception e = assertThrows(Exception.class,
          () -> scorer.score(df, SequenceColumns.nested("steps"), ScoreOutput.HEAD, "out").count());
      Throwable c = e;
      while (c != null && !(c instanceof IllegalArgumentException)) {
        c = c.getCause();
      }
      String all = c == null ? String.valueOf(e) : c.getMessage();
      assertTrue(c != null && all.contains("has 2 floats but the model's input size is 3"), all);
    }
  }

  @Test
  void sameBitsForAnyBatchSizeInOneJvm() throws IOException {
    float[][] one = reference(ScoreOutput.HEAD, 1);
    float[][] many = reference(ScoreOutput.HEAD, 32);
    for (int i = 0; i < ROWS; i++) {
      assertBitwise(one[i], many[i], "row " + i);
    }
    assertTrue(Arrays.stream(one).allMatch(r -> r.length == 2));
  }
}
