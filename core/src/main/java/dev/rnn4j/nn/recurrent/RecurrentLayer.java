package dev.rnn4j.nn.recurrent;

import dev.rnn4j.io.Safetensors;
import dev.rnn4j.kernels.DoubleKernels;
import dev.rnn4j.kernels.FloatKernels;
import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.nn.Module;
import dev.rnn4j.nn.WeightFormat;
import dev.rnn4j.nn.recurrent.internal.CellParameter;
import dev.rnn4j.nn.recurrent.internal.DoubleRecurrentEngine;
import dev.rnn4j.nn.recurrent.internal.DoubleStackFunction;
import dev.rnn4j.nn.recurrent.internal.DoubleStackRunner;
import dev.rnn4j.nn.recurrent.internal.FloatStackFunction;
import dev.rnn4j.nn.recurrent.internal.FloatStackRunner;
import dev.rnn4j.nn.recurrent.internal.PackedWeightSource;
import dev.rnn4j.nn.recurrent.internal.RunnerPool;
import dev.rnn4j.tensor.Checks;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.Shapes;
import dev.rnn4j.tensor.SplitMix64;
import dev.rnn4j.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

/**
 * The common part of {@link LSTM}, {@link GRU} and {@link RNN}: a stack of recurrent layers over whole sequences, with
 * PyTorch's parameter names, layout and initialisation, computed by one fused autograd node per call (the whole stack,
 * every layer and direction, with a hand-written backward; see {@link DoubleRecurrentEngine} for how each
 * layer-direction runs), and a streaming step API for inference.
 *
 * <h2>Parameters</h2>
 * For layer k and direction suffix s ("" forward, "_reverse" backward): {@code weight_ih_l{k}{s}} [G*H, I_k],
 * {@code weight_hh_l{k}{s}} [G*H, H], {@code bias_ih_l{k}{s}} [G*H], {@code bias_hh_l{k}{s}} [G*H], registered in
 * PyTorch's order, each drawn from U(-1/sqrt(H), 1/sqrt(H)) in that order from a {@link SplittableRandom} seeded with
 * {@link RecurrentOptions#seed}. I_0 is the input size, I_k (k > 0) the previous layer's output width.
 *
 * <h2>Memory kept between calls</h2>
 * A call of {@link #forward(Tensor, Tensor, Tensor, int[])} needs a trace: the gate activations and states of every
 * step, saved for the backward pass, and the backward pass's scratch. These arrays live in a runner that the call
 * takes from the layer's small pool and gives back when its graph is freed (after {@code backward()} without
 * {@code retainGraph}, or at once when nothing records, as under {@code NoGrad}), so that the next call reuses them
 * instead of allocating and zeroing tens of megabytes. Each pending call (several forwards before one backward, or
 * calls from several threads at once) holds its own runner; at most {@value #IDLE_RUNNERS} runners wait in the pool
 * between calls, so the memory the layer keeps is at most that many runners, each holding the arrays of the
 * largest call it has served: per layer and direction {@code B * (T G H + T I + s (T + 1) H)} elements of the
 * layer's dtype (G = 4 for the LSTM, which has s = 2, 3 for the GRU, which keeps {@code T G H B} more, 1 for the RNN,
 * s = 1; a layer below the top keeps its output and its gradient, {@code 2 T B W} more for an output of width W), plus, when the caller's rows
 * are not in the order the engine runs them (batch-first, or lengths not longest first), {@code T B (I + 2 H)} for
 * the top output and its gradient and the input gradient in that order, plus packed copies of the weights for the backward pass and of the weight gradients' operands (about
 * {@code G H (I + H) + T B (I + H)} elements), a few rows of B * H and one of G * H and, with dropout, the masks; for a one-layer
 * float32 LSTM at B = 32, T = 100, I = 128, H = 256, time-major without lengths, that is about 21 MB of trace
 * and 7.5 MB of packed copies per runner. The gate gradients take no memory of their own: the last backward pass through a call writes them over
 * the gate activations, which it needs no more. A backward with {@code retainGraph} keeps the activations and adds a
 * gradient array of their size ({@code T G H B}, the GRU twice that) to the runner. A call whose output is dropped without a backward pass
 * never gives its runner back; the garbage collector reclaims it. The pool is safe to use from several threads; a
 * runner is never shared by two calls.
 *
 * <p>Besides the runners the layer keeps one packed copy of the matrices every forward step multiplies with (W_ih^T
 * and W_hh^T, and an LSTM projection's W_hr^T: about {@code G H (I + H)} elements per layer and direction, 1.5 MiB
 * for the float32 LSTM above), shared by all forward calls on any thread and, for a unidirectional layer, by the
 * streaming steps. After the weights change, or under another kernel set, the first call packs into its runner
 * (as a training loop, which changes the weights before every call, always does) and the second call that finds the
 * weights unchanged packs a new copy (into new storage) and keeps it; the layer notices a change through
 * {@link Tensor#version()}: optimizer steps, loading and
 * {@link Tensor#copyFrom} count, a direct write into a weight's backing array must be followed by
 * {@link Tensor#markModified()}.
 *
 * <h2>Threads</h2>
 * Several threads may at once: step their own {@link StreamState}s, run forwards (recording or under no-grad), and
 * back-propagate separate graphs into the shared parameters (each addition into a parameter's gradient is atomic).
 * Writing the weights (an optimizer step, {@link Tensor#copyFrom}, loading) must be ordered with those calls by the
 * caller, for example with a read-write lock; one {@link StreamState} belongs to one thread at a time. The full
 * contract, with a test per row, is {@code docs/concurrency.md}.
 */
