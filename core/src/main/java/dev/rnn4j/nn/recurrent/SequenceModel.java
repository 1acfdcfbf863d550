package dev.rnn4j.nn.recurrent;

import dev.rnn4j.io.Safetensors;
import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.nn.Embedding;
import dev.rnn4j.nn.Linear;
import dev.rnn4j.nn.Module;
import dev.rnn4j.nn.WeightFormat;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Shapes;
import dev.rnn4j.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The usual shape of a sequence model, as one module that saves and loads itself: an optional {@link Embedding} of
 * token indices, a recurrent stack ({@link LSTM}, {@link GRU} or {@link RNN}) and an optional {@link Linear} head
 * applied at every time step (a character language model, a tagger). Parameters are named
 * {@code embedding.weight}, {@code lstm.weight_ih_l0} ... ({@code gru.}, {@code rnn.}), {@code readout.weight},
 * {@code readout.bias} by default, the {@code state_dict} keys of the same PyTorch module.
 *
 * <p>{@link #save(Path, Map)} records the configuration in the file's metadata (the layer's entries, see
 * {@link RecurrentLayer#save(Path, Map)}, with {@code rnn4j.model = SequenceModel}, plus {@code rnn4j.embedding.module},
 * {@code rnn4j.embedding.num_embeddings}, {@code rnn4j.embedding.dim}, {@code rnn4j.recurrent.module},
 * {@code rnn4j.head.module}, {@code rnn4j.head.out_features}, {@code rnn4j.head.bias}); {@link #load(Path)} rebuilds
 * the model from it. {@link #save(Module, Path, Map)} saves a module of your own with the same composition so that
 * {@code load} rebuilds it as a SequenceModel with your module names.
 *
 * <p>Streaming inference: {@link #newStream(int)} gives a caller-owned {@link Stream} whose steps allocate nothing.
 */
public final class SequenceModel extends Module {

  /** The value of {@code rnn4j.model} for this class. */
  static final String MODEL = "SequenceModel";
  static final String EMBEDDING = ModelMetadata.PREFIX + "embedding.";
  static final String RECURRENT = ModelMetadata.PREFIX + "recurrent.";
  static final String HEAD = ModelMetadata.PREFIX + "head.";

  private final Embedding embedding;
  private final RecurrentLayer recurrent;
  private final Linear head;
  /** The children's names (their parameters' prefixes), kept for {@link #quantize}. */
  private final String embeddingName;
  private final String recurrentName;
  private final String headName;

  /**
   * A model of {@code embedding} (or null: the input is a dense [T, B, I] tensor), {@code recurrent} and {@code head}
   * (or null: the output is the top layer's states), registered as {@code embedding}, the layer's lower-case name
   * ({@code lstm}, {@code gru}, {@code rnn}) and {@code readout}.
   *
   * @throws IllegalArgumentException if the widths or dtypes do not chain: embedding dim = input size, head input =
   *     the stack's output width
   */
  public SequenceModel(Embedding embedding, RecurrentLayer recurrent, Linear head) {
    this(embedding, recurrent, head, "embedding",
        recurrent == null ? "" : recurrent.config().name().toLowerCase(Locale.ROOT), "readout");
  }

  private SequenceModel(Embedding embedding, RecurrentLayer recurrent, Linear head, String embeddingName,
      String recurrentName, String headName) {
    check("SequenceModel", embedding, recurrent, head);
    this.embeddingName = embeddingName;
    this.recurrentName = recurrentName;
    this.headName = headName;
    this.embedding = embedding == null ? null : registerModule(embeddingName, embedding);
    this.recurrent = registerModule(recurrentName, recurrent);
    this.head = head == null ? null : registerModule(headName, head);
  }

  private static void check(String op, Embedding embedding, RecurrentLayer recurrent, Linear head) {
    if (recurrent == null) {
      throw new IllegalArgumentException(op + ": the recurrent layer is null");
    }
    RecurrentConfig cfg = recurrent.config();
    if (embedding != null && embedding.embeddingDim() != cfg.inputSize()) {
      throw new IllegalArgumentException(op + ": embedding dim " + embedding.embeddingDim() + " differs from the "
          + cfg.name() + "'s input size " + cfg.inputSize());
    }
    if (embedding != null && embedding.weight().dtype() != recurrent.dtype()) {
      throw new IllegalArgumentException(op + ": embedding dtype " + embedding.weight().dtype() + " differs from the "
          + cfg.name() + "'s " + recurrent.dtype());
    }
    if (head != null && head.inFeatures() != cfg.outputSize()) {
      throw new IllegalArgumentException(op + ": head input size " + head.inFeatures() + " differs from the "
          + cfg.name() + "'s output width " + cfg.outputSize());
    }
    if (head != null && head.weight().dtype() != recurrent.dtype()) {
      throw new IllegalArgumentException(op + ": head dtype " + head.weight().dtype() + " differs from the "
          + cfg.name() + "'s " + recurrent.dtype());
    }
  }

  /** The embedding, or null. */
  public Embedding embedding() {
    return embedding;
  }

  /** The recurrent stack. */
  public RecurrentLayer recurrent() {
    return recurrent;
  }

  /** The head, or null. */
  public Linear head() {
    return head;
  }

  /** The width of each output row: the head's outputs, or the stack's output width without a head. */
  public int outputSize() {
    return head != null ? head.outFeatures() : recurrent.config().outputSize();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Forward
  // ---------------------------------------------------------------------------------------------------------------

  /**
   * Runs token indices through embedding, stack and head. {@code tokens} holds [T, B] row-major ([B, T] when the layer
   * is batch-first); the output is [T, B, out] (or [B, T, out]), hN and cN as the layer's.
   *
   * @param h0 initial states [L*D, B, H] or null for zeros; c0 likewise (LSTM)
   * @throws IllegalArgumentException without an embedding, for a token outside the vocabulary or a length that is not
   *     T * B
   */
  public RecurrentOutput forward(int[] tokens, int steps, int batch, Tensor h0, Tensor c0) {
    if (embedding == null) {
      throw new IllegalArgumentException("SequenceModel: forward(tokens): the model has no embedding; pass the "
          + "input as a [T, B, " + recurrent.config().inputSize() + "] tensor");
    }
    if (tokens == null || steps < 1 || batch < 1 || tokens.length != steps * batch) {
      throw new IllegalArgumentException("SequenceModel: forward: expected T * B = " + steps + " * " + batch
          + " token indices, got " + (tokens == null ? "null" : tokens.length));
    }
    int[] shape = recurrent.config().batchFirst() ? new int[] {batch, steps} : new int[] {steps, batch};
    return withHead(recurrent.forward(embedding.forward(tokens, shape), h0, c0, null));
  }

  /**
   * Runs a dense input [T, B, I] (or [B, T, I]) through stack and head; see
   * {@link RecurrentLayer#forward(Tensor, Tensor, Tensor, int[])}. Past a sequence's length the stack's output is zero,
   * so the head's output there is its bias.
   *
   * @throws IllegalArgumentException if the model has an embedding (pass token indices instead), or as the layer's
   */
  public RecurrentOutput forward(Tensor input, Tensor h0, Tensor c0, int[] lengths) {
    if (embedding != null) {
      throw new IllegalArgumentException("SequenceModel: forward(Tensor): the model starts with an embedding; pass "
          + "token indices (forward(int[], steps, batch, h0, c0))");
    }
    return withHead(recurrent.forward(input, h0, c0, lengths));
  }

  private RecurrentOutput withHead(RecurrentOutput r) {
    return head == null ? r : new RecurrentOutput(head.forward(r.output()), r.hN(), r.cN());
  }

  /**
   * A copy of this model for inference with the weight matrices of its recurrent stack and head stored as bfloat16
   * or int8 (one scale per output row); the embedding table, biases, activations and sums stay float32 (see
   * {@link QuantizedSequenceModel} and {@code docs/quantization.md}). Later changes of this model do not reach the
   * copy. Its file keeps this model's parameter names. A bidirectional stack is quantized too: the copy's
   * {@code forward} runs it as this model's does (without lengths), and its {@code newStream} refuses it as this
   * model's does.
   *
   * @throws IllegalArgumentException for a null format, a FLOAT64 model, an LSTM with a projection or peepholes, or a
   *     non-finite weight (the message names the layer and the weight)
   */
  public QuantizedSequenceModel quantize(WeightFormat format) {
    return QuantizedSequenceModel.of(this, format, embeddingName, recurrentName, headName);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Streaming
  // ---------------------------------------------------------------------------------------------------------------

  /**
   * A zero streaming state for {@code batch} streams (unidirectional stacks only), with all scratch space, using the
   * kernels current now.
   *
   * @throws IllegalArgumentException for a bidirectional stack or {@code batch < 1}
   */
  public Stream newStream(int batch) {
    return new Stream(batch);
  }

  /**
   * A caller-owned stream of a {@link SequenceModel}: the stack's {@link StreamState} plus the input and output rows.
   * A step runs embedding (or takes a dense row), one step of every layer and the head, and allocates nothing once
   * the layer's weights are packed (see {@link RecurrentLayer#step(Tensor, StreamState)}). Not thread-safe.
   */
  public final class Stream {
    private final StreamState state;
    private final Tensor input;
    private final Tensor output;
    private final Kernels kernels;

    private Stream(int batch) {
      this.state = recurrent.newStreamState(batch);
      this.kernels = state.kernels();
      this.input = Tensor.zeros(recurrent.dtype(), batch, recurrent.config().inputSize());
      this.output = head == null ? null : Tensor.zeros(recurrent.dtype(), batch, head.outFeatures());
    }

    /** The stack's state (hidden and cell states per layer). */
    public StreamState state() {
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
      if (embedding == null) {
        throw new IllegalArgumentException("SequenceModel.Stream: step(tokens): the model has no embedding; pass a ["
            + state.batch() + ", " + recurrent.config().inputSize() + "] tensor");
      }
      int batch = state.batch();
      if (tokens == null || tokens.length != batch) {
        throw new IllegalArgumentException("SequenceModel.Stream: step: expected " + batch + " token(s), one per "
            + "stream, got " + (tokens == null ? "null" : tokens.length));
      }
      int dim = embedding.embeddingDim();
      Tensor table = embedding.weight();
      for (int b = 0; b < batch; b++) {
        int t = tokens[b];
        if (t < 0 || t >= embedding.numEmbeddings()) {
          throw new IllegalArgumentException("SequenceModel.Stream: step: token[" + b + "] = " + t
              + " is outside [0, " + embedding.numEmbeddings() + ")");
        }
        if (table.dtype() == DType.FLOAT32) {
          kernels.f32().copy(dim, table.floatData(), table.offset() + t * dim, input.floatData(), b * dim);
        } else {
          kernels.f64().copy(dim, table.doubleData(), table.offset() + t * dim, input.doubleData(), b * dim);
        }
      }
      return headOf(recurrent.step(input, state));
    }

    /**
     * One step for a dense input row per stream, {@code x} [B, I]; returns the output as {@link #step(int[])}.
     *
     * @throws IllegalArgumentException if the model has an embedding, or for a wrong shape or dtype
     */
    public Tensor step(Tensor x) {
      if (embedding != null) {
        throw new IllegalArgumentException("SequenceModel.Stream: step(Tensor): the model starts with an embedding; "
            + "pass token indices");
      }
      return headOf(recurrent.step(x, state));
    }

    /**
     * out = W h + b for every stream's row, into the stream's output rows: one matrix-vector product per row (no
     * packing, so nothing allocated per step), then the bias added.
     */
    private Tensor headOf(Tensor h) {
      if (head == null) {
        return h;
      }
      int batch = state.batch();
      int in = head.inFeatures();
      int out = head.outFeatures();
      Tensor w = head.weight();
      Tensor bias = head.bias();
      for (int b = 0; b < batch; b++) {
        if (w.dtype() == DType.FLOAT32) {
          kernels.f32().gemv(false, out, in, 1f, w.floatData(), w.offset(), in, h.floatData(), h.offset() + b * in,
              0f, output.floatData(), b * out);
          if (bias != null) {
            kernels.f32().axpy(out, 1f, bias.floatData(), bias.offset(), output.floatData(), b * out);
          }
        } else {
          kernels.f64().gemv(false, out, in, 1, w.doubleData(), w.offset(), in, h.doubleData(), h.offset() + b * in,
              0, output.doubleData(), b * out);
          if (bias != null) {
            kernels.f64().axpy(out, 1, bias.doubleData(), bias.offset(), output.doubleData(), b * out);
          }
        }
      }
      return output;
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Saving and loading
  // ---------------------------------------------------------------------------------------------------------------

  /** Saves this model with its configuration; see {@link #save(Module, Path, Map)}. */
  public void save(Path path, Map<String, String> metadata) throws IOException {
    save(this, path, metadata);
  }

  /**
   * Saves {@code model}'s parameters ({@link Safetensors#save}) with the configuration {@link #load(Path)} needs, plus
   * the caller's {@code metadata} (a vocabulary, say). {@code model} is a SequenceModel, or a module of your own with
   * no parameters of its own whose children are, in registration order, an optional {@link Embedding}, one recurrent
   * layer and an optional {@link Linear}: it is loaded back as a SequenceModel with the same child names, so the
   * same parameter names.
   *
   * @throws IllegalArgumentException if {@code model} has another composition (the message names the child), or a
   *     metadata key starts with {@code rnn4j.}
   */
  public static void save(Module model, Path path, Map<String, String> metadata) throws IOException {
    String op = "SequenceModel.save";
    if (model == null || metadata == null) {
      throw new IllegalArgumentException(op + ": " + (model == null ? "model" : "metadata") + " is null");
    }
    if (!model.directParameters().isEmpty()) {
      throw new IllegalArgumentException(op + ": " + model.getClass().getSimpleName() + " has parameters of its own "
          + model.directParameters().keySet() + "; expected only an embedding, a recurrent layer and a head");
    }
    List<Map.Entry<String, Module>> children = new ArrayList<>(model.children().entrySet());
    int i = 0;
    Map.Entry<String, Module> e = i < children.size() && children.get(i).getValue() instanceof Embedding
        ? children.get(i++) : null;
    if (i >= children.size() || !(children.get(i).getValue() instanceof RecurrentLayer)) {
      throw new IllegalArgumentException(op + ": " + model.getClass().getSimpleName() + " is not an optional "
          + "Embedding, a recurrent layer and an optional Linear: " + (i < children.size() ? "child '"
          + children.get(i).getKey() + "' is a " + children.get(i).getValue().getClass().getSimpleName()
          : "no recurrent layer") + " where the recurrent layer should be");
    }
    Map.Entry<String, Module> r = children.get(i++);
    Map.Entry<String, Module> h = i < children.size() && children.get(i).getValue() instanceof Linear
        ? children.get(i++) : null;
    if (i < children.size()) {
      throw new IllegalArgumentException(op + ": " + model.getClass().getSimpleName() + " has a child after the "
          + "head or the recurrent layer: '" + children.get(i).getKey() + "' ("
          + children.get(i).getValue().getClass().getSimpleName() + ")");
    }
    Embedding embedding = e == null ? null : (Embedding) e.getValue();
    RecurrentLayer layer = (RecurrentLayer) r.getValue();
    Linear head = h == null ? null : (Linear) h.getValue();
    check(op, embedding, layer, head);
    Map<String, String> own = new LinkedHashMap<>(ModelMetadata.describe(layer.config(), layer.dtype()));
    own.put(ModelMetadata.MODEL, MODEL);
    own.put(RECURRENT + "module", r.getKey());
    if (embedding != null) {
      own.put(EMBEDDING + "module", e.getKey());
      own.put(EMBEDDING + "num_embeddings", Integer.toString(embedding.numEmbeddings()));
      own.put(EMBEDDING + "dim", Integer.toString(embedding.embeddingDim()));
    }
    if (head != null) {
      own.put(HEAD + "module", h.getKey());
      own.put(HEAD + "out_features", Integer.toString(head.outFeatures()));
      own.put(HEAD + "bias", Boolean.toString(head.bias() != null));
    }
    Safetensors.save(model, path, ModelMetadata.merge(op, own, metadata));
  }

  /**
   * Rebuilds a model saved by {@link #save(Module, Path, Map)}, with its weights, in training mode ({@code eval()} it
   * for inference).
   *
   * @throws IllegalArgumentException if the file has no configuration (a plain state_dict), holds a single layer
   *     (load it with {@link RecurrentLayer#load(Path)}), or its tensors do not match its configuration
   * @throws IOException if the file cannot be read or is not well-formed
   */
  public static SequenceModel load(Path path) throws IOException {
    String op = "SequenceModel.load";
    if (path == null) {
      throw new IllegalArgumentException(op + ": path is null");
    }
    Map<String, String> meta = ModelMetadata.read(path);
    String model = ModelMetadata.model(op, path, meta);
    if (model.equals(QuantizedSequenceModel.MODEL)) {
      throw new IllegalArgumentException(op + ": " + path + " holds a quantized sequence model; load it with "
          + "QuantizedSequenceModel.load");
    }
    if (model.startsWith(QuantizedLayerFiles.MODEL_PREFIX)) {
      throw new IllegalArgumentException(op + ": " + path + " holds a single quantized layer (" + model + "), not a "
          + "SequenceModel; load it with QuantizedRecurrentLayer.load");
    }
    if (!model.equals(MODEL)) {
      throw new IllegalArgumentException(op + ": " + path + " holds a single " + model + " layer, not a "
          + "SequenceModel; load it with " + model + ".load or RecurrentLayer.load");
    }
    RecurrentLayer layer = ModelMetadata.newLayer(op, path, meta);
    DType dtype = layer.dtype();
    SplittableRandom rng = new SplittableRandom(0); // initial values only; the file's replace them
    Embedding embedding = null;
    if (meta.containsKey(EMBEDDING + "module")) {
      embedding = new Embedding(ModelMetadata.integer(op, path, meta, EMBEDDING + "num_embeddings", 1),
          ModelMetadata.integer(op, path, meta, EMBEDDING + "dim", 1), dtype, rng);
    }
    Linear head = null;
    if (meta.containsKey(HEAD + "module")) {
      head = new Linear(layer.config().outputSize(), ModelMetadata.integer(op, path, meta, HEAD + "out_features", 1),
          ModelMetadata.bool(op, path, meta, HEAD + "bias"), dtype, rng);
    }
    String recurrentName = meta.get(RECURRENT + "module");
    if (recurrentName == null) {
      throw new IllegalArgumentException(op + ": " + path + ": metadata lacks '" + RECURRENT + "module'");
    }
    SequenceModel m = new SequenceModel(embedding, layer, head, meta.getOrDefault(EMBEDDING + "module", "embedding"),
        recurrentName, meta.getOrDefault(HEAD + "module", "readout"));
    Safetensors.load(m, path);
    return m;
  }

  /**
   * The metadata entries of the file at {@code path} that are not this library's configuration (those the caller
   * passed to save), without reading any tensor.
   */
  public static Map<String, String> userMetadata(Path path) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> en : ModelMetadata.read(path).entrySet()) {
      if (!en.getKey().startsWith(ModelMetadata.PREFIX)) {
        out.put(en.getKey(), en.getValue());
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "SequenceModel(" + (embedding == null ? "" : embedding + " -> ") + recurrent.config().name() + " "
        + recurrent.config().hiddenSize() + " x " + recurrent.config().numLayers() + (head == null ? ""
        : " -> Linear " + Shapes.format(head.weight().shape())) + ")";
  }
}
