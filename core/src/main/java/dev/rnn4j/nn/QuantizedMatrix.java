package dev.rnn4j.nn;

import dev.rnn4j.kernels.QuantizedKernelSelector;
import dev.rnn4j.kernels.QuantizedKernels;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.Shapes;
import dev.rnn4j.tensor.Tensor;

/**
 * A float32 weight matrix {@code [rows, cols]} (PyTorch's layout: one row per output) stored in a
 * {@link WeightFormat} for inference, and the product of float32 activations with it. Immutable once made: it is a
 * quantized copy, and later changes of the float32 weights do not reach it (quantize again).
 */
public final class QuantizedMatrix {

  private final WeightFormat format;
  private final int rows;
  private final int cols;
  private final short[] bf16;
  private final byte[] int8;
  private final float[] scale;

  private QuantizedMatrix(WeightFormat format, int rows, int cols, short[] bf16, byte[] int8, float[] scale) {
    this.format = format;
    this.rows = rows;
    this.cols = cols;
    this.bf16 = bf16;
    this.int8 = int8;
    this.scale = scale;
  }

  /**
   * Quantizes a float32 matrix.
   *
   * @param op the operation, for messages ("LSTM.quantize")
   * @param name the weight's name, for messages ("weight_ih_l0")
   * @throws IllegalArgumentException naming op and weight, for a null argument, a weight that is not float32 or not
   *     of rank 2, or a non-finite element (its index is named)
   */
  public static QuantizedMatrix quantize(String op, String name, Tensor weight, WeightFormat format) {
    if (format == null) {
      throw new IllegalArgumentException(op + ": format is null (BFLOAT16 or INT8)");
    }
    if (weight == null) {
      throw new IllegalArgumentException(op + ": " + name + " is null");
    }
    if (weight.dtype() != DType.FLOAT32) {
      throw new IllegalArgumentException(op + ": " + name + ": quantized weights are made from float32 weights, got "
          + weight.dtype() + " " + Shapes.format(weight.shape()) + " (convert the layer's weights to float32 first)");
    }
    if (weight.rank() != 2) {
      throw new IllegalArgumentException(op + ": " + name + ": expected a matrix [rows, cols], got "
          + Shapes.format(weight.shape()));
    }
    float[] w = weight.floatData();
    int off = weight.offset();
    int rows = weight.size(0);
    int cols = weight.size(1);
    for (int i = 0; i < rows * cols; i++) {
      if (!Float.isFinite(w[off + i])) {
        throw new IllegalArgumentException(op + ": " + name + ": element [" + i / cols + ", " + i % cols + "] is "
            + w[off + i] + "; only finite weights can be quantized");
      }
    }
    QuantizedKernels k = QuantizedKernelSelector.matching(KernelScope.current());
    if (format == WeightFormat.BFLOAT16) {
      short[] q = new short[rows * cols];
      k.toBf16(q.length, w, off, q, 0);
      return new QuantizedMatrix(format, rows, cols, q, null, null);
    }
    byte[] q = new byte[rows * cols];
    float[] s = new float[rows];
    k.quantizeInt8(rows, cols, w, off, cols, q, 0, s, 0);
    return new QuantizedMatrix(format, rows, cols, null, q, s);
  }

  public WeightFormat format() {
    return format;
  }

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  /** The bytes the stored weights take (int8: the bytes plus 4 per row scale). */
  public long storageBytes() {
    return format == WeightFormat.BFLOAT16 ? 2L * bf16.length : int8.length + 4L * scale.length;
  }

  /**
   * The int8 row scales (a copy), or null for bfloat16.
   */
  public float[] scales() {
    return scale == null ? null : scale.clone();
  }

  /** The matrix the stored weights stand for, widened to float32 (a new tensor): what the products multiply with. */
  public Tensor dequantize() {
    float[] out = new float[rows * cols];
    if (format == WeightFormat.BFLOAT16) {
      QuantizedKernelSelector.scalar().fromBf16(out.length, bf16, 0, out, 0);
    } else {
      for (int r = 0; r < rows; r++) {
        for (int j = 0; j < cols; j++) {
          out[r * cols + j] = scale[r] * int8[r * cols + j];
        }
      }
    }
    return Tensor.fromArray(out, rows, cols);
  }

  /**
   * {@code C[m, nRows] = A[m, cols] W[firstRow : firstRow + nRows]^T + beta C}: the product with a block of rows. No
   * checks: the layer calling it owns the shapes.
   *
   * @param a not modified, leading dimension lda
   * @param beta 0: C is written without being read
   * @param c modified, leading dimension ldc
   */
  public void multiply(QuantizedKernels k, int m, float[] a, int aOff, int lda, int firstRow, int nRows, float beta,
                       float[] c, int cOff, int ldc) {
    if (format == WeightFormat.BFLOAT16) {
      k.gemmBf16(m, nRows, cols, a, aOff, lda, bf16, firstRow * cols, beta, c, cOff, ldc);
    } else {
      k.gemmInt8(m, nRows, cols, a, aOff, lda, int8, firstRow * cols, scale, firstRow, beta, c, cOff, ldc);
    }
  }
}