public abstract class RecurrentLayer extends Module {

  /** How many runners (traces) wait between calls, per layer; see the class comment. */
  static final int IDLE_RUNNERS = 2;

  private final RecurrentConfig cfg;
  private final DType dtype;
  private final List<Tensor> params = new ArrayList<>();
  // per layer-direction l * D + d, for the streaming step (which must not look anything up by name)
  private final Tensor[] wih;
  private final Tensor[] whh;
  private final Tensor[] bih;
  private final Tensor[] bhh;
  // the cell's further parameters (CellVariant.extraParameters), extras[j][l * D + d]; no rows for most cells
  private final Tensor[][] extras;
  // the matrices the streaming steps pack or read, per layer-direction: {wih, whh, extras...}; a new version of any of
  // them makes the layer pack again
  private final Tensor[][] packedMatrices;
  // Guarded by itself: forward may run on several threads at once. A SplitMix64 so that checkpoints can save it.
  private final SplitMix64 dropoutSeeds;
  /** The streaming steps' packed weights, shared by this layer's stream states; replaced when the weights change. */
  private volatile StreamPack streamPack;
  /**
   * The forward passes' packed weights (every layer-direction), shared by all calls on any thread; replaced (never
   * written) when the weights or the kernels change. The same object as {@link #streamPack} when both match.
   */
  private volatile StreamPack forwardPack;
  // What the last forward that found no kept pack saw (see forwardPacks): the sum of the weights' versions and the
  // kernels
  private volatile long seenVersionSum = -1;
  private volatile Object seenKernels;
  /** {@link #forwardPacks}, made once: a call must not allocate for it. */
  private final PackedWeightSource packSource = this::forwardPacks;
  // the runners of this layer's calls, for its dtype (the other one stays empty)
  private RunnerPool<DoubleKernels, DoubleStackRunner> doubleRunners;
  private RunnerPool<FloatKernels, FloatStackRunner> floatRunners;

  RecurrentLayer(String name, CellKind kind, RecurrentOptions o) {
    RecurrentOptions.checked(o, name);
    this.cfg = o.toConfig(name, kind);
    this.dtype = o.dtype;
    SplittableRandom rng = new SplittableRandom(o.seed);
    double bound = 1 / Math.sqrt(cfg.hiddenSize());
    int gw = cfg.gateWidth();
    int n = cfg.numLayers() * cfg.directions();
    wih = new Tensor[n];
    whh = new Tensor[n];
    bih = new Tensor[n];
    bhh = new Tensor[n];
    List<CellParameter> extraParams = cfg.variant().extraParameters(cfg);
    extras = new Tensor[extraParams.size()][n];
    for (int l = 0; l < cfg.numLayers(); l++) {
      for (int d = 0; d < cfg.directions(); d++) {
        int i = l * cfg.directions() + d;
        String s = "_l" + l + (d == 1 ? "_reverse" : "");
        wih[i] = registerParameter("weight_ih" + s,
            Tensor.uniform(dtype, rng, -bound, bound, gw, cfg.layerInputSize(l)));
        whh[i] = registerParameter("weight_hh" + s, Tensor.uniform(dtype, rng, -bound, bound, gw, cfg.stateSize()));
        params.add(wih[i]);
        params.add(whh[i]);
        if (cfg.bias()) {
          bih[i] = registerParameter("bias_ih" + s, Tensor.uniform(dtype, rng, -bound, bound, gw));
          bhh[i] = registerParameter("bias_hh" + s, Tensor.uniform(dtype, rng, -bound, bound, gw));
          params.add(bih[i]);
          params.add(bhh[i]);
        }
        for (int j = 0; j < extras.length; j++) {
          // drawn like every other weight (PyTorch's weight_hr; DL4J's GravesLSTM and Keras' peephole cell use the
          // weight initialiser for the peepholes)
          CellParameter e = extraParams.get(j);
          extras[j][i] = registerParameter(e.name() + s, Tensor.uniform(dtype, rng, -bound, bound, e.rows(), e.cols()));
          params.add(extras[j][i]);
        }
      }
    }
    this.packedMatrices = new Tensor[2 + extras.length][];
    packedMatrices[0] = wih;
    packedMatrices[1] = whh;
    System.arraycopy(extras, 0, packedMatrices, 2, extras.length);
    this.dropoutSeeds = new SplitMix64(rng.nextLong());
    keepIdleRunners(IDLE_RUNNERS);
  }

