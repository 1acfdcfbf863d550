package dev.rnn4j.nn.recurrent;

import dev.rnn4j.kernels.FloatKernels;
import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.kernels.QuantizedKernelSelector;
import dev.rnn4j.kernels.QuantizedKernels;
import dev.rnn4j.nn.QuantizedLinear;
import dev.rnn4j.nn.WeightFormat;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A {@link SequenceModel} for inference with the weight matrices of its recurrent stack and head stored as bfloat16 or
 * int8 ({@link SequenceModel#quantize}): the embedding stays a float32 table (a lookup reads one row per token, so
 * its size costs memory but no time per step), the stack is a {@link QuantizedRecurrentLayer} and the head a
 * {@link QuantizedLinear}. Inputs, states, biases and every sum stay float32 (see {@code docs/quantization.md}).
 *
 * <p>It saves itself with its configuration ({@link #save(Path, Map)}) and {@link #load(Path)} rebuilds it from the
 * file alone, bit for bit; the caller's metadata entries (a vocabulary) are kept and read back with
 * {@link SequenceModel#userMetadata(Path)}.
 *
 * <p>A bidirectional stack serves whole sequences: {@link #forward} runs both directions and merges them as the float
 * model does (the head reads the merged rows), and the file holds the reverse direction under PyTorch's
 * {@code _reverse} names; {@link #newStream} throws {@link IllegalStateException}, since the reverse direction starts
 * from the last time step.
 *
 * <p>A copy: later changes of the float model do not reach it. No autograd. Immutable, so one instance may serve many
 * threads (concurrent {@code forward} calls included), each stream with its own {@link Stream}.
 */
public final class QuantizedSequenceModel {

  /** The value of the metadata entry {@code rnn4j.model} in a saved quantized sequence model. */
  public static final String MODEL = "QuantizedSequenceModel";

  final String embeddingName;
  /** The embedding table [numEmbeddings, embeddingDim], or null. */
  final float[] table;
  final int numEmbeddings;
  final String recurrentName;
  final QuantizedRecurrentLayer recurrent;
  final String headName;
  final QuantizedLinear head;

  QuantizedSequenceModel(String embeddingName, float[] table, int numEmbeddings, String recurrentName,
                         QuantizedRecurrentLayer recurrent, String headName, QuantizedLinear head) {
    this.embeddingName = embeddingName;
    this.table = table;
    this.numEmbeddings = table == null ? 0 : numEmbeddings;
    this.recurrentName = recurrentName;
    this.recurrent = recurrent;
    this.headName = headName;
    this.head = head;
  }

  /** Quantizes {@code model}; see {@link SequenceModel#quantize}. */
  static QuantizedSequenceModel of(SequenceModel model, WeightFormat format, String embeddingName,
                                   String recurrentName, String headName) {
    String op = "SequenceModel.quantize";
    if (format == null) {
      throw new IllegalArgumentException(op + ": format is null (BFLOAT16 or INT8)");
    }
    if (model.recurrent().dtype() != DType.FLOAT32) {
      throw new IllegalArgumentException(op + ": the model is " + ModelMetadata.dtypeName(model.recurrent().dtype())
          + "; quantized inference starts from float32 weights (build or load the model with dtype FLOAT32)");
    }
    // the stack checks the cell variant, naming itself; a bidirectional stack is quantized as the float model's
    // forward runs it (whole sequences only: newStream refuses it)
    QuantizedRecurrentLayer recurrent = model.recurrent().quantize(format);
    QuantizedLinear head = model.head() == null ? null : model.head().quantize(format);
    float[] table = model.embedding() == null ? null : model.embedding().weight().toFloatArray();
    int n = model.embedding() == null ? 0 : model.embedding().numEmbeddings();
    return new QuantizedSequenceModel(embeddingName, table, n, recurrentName, recurrent, headName, head);
  }

  /** The weight format of the stack and the head. */
  public WeightFormat format() {
    return recurrent.format();
  }

  /** The quantized recurrent stack. */
  public QuantizedRecurrentLayer recurrent() {
    return recurrent;
  }

  /** The quantized head, or null (the output is then the top layer's states). */
  public QuantizedLinear head() {
    return head;
  }

  /** The number of token indices the embedding takes, or 0 without an embedding (the input is then dense). */
  public int numEmbeddings() {
    return numEmbeddings;
  }

  /** The embedding table [numEmbeddings, inputSize] (a new tensor), or null without an embedding. */
  public Tensor embeddingWeight() {
    return table == null ? null : Tensor.fromArray(table.clone(), numEmbeddings, recurrent.config().inputSize());
  }

  /**
   * The width of each output row: the head's outputs, or the stack's output width without a head (the hidden size,
   * twice that for a bidirectional stack that concatenates its directions).
   */
  public int outputSize() {
    return head != null ? head.outFeatures() : recurrent.config().outputSize();
  }

  /** The bytes the embedding table (float32), the quantized weights and the biases take. */
  public long storageBytes() {
    return (table == null ? 0 : 4L * table.length) + recurrent.storageBytes()
        + (head == null ? 0 : head.storageBytes());
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Forward
  // ---------------------------------------------------------------------------------------------------------------

  /**
   * Runs token indices through embedding, stack and head, as {@link SequenceModel#forward(int[], int, int, Tensor,
   * Tensor)} does: {@code tokens} holds [T, B] row-major ([B, T] when the stack is batch-first); the output is
   * [T, B, out] (or [B, T, out]) new tensors, hN and cN as the stack's. Uses the kernels current now.
   *
   * @param h0 initial states [L*D, B, H] (D = 2 for a bidirectional stack) or null for zeros; c0 likewise (LSTM)
   * @throws IllegalArgumentException without an embedding, for a token outside the vocabulary (its position named),
   *     a length that is not T * B, or states of the wrong shape
   */
  public RecurrentOutput forward(int[] tokens, int steps, int batch, Tensor h0, Tensor c0) {
    String op = "QuantizedSequenceModel: forward";
    if (table == null) {
      throw new IllegalArgumentException(op + "(tokens): the model has no embedding; pass the input as a [T, B, "
          + recurrent.config().inputSize() + "] tensor");
    }
    if (tokens == null || steps < 1 || batch < 1 || (long) steps * batch != tokens.length) {
      throw new IllegalArgumentException(op + ": expected T * B = " + steps + " * " + batch + " token indices, got "
          + (tokens == null ? "null" : tokens.length));
    }
    int dim = recurrent.config().inputSize();
    float[] x = new float[tokens.length * dim];
    for (int i = 0; i < tokens.length; i++) {
      int t = checkToken(op, i, tokens[i]);
      System.arraycopy(table, t * dim, x, i * dim, dim);
    }
    Tensor input = recurrent.config().batchFirst() ? Tensor.fromArray(x, batch, steps, dim)
        : Tensor.fromArray(x, steps, batch, dim);
    return withHead(recurrent.forward(input, h0, c0));
  }

  /**
   * Runs a dense input [T, B, I] (or [B, T, I]) through stack and head; see {@link QuantizedRecurrentLayer#forward}.
   *
   * @throws IllegalArgumentException if the model has an embedding (pass token indices instead), or as the stack's
   */
  public RecurrentOutput forward(Tensor input, Tensor h0, Tensor c0) {
    if (table != null) {
      throw new IllegalArgumentException("QuantizedSequenceModel: forward(Tensor): the model starts with an "
          + "embedding; pass token indices (forward(int[], steps, batch, h0, c0))");
    }
    return withHead(recurrent.forward(input, h0, c0));
  }

  private RecurrentOutput withHead(RecurrentOutput r) {
    return head == null ? r : new RecurrentOutput(head.forward(r.output()), r.hN(), r.cN());
  }

  private int checkToken(String op, int position, int token) {
    if (token < 0 || token >= numEmbeddings) {
      throw new IllegalArgumentException(op + ": token[" + position + "] = " + token + " is outside [0, "
          + numEmbeddings + ")");
    }
    return token;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Streaming
  // ---------------------------------------------------------------------------------------------------------------

  /**
   * A zero streaming state for {@code batch} streams with all scratch space, stepping with the kernels current now.
   *
   * @throws IllegalStateException for a bidirectional stack: its reverse direction starts from the last time step,
   *     which a stream has not seen yet ({@link #forward} runs whole sequences)
   * @throws IllegalArgumentException for {@code batch < 1}
   */
  public Stream newStream(int batch) {
    RecurrentConfig cfg = recurrent.config();
    if (cfg.bidirectional()) {
      throw new IllegalStateException("QuantizedSequenceModel: newStream: the " + cfg.name() + " is bidirectional "
          + "and cannot stream: its reverse direction starts from the last time step, which a stream has not seen yet "
          + "(run whole sequences with forward, or quantize a model with a unidirectional stack for streaming)");
    }
    return new Stream(batch);
  }

  /**
   * A caller-owned stream of a {@link QuantizedSequenceModel}: the stack's {@link QuantizedStreamState} plus the
   * input and output rows. A step looks up the embedding (or takes a dense row), steps every layer and applies the
   * head, and allocates nothing. Stepping through a sequence gives {@link #forward}'s outputs bit for bit with the
   * same kernels. Not thread-safe: one stream per concurrent sequence.
   */
  public final class Stream {
    private final QuantizedStreamState state;
    private final FloatKernels f;
    private final QuantizedKernels q;
    private final float[] input;
    private final Tensor inputView;
    private final float[] output;
    private final Tensor outputView;
    private final float[] bias;

    private Stream(int batch) {
      this.state = recurrent.newStreamState(batch);
      Kernels k = KernelScope.current();
      this.f = k.f32();
      this.q = QuantizedKernelSelector.matching(k);
      int in = recurrent.config().inputSize();
      this.input = new float[batch * in];
      this.inputView = Tensor.wrap(input, 0, batch, in);
      this.output = head == null ? null : new float[batch * head.outFeatures()];
      this.outputView = head == null ? null : Tensor.wrap(output, 0, batch, head.outFeatures());
      this.bias = head == null ? null : head.bias();
    }

    /** The stack's state (hidden and cell states per layer, live views). */
    public QuantizedStreamState state() {
      return state;
    }

    /** Zeroes every state: the next step starts new sequences. */
    public void reset() {
      state.reset();
    }

    /**
     * One step for one token per stream: {@code tokens[b]} is stream b's next index. Returns the output [B, out] (the
     * head's, or the top layer's states), a live view overwritten by the next step.
     *
     * @throws IllegalArgumentException without an embedding, for a wrong count or an index outside the vocabulary
     */
    public Tensor step(int[] tokens) {
      String op = "QuantizedSequenceModel.Stream: step";
      if (table == null) {
        throw new IllegalArgumentException(op + "(tokens): the model has no embedding; pass a [" + state.batch()
            + ", " + recurrent.config().inputSize() + "] tensor");
      }
      int batch = state.batch();
      if (tokens == null || tokens.length != batch) {
        throw new IllegalArgumentException(op + ": expected " + batch + " token(s), one per stream, got "
            + (tokens == null ? "null" : tokens.length));
      }
      int dim = recurrent.config().inputSize();
      for (int b = 0; b < batch; b++) {
        f.copy(dim, table, checkToken(op, b, tokens[b]) * dim, input, b * dim);
      }
      return headOf(recurrent.step(inputView, state));
    }

    /**
     * One step for a dense input row per stream, {@code x} float32 [B, I]; returns the output as
     * {@link #step(int[])}.
     *
     * @throws IllegalArgumentException if the model has an embedding, or for a wrong shape or dtype
     */
    public Tensor step(Tensor x) {
      if (table != null) {
        throw new IllegalArgumentException("QuantizedSequenceModel.Stream: step(Tensor): the model starts with an "
            + "embedding; pass token indices");
      }
      return headOf(recurrent.step(x, state));
    }

    /** The head's rows {@code y = h W^T + b}: the product QuantizedLinear.forward runs, with the stream's kernels. */
    private Tensor headOf(Tensor h) {
      if (head == null) {
        return h;
      }
      int batch = state.batch();
      int out = head.outFeatures();
      if (bias != null) {
        for (int b = 0; b < batch; b++) {
          f.copy(out, bias, 0, output, b * out);
        }
      }
      head.weight().multiply(q, batch, h.floatData(), h.offset(), head.inFeatures(), 0, out, bias != null ? 1 : 0,
          output, 0, out);
      return outputView;
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Saving and loading (QuantizedSequenceModelFiles)
  // ---------------------------------------------------------------------------------------------------------------

  /** {@link #save(Path, Map)} without entries of the caller's own. */
  public void save(Path path) throws IOException {
    save(path, Map.of());
  }

  /**
   * Saves the model as safetensors, atomically (a failed save leaves any earlier file as it was), under the float
   * model's parameter names: the embedding table F32, the stack's and the head's weights as
   * {@link QuantizedRecurrentLayer#save} stores them (I8 with F32 {@code _scale} per row, or BF16), biases F32; the
   * configuration (the float model's entries, see {@link SequenceModel}) with {@code rnn4j.model =
   * QuantizedSequenceModel} and {@code rnn4j.weight_format} in the metadata, plus the caller's entries.
   *
   * @param metadata the caller's own entries (a vocabulary); keys must not start with {@code rnn4j.}
   * @throws IllegalArgumentException for a null path or metadata, or a metadata key with the reserved prefix
   */
  public void save(Path path, Map<String, String> metadata) throws IOException {
    QuantizedSequenceModelFiles.save(this, path, metadata);
  }

  /**
   * Rebuilds a model saved by {@link #save(Path, Map)} from the file alone, packing its weights for the kernels
   * current now; it computes what the saved model computed, bit for bit with the same kernels.
   *
   * @throws IllegalArgumentException naming the file (and the tensor), for a file that is not a saved quantized
   *     sequence model (a float one: {@link SequenceModel#load}) or is inconsistent: a missing or unexpected tensor,
   *     a wrong dtype or shape, a missing, negative or non-finite scale, an int8 of -128, a non-finite bfloat16;
   *     nothing is built then
   * @throws dev.rnn4j.io.SafetensorsFormatException if the file is not well-formed safetensors (truncated, say)
   */
  public static QuantizedSequenceModel load(Path path) throws IOException {
    return QuantizedSequenceModelFiles.load(path);
  }

  @Override
  public String toString() {
    RecurrentConfig cfg = recurrent.config();
    return "QuantizedSequenceModel(" + (table == null ? "" : "Embedding(" + numEmbeddings + ", " + cfg.inputSize()
        + ", float32) -> ") + (cfg.bidirectional() ? "bidirectional " : "") + cfg.name() + " " + cfg.hiddenSize()
        + " x " + cfg.numLayers() + " " + format()
        + (head == null ? "" : " -> Linear [" + head.outFeatures() + ", " + head.inFeatures() + "] " + format())
        + ")";
  }
}
