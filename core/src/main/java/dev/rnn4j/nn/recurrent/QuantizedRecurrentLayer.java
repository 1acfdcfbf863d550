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

/**
 * A unidirectional recurrent stack ({@link LSTM}, {@link GRU} or {@link RNN}) for inference with its weight matrices
 * stored as bfloat16 or int8 with one scale per output row ({@link RecurrentLayer#quantize}), in the manner of
 * PyTorch's {@code torch.ao.nn.quantized.dynamic.LSTM} and ONNX Runtime's {@code DynamicQuantizeLSTM}, except that
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
 */
public final class QuantizedRecurrentLayer {

  private final RecurrentConfig cfg;
  private final WeightFormat format;
  private final String name;
  private final QuantizedCell[] cells;

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
    if (cfg.bidirectional()) {
      throw new IllegalArgumentException(op + ": a bidirectional layer cannot be quantized; the quantized layers "
          + "serve unidirectional stacks (their use is streaming inference)");
    }
    List<CellParameter> extras = cfg.variant().extraParameters(cfg);
    if (!extras.isEmpty()) {
      // the quantized cells compute x W_ih^T + h W_hh^T + biases only: they would drop these parameters
      throw new IllegalArgumentException(op + ": a layer with " + extras.get(0).name() + " ["
          + extras.get(0).rows() + ", " + extras.get(0).cols() + "] ("
          + cfg.variant().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ") cannot be quantized; the quantized "
          + "cells are the plain LSTM, GRU and RNN cells, with weight_ih, weight_hh and biases only");
    }
    QuantizedCell[] cells = new QuantizedCell[cfg.numLayers()];
    for (int l = 0; l < cells.length; l++) {
      Tensor bih = layer.parameter("bias_ih", l, 0);
      Tensor bhh = layer.parameter("bias_hh", l, 0);
      cells[l] = new QuantizedCell(cfg.kind(), cfg.layerInputSize(l), cfg.hiddenSize(),
          QuantizedMatrix.quantize(op, "weight_ih_l" + l, layer.parameter("weight_ih", l, 0), format),
          QuantizedMatrix.quantize(op, "weight_hh_l" + l, layer.parameter("weight_hh", l, 0), format,
              QuantizedCell.recurrentBlocks(cfg.kind(), cfg.hiddenSize())),
          bih == null ? null : bih.toFloatArray(), bhh == null ? null : bhh.toFloatArray());
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

  /** The quantized {@code weight_ih_l{layer}}. */
  public QuantizedMatrix weightIh(int layer) {
    return cells[checkLayer("weightIh", layer)].wih;
  }

  /** The quantized {@code weight_hh_l{layer}}. */
  public QuantizedMatrix weightHh(int layer) {
    return cells[checkLayer("weightHh", layer)].whh;
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
    if (layer < 0 || layer >= cells.length) {
      throw new IllegalArgumentException(name + ": " + op + ": layer " + layer + " out of range [0, " + cells.length
          + ")");
    }
    return layer;
  }

  QuantizedCell cell(int layer) {
    return cells[layer];
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
   * recurrent product and the pointwise kernel. Uses the kernels current now ({@link KernelScope}).
   *
   * @param input float32 [T, B, I] (or [B, T, I] batch-first)
   * @param h0 float32 [L, B, H] initial states, or null for zeros
   * @param c0 float32 [L, B, H] initial cell states (LSTM only), or null for zeros
   * @return output [T, B, H] (or [B, T, H]), hN and cN [L, B, H] (cN null but for the LSTM), new tensors
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
    Kernels k = KernelScope.current();
    FloatKernels f = k.f32();
    QuantizedKernels q = QuantizedKernelSelector.matching(k);
    int n = (int) rows;
    float[] in = cfg.batchFirst() ? timeMajor(input, steps, batch) : input.floatData();
    int inOff = cfg.batchFirst() ? 0 : input.offset();
    float[] gates = new float[n * cfg.gateWidth()];
    float[] hN = new float[layers * batch * hd];
    float[] cN = new float[cfg.kind().hasCellState() ? layers * batch * hd : 0];
    QuantizedCell.Scratch scratch = new QuantizedCell.Scratch(cfg.kind(), hd, batch);
    float[] zeros = new float[batch * hd];
    float[] out = null;
    for (int l = 0; l < layers; l++) {
      QuantizedCell cell = cells[l];
      out = new float[n * hd];
      cell.project(f, q, n, in, inOff, gates, 0);
      float[] hPrev = h0 == null ? zeros : h0.floatData();
      int hp = h0 == null ? 0 : h0.offset() + l * batch * hd;
      float[] c = cN;
      int co = l * batch * hd;
      if (c0 != null) {
        f.copy(batch * hd, c0.floatData(), c0.offset() + co, cN, co);
      }
      for (int t = 0; t < steps; t++) {
        cell.step(f, q, batch, gates, t * batch * cfg.gateWidth(), scratch, hPrev, hp, c, co, out, t * batch * hd, c,
            co);
        hPrev = out;
        hp = t * batch * hd;
      }
      f.copy(batch * hd, out, (steps - 1) * batch * hd, hN, l * batch * hd);
      in = out;
      inOff = 0;
    }
    Tensor output = cfg.batchFirst() ? batchFirst(out, steps, batch, hd)
        : Tensor.fromArray(out, steps, batch, hd);
    return new RecurrentOutput(output, Tensor.fromArray(hN, layers, batch, hd),
        cfg.kind().hasCellState() ? Tensor.fromArray(cN, layers, batch, hd) : null);
  }

  private void checkState(String arg, Tensor s, int batch) {
    if (s == null) {
      return;
    }
    if (s.dtype() != DType.FLOAT32 || s.rank() != 3 || s.size(0) != cells.length || s.size(1) != batch
        || s.size(2) != cfg.hiddenSize()) {
      throw new IllegalArgumentException(name + ": forward: " + arg + ": expected float32 [numLayers, B, H] = "
          + Shapes.format(new int[] {cells.length, batch, cfg.hiddenSize()}) + ", got " + s.dtype() + " "
          + Shapes.format(s.shape()));
    }
  }

  /** A batch-first input [B, T, I] copied to time-major rows [T * B, I]. */
  private float[] timeMajor(Tensor input, int steps, int batch) {
    int width = cfg.inputSize();
    float[] src = input.floatData();
    float[] x = new float[steps * batch * width];
    for (int t = 0; t < steps; t++) {
      for (int b = 0; b < batch; b++) {
        int from = input.offset() + (b * steps + t) * width;
        System.arraycopy(src, from, x, (t * batch + b) * width, width);
      }
    }
    return x;
  }

  private static Tensor batchFirst(float[] out, int steps, int batch, int hd) {
    float[] y = new float[out.length];
    for (int t = 0; t < steps; t++) {
      for (int b = 0; b < batch; b++) {
        System.arraycopy(out, (t * batch + b) * hd, y, (b * steps + t) * hd, hd);
      }
    }
    return Tensor.fromArray(y, batch, steps, hd);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Streaming
  // ---------------------------------------------------------------------------------------------------------------

  /**
   * A zero streaming state for {@code batch} streams, with all scratch space, using the kernels current now.
   *
   * @throws IllegalArgumentException for {@code batch < 1} or a batch whose scratch does not fit an array
   */
  public QuantizedStreamState newStreamState(int batch) {
    if (batch < 1) {
      throw new IllegalArgumentException(name + ": newStreamState: batch must be >= 1, got " + batch);
    }
    if (!Checks.fitsArray(batch, cfg.gateWidth())) {
      throw Checks.tooLarge(name + ": newStreamState", "batch " + batch, "the gate scratch [batch, "
          + cfg.kind().gates() + " * hiddenSize]", batch, cfg.gateWidth());
    }
    return new QuantizedStreamState(this, KernelScope.current(), batch);
  }

  /**
   * One time step of every layer: {@code x} float32 [B, I] in, the top layer's new state [B, H] out (a view owned by
   * {@code state}, overwritten by the next step). Stepping through a sequence gives {@link #forward(Tensor)}'s outputs
   * bit for bit with the same kernels. Allocates nothing.
   *
   * @throws IllegalArgumentException for a null input or state, a state of another layer, or a wrong dtype or shape
   */
  public Tensor step(Tensor x, QuantizedStreamState state) {
    checkStreamState(state);
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
   * @throws IllegalArgumentException for a null array or state, a state of another layer, or a range that does not
   *     fit
   */
  public void step(float[] x, int xOff, QuantizedStreamState state, float[] h, int hOff) {
    checkStreamState(state);
    int in = state.batch() * cfg.inputSize();
    int out = state.batch() * cfg.hiddenSize();
    if (x == null || xOff < 0 || xOff > x.length - in) {
      throw new IllegalArgumentException(name + ": step input: " + (x == null ? "null float[]" : "offset " + xOff
          + " + [" + state.batch() + ", " + cfg.inputSize() + "] = " + in + " elements does not fit in an array of "
          + "length " + x.length));
    }
    if (h == null || hOff < 0 || hOff > h.length - out) {
      throw new IllegalArgumentException(name + ": step output: " + (h == null ? "null float[]" : "offset " + hOff
          + " + [" + state.batch() + ", " + cfg.hiddenSize() + "] = " + out + " elements does not fit in an array of "
          + "length " + h.length));
    }
    state.step(x, xOff);
    state.copyTop(h, hOff);
  }

  private void checkStreamState(QuantizedStreamState state) {
    if (state == null) {
      throw new IllegalArgumentException(name + ": step: state is null (newStreamState(batch) makes one)");
    }
    if (state.layer() != this) {
      throw new IllegalArgumentException(name + ": step: the state belongs to another layer");
    }
  }

  @Override
  public String toString() {
    return "Quantized" + cfg.name() + "(" + format + ", input=" + cfg.inputSize() + ", hidden=" + cfg.hiddenSize()
        + ", layers=" + cfg.numLayers() + ")";
  }
}