  /**
   * Replaces the runner pools by empty ones keeping at most {@code max} idle runners (0: every call builds a fresh
   * runner, as a layer without a pool would). For tests; call it before the layer's first call.
   */
  final void keepIdleRunners(int max) {
    doubleRunners = DoubleStackRunner.pool(cfg, max);
    floatRunners = FloatStackRunner.pool(cfg, max);
  }

  /**
   * Makes this layer's calls take their runners from the given pools (for tests, whose runners run decorated cells);
   * call it before the layer's first call.
   */
  final void useRunners(RunnerPool<DoubleKernels, DoubleStackRunner> doubles,
                        RunnerPool<FloatKernels, FloatStackRunner> floats) {
    doubleRunners = doubles;
    floatRunners = floats;
  }

  /** The packed weights the forward passes use now, null before the first (for tests). */
  final StreamPack forwardPack() {
    return forwardPack;
  }

  /** The packed weights the streaming steps use now, null before the first step (for tests). */
  final StreamPack streamPack() {
    return streamPack;
  }

  /** The pool of this layer's runners for its dtype (for tests). */
  final RunnerPool<?, ?> runners() {
    return dtype == DType.FLOAT64 ? doubleRunners : floatRunners;
  }

  /**
   * The generator of this layer's dropout between layers: each training-mode call of a stack with dropout takes one
   * seed from it. Besides the parameters it is the layer's only state, so a training run that checkpoints the layer
   * registers it ({@code Checkpoint.withRandom("lstm.dropout", lstm.dropoutRandom())}) to resume bitwise. Read or
   * restore it only while no forward call runs; do not draw from it.
   */
  public final SplitMix64 dropoutRandom() {
    return dropoutSeeds;
  }

  /** The layer's shape: sizes, layers, directions, cell. */
  public final RecurrentConfig config() {
    return cfg;
  }

  /** The parameter dtype. */
  public final DType dtype() {
    return dtype;
  }

  /** Parameter {@code weight_ih} etc. of layer l, direction d, by PyTorch name without the layer suffix. */
  final Tensor parameter(String base, int layer, int dir) {
    int i = layer * cfg.directions() + dir;
    return switch (base) {
      case "weight_ih" -> wih[i];
      case "weight_hh" -> whh[i];
      case "bias_ih" -> bih[i];
      case "bias_hh" -> bhh[i];
      default -> extra(base, i);
    };
  }

  private Tensor extra(String base, int i) {
    List<CellParameter> extraParams = cfg.variant().extraParameters(cfg);
    for (int j = 0; j < extraParams.size(); j++) {
      if (extraParams.get(j).name().equals(base)) {
        return extras[j][i];
      }
    }
    throw new IllegalArgumentException(cfg.name() + ": no parameter " + base);
  }

  /** {@code forward(input, null, null, null)}: zero initial states, all sequences of full length. */
  public final RecurrentOutput forward(Tensor input) {
    return forward(input, null, null, null);
  }

  /**
   * Runs the stack over a batch of sequences.
   *
   * @param input [T, B, I] (or [B, T, I] batch-first), this layer's dtype
   * @param h0 initial states [L*D, B, H], or null for zeros
   * @param c0 initial cell states [L*D, B, H] (LSTM only), or null for zeros
   * @param lengths per-sequence lengths, each in [1, T], or null for all T. Outputs past a sequence's end are zero,
   *     its final state is the state at its own last step, and the reverse direction starts at that step.
   * @throws IllegalArgumentException naming this layer, the argument and the shapes, for a wrong input size, state
   *     shape, lengths, mixed dtypes, or states for directions that do not exist
   */
  public final RecurrentOutput forward(Tensor input, Tensor h0, Tensor c0, int[] lengths) {
    checkInput(input);
    int steps = cfg.batchFirst() ? input.size(1) : input.size(0);
    int batch = cfg.batchFirst() ? input.size(0) : input.size(1);
    checkState("h0", h0, batch);
    if (c0 != null && !cfg.kind().hasCellState()) {
      throw new IllegalArgumentException(cfg.name() + ": c0: only an LSTM has a cell state, got "
          + Shapes.format(c0.shape()));
    }
    checkState("c0", c0, batch);
    checkTraceSize(input, steps, batch);
    int[] lens = checkLengths(lengths, steps, batch);
    // The node's inputs: x, the parameters, then h0 and c0 when given (an array: no list to copy per call).
    Tensor[] in = new Tensor[1 + params.size() + (h0 != null ? 1 : 0) + (c0 != null ? 1 : 0)];
    int n = 0;
    in[n++] = input;
    for (int i = 0; i < params.size(); i++) {
      in[n++] = params.get(i);
    }
    if (h0 != null) {
      in[n++] = h0;
    }
    if (c0 != null) {
      in[n] = c0;
    }
    Kernels k = KernelScope.current();
    long seed;
    synchronized (dropoutSeeds) {
      seed = dropoutSeeds.nextLong();
    }
    boolean train = isTraining();
    Tensor[] out;
    if (dtype == DType.FLOAT64) {
      out = new DoubleStackFunction(cfg, k.f64(), lens, h0 != null, c0 != null, train, seed, doubleRunners, packSource)
          .apply(in);
    } else {
      out = new FloatStackFunction(cfg, k.f32(), lens, h0 != null, c0 != null, train, seed, floatRunners, packSource)
          .apply(in);
    }
    return new RecurrentOutput(out[0], out[1], out.length > 2 ? out[2] : null);
  }

