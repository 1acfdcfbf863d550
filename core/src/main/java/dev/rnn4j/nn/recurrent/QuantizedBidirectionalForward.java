package dev.rnn4j.nn.recurrent;

import dev.rnn4j.kernels.FloatKernels;
import dev.rnn4j.kernels.QuantizedKernels;
import dev.rnn4j.nn.recurrent.internal.QuantizedCell;
import dev.rnn4j.tensor.Tensor;

/**
 * The forward pass of a bidirectional {@link QuantizedRecurrentLayer}, as the float layers run it: per layer, the
 * forward direction over t = 0..T-1 and the reverse direction over t = T-1..0, each with one input product over all
 * T*B rows and per step the recurrent product and pointwise kernel; the two directions' outputs merged
 * ({@link MergeMode#CONCAT}: [forward, reverse] side by side; {@link MergeMode#SUM}: forward + reverse) into the next
 * layer's input; final states [L*2, B, H] in PyTorch's order (layer-major, forward direction first).
 *
 * <p>Unlike the unidirectional forward it cannot run in chunks of time through all layers (a layer's reverse direction
 * needs the whole output of the layer below), so it allocates its per-layer buffers per call: the gates [T*B, G*H],
 * one direction's states [T*B, H] and the merged layer outputs.
 */
final class QuantizedBidirectionalForward {

  private QuantizedBidirectionalForward() {}

  /** The arguments are checked by {@link QuantizedRecurrentLayer#forward(Tensor, Tensor, Tensor)}. */
  static RecurrentOutput run(QuantizedRecurrentLayer layer, FloatKernels f, QuantizedKernels q, Tensor input, int steps,
                             int batch, Tensor h0, Tensor c0) {
    RecurrentConfig cfg = layer.config();
    int hd = cfg.hiddenSize();
    int gw = cfg.gateWidth();
    int layers = cfg.numLayers();
    int outW = cfg.outputSize();
    int rows = steps * batch;
    int bh = batch * hd;
    boolean cell = cfg.kind().hasCellState();
    float[] in = cfg.batchFirst() ? timeMajor(input, steps, batch, cfg.inputSize()) : input.floatData();
    int inOff = cfg.batchFirst() ? 0 : input.offset();
    float[] gates = new float[rows * gw];
    float[] dirOut = new float[rows * hd];
    float[] c = new float[cell ? bh : 0];
    float[] hN = new float[2 * layers * bh];
    float[] cN = cell ? new float[2 * layers * bh] : null;
    QuantizedCell.Scratch scratch = new QuantizedCell.Scratch(cfg.kind(), hd, batch);
    float[] zeros = new float[bh];
    float[] y = null;
    for (int l = 0; l < layers; l++) {
      y = new float[rows * outW];
      for (int d = 0; d < 2; d++) {
        int i = 2 * l + d;
        QuantizedCell qc = layer.cell(i);
        qc.project(f, q, rows, in, inOff, gates, 0);
        if (cell) {
          if (c0 == null) {
            f.fill(bh, 0, c, 0);
          } else {
            f.copy(bh, c0.floatData(), c0.offset() + i * bh, c, 0);
          }
        }
        float[] hPrev = h0 == null ? zeros : h0.floatData();
        int hp = h0 == null ? 0 : h0.offset() + i * bh;
        for (int s = 0; s < steps; s++) {
          int t = d == 0 ? s : steps - 1 - s;
          qc.step(f, q, batch, gates, t * batch * gw, scratch, hPrev, hp, c, 0, dirOut, t * bh, c, 0);
          hPrev = dirOut;
          hp = t * bh;
        }
        f.copy(bh, dirOut, hp, hN, i * bh); // the state after the direction's last step (t = 0 for the reverse)
        if (cell) {
          f.copy(bh, c, 0, cN, i * bh);
        }
        merge(f, cfg.merge(), d, rows, hd, outW, dirOut, y);
      }
      in = y;
      inOff = 0;
    }
    Tensor output = cfg.batchFirst() ? batchFirst(y, steps, batch, outW) : Tensor.wrap(y, 0, steps, batch, outW);
    return new RecurrentOutput(output, Tensor.wrap(hN, 0, 2 * layers, batch, hd),
        cell ? Tensor.wrap(cN, 0, 2 * layers, batch, hd) : null);
  }

  /** Puts direction d's rows [rows, H] into the layer output [rows, outW] as the float layers' stack runner does. */
  private static void merge(FloatKernels f, MergeMode merge, int d, int rows, int hd, int outW, float[] dirOut,
                            float[] y) {
    if (merge == MergeMode.SUM) {
      if (d == 0) {
        f.copy(rows * hd, dirOut, 0, y, 0);
      } else {
        f.add(rows * hd, y, 0, dirOut, 0, y, 0);
      }
      return;
    }
    for (int r = 0; r < rows; r++) {
      f.copy(hd, dirOut, r * hd, y, r * outW + d * hd);
    }
  }

  /** A batch-first input [B, T, I] copied to time-major rows [T * B, I]. */
  private static float[] timeMajor(Tensor input, int steps, int batch, int width) {
    float[] src = input.floatData();
    float[] x = new float[steps * batch * width];
    for (int t = 0; t < steps; t++) {
      for (int b = 0; b < batch; b++) {
        System.arraycopy(src, input.offset() + (b * steps + t) * width, x, (t * batch + b) * width, width);
      }
    }
    return x;
  }

  /** Time-major rows [T * B, W] as a batch-first tensor [B, T, W]. */
  private static Tensor batchFirst(float[] out, int steps, int batch, int width) {
    float[] y = new float[out.length];
    for (int t = 0; t < steps; t++) {
      for (int b = 0; b < batch; b++) {
        System.arraycopy(out, (t * batch + b) * width, y, (b * steps + t) * width, width);
      }
    }
    return Tensor.wrap(y, 0, batch, steps, width);
  }
}
