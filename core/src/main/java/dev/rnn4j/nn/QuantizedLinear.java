package dev.rnn4j.nn;

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.kernels.QuantizedKernelSelector;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.Shapes;
import dev.rnn4j.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

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
    this(QuantizedMatrix.quantize("Linear.quantize", "weight", linear.weight(), format),
        linear.bias() == null ? null : linear.bias().toFloatArray());
  }

  private QuantizedLinear(QuantizedMatrix weight, float[] bias) {
    this.inFeatures = weight.cols();
    this.outFeatures = weight.rows();
    this.weight = weight;
    this.bias = bias;
  }

  /**
   * A layer of a stored weight {@code [out, in]} and a float32 bias (a copy is kept), as a loader that read them
   * from a file builds it.
   *
   * @param bias {@code out} values, or null for none
   * @throws IllegalArgumentException for a null weight or a bias of another length
   */
  public static QuantizedLinear of(QuantizedMatrix weight, float[] bias) {
    if (weight == null) {
      throw new IllegalArgumentException("QuantizedLinear.of: weight is null");
    }
    if (bias != null && bias.length != weight.rows()) {
      throw new IllegalArgumentException("QuantizedLinear.of: bias has " + bias.length + " values, the weight ["
          + weight.rows() + ", " + weight.cols() + "] " + weight.rows() + " output rows");
    }
    return new QuantizedLinear(weight, bias == null ? null : bias.clone());
  }

  /**
   * Rebuilds a layer saved by {@link #save(Path, Map)} without the caller knowing its shape, packing its weight for
   * the kernels current now.
   *
   * @throws IllegalArgumentException naming the file and the tensor, for a file that is not a saved quantized linear
   *     layer or is inconsistent (a missing or unexpected tensor, a wrong dtype or shape, a missing, negative or
   *     non-finite scale, an int8 of -128, a non-finite bfloat16); nothing is built then
   * @throws dev.rnn4j.io.SafetensorsFormatException if the file is not well-formed safetensors (truncated, say)
   */
  public static QuantizedLinear load(Path path) throws IOException {
    return QuantizedLinearFiles.load(path);
  }

  /** {@link #save(Path, Map)} without entries of the caller's own. */
  public void save(Path path) throws IOException {
    save(path, Map.of());
  }

  /**
   * Saves the stored weight and the bias as safetensors, atomically (a failed save leaves any earlier file as it
   * was): {@code weight} as I8 with an F32 {@code weight_scale} per row, or as BF16; {@code bias} F32; the weight
   * format in the metadata (docs/quantization.md). {@link #load(Path)} rebuilds the layer bit for bit.
   *
   * @param metadata the caller's own entries; keys must not start with {@code rnn4j.}
   * @throws IllegalArgumentException for a null path or metadata, or a metadata key with the reserved prefix
   */
  public void save(Path path, Map<String, String> metadata) throws IOException {
    QuantizedLinearFiles.save(this, path, metadata);
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

  /** The bias (a copy), or null. */
  public float[] bias() {
    return bias == null ? null : bias.clone();
  }

  /** The bytes the weight and bias take. */
  public long storageBytes() {
    return weight.storageBytes() + (bias == null ? 0 : 4L * bias.length);
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