  private void checkInput(Tensor input) {
    if (input == null) {
      throw new IllegalArgumentException(cfg.name() + ": input is null");
    }
    if (input.rank() == 3 && input.dtype() == dtype && input.size(2) == cfg.inputSize() && input.size(0) >= 1
        && input.size(1) >= 1) {
      return; // valid: build no message (every call passes here)
    }
    String layout = cfg.batchFirst() ? "[B, T, " + cfg.inputSize() + "]" : "[T, B, " + cfg.inputSize() + "]";
    if (input.rank() != 3) {
      throw new IllegalArgumentException(cfg.name() + ": input: expected rank 3 " + layout + ", got "
          + Shapes.format(input.shape()));
    }
    if (input.dtype() != dtype) {
      throw new IllegalArgumentException(cfg.name() + ": input: dtype " + input.dtype() + " " + Shapes.format(
          input.shape()) + " differs from the layer's " + dtype + " (convert it with to(DType))");
    }
    if (input.size(2) != cfg.inputSize()) {
      throw new IllegalArgumentException(cfg.name() + ": input: expected input size " + cfg.inputSize()
          + " in the last dimension " + layout + ", got " + Shapes.format(input.shape()));
    }
    if (input.size(0) < 1 || input.size(1) < 1) {
      throw new IllegalArgumentException(cfg.name() + ": input: needs at least one step and one sequence, got "
          + Shapes.format(input.shape()));
    }
  }

  /**
   * The per-call arrays (the trace of gate activations [T*B, G*H], the states [(T+1)*B, H], each layer's output
   * [T*B, W]) must fit Java arrays; an input that is itself small enough can still ask for more.
   */
  private void checkTraceSize(Tensor input, int steps, int batch) {
    long rows = (long) steps * batch;
    long outW = (long) cfg.directions() * cfg.hiddenSize();
    if (Checks.fitsArray(rows, cfg.gateWidth()) && Checks.fitsArray(rows + batch, cfg.hiddenSize())
        && Checks.fitsArray(rows, outW)) {
      return;
    }
    String what = "input " + Shapes.format(input.shape()) + " with hiddenSize " + cfg.hiddenSize();
    if (!Checks.fitsArray(rows, cfg.gateWidth())) {
      throw Checks.tooLarge(cfg.name(), what, "the gate trace [T*B, " + cfg.kind().gates() + " * hiddenSize]", rows,
          cfg.gateWidth());
    }
    if (!Checks.fitsArray(rows + batch, cfg.hiddenSize())) {
      throw Checks.tooLarge(cfg.name(), what, "the state trace [(T+1)*B, hiddenSize]", rows + batch,
          cfg.hiddenSize());
    }
    throw Checks.tooLarge(cfg.name(), what, "the output [T*B, " + cfg.directions() + " * hiddenSize]", rows, outW);
  }

  private void checkState(String arg, Tensor s, int batch) {
    if (s == null) {
      return;
    }
    // h0 is P wide for an LSTM with a projection, c0 always H
    boolean cell = arg.equals("c0");
    int width = cell ? cfg.hiddenSize() : cfg.stateSize();
    String symbol = cell || width == cfg.hiddenSize() ? "H" : "P";
    int n = cfg.numLayers() * cfg.directions();
    if (s.dtype() == dtype && s.rank() == 3 && s.size(0) == n && s.size(1) == batch && s.size(2) == width) {
      return; // valid: build no message (every call passes here)
    }
    String want = Shapes.format(new int[] {n, batch, width});
    if (s.dtype() != dtype) {
      throw new IllegalArgumentException(cfg.name() + ": " + arg + ": dtype " + s.dtype() + " differs from the "
          + "layer's " + dtype);
    }
    if (s.rank() == 3 && !cfg.bidirectional() && s.size(0) == 2 * cfg.numLayers() && s.size(1) == batch
        && s.size(2) == width) {
      throw new IllegalArgumentException(cfg.name() + ": " + arg + ": " + Shapes.format(s.shape())
          + " holds reverse-direction states, but the layer is unidirectional; expected " + want);
    }
    if (s.rank() != 3 || s.size(0) != n || s.size(1) != batch || s.size(2) != width) {
      throw new IllegalArgumentException(cfg.name() + ": " + arg + ": expected [numLayers * directions, B, " + symbol
          + "] = " + want + ", got " + Shapes.format(s.shape()));
    }
  }

