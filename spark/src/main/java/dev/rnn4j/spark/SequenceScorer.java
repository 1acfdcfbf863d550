package dev.rnn4j.spark;

import dev.rnn4j.autograd.NoGrad;
import dev.rnn4j.io.Safetensors;
import dev.rnn4j.kernels.FloatPackedMatrix;
import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.nn.recurrent.RecurrentOutput;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Scores sequences with a saved model in one JVM: the work each Spark task does on its rows, and the single-JVM
 * reference the distributed results equal bit for bit.
 *
 * <p>Rows are scored in batches of {@link #batchSize()} sequences per forward pass (variable lengths padded to the
 * batch's longest). A row's result does not depend on which rows share its batch or where it sits in it: the layers'
 * products compute rows independently, bit for bit ({@code gemmPacked}), and the head multiplies with its weight
 * packed once ({@code gemmPackedBias}, rows independent too) rather than through {@code Linear}, whose unpacked
 * product may take another path for another batch size. So any partitioning of the rows gives the same bits as one
 * loop over them, as long as every JVM runs the same kernel set (see the module's README).
 *
 * <p>Safe for concurrent use: each call takes its own runner from the layer's pool and the packed head is read only.
 */
// try-with-resources on NoGrad and KernelScope never names the resource: that is the point of the scopes.
@SuppressWarnings("try")
public final class SequenceScorer {

  /** Sequences per forward pass unless set otherwise. */
  public static final int DEFAULT_BATCH = 32;

  private final FinalStateModel model;
  private final Kernels kernels;
  private final FloatPackedMatrix headPacked; // op(B) = W^T [stateWidth, outputs]; null without a head
  private final float[] headBias;
  private final int batchSize;

  private SequenceScorer(FinalStateModel model, Kernels kernels, int batchSize) {
    this.model = model;
    this.kernels = kernels;
    this.batchSize = batchSize;
    // No train/eval switch: a spec has no dropout, the only thing the mode changes, and the caller's model stays as is.
    if (model.head() != null) {
      Tensor w = model.head().weight();
      int out = w.size(0);
      int in = w.size(1);
      headPacked = kernels.f32().packB(true, in, out, w.floatData(), w.offset(), in, null);
      Tensor b = model.head().bias();
      headBias = b.toFloatArray();
    } else {
      headPacked = null;
      headBias = null;
    }
  }

  /**
   * A scorer over {@code model} as it is now, with the kernels current on this thread. Later changes of the
   * model's head weights are not seen (the head is packed here); build a new scorer after training further.
   */
  public static SequenceScorer of(FinalStateModel model) {
    return new SequenceScorer(model, KernelScope.current(), DEFAULT_BATCH);
  }

  /**
   * Loads {@code file} (written by {@code Safetensors.save}) into a model of {@code spec}.
   *
   * @throws IllegalArgumentException if the file's tensors do not match the spec (names, shapes: the message names
   *     them, e.g. an input size that differs from the spec's)
   * @throws IOException if the file cannot be read or is not well-formed
   */
  public static SequenceScorer load(ModelSpec spec, Path file) throws IOException {
    FinalStateModel m = spec.build(0);
    Safetensors.load(m, file);
    return of(m);
  }

  /** A scorer over the model saved by {@link FinalStateModel#save(Path, java.util.Map)}, its spec from the file. */
  public static SequenceScorer load(Path file) throws IOException {
    return of(FinalStateModel.load(file));
  }

  /** {@link #load(ModelSpec, Path)} from a file's bytes (as broadcast to the executors). */
  public static SequenceScorer fromBytes(ModelSpec spec, byte[] safetensors) throws IOException {
    Path tmp = Files.createTempFile("rnn4j-model-", ".safetensors");
    try {
      Files.write(tmp, safetensors);
      return load(spec, tmp);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** This scorer with {@code n} sequences per forward pass (1 to 4096); results do not depend on it. */
  public SequenceScorer withBatchSize(int n) {
    if (n < 1 || n > 4096) {
      throw new IllegalArgumentException("SequenceScorer: batchSize must be in [1, 4096], got " + n);
    }
    return new SequenceScorer(model, kernels, n);
  }

  public int batchSize() {
    return batchSize;
  }

  public ModelSpec spec() {
    return model.spec();
  }

  /** The floats per row ({@link ScoreOutput#PER_STEP}: per step) of an output. */
  public int outputWidth(ScoreOutput output) {
    return switch (output) {
      case FINAL_STATE -> model.spec().stateWidth();
      case PER_STEP -> model.layer().config().outputSize();
      case HEAD -> {
        checkHead(output);
        yield model.spec().headOutputs();
      }
    };
  }

  private void checkHead(ScoreOutput output) {
    if (output == ScoreOutput.HEAD && !model.spec().hasHead()) {
      throw new IllegalArgumentException("score: output HEAD needs a model with a head, but the spec "
          + model.spec() + " has none");
    }
  }

  /**
   * Scores {@code sequences}: row i is {@code lengths[i]} steps of {@link ModelSpec#inputSize()} floats, step after
   * step (more floats than that are ignored, as padding). Returns per row {@link #outputWidth} floats, for
   * {@link ScoreOutput#PER_STEP} {@code lengths[i]} times that (step after step).
   *
   * @throws IllegalArgumentException for a length below 1, a row shorter than its length says, or HEAD without a
   *     head; the message names the row
   */
  public float[][] score(List<float[]> sequences, int[] lengths, ScoreOutput output) {
    if (sequences.size() != lengths.length) {
      throw new IllegalArgumentException("score: " + sequences.size() + " sequences but " + lengths.length
          + " lengths");
    }
    checkHead(output);
    int in = model.spec().inputSize();
    for (int i = 0; i < lengths.length; i++) {
      float[] s = sequences.get(i);
      if (lengths[i] < 1 || s == null || (long) lengths[i] * in > s.length) {
        throw new IllegalArgumentException("score: row " + i + ": length " + lengths[i] + " needs >= 1 step of "
            + in + " floats, the row has " + (s == null ? "none" : s.length + " floats"));
      }
    }
    float[][] out = new float[lengths.length][];
    try (NoGrad g = NoGrad.enter(); KernelScope k = KernelScope.use(kernels)) {
      for (int from = 0; from < lengths.length; from += batchSize) {
        int count = Math.min(batchSize, lengths.length - from);
        scoreBatch(SequenceBatch.pack(sequences, lengths, from, count, in), output, out, from);
      }
    }
    return out;
  }

  private void scoreBatch(SequenceBatch batch, ScoreOutput output, float[][] out, int from) {
    RecurrentOutput r = model.run(batch.input(), batch.lengths());
    int count = batch.size();
    if (output == ScoreOutput.PER_STEP) {
      Tensor y = r.output(); // [T, B, W], zero past each end
      int w = y.size(2);
      float[] d = y.floatData();
      int o = y.offset();
      for (int b = 0; b < count; b++) {
        int len = batch.lengths()[b];
        float[] row = new float[len * w];
        for (int t = 0; t < len; t++) {
          System.arraycopy(d, o + (t * count + b) * w, row, t * w, w);
        }
        out[from + b] = row;
      }
      return;
    }
    Tensor state = model.finalState(r).copy(); // contiguous [B, stateWidth]
    int sw = state.size(1);
    float[] s = state.floatData();
    int so = state.offset();
    if (output == ScoreOutput.FINAL_STATE) {
      for (int b = 0; b < count; b++) {
        float[] row = new float[sw];
        System.arraycopy(s, so + b * sw, row, 0, sw);
        out[from + b] = row;
      }
      return;
    }
    int n = headBias.length;
    float[] y = new float[count * n];
    kernels.f32().gemmPackedBias(false, count, 1f, s, so, sw, headPacked, headBias, 0, y, 0, n);
    for (int b = 0; b < count; b++) {
      float[] row = new float[n];
      System.arraycopy(y, b * n, row, 0, n);
      out[from + b] = row;
    }
  }
}
