package dev.rnn4j.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Distributed batch scoring: appends a saved model's outputs to every row of a {@code Dataset<Row>}.
 *
 * <pre>{@code
 * model.save(modelPath);                                  // a FinalStateModel: the spec travels in the metadata
 * try (SparkScorer scorer = SparkScorer.load(spark, modelPath)) {
 *   Dataset<Row> scored = scorer.score(df, SequenceColumns.nested("window"), ScoreOutput.HEAD, "forecast");
 *   scored.write().parquet(out);
 * }
 * }</pre>
 *
 * <p>The model file's bytes are broadcast once per scorer. Each executor JVM loads the model once, keyed by the
 * bytes' SHA-256 ({@code ModelCache}), and its tasks share the loaded layer; each task scores its rows in batches of
 * {@link #batchSize()} sequences. The outputs equal, bit for bit, what {@link SequenceScorer} gives for the same rows
 * in one JVM with the same kernel set, however the rows are partitioned (see {@link SequenceScorer}).
 *
 * <p>{@link #score} checks on the driver, before the scoring job: the columns exist with the right types, the
 * output column is new, the model file matches the spec (at {@link #load}), and the first rows' step width is the
 * spec's input size (a {@code limit} job over at most {@value #PROBE_ROWS} rows). Problems in later rows (a null, a
 * ragged step) fail their task with an {@link IllegalArgumentException} naming the partition and row.
 */
public final class SparkScorer implements AutoCloseable {

  /** Rows the driver reads to check the data against the spec before scoring. */
  public static final int PROBE_ROWS = 16;

  private final SparkSession spark;
  private final ModelSpec spec;
  private final String sha256;
  private final SequenceScorer local; // the driver's own copy: validates the file and gives output widths
  private final Broadcast<byte[]> model;
  private final int batchSize;

  private SparkScorer(SparkSession spark, ModelSpec spec, String sha256, SequenceScorer local,
                      Broadcast<byte[]> model, int batchSize) {
    this.spark = spark;
    this.spec = spec;
    this.sha256 = sha256;
    this.local = local;
    this.model = model;
    this.batchSize = batchSize;
  }

  /**
   * Reads a model file written by {@link FinalStateModel#save(Path, java.util.Map)}, takes its spec from the file's metadata
   * ({@link ModelSpec#read(Path)}) and broadcasts its bytes.
   *
   * @throws IllegalArgumentException if the file records no spec (a plain {@code Safetensors.save} file: use
   *     {@link #load(SparkSession, ModelSpec, Path)}) or its tensors do not match it
   * @throws IOException if it cannot be read or is not well-formed
   */
  public static SparkScorer load(SparkSession spark, Path file) throws IOException {
    Objects.requireNonNull(spark, "spark");
    return load(spark, ModelSpec.read(file), file);
  }

  /**
   * Reads {@code file} (written by {@code Safetensors.save} or {@link FinalStateModel#save}; metadata is not read),
   * checks it against {@code spec} and broadcasts its bytes.
   *
   * @throws IllegalArgumentException if the file's tensors do not match the spec (names, shapes)
   * @throws IOException if it cannot be read or is not well-formed
   */
  public static SparkScorer load(SparkSession spark, ModelSpec spec, Path file) throws IOException {
    Objects.requireNonNull(spark, "spark");
    Objects.requireNonNull(spec, "spec");
    byte[] bytes = Files.readAllBytes(file);
    SequenceScorer local = SequenceScorer.fromBytes(spec, bytes);
    Broadcast<byte[]> bc = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(bytes);
    return new SparkScorer(spark, spec, ModelCache.sha256(bytes), local, bc, SequenceScorer.DEFAULT_BATCH);
  }

  /** This scorer with {@code n} sequences per forward pass in each task (1 to 4096; results do not depend on it). */
  public SparkScorer withBatchSize(int n) {
    local.withBatchSize(n); // checks n
    return new SparkScorer(spark, spec, sha256, local, model, n);
  }

  public int batchSize() {
    return batchSize;
  }

  /** The hex SHA-256 of the model file's bytes, the executors' cache key. */
  public String modelSha256() {
    return sha256;
  }

  /**
   * {@code data} with a column {@code outputColumn} appended: {@code array<float>} for {@link ScoreOutput#FINAL_STATE}
   * and {@link ScoreOutput#HEAD}, {@code array<array<float>>} (one array per step of the row's length) for
   * {@link ScoreOutput#PER_STEP}. Lazy, as any Dataset transformation: the scoring runs when the result is used.
   *
   * @throws IllegalArgumentException for a missing column or a wrong type, an existing output column, HEAD for a
   *     spec without head, or probed rows whose steps are not {@code spec.inputSize()} floats wide
   */
  public Dataset<Row> score(Dataset<Row> data, SequenceColumns columns, ScoreOutput output, String outputColumn) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(columns, "columns");
    Objects.requireNonNull(output, "output");
    String op = "SparkScorer.score";
    StructType schema = data.schema();
    columns.check(op, schema);
    if (outputColumn == null || outputColumn.isEmpty()) {
      throw new IllegalArgumentException(op + ": outputColumn is " + (outputColumn == null ? "null" : "empty"));
    }
    if (List.of(schema.fieldNames()).contains(outputColumn)) {
      throw new IllegalArgumentException(op + ": output column '" + outputColumn + "' already exists");
    }
    int width = local.outputWidth(output); // HEAD without a head fails here
    probe(op, data, columns);
    DataType vector = DataTypes.createArrayType(DataTypes.FloatType, false);
    StructType outSchema = schema.add(outputColumn,
        output == ScoreOutput.PER_STEP ? DataTypes.createArrayType(vector, false) : vector, false);
    return data.mapPartitions(new ScoreTask(spec, sha256, model, columns, schema, output, width, batchSize),
        Encoders.row(outSchema));
  }

  private void probe(String op, Dataset<Row> data, SequenceColumns columns) {
    List<String> cols = new ArrayList<>();
    cols.add(columns.column());
    if (columns.lengthColumn() != null) {
      cols.add(columns.lengthColumn());
    }
    Dataset<Row> head = data.selectExpr(cols.stream().map(c -> "`" + c.replace("`", "``") + "`")
        .toArray(String[]::new)).limit(PROBE_ROWS);
    StructType s = head.schema();
    int[] idx = columns.indices(s);
    List<Row> rows = head.collectAsList();
    for (int i = 0; i < rows.size(); i++) {
      columns.parse(rows.get(i), idx, spec.inputSize(), op, "row " + i + " of the first " + PROBE_ROWS);
    }
  }

  /** Drops the broadcast model from the executors; Datasets this scorer returned cannot be computed afterwards. */
  @Override
  public void close() {
    model.destroy();
  }

  /** One partition's work: parse rows, score them batch by batch with the executor's cached model, append. */
  private static final class ScoreTask implements MapPartitionsFunction<Row, Row>, Serializable {
    private static final long serialVersionUID = 1L;

    private final ModelSpec spec;
    private final String sha256;
    private final Broadcast<byte[]> model;
    private final SequenceColumns columns;
    private final StructType schema;
    private final ScoreOutput output;
    private final int width;
    private final int batchSize;

    ScoreTask(ModelSpec spec, String sha256, Broadcast<byte[]> model, SequenceColumns columns, StructType schema,
              ScoreOutput output, int width, int batchSize) {
      this.spec = spec;
      this.sha256 = sha256;
      this.model = model;
      this.columns = columns;
      this.schema = schema;
      this.output = output;
      this.width = width;
      this.batchSize = batchSize;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      SequenceScorer scorer = ModelCache.get(spec, sha256, model::value).withBatchSize(batchSize);
      int[] idx = columns.indices(schema);
      int partition = TaskContext.getPartitionId();
      return new Iterator<>() {
        private final List<Row> pending = new ArrayList<>(batchSize);
        private float[][] scored;
        private int next;
        private long seen;

        @Override
        public boolean hasNext() {
          return next < pending.size() || rows.hasNext();
        }

        @Override
        public Row next() {
          if (next == pending.size()) {
            fill();
          }
          Row in = pending.get(next);
          float[] out = scored[next++];
          Object[] values = new Object[in.size() + 1];
          for (int i = 0; i < in.size(); i++) {
            values[i] = in.get(i);
          }
          values[in.size()] = output == ScoreOutput.PER_STEP ? steps(out) : out;
          return RowFactory.create(values);
        }

        // Reads up to batchSize rows and scores them in one forward pass.
        private void fill() {
          pending.clear();
          List<float[]> seqs = new ArrayList<>(batchSize);
          List<Integer> lens = new ArrayList<>(batchSize);
          while (pending.size() < batchSize && rows.hasNext()) {
            Row r = rows.next();
            SequenceColumns.Parsed p = columns.parse(r, idx, spec.inputSize(), "SparkScorer.score",
                "partition " + partition + ", row " + seen++);
            pending.add(r);
            seqs.add(p.values());
            lens.add(p.length());
          }
          scored = scorer.score(seqs, lens.stream().mapToInt(Integer::intValue).toArray(), output);
          next = 0;
        }
      };
    }

    private float[][] steps(float[] flat) {
      float[][] out = new float[flat.length / width][];
      for (int t = 0; t < out.length; t++) {
        out[t] = Arrays.copyOfRange(flat, t * width, (t + 1) * width);
      }
      return out;
    }
  }
}