  private int[] checkLengths(int[] lengths, int steps, int batch) {
    if (lengths == null) {
      return null;
    }
    if (lengths.length != batch) {
      throw new IllegalArgumentException(cfg.name() + ": lengths: expected " + batch + " lengths (one per "
          + "sequence), got " + lengths.length);
    }
    for (int b = 0; b < batch; b++) {
      if (lengths[b] < 1 || lengths[b] > steps) {
        throw new IllegalArgumentException(cfg.name() + ": lengths: lengths[" + b + "] = " + lengths[b]
            + " is outside [1, T = " + steps + "]");
      }
    }
    return lengths.clone();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Saving and loading with the configuration
  // ---------------------------------------------------------------------------------------------------------------

  /** {@link #save(Path, Map)} without entries of the caller's own. */
  public final void save(Path path) throws IOException {
    save(path, Map.of());
  }

  /**
   * Saves the parameters (PyTorch's {@code state_dict} names, as {@link Safetensors#save}) and the configuration (cell
   * with its GRU variant or RNN nonlinearity, sizes, layers, bias, batch-first, directions and merge mode, dropout,
   * dtype, format version; keys under {@code rnn4j.}, listed in {@code docs/safetensors.md}) atomically, so that
   * {@link #load(Path)} rebuilds the layer. {@code metadata} is stored alongside (a vocabulary, a description).
   *
   * @throws IllegalArgumentException if a metadata key starts with {@code rnn4j.} or a key or value is null
   */
  public final void save(Path path, Map<String, String> metadata) throws IOException {
    String op = cfg.name() + ".save";
    if (metadata == null) {
      throw new IllegalArgumentException(op + ": metadata is null (Map.of() for none)");
    }
    Safetensors.save(this, path, ModelMetadata.merge(op, ModelMetadata.describe(cfg, dtype), metadata));
  }

  /**
   * A new layer of the given cell kind (with its variant: the GRU's reset position, the RNN's nonlinearity) on
   * {@code options}: an {@link LSTM}, {@link GRU} or {@link RNN}. The one place that maps a kind to its class, for the
   * loaders and for code that builds a layer from a kind it was given.
   *
   * @throws IllegalArgumentException if {@code kind} or {@code options} is null, or the options do not fit the kind
   */
  public static RecurrentLayer create(CellKind kind, RecurrentOptions options) {
    if (kind == null || options == null) {
      throw new IllegalArgumentException("RecurrentLayer.create: " + (kind == null ? "kind" : "options") + " is null");
    }
    return switch (kind) {
      case LSTM -> new LSTM(options);
      case GRU -> new GRU(options.resetAfter(true));
      case GRU_RESET_BEFORE -> new GRU(options.resetAfter(false));
      case RNN_TANH -> new RNN(options.nonlinearity(RecurrentOptions.Nonlinearity.TANH));
      case RNN_RELU -> new RNN(options.nonlinearity(RecurrentOptions.Nonlinearity.RELU));
    };
  }

  /**
   * Rebuilds a layer saved by {@link #save(Path, Map)}: an {@link LSTM}, {@link GRU} or {@link RNN} with the saved
   * configuration and weights, in training mode. For a file without the configuration (a PyTorch {@code state_dict})
   * build the layer yourself and use {@link Safetensors#load(dev.rnn4j.nn.Module, Path)}.
   *
   * @throws IllegalArgumentException if the file has no configuration, holds a {@link SequenceModel}, or its tensors do
   *     not match its configuration (the message names the file and what differs)
   * @throws IOException if the file cannot be read or is not well-formed safetensors
   */
  public static RecurrentLayer load(Path path) throws IOException {
    return load("RecurrentLayer.load", path, null);
  }

  /** Loads a layer whose model entry must be {@code want} ("LSTM", "GRU", "RNN"), or any when null. */
  static RecurrentLayer load(String op, Path path, String want) throws IOException {
    if (path == null) {
      throw new IllegalArgumentException(op + ": path is null");
    }
    Map<String, String> meta = ModelMetadata.read(path);
    String model = ModelMetadata.model(op, path, meta);
    String cell = meta.get(ModelMetadata.PREFIX + "cell");
    if (model.equals(SequenceModel.MODEL)) {
      throw new IllegalArgumentException(op + ": " + path + " holds a SequenceModel (a " + cell + " stack with "
          + "an embedding or head), not a single layer; load it with SequenceModel.load");
    }
    if (!List.of("LSTM", "GRU", "RNN").contains(model)) {
      throw new IllegalArgumentException(op + ": " + path + ": metadata 'rnn4j.model' is '" + model
          + "', expected LSTM, GRU, RNN or SequenceModel");
    }
    if (want != null && !want.equals(model)) {
      throw new IllegalArgumentException(op + ": " + path + " holds a " + model + " (cell " + cell + "), not a "
          + want + "; load it with " + model + ".load or RecurrentLayer.load");
    }
    RecurrentLayer layer = ModelMetadata.newLayer(op, path, meta);
    if (!layer.config().name().equals(model)) {
      throw new IllegalArgumentException(op + ": " + path + ": metadata says model " + model + " but cell " + cell
          + ", which is a " + layer.config().name());
    }
    Safetensors.load(layer, path);
    return layer;
  }

  /**
   * A copy of this stack for inference with its weight matrices stored as bfloat16 or int8 (one scale per output
   * row); biases, activations and sums stay float32 (see {@link QuantizedRecurrentLayer} and
   * {@code docs/quantization.md}). Later changes of this layer's parameters do not reach the copy.
   *
   * @throws IllegalArgumentException for a null format, a FLOAT64 layer, an LSTM with a
   *     projection or peepholes (the quantized cells have no weight_hr or weight_peephole) or a non-finite weight
   *     (each message names the layer, the argument and what is wrong)
   */
  public final QuantizedRecurrentLayer quantize(WeightFormat format) {
    return QuantizedRecurrentLayer.of(this, format);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Streaming
  // ---------------------------------------------------------------------------------------------------------------

  /**
   * A zero streaming state for {@code batch} streams, using the kernels current now ({@link KernelScope}).
   *
   * @throws IllegalArgumentException for a bidirectional layer or {@code batch < 1}
   */
  public final StreamState newStreamState(int batch) {
    // batch < 1 and a bidirectional layer are rejected by the state itself
    if (batch > 0 && !Checks.fitsArray(batch, cfg.gateWidth())) {
      throw Checks.tooLarge(cfg.name() + ": newStreamState", "batch " + batch, "the gate scratch [batch, "
          + cfg.kind().gates() + " * hiddenSize]", batch, cfg.gateWidth());
    }
    return new StreamState(cfg, dtype, KernelScope.current(), batch);
  }

  /**
   * One time step of every layer, without autograd: {@code x} [B, I] in, the top layer's new state [B, H] out
   * ([B, P] for an LSTM with a projection; a view owned by {@code state}, overwritten by the next step). Stepping through a sequence gives the outputs of
   * {@link #forward(Tensor)} on it, bit for bit with the same kernels.
   *
   * <p>The weight matrices are packed for the kernels once and shared by all of this layer's stream states; they are
   * packed again (allocating) at the first step after the weights change, which the layer notices through
   * {@link Tensor#version()}: optimizer steps, loading and {@link Tensor#copyFrom} count, a direct write into a
   * weight's backing array must be followed by {@link Tensor#markModified()}. Otherwise a step allocates nothing.
   */
  public final Tensor step(Tensor x, StreamState state) {
    if (x == null) { // checked without building a message: step must not allocate
      throw new IllegalArgumentException(cfg.name() + ": step: input is null");
    }
    checkState(state);
    if (x.dtype() != dtype || x.rank() != 2 || x.size(0) != state.batch() || x.size(1) != cfg.inputSize()) {
      throw new IllegalArgumentException(cfg.name() + ": step input: expected " + dtype + " [" + state.batch()
          + ", " + cfg.inputSize() + "], got " + x.dtype() + " " + Shapes.format(x.shape()));
    }
    prepareStep(state);
    return state.step(x);
  }

  /**
   * {@link #step(Tensor, StreamState)} on caller arrays, for serving without tensors: reads the input rows [B, I] from
   * {@code x[xOff, xOff + B * I)} and writes the top layer's new state [B, H] (P wide with a projection) into
   * {@code h[hOff, hOff + B * H)}, row after row. The same arithmetic as the tensor step, so the same bits; allocates nothing (except when the weights
   * changed, as there). {@code h} may be the array the next call reads its input from, but the two ranges must not
   * overlap.
   *
   * @param x not modified
   * @param h modified
   * @throws IllegalArgumentException for a float64 layer, a state of another layer, a null array or a range that does
   *     not fit
   */
  public final void step(float[] x, int xOff, StreamState state, float[] h, int hOff) {
    checkStepArrays(DType.FLOAT32, state, x == null ? -1 : x.length, xOff, h == null ? -1 : h.length, hOff);
    prepareStep(state);
    state.stepInto(x, xOff, h, hOff);
  }

  /** The float64 twin of {@link #step(float[], int, StreamState, float[], int)}. */
  public final void step(double[] x, int xOff, StreamState state, double[] h, int hOff) {
    checkStepArrays(DType.FLOAT64, state, x == null ? -1 : x.length, xOff, h == null ? -1 : h.length, hOff);
    prepareStep(state);
    state.stepInto(x, xOff, h, hOff);
  }

  /**
   * {@code steps} time steps of every layer on caller arrays, without autograd: the array step
   * {@link #step(float[], int, StreamState, float[], int)} applied to {@code steps} input rows at once, for serving a
   * whole sequence (or a chunk of a stream) with nothing allocated. Reads the time-major input [steps, B, I] from
   * {@code x[xOff...]} (time-major whatever {@code batchFirst} says, like the step), continues from the state's
   * current states, writes the top layer's state after every step [steps, B, H] (P wide with a projection) into
   * {@code out[outOff...]}, and leaves the last states in {@code state}.
   *
   * <p>The bits equal {@code steps} calls of the array step, and {@link #forward(Tensor, Tensor, Tensor, int[])} on
   * the same sequence with the state's states as h0 (and c0), with the same kernels; it is faster than the steps at
   * batch 1 because each layer projects all its input rows in one product, and faster than {@code forward} because
   * the packed weights are kept between calls (repacked only after the weights change, as for the step) and nothing
   * is allocated: the state's scratch grows only when a call has more steps than every earlier one. Every stream
   * runs all {@code steps} steps (no variable lengths) and runs on the calling thread.
   *
   * @param x not modified
   * @param out modified; must not overlap {@code x}'s range
   * @throws IllegalArgumentException for a float64 layer, a state of another layer, {@code steps < 1}, a null array
   *     or a range that does not fit
   */
  public final void steps(float[] x, int xOff, int steps, StreamState state, float[] out, int outOff) {
    checkStepsArrays(DType.FLOAT32, state, steps, x == null ? -1 : x.length, xOff, out == null ? -1 : out.length,
        outOff);
    checkDisjoint(x == out, state, steps, xOff, outOff);
    prepareStep(state);
    state.stepsInto(x, xOff, steps, out, outOff);
  }

  /** The float64 twin of {@link #steps(float[], int, int, StreamState, float[], int)}. */
  public final void steps(double[] x, int xOff, int steps, StreamState state, double[] out, int outOff) {
    checkStepsArrays(DType.FLOAT64, state, steps, x == null ? -1 : x.length, xOff, out == null ? -1 : out.length,
        outOff);
    checkDisjoint(x == out, state, steps, xOff, outOff);
    prepareStep(state);
    state.stepsInto(x, xOff, steps, out, outOff);
  }

  /** Rejects an output range that overlaps the input range of the same array (checked arguments). */
  private void checkDisjoint(boolean sameArray, StreamState state, int steps, int xOff, int outOff) {
    long in = (long) steps * state.batch() * cfg.inputSize();
    long o = (long) steps * state.batch() * cfg.stateSize();
    if (sameArray && xOff < outOff + o && outOff < xOff + in) {
      throw new IllegalArgumentException(cfg.name() + ": steps: the output range [" + outOff + ", " + (outOff + o)
          + ") overlaps the input range [" + xOff + ", " + (xOff + in) + ") of the same array");
    }
  }

  /** Checks the arguments of {@link #steps}; array lengths are -1 for null. */
  private void checkStepsArrays(DType want, StreamState state, int steps, int xLength, int xOff, int outLength,
                                int outOff) {
    checkState(state);
    // The message parts are built on the failure paths only: a passing check must not allocate.
    String type = want == DType.FLOAT32 ? "float[]" : "double[]";
    if (dtype != want) {
      throw new IllegalArgumentException(cfg.name() + ": steps: " + type + " arrays for a " + dtype + " layer");
    }
    if (steps < 1) {
      throw new IllegalArgumentException(cfg.name() + ": steps: steps must be >= 1, got " + steps);
    }
    long rows = (long) steps * state.batch();
    long widest = Math.max(cfg.gateWidth(), Math.max(cfg.inputSize(), cfg.stateSize()));
    if (rows * widest > Integer.MAX_VALUE - 8) {
      throw Checks.tooLarge(cfg.name() + ": steps", "steps " + steps,
          "the scratch [steps * batch, max(gates * hiddenSize, inputSize, stateSize)]", rows, widest);
    }
    long in = rows * cfg.inputSize();
    long o = rows * cfg.stateSize();
    if (xLength < 0 || xOff < 0 || xOff > xLength - in) {
      throw new IllegalArgumentException(cfg.name() + ": steps input: " + (xLength < 0 ? "null " + type
          : "offset " + xOff + " + [" + steps + ", " + state.batch() + ", " + cfg.inputSize() + "] = " + in
          + " elements does not fit in an array of length " + xLength));
    }
    if (outLength < 0 || outOff < 0 || outOff > outLength - o) {
      throw new IllegalArgumentException(cfg.name() + ": steps output: " + (outLength < 0 ? "null " + type
          : "offset " + outOff + " + [" + steps + ", " + state.batch() + ", " + cfg.stateSize() + "] = " + o
          + " elements does not fit in an array of length " + outLength));
    }
  }

  private void checkState(StreamState state) {
    if (state == null) {
      throw new IllegalArgumentException(cfg.name() + ": step: state is null (newStreamState(batch) makes one)");
    }
    if (state.config() != cfg) {
      throw new IllegalArgumentException(cfg.name() + ": state: belongs to another layer");
    }
  }

  /** Checks the array step's arguments; array lengths are -1 for null. */
  private void checkStepArrays(DType want, StreamState state, int xLength, int xOff, int hLength, int hOff) {
    checkState(state);
    String type = want == DType.FLOAT32 ? "float[]" : "double[]";
    if (dtype != want) {
      throw new IllegalArgumentException(cfg.name() + ": step: " + type + " arrays for a " + dtype + " layer");
    }
    int in = state.batch() * cfg.inputSize();
    int out = state.batch() * cfg.stateSize();
    if (xLength < 0 || xOff < 0 || xOff > xLength - in) {
      throw new IllegalArgumentException(cfg.name() + ": step input: " + (xLength < 0 ? "null " + type
          : "offset " + xOff + " + [" + state.batch() + ", " + cfg.inputSize() + "] = " + in
          + " elements does not fit in an array of length " + xLength));
    }
    if (hLength < 0 || hOff < 0 || hOff > hLength - out) {
      throw new IllegalArgumentException(cfg.name() + ": step output: " + (hLength < 0 ? "null " + type
          : "offset " + hOff + " + [" + state.batch() + ", " + cfg.stateSize() + "] = " + out
          + " elements does not fit in an array of length " + hLength));
    }
  }

  /**
   * The packed step matrices of every layer-direction for the weights' current versions on {@code k} (this dtype's
   * kernels of a set): the kept ones, or new ones made with {@code packer} (which packs on {@code k}) and kept, or
   * null: the call packs into its runner's storage. Each pack is immutable and published whole through a volatile
   * field, so calls on several threads share it; two threads that both find the weights changed each pack into their
   * own new storage, and one of the two equal packs stays.
   */
  private Object[] forwardPacks(Object k, IntFunction<Object> packer) {
    int count = cfg.numLayers() * cfg.directions();
    StreamPack pack = forwardPack;
    if (pack != null && pack.matches(k, dtype, count, packedMatrices)) {
      return pack.all();
    }
    // The streaming steps' pack is the same matrices when it was made on the same kernels (unidirectional layers):
    // share it rather than keep a second copy.
    StreamPack steps = streamPack;
    if (steps != null && steps.matches(k, dtype, count, packedMatrices)) {
      forwardPack = steps;
      return steps.all();
    }
    // A kept pack needs new storage (the old one may be in use on another thread), 1.5 MiB for the train LSTM, and
    // packing into new storage costs several times packing into warm reused storage. A training loop changes the
    // weights before every call, so a pack is kept only when a second call finds the versions the first one found
    // unchanged; until then each call packs into its own runner's storage, as every pass did before.
    // Versions only grow, so their sum is unchanged exactly when every one is. The two fields are a hint read and
    // written without a lock: a race costs at most one pack more or one call packing into its runner.
    long sum = StreamPack.versionSum(packedMatrices, count);
    boolean seen = seenKernels == k && seenVersionSum == sum;
    seenVersionSum = sum;
    seenKernels = k;
    if (!seen) {
      return null;
    }
    pack = StreamPack.of(k, dtype, count, packedMatrices, packer);
    forwardPack = pack;
    return pack.all();
  }

  /** Points the state at this layer's weights and their packed form, repacking if the weights changed. */
  private void prepareStep(StreamState state) {
    int layers = cfg.numLayers();
    for (int l = 0; l < layers; l++) {
      state.setWeights(l, wih[l], whh[l], bih[l], bhh[l], extras); // unidirectional: index l * 1 + 0
    }
    StreamPack pack = streamPack;
    Object k = StreamPack.kernelsOf(state.kernels(), dtype);
    if (pack == null || !pack.matches(k, dtype, layers, packedMatrices)) {
      // The forward passes' pack serves when it was made on the same kernels from the same versions.
      StreamPack whole = forwardPack;
      pack = whole != null && whole.matches(k, dtype, layers, packedMatrices) ? whole
          : StreamPack.of(state, dtype, layers, packedMatrices);
      streamPack = pack;
    }
    for (int l = 0; l < layers; l++) {
      state.usePacked(l, pack.layer(l));
    }
  }
}
