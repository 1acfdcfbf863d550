package dev.rnn4j.nn.recurrent;

import dev.rnn4j.kernels.FloatKernels;
import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.kernels.QuantizedKernelSelector;
import dev.rnn4j.kernels.QuantizedKernels;
import dev.rnn4j.nn.QuantizedMatrix;
import dev.rnn4j.nn.WeightFormat;
import dev.rnn4j.nn.recurrent.internal.CellParameter;
import dev.rnn4j.nn.recurrent.internal.QuantizedCell;
import dev.rnn4j.tensor.Checks;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.Shapes;
import dev.rnn4j.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A recurrent stack ({@link LSTM}, {@link GRU} or {@link RNN}, unidirectional or bidirectional) for inference with
 * its weight matrices stored as bfloat16 or int8 with one scale per output row ({@link RecurrentLayer#quantize}), in
 * the manner of PyTorch's {@code torch.ao.nn.quantized.dynamic.LSTM} and ONNX Runtime's {@code DynamicQuantizeLSTM},
 * except that
 * the activations are never quantized: inputs, states, biases and every sum stay float32, and each weight is widened
 * to float32 in registers as it is used (weight-only quantization). The cell math is the float layer's, with the same
 * fused pointwise kernels.
 *
 * <p>What it is for: at small batch a step of a float32 layer spends its time reading the weight matrices from memory
 * (a 25 MB LSTM at I = 512, H = 1024 does not fit in any cache per core); int8 reads a quarter of those bytes and
 * bfloat16 half. See {@code docs/quantization.md} for the error bounds and measured speed.
 *
 * <p>A copy: later changes of the float layer's parameters do not reach it. No autograd (the outputs are plain
 * tensors) and no training-mode behaviour (dropout between layers is an identity here). Immutable, so one instance
 * may serve many threads, each with its own {@link QuantizedStreamState}.
 *
 * <p>A bidirectional layer runs {@link #forward} only (both directions, outputs merged as the float layer merges
 * them); streaming needs a unidirectional layer, since the reverse direction starts from the end of the sequence.
 */
public final class QuantizedRecurrentLayer {

  private final RecurrentConfig cfg;
  private final WeightFormat format;
  private final String name;
  /** cells[l * D + d]: layer l, direction d (PyTorch's order of the layer-directions). */
  private final QuantizedCell[] cells;
  /**
   * Engines that finished {@code forward} calls, for the next calls to reuse (their scratch and states): stream
   * engines for a unidirectional layer, bidirectional engines for a bidirectional one. Why spares taken with a
   * compare-and-set to null and not a {@code ThreadLocal}: the layer is shared by threads, and a thread-local engine
   * would stay alive for as long as each thread that ever called does (a pool of many request threads keeps many),
   * while a virtual thread per request would never reuse one. A few slots bound the memory, a slot hands its engine
   * to exactly one call at a time (no two calls share scratch), and a call that finds every slot empty (more
   * concurrent calls than slots) or only engines of other kernels or smaller batches builds its own.
   */
  private final AtomicReferenceArray<SpareEngine> spares = new AtomicReferenceArray<>(SPARES);
  private static final int SPARES = 4;

  private QuantizedRecurrentLayer(RecurrentConfig cfg, WeightFormat format, QuantizedCell[] cells) {
    this.cfg = cfg;
    this.format = format;
    this.name = cfg.name() + " (" + format + ")";
    this.cells = cells;
  }

  /** Quantizes the weights of {@code layer}; see {@link RecurrentLayer#quantize}. */
  static QuantizedRecurrentLayer of(RecurrentLayer layer, WeightFormat format) {
    RecurrentConfig cfg = layer.config();
    String op = cfg.name() + ".quantize";
    if (format == null) {
      throw new IllegalArgumentException(op + ": format is null (BFLOAT16 or INT8)");
    }
    if (layer.dtype() != DType.FLOAT32) {
      throw new IllegalArgumentException(op + ": the layer's weights are " + layer.dtype() + "; quantized inference "
          + "starts from float32 weights (build or load the layer with dtype FLOAT32)");
    }
    List<CellParameter> extras = cfg.variant().extraParameters(cfg);
    if (!extras.isEmpty()) {
      // the quantized cells compute x W_ih^T + h W_hh^T + biases only: they would drop these parameters
      throw new IllegalArgumentException(op + ": a layer with " + extras.get(0).name() + " ["
          + extras.get(0).rows() + ", " + extras.get(0).cols() + "] ("
          + cfg.variant().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ") cannot be quantized; the quantized "
          + "cells are the plain LSTM, GRU and RNN cells, with weight_ih, weight_hh and biases only");
    }
    int dirs = cfg.directions();
    QuantizedCell[] cells = new QuantizedCell[cfg.numLayers() * dirs];
    for (int l = 0; l < cfg.numLayers(); l++) {
      for (int d = 0; d < dirs; d++) {
        Tensor bih = layer.parameter("bias_ih", l, d);
        Tensor bhh = layer.parameter("bias_hh", l, d);
        String suffix = "_l" + l + (d == 1 ? "_reverse" : "");
        cells[l * dirs + d] = new QuantizedCell(cfg.kind(), cfg.layerInputSize(l), cfg.hiddenSize(),
            QuantizedMatrix.quantize(op, "weight_ih" + suffix, layer.parameter("weight_ih", l, d), format),
            QuantizedMatrix.quantize(op, "weight_hh" + suffix, layer.parameter("weight_hh", l, d), format,
                QuantizedCell.recurrentBlocks(cfg.kind(), cfg.hiddenSize())),
            bih == null ? null : bih.toFloatArray(), bhh == null ? null : bhh.toFloatArray());
      }
    }
    return new QuantizedRecurrentLayer(cfg, format, cells);
  }

  /** A layer of given cells (loaded from a file). */
  static QuantizedRecurrentLayer of(RecurrentConfig cfg, WeightFormat format, QuantizedCell[] cells) {
    return new QuantizedRecurrentLayer(cfg, format, cells);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Saving and loading (QuantizedLayerFiles)
  // ---------------------------------------------------------------------------------------------------------------

  /** {@link #save(Path, Map)} without entries of the caller's own. */
  public void save(Path path) throws IOException {
    save(path, Map.of());
  }

  /**
   * Saves the stored weights and the configuration as safetensors, atomically (a failed save leaves any earlier
   * file as it was): the weights row-major under PyTorch's names ({@code weight_ih_l0}, ...) as I8 with an F32
   * {@code weight_ih_l0_scale} per row, or as BF16; biases F32; the configuration and the weight format in the
   * metadata (docs/quantization.md). About a quarter (int8) or half (bfloat16) of the float32 layer's file.
   * {@link #load(Path)} rebuilds the layer bit for bit.
   *
   * @param metadata the caller's own entries (a vocabulary, a description); keys must not start with {@code rnn4j.}
   * @throws IllegalArgumentException for a null path or metadata, or a metadata key with the reserved prefix
   */
  public void save(Path path, Map<String, String> metadata) throws IOException {
    QuantizedLayerFiles.save(this, path, metadata);
  }

  /**
   * Rebuilds a layer saved by {@link #save(Path, Map)} without the caller knowing its shape, packing its weights for
   * the kernels current now.
   *
   * @throws IllegalArgumentException naming the file and the tensor, for a file that is not a saved quantized layer
   *     or is inconsistent: a missing or unexpected tensor, a wrong dtype or shape (a scale of the wrong length, a
   *     weight of the other format), a negative or non-finite scale, an int8 of -128, a non-finite bfloat16;
   *     nothing is built then
   * @throws dev.rnn4j.io.SafetensorsFormatException if the file is not well-formed safetensors
   */
  public static QuantizedRecurrentLayer load(Path path) throws IOException {
    return QuantizedLayerFiles.load(path);
  }

  /** The shape of the stack (that of the layer it was made from). */
  public RecurrentConfig config() {
    return cfg;
  }

  public WeightFormat format() {
    return format;
  }

  /** The quantized {@code weight_ih_l{layer}} (of the forward direction). */
  public QuantizedMatrix weightIh(int layer) {
    return weightIh(layer, 0);
  }

  /** The quantized {@code weight_hh_l{layer}} (of the forward direction). */
  public QuantizedMatrix weightHh(int layer) {
    return weightHh(layer, 0);
  }

  /** The quantized {@code weight_ih_l{layer}} of direction 0, or 1 ({@code weight_ih_l{layer}_reverse}). */
  public QuantizedMatrix weightIh(int layer, int direction) {
    return cells[checkLayer("weightIh", layer) * cfg.directions() + checkDirection("weightIh", direction)].wih;
  }

  /** The quantized {@code weight_hh_l{layer}} of direction 0, or 1 ({@code weight_hh_l{layer}_reverse}). */
  public QuantizedMatrix weightHh(int layer, int direction) {
    return cells[checkLayer("weightHh", layer) * cfg.directions() + checkDirection("weightHh", direction)].whh;
  }

  /** The bytes the weights and biases take (the float32 layer takes {@code 4 * (number of parameters)}). */
  public long storageBytes() {
    long n = 0;
    for (QuantizedCell c : cells) {
      n += c.storageBytes();
    }
    return n;
  }

  int checkLayer(String op, int layer) {
    if (layer < 0 || layer >= cfg.numLayers()) {
      throw new IllegalArgumentException(name + ": " + op + ": layer " + layer + " out of range [0, "
          + cfg.numLayers() + ")");
    }
    return layer;
  }

  private int checkDirection(String op, int direction) {
    if (direction < 0 || direction >= cfg.directions()) {
      throw new IllegalArgumentException(name + ": " + op + ": direction " + direction + " out of range [0, "
          + cfg.directions() + ")" + (cfg.bidirectional() ? "" : " (the layer is unidirectional)"));
    }
    return direction;
  }

  /** The cell of layer-direction {@code i = layer * D + direction}. */
  QuantizedCell cell(int i) {
    return cells[i];
  }

  String name() {
    return name;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Whole sequences
  // ---------------------------------------------------------------------------------------------------------------

  /** {@code forward(input, null, null)}: zero initial states. */
  public RecurrentOutput forward(Tensor input) {
    return forward(input, null, null);
  }

  /**
   * Runs the stack over a batch of sequences of full length, as {@link RecurrentLayer#forward(Tensor, Tensor, Tensor,
   * int[])} does without lengths: per layer one product for the input projection of all steps, then per step the
   * recurrent product and the pointwise kernel. Uses the kernels current now ({@link KernelScope}). A bidirectional
   * layer runs the reverse direction over t = T-1..0 and merges the two as the float layer does. Allocates its
   * outputs only (once the layer has served a call of this batch and, with two or more bidirectional layers, this
   * length): the scratch is borrowed from the layer, one call at a time, so threads may call it at once.
   *
   * @param input float32 [T, B, I] (or [B, T, I] batch-first)
   * @param h0 float32 [L*D, B, H] initial states (D = 2 if bidirectional), or null for zeros
   * @param c0 float32 [L*D, B, H] initial cell states (LSTM only), or null for zeros
   * @return output [T, B, W] (or [B, T, W]; W the output width: H, or 2H for a bidirectional CONCAT), hN and cN
   *     [L*D, B, H] (cN null but for the LSTM), new tensors
   * @throws IllegalArgumentException naming this layer, the argument and the shapes, for a null input, a wrong dtype,
   *     rank or size, or states of the wrong shape
   */
  public RecurrentOutput forward(Tensor input, Tensor h0, Tensor c0) {
    String layout = cfg.batchFirst() ? "[B, T, " + cfg.inputSize() + "]" : "[T, B, " + cfg.inputSize() + "]";
    if (input == null) {
      throw new IllegalArgumentException(name + ": forward: input is null");
    }
    if (input.dtype() != DType.FLOAT32 || input.rank() != 3 || input.size(2) != cfg.inputSize()
        || input.size(0) < 1 || input.size(1) < 1) {
      throw new IllegalArgumentException(name + ": forward: input: expected float32 " + layout + " with T, B >= 1, got "
          + input.dtype() + " " + Shapes.format(input.shape()));
    }
    int steps = cfg.batchFirst() ? input.size(1) : input.size(0);
    int batch = cfg.batchFirst() ? input.size(0) : input.size(1);
    int hd = cfg.hiddenSize();
    int layers = cells.length;
    checkState("h0", h0, batch);
    if (c0 != null && !cfg.kind().hasCellState()) {
      throw new IllegalArgumentException(name + ": forward: c0: only an LSTM has a cell state, got "
          + Shapes.format(c0.shape()));
    }
    checkState("c0", c0, batch);
    long rows = (long) steps * batch;
    if (!Checks.fitsArray(rows, cfg.gateWidth())) {
      throw Checks.tooLarge(name + ": forward", "input " + Shapes.format(input.shape()), "the gates [T*B, "
          + cfg.kind().gates() + " * hiddenSize]", rows, cfg.gateWidth());
    }
    if (!Checks.fitsArray(rows, cfg.outputSize())) { // wider than the gates: a bidirectional RNN's CONCAT, 2H
      throw Checks.tooLarge(name + ": forward", "input " + Shapes.format(input.shape()), "the output [T*B, "
          + "outputSize]", rows, cfg.outputSize());
    }
    Kernels k = KernelScope.current();
    FloatKernels f = k.f32();
    QuantizedKernels q = QuantizedKernelSelector.matching(k);
    // The engines on spare scratch: the call allocates its outputs only (and an engine when no spare fits). A layer's
    // spares are all of its own kind, so the casts hold.
    SpareEngine spare = takeSpare(f, q, batch);
    if (cfg.bidirectional()) {
      QuantizedBidirectionalEngine be = spare != null ? (QuantizedBidirectionalEngine) spare
          : new QuantizedBidirectionalEngine(this, f, q, batch);
      RecurrentOutput r = be.run(input, steps, batch, h0, c0);
      giveBack(be);
      return r;
    }
    QuantizedStreamEngine e = spare != null ? (QuantizedStreamEngine) spare
        : new QuantizedStreamEngine(this, f, q, batch);
    int bh = batch * hd;
    for (int l = 0; l < layers; l++) {
      if (h0 == null) {
        f.fill(bh, 0, e.h[l], 0);
      } else {
        f.copy(bh, h0.floatData(), h0.offset() + l * bh, e.h[l], 0);
      }
      if (cfg.kind().hasCellState()) {
        if (c0 == null) {
          f.fill(bh, 0, e.c[l], 0);
        } else {
          f.copy(bh, c0.floatData(), c0.offset() + l * bh, e.c[l], 0);
        }
      }
    }
    float[] out = new float[(int) rows * hd];
    e.run(batch, steps, input.floatData(), input.offset(), cfg.batchFirst(), out, 0);
    float[] hN = new float[layers * bh];
    float[] cN = cfg.kind().hasCellState() ? new float[layers * bh] : null;
    for (int l = 0; l < layers; l++) {
      f.copy(bh, e.h[l], 0, hN, l * bh);
      if (cN != null) {
        f.copy(bh, e.c[l], 0, cN, l * bh);
      }
    }
    giveBack(e);
    // wrapped, not copied (fromArray would clone each array): the arrays are new and the caller's alone
    Tensor output = cfg.batchFirst() ? Tensor.wrap(out, 0, batch, steps, hd)
        : Tensor.wrap(out, 0, steps, batch, hd);
    return new RecurrentOutput(output, Tensor.wrap(hN, 0, layers, batch, hd),
        cN == null ? null : Tensor.wrap(cN, 0, layers, batch, hd));
  }

  /** A spare engine for these kernels and at least {@code batch} sequences, now the caller's alone, or null. */
  private SpareEngine takeSpare(FloatKernels f, QuantizedKernels q, int batch) {
    for (int i = 0; i < SPARES; i++) {
      SpareEngine e = spares.get(i);
      if (e != null && e.serves(f, q, batch) && spares.compareAndSet(i, e, null)) {
        return e;
      }
    }
    return null;
  }

  /** Keeps {@code e} for a later call if a slot is free (otherwise it is dropped). */
  private void giveBack(SpareEngine e) {
    for (int i = 0; i < SPARES; i++) {
      if (spares.compareAndSet(i, null, e)) {
        return;
      }
    }
  }

  private void checkState(String arg, Tensor s, int batch) {
    if (s == null) {
      return;
    }
    if (s.dtype() != DType.FLOAT32 || s.rank() != 3 || s.size(0) != cells.length || s.size(1) != batch
        || s.size(2) != cfg.hiddenSize()) {
      throw new IllegalArgumentException(name + ": forward: " + arg + ": expected float32 [numLayers * directions, B, "
          + "H] = "
          + Shapes.format(new int[] {cells.length, batch, cfg.hiddenSize()}) + ", got " + s.dtype() + " "
          + Shapes.format(s.shape()));
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Streaming
  // ---------------------------------------------------------------------------------------------------------------

  /**
   * A zero streaming state for {@code batch} streams, with all scratch space, using the kernels current now.
   *
   * @throws IllegalStateException for a bidirectional layer (a stream cannot see the future)
   * @throws IllegalArgumentException for {@code batch < 1} or a batch whose scratch does not fit an array
   */
  public QuantizedStreamState newStreamState(int batch) {
    checkStreamable("newStreamState");
    if (batch < 1) {
      throw new IllegalArgumentException(name + ": newStreamState: batch must be >= 1, got " + batch);
    }
    int rows = Math.max(batch, QuantizedStreamEngine.CHUNK_ROWS);
    if (!Checks.fitsArray(rows, cfg.gateWidth())) {
      throw Checks.tooLarge(name + ": newStreamState", "batch " + batch, "the gate scratch [max(batch, "
          + QuantizedStreamEngine.CHUNK_ROWS + "), " + cfg.kind().gates() + " * hiddenSize]", rows, cfg.gateWidth());
    }
    return new QuantizedStreamState(this, KernelScope.current(), batch);
  }

  /**
   * One time step of every layer: {@code x} float32 [B, I] in, the top layer's new state [B, H] out (a view owned by
   * {@code state}, overwritten by the next step). Stepping through a sequence gives {@link #forward(Tensor)}'s outputs
   * bit for bit with the same kernels. Allocates nothing.
   *
   * @throws IllegalStateException for a bidirectional layer
   * @throws IllegalArgumentException for a null input or state, a state of another layer, or a wrong dtype or shape
   */
  public Tensor step(Tensor x, QuantizedStreamState state) {
    checkStreamable("step");
    checkStreamState("step", state);
    if (x == null) {
      throw new IllegalArgumentException(name + ": step: input is null");
    }
    if (x.dtype() != DType.FLOAT32 || x.rank() != 2 || x.size(0) != state.batch() || x.size(1) != cfg.inputSize()) {
      throw new IllegalArgumentException(name + ": step input: expected float32 [" + state.batch() + ", "
          + cfg.inputSize() + "], got " + x.dtype() + " " + Shapes.format(x.shape()));
    }
    state.step(x.floatData(), x.offset());
    return state.topView();
  }

  /**
   * {@link #step(Tensor, QuantizedStreamState)} on caller arrays: reads [B, I] from {@code x[xOff, xOff + B * I)} and
   * writes the top layer's new state [B, H] into {@code h[hOff, hOff + B * H)}. Allocates nothing.
   *
   * @param x not modified
   * @param h written; may be the array the next call reads from, but the two ranges must not overlap
   * @throws IllegalStateException for a bidirectional layer
   * @throws IllegalArgumentException for a null array or state, a state of another layer, or a range that does not
   *     fit
   */
  public void step(float[] x, int xOff, QuantizedStreamState state, float[] h, int hOff) {
    checkStreamable("step");
    checkStreamState("step", state);
    checkRanges("step", 1, state, x, xOff, h, hOff);
    state.steps(x, xOff, 1, h, hOff);
  }

  /**
   * {@code steps} time steps of every layer on caller arrays: reads the time-major input [steps, B, I] from
   * {@code x[xOff...]} (time-major whatever {@code batchFirst} says, like the step), continues from the state's
   * current states, writes the top layer's state after every step [steps, B, H] into {@code out[outOff...]}, and
   * leaves the last states in {@code state}. As {@link RecurrentLayer#steps(float[], int, int, StreamState, float[],
   * int)} for the float layers: each layer projects many steps' input rows in one product against the quantized
   * W_ih, then runs the recurrent product and the pointwise kernel per step.
   *
   * <p>The bits equal {@code steps} calls of {@link #step(float[], int, QuantizedStreamState, float[], int)}, and
   * {@link #forward(Tensor, Tensor, Tensor)} on the same sequence with the state's states as h0 (and c0), with the
   * same kernels. Allocates nothing, for any number of steps: the state holds scratch for a chunk of
   * {@code max(1, 64 / B)} steps, fixed when it is made, and a longer call runs chunk after chunk (each row of a
   * quantized product is summed in an order that depends only on its length, so the chunking changes no bit). Runs
   * on the calling thread.
   *
   * @param x not modified
   * @param out written; must not overlap {@code x}'s range
   * @throws IllegalStateException for a bidirectional layer
   * @throws IllegalArgumentException for a null array or state, a state of another layer, {@code steps < 1}, a
   *     negative offset, a range that does not fit, or overlapping input and output ranges
   */
  public void steps(float[] x, int xOff, int steps, QuantizedStreamState state, float[] out, int outOff) {
    checkStreamable("steps");
    checkStreamState("steps", state);
    if (steps < 1) {
      throw new IllegalArgumentException(name + ": steps: steps must be >= 1, got " + steps);
    }
    long rows = (long) steps * state.batch();
    long widest = Math.max(cfg.inputSize(), cfg.hiddenSize());
    if (rows * widest > Integer.MAX_VALUE - 8) {
      throw Checks.tooLarge(name + ": steps", "steps " + steps, "the arrays [steps * batch, max(inputSize, "
          + "hiddenSize)]", rows, widest);
    }
    checkRanges("steps", steps, state, x, xOff, out, outOff);
    long in = rows * cfg.inputSize();
    long o = rows * cfg.hiddenSize();
    if (x == out && xOff < outOff + o && outOff < xOff + in) {
      throw new IllegalArgumentException(name + ": steps: the output range [" + outOff + ", " + (outOff + o)
          + ") overlaps the input range [" + xOff + ", " + (xOff + in) + ") of the same array");
    }
    state.steps(x, xOff, steps, out, outOff);
  }

  /** Input [steps, B, I] at xOff and output [steps, B, H] at outOff must fit their arrays. */
  private void checkRanges(String op, int steps, QuantizedStreamState state, float[] x, int xOff, float[] out,
                           int outOff) {
    // The messages are built on the failure paths only: a passing check must not allocate.
    long in = (long) steps * state.batch() * cfg.inputSize();
    long o = (long) steps * state.batch() * cfg.hiddenSize();
    if (x == null || xOff < 0 || xOff > x.length - in) {
      throw new IllegalArgumentException(name + ": " + op + " input: " + (x == null ? "null float[]" : "offset " + xOff
          + " + " + shape(op, steps, state.batch(), cfg.inputSize()) + " = " + in + " elements does not fit in an "
          + "array of length " + x.length));
    }
    if (out == null || outOff < 0 || outOff > out.length - o) {
      throw new IllegalArgumentException(name + ": " + op + " output: " + (out == null ? "null float[]" : "offset "
          + outOff + " + " + shape(op, steps, state.batch(), cfg.hiddenSize()) + " = " + o + " elements does not fit "
          + "in an array of length " + out.length));
    }
  }

  private static String shape(String op, int steps, int batch, int width) {
    return op.equals("step") ? "[" + batch + ", " + width + "]" : "[" + steps + ", " + batch + ", " + width + "]";
  }

  private void checkStreamable(String op) {
    if (cfg.bidirectional()) {
      throw new IllegalStateException(name + ": " + op + ": a bidirectional layer cannot stream: its reverse direction "
          + "starts from the last time step, which a stream has not seen yet (use forward on whole sequences, or "
          + "quantize a unidirectional layer for streaming)");
    }
  }

  private void checkStreamState(String op, QuantizedStreamState state) {
    if (state == null) {
      throw new IllegalArgumentException(name + ": " + op + ": state is null (newStreamState(batch) makes one)");
    }
    if (state.layer() != this) {
      throw new IllegalArgumentException(name + ": " + op + ": the state belongs to another layer");
    }
  }

  @Override
  public String toString() {
    return "Quantized" + cfg.name() + "(" + format + ", input=" + cfg.inputSize() + ", hidden=" + cfg.hiddenSize()
        + ", layers=" + cfg.numLayers() + (cfg.bidirectional() ? ", bidirectional" : "") + ")";
  }
}
