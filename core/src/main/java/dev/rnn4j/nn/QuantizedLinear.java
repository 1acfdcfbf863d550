package dev.rnn4j.nn;

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.kernels.QuantizedKernelSelector;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.Shapes;
import dev.rnn4j.tensor.Tensor;

/**
 * A {@link Linear} for inference with its weight stored in a {@link WeightFormat} ({@link Linear#quantize}):
 * {@code y = x W^T + b} with float32 input, bias, sums and output. No autograd: the output is a plain tensor. A copy:
 * later changes of the Linear's parameters do not reach it. Immutable, so safe to share between threads.
 */
public final class QuantizedLinear {

  private final int inFeatures;
  private final int outFeatures;
  private final QuantizedMatrix weight;
  private final float[] bias;

  QuantizedLinear(Linear linear, WeightFormat format) {
    String op = "Linear.quantize";
    this.inFeatures = linear.inFeatures();
    this.outFeatures = linear.outFeatures();
    this.weight = QuantizedMatrix.quantize(op, "weight", linear.weight(), format);
    this.bias = linear.bias() == null ? null : linear.bias().toFloatArray();
  }

  public int inFeatures() {
    return inFeatures;
  }

  public int outFeatures() {
    return outFeatures;
  }

  /** The stored weight. */
  public QuantizedMatrix weight() {
    return weight;
  }

  /**
   * Applies the layer to {@code x [..., in]} (float32, any rank >= 1), giving a new {@code [..., out]} tensor.
   *
   * @throws IllegalArgumentException if x is null, not float32, or its last dimension is not {@code in}
   */
  public Tensor forward(Tensor x) {
    if (x == null) {
      throw new IllegalArgumentException("QuantizedLinear: input is null");
    }
    if (x.dtype() != DType.FLOAT32 || x.rank() < 1 || x.size(-1) != inFeatures) {
      throw new IllegalArgumentException("QuantizedLinear (" + weight.format() + "): input must be float32 [..., "
          + inFeatures + "], got " + x.dtype() + " " + Shapes.format(x.shape()));
    }
    int rows = x.numel() / inFeatures;
    int[] shape = x.shape().clone();
    shape[shape.length - 1] = outFeatures;
    float[] y = new float[rows * outFeatures];
    apply(KernelScope.current(), x.floatData(), x.offset(), rows, y, 0);
    return Tensor.fromArray(y, shape);
  }

  /**
   * {@link #forward(Tensor)} on caller arrays, allocating nothing: reads {@code rows} input rows from
   * {@code x[xOff, xOff + rows * in)} and writes the output rows to {@code y[yOff, yOff + rows * out)}.
   *
   * @param x not modified
   * @param y written; must not overlap x
   * @throws IllegalArgumentException for a null array, {@code rows < 0} or a range that does not fit
   */
  public void forward(float[] x, int xOff, int rows, float[] y, int yOff) {
    if (x == null || y == null || rows < 0 || xOff < 0 || yOff < 0
        || (long) xOff + (long) rows * inFeatures > x.length || (long) yOff + (long) rows * outFeatures > y.length) {
      throw new IllegalArgumentException("QuantizedLinear.forward: " + rows + " rows of " + inFeatures + " in and "
          + outFeatures + " out do not fit: x " + (x == null ? "null" : "length " + x.length + " offset " + xOff)
          + ", y " + (y == null ? "null" : "length " + y.length + " offset " + yOff));
    }
    apply(KernelScope.current(), x, xOff, rows, y, yOff);
  }

  private void apply(Kernels k, float[] x, int xOff, int rows, float[] y, int yOff) {
    if (bias != null) {
      for (int r = 0; r < rows; r++) {
        k.f32().copy(outFeatures, bias, 0, y, yOff + r * outFeatures);
      }
    }
    weight.multiply(QuantizedKernelSelector.matching(k), rows, x, xOff, inFeatures, 0, outFeatures,
        bias != null ? 1 : 0, y, yOff, outFeatures);
  }

  @Override
  public String toString() {
    return "QuantizedLinear(in=" + inFeatures + ", out=" + outFeatures + ", bias=" + (bias != null) + ", "
        + weight.format() + ")";
  }
}
