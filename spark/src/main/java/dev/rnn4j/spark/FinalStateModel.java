package dev.rnn4j.spark;

import dev.rnn4j.autograd.Ops;
import dev.rnn4j.io.Safetensors;
import dev.rnn4j.nn.Linear;
import dev.rnn4j.nn.Module;
import dev.rnn4j.nn.recurrent.RecurrentLayer;
import dev.rnn4j.nn.recurrent.RecurrentOptions;
import dev.rnn4j.nn.recurrent.RecurrentOutput;
import dev.rnn4j.nn.recurrent.SequenceModel;
import dev.rnn4j.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The model a {@link ModelSpec} describes: a recurrent stack and, optionally, a linear head on its final state.
 * Parameters are named {@code <layerName>.weight_ih_l0}, ..., {@code <headName>.weight}, {@code <headName>.bias}
 * (PyTorch's names), so {@code Safetensors.save} / {@code load} move it as any other module.
 *
 * <p>The final state of a sequence is the top layer's state after the sequence's own last step; bidirectional, the
 * forward direction's state there beside the reverse direction's state after reading the whole sequence backwards
 * (PyTorch's {@code torch.cat([h_n[-2], h_n[-1]], 1)}).
 *
 * <p>{@link #save(Path, Map)} writes the parameters with the spec in the file's metadata, so that {@link #load(Path)}
 * and {@link SparkScorer#load(org.apache.spark.sql.SparkSession, Path)} need no spec.
 */
public final class FinalStateModel extends Module {

  /**
   * The metadata entry that says a saved head applies to the final state ({@value #HEAD_ON_FINAL_STATE}); core's
   * {@code SequenceModel} applies its head at every step. The prefix is outside core's reserved {@code rnn4j.}.
   */
  public static final String HEAD_KEY = "rnn4j-spark.head";
  /** The value of {@value #HEAD_KEY} for this model. */
  public static final String HEAD_ON_FINAL_STATE = "final_state";

  private final ModelSpec spec;
  private final RecurrentLayer layer;
  private final Linear head;

  FinalStateModel(ModelSpec spec, long seed) {
    this.spec = spec;
    SplittableRandom rng = new SplittableRandom(seed);
    RecurrentOptions o = new RecurrentOptions(spec.inputSize(), spec.hiddenSize()).numLayers(spec.numLayers())
        .bidirectional(spec.bidirectional()).seed(rng.nextLong());
    RecurrentLayer l = RecurrentLayer.create(spec.cell(), o);
    this.layer = registerModule(spec.layerName(), l);
    this.head = spec.hasHead()
        ? registerModule(spec.headName(), new Linear(spec.stateWidth(), spec.headOutputs(), rng)) : null;
  }

  /** The spec this model was built from. */
  public ModelSpec spec() {
    return spec;
  }

  /** The recurrent stack. */
  public RecurrentLayer layer() {
    return layer;
  }

  /** The head, or null when the spec has none. */
  public Linear head() {
    return head;
  }

  /** The stack's outputs for {@code x} [T, B, I] with per-sequence {@code lengths} (null: all T). */
  public RecurrentOutput run(Tensor x, int[] lengths) {
    return layer.forward(x, null, null, lengths);
  }

  /** The final states [B, stateWidth] of a run's output (see the class comment). */
  public Tensor finalState(RecurrentOutput out) {
    Tensor hN = out.hN();
    int top = (spec.numLayers() - 1) * (spec.bidirectional() ? 2 : 1);
    Tensor forward = Ops.select(hN, top);
    return spec.bidirectional() ? Ops.concat(1, forward, Ops.select(hN, top + 1)) : forward;
  }

  /**
   * The head's outputs [B, headOutputs] on the final states of {@code x} [T, B, I], through autograd (training).
   *
   * @throws IllegalStateException when the spec has no head
   */
  public Tensor predict(Tensor x, int[] lengths) {
    if (head == null) {
      throw new IllegalStateException("FinalStateModel: predict: the spec " + spec + " has no head");
    }
    return head.forward(finalState(run(x, lengths)));
  }

  /** {@link #save(Path, Map)} without entries of the caller's own. */
  public void save(Path file) throws IOException {
    save(file, Map.of());
  }

  /**
   * Saves the parameters atomically with the spec in the file's metadata: core's configuration entries, written by
   * {@code SequenceModel.save} for a module of a recurrent layer and a linear head ({@code rnn4j.cell},
   * {@code rnn4j.input_size}, ..., {@code rnn4j.recurrent.module}, {@code rnn4j.head.*}; docs/safetensors.md), plus
   * {@value #HEAD_KEY} = {@value #HEAD_ON_FINAL_STATE} when the spec has a head. {@link ModelSpec#read(Path)} gives
   * the spec back. Core's {@code SequenceModel.load} also reads the file (same layer, same head weights) but applies
   * the head at every step; a file without head is a plain {@code SequenceModel} file.
   *
   * @param metadata the caller's own entries (a description, a vocabulary), stored alongside
   * @throws IllegalArgumentException if a key starts with {@code rnn4j.} or is {@value #HEAD_KEY}, or a key or value
   *     is null
   */
  public void save(Path file, Map<String, String> metadata) throws IOException {
    if (metadata == null) {
      throw new IllegalArgumentException("FinalStateModel.save: metadata is null (Map.of() for none)");
    }
    if (metadata.containsKey(HEAD_KEY)) {
      throw new IllegalArgumentException("FinalStateModel.save: metadata key '" + HEAD_KEY + "' is this model's own");
    }
    Map<String, String> all = new LinkedHashMap<>(metadata);
    if (head != null) {
      all.put(HEAD_KEY, HEAD_ON_FINAL_STATE);
    }
    SequenceModel.save(this, file, all);
  }

  /**
   * Rebuilds a model saved by {@link #save(Path, Map)}: its spec from the metadata ({@link ModelSpec#read(Path)}), its
   * weights from the tensors.
   *
   * @throws IllegalArgumentException if the file records no spec, or its tensors do not match it
   * @throws IOException if it cannot be read or is not well-formed
   */
  public static FinalStateModel load(Path file) throws IOException {
    FinalStateModel m = ModelSpec.read(file).build(0);
    Safetensors.load(m, file);
    return m;
  }

  /** The number of float32 values of all parameters, the length of {@link #flatParameters()}. */
  public int flatSize() {
    long n = parameterCount();
    if (n > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("FinalStateModel: " + n + " parameters do not fit one array");
    }
    return (int) n;
  }

  /** Every parameter's values, concatenated in {@link #namedParameters()} order. */
  public float[] flatParameters() {
    float[] out = new float[flatSize()];
    int at = 0;
    for (Tensor p : parameters()) {
      System.arraycopy(p.floatData(), p.offset(), out, at, p.numel());
      at += p.numel();
    }
    return out;
  }

  /**
   * Overwrites every parameter from {@code values} (the layout of {@link #flatParameters()}) and marks it modified,
   * so that packed copies are rebuilt.
   *
   * @throws IllegalArgumentException if the length differs from {@link #flatSize()}
   */
  public void setFlatParameters(float[] values) {
    if (values.length != flatSize()) {
      throw new IllegalArgumentException("FinalStateModel: setFlatParameters: expected " + flatSize()
          + " values for " + spec + ", got " + values.length);
    }
    int at = 0;
    for (Tensor p : parameters()) {
      System.arraycopy(values, at, p.floatData(), p.offset(), p.numel());
      p.markModified();
      at += p.numel();
    }
  }

  /**
   * Every parameter's gradient, concatenated as {@link #flatParameters()}, each multiplied by {@code scale} and
   * added to {@code sum} in float64 (a parameter without a gradient adds nothing).
   */
  void addFlatGradients(double scale, double[] sum) {
    int at = 0;
    for (Tensor p : parameters()) {
      Tensor g = p.grad();
      if (g != null) {
        float[] d = g.floatData();
        int o = g.offset();
        for (int i = 0; i < p.numel(); i++) {
          sum[at + i] += scale * d[o + i];
        }
      }
      at += p.numel();
    }
  }
}
