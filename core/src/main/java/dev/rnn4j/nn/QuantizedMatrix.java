package dev.rnn4j.nn;

import dev.rnn4j.kernels.QuantizedKernelSelector;
import dev.rnn4j.kernels.QuantizedLayout;
import dev.rnn4j.kernels.QuantizedKernels;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.Shapes;
import dev.rnn4j.tensor.Tensor;

/**
 * A float32 weight matrix {@code [rows, cols]} (PyTorch's layout: one row per output) stored in a
 * {@link WeightFormat} for inference, and the product of float32 activations with it. Immutable once made: it is a
 * quantized copy, and later changes of the float32 weights do not reach it (quantize again).
 *
 * <p>The stored values are packed once, when the matrix is made, in the panel layout of {@link QuantizedLayout} with
 * the panel width of the kernels current then ({@link QuantizedKernels#bf16PanelRows()}, {@link QuantizedKernels#int8PanelRows()}), so that a product streams the weights in the order it uses
 * them. A matrix may be cut into row blocks packed one after the other ({@link #quantize(String, String, Tensor,
 * WeightFormat, int...)}), so that a product can start at a block boundary that is not a multiple of the panel width
 * (the GRU with the reset gate before the recurrent product multiplies the candidate gate's rows on their own).
 * {@link #bf16RowMajor()} and {@link #int8RowMajor()} give the stored values back in row-major order (as saved).
 */
public final class QuantizedMatrix {

  private final WeightFormat format;
  private final int rows;
  private final int cols;
  /** The panel width the values are packed with. */
  private final int panel;
  /** First row of each block, then {@code rows}. */
  private final int[] blockStart;
  /** Offset of each block's packed values. */
  private final int[] blockOffset;
  private final short[] bf16;
  private final byte[] int8;
  private final float[] scale;

  private QuantizedMatrix(WeightFormat format, int rows, int cols, int panel, int[] blockStart, short[] bf16Rows,
                          byte[] int8Rows, float[] scale) {
    this.format = format;
    this.rows = rows;
    this.cols = cols;
    this.panel = panel;
    this.blockStart = blockStart;
    this.blockOffset = new int[blockStart.length - 1];
    long length = 0;
    for (int b = 0; b + 1 < blockStart.length; b++) {
      blockOffset[b] = (int) length;
      int n = blockStart[b + 1] - blockStart[b];
      length += format == WeightFormat.BFLOAT16 ? QuantizedLayout.bf16Length(panel, n, cols)
          : QuantizedLayout.int8Length(panel, n, cols);
    }
    if (length > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("QuantizedMatrix: " + rows + " x " + cols + " packed takes " + length
          + " elements, more than a Java array holds");
    }
    this.bf16 = format == WeightFormat.BFLOAT16 ? new short[(int) length] : null;
    this.int8 = format == WeightFormat.INT8 ? new byte[(int) length] : null;
    this.scale = scale;
    for (int b = 0; b + 1 < blockStart.length; b++) {
      int n = blockStart[b + 1] - blockStart[b];
      if (bf16 != null) {
        QuantizedLayout.packBf16(panel, n, cols, bf16Rows, blockStart[b] * cols, cols, bf16, blockOffset[b]);
      } else {
        QuantizedLayout.packInt8(panel, n, cols, int8Rows, blockStart[b] * cols, cols, int8, blockOffset[b]);
      }
    }
  }

  /** {@code quantize(op, name, weight, format)} with the whole matrix one block. */
  public static QuantizedMatrix quantize(String op, String name, Tensor weight, WeightFormat format) {
    return quantize(op, name, weight, format, new int[0]);
  }

  /**
   * Quantizes a float32 matrix.
   *
   * @param op the operation, for messages ("LSTM.quantize")
   * @param name the weight's name, for messages ("weight_ih_l0")
   * @param blockStarts rows, strictly increasing inside (0, rows), where a new block of the packed layout starts; a
   *     product ({@link #multiply}) may start only at row 0 or one of these
   * @throws IllegalArgumentException naming op and weight, for a null argument, a weight that is not float32 or not
   *     of rank 2, a non-finite element (its index is named), or block starts out of order or range
   */
  public static QuantizedMatrix quantize(String op, String name, Tensor weight, WeightFormat format,
                                         int... blockStarts) {
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
    int[] starts = blocks(op, name, rows, blockStarts);
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
      return new QuantizedMatrix(format, rows, cols, k.bf16PanelRows(), starts, q, null, null);
    }
    byte[] q = new byte[rows * cols];
    float[] s = new float[rows];
    k.quantizeInt8(rows, cols, w, off, cols, q, 0, s, 0);
    return new QuantizedMatrix(format, rows, cols, k.int8PanelRows(), starts, null, q, s);
  }

  /**
   * A bfloat16 matrix from its stored values in row-major order (as {@link #bf16RowMajor()} gives them, and as a
   * safetensors file holds them), packed for the current kernels.
   *
   * @param name the tensor's name, for messages
   * @throws IllegalArgumentException naming the tensor if the length is not {@code rows * cols}, a value is not
   *     finite (a file whose weights were never quantized from finite float32 ones), or the blocks are out of range
   */
  public static QuantizedMatrix ofBf16(String name, int rows, int cols, short[] values, int... blockStarts) {
    String op = "QuantizedMatrix.ofBf16";
    checkLength(op, name, rows, cols, values == null ? -1 : values.length);
    for (int i = 0; i < values.length; i++) {
      if ((values[i] & 0x7F80) == 0x7F80) {
        throw new IllegalArgumentException(op + ": " + name + ": element [" + i / cols + ", " + i % cols
            + "] is not finite (bfloat16 0x" + Integer.toHexString(values[i] & 0xFFFF) + ")");
      }
    }
    int p = QuantizedKernelSelector.matching(KernelScope.current()).bf16PanelRows();
    return new QuantizedMatrix(WeightFormat.BFLOAT16, rows, cols, p, blocks(op, name, rows, blockStarts),
        values, null, null);
  }

  /**
   * An int8 matrix from its stored values in row-major order and its row scales (as {@link #int8RowMajor()} and
   * {@link #scales()} give them), packed for the current kernels.
   *
   * @param name the tensor's name, for messages; the scales are called {@code name + "_scale"}
   * @throws IllegalArgumentException naming the tensor if a length is wrong, a value is -128 (the format is
   *     symmetric, [-127, 127], and its error bound assumes so), a scale is negative or not finite, or the blocks
   *     are out of range
   */
  public static QuantizedMatrix ofInt8(String name, int rows, int cols, byte[] values, float[] scales,
                                       int... blockStarts) {
    String op = "QuantizedMatrix.ofInt8";
    checkLength(op, name, rows, cols, values == null ? -1 : values.length);
    if (scales == null || scales.length != rows) {
      throw new IllegalArgumentException(op + ": " + name + "_scale: expected " + rows + " row scales, got "
          + (scales == null ? "none" : scales.length));
    }
    for (int i = 0; i < values.length; i++) {
      if (values[i] == Byte.MIN_VALUE) {
        throw new IllegalArgumentException(op + ": " + name + ": element [" + i / cols + ", " + i % cols
            + "] is -128, outside the symmetric int8 range [-127, 127]");
      }
    }
    for (int r = 0; r < rows; r++) {
      if (!(scales[r] >= 0) || Float.isInfinite(scales[r])) {
        throw new IllegalArgumentException(op + ": " + name + "_scale: element [" + r + "] is " + scales[r]
            + "; a row scale is finite and not negative");
      }
    }
    int p = QuantizedKernelSelector.matching(KernelScope.current()).int8PanelRows();
    return new QuantizedMatrix(WeightFormat.INT8, rows, cols, p, blocks(op, name, rows, blockStarts), null,
        values, scales.clone());
  }

  private static void checkLength(String op, String name, int rows, int cols, int length) {
    if (rows < 1 || cols < 1 || (long) rows * cols != length) {
      throw new IllegalArgumentException(op + ": " + name + ": expected " + rows + " x " + cols + " values, got "
          + (length < 0 ? "none" : length));
    }
  }

  private static int[] blocks(String op, String name, int rows, int[] starts) {
    int[] all = new int[starts.length + 2];
    all[all.length - 1] = rows;
    for (int b = 0; b < starts.length; b++) {
      if (starts[b] <= all[b] || starts[b] >= rows) {
        throw new IllegalArgumentException(op + ": " + name + ": block starts " + java.util.Arrays.toString(starts)
            + " must increase strictly inside (0, " + rows + ")");
      }
      all[b + 1] = starts[b];
    }
    return all;
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

  /** The panel width the values are packed with ({@link QuantizedLayout}). */
  public int panelRows() {
    return panel;
  }

  /** The bytes the stored weights take (int8: the bytes plus 4 per row scale), without the panels' zero padding. */
  public long storageBytes() {
    long n = (long) rows * cols;
    return format == WeightFormat.BFLOAT16 ? 2L * n : n + 4L * scale.length;
  }

  /**
   * The int8 row scales (a copy), or null for bfloat16.
   */
  public float[] scales() {
    return scale == null ? null : scale.clone();
  }

  /** The stored bfloat16 values in row-major order {@code [rows, cols]} (a new array). */
  public short[] bf16RowMajor() {
    if (format != WeightFormat.BFLOAT16) {
      throw new IllegalStateException("QuantizedMatrix.bf16RowMajor: the matrix is " + format);
    }
    short[] out = new short[rows * cols];
    for (int b = 0; b + 1 < blockStart.length; b++) {
      QuantizedLayout.unpackBf16(panel, blockStart[b + 1] - blockStart[b], cols, bf16, blockOffset[b], out,
          blockStart[b] * cols, cols);
    }
    return out;
  }

  /** The stored int8 values in row-major order {@code [rows, cols]} (a new array); the scales: {@link #scales()}. */
  public byte[] int8RowMajor() {
    if (format != WeightFormat.INT8) {
      throw new IllegalStateException("QuantizedMatrix.int8RowMajor: the matrix is " + format);
    }
    byte[] out = new byte[rows * cols];
    for (int b = 0; b + 1 < blockStart.length; b++) {
      QuantizedLayout.unpackInt8(panel, blockStart[b + 1] - blockStart[b], cols, int8, blockOffset[b], out,
          blockStart[b] * cols, cols);
    }
    return out;
  }

  /** The matrix the stored weights stand for, widened to float32 (a new tensor): what the products multiply with. */
  public Tensor dequantize() {
    float[] out = new float[rows * cols];
    if (format == WeightFormat.BFLOAT16) {
      short[] v = bf16RowMajor();
      QuantizedKernelSelector.scalar().fromBf16(out.length, v, 0, out, 0);
    } else {
      byte[] v = int8RowMajor();
      for (int r = 0; r < rows; r++) {
        for (int j = 0; j < cols; j++) {
          out[r * cols + j] = scale[r] * v[r * cols + j];
        }
      }
    }
    return Tensor.fromArray(out, rows, cols);
  }

  /**
   * {@code C[m, nRows] = A[m, cols] W[firstRow : firstRow + nRows]^T + beta C}: the product with a block of rows,
   * which must start at row 0 or at a block start given when the matrix was made. No checks but an assert: the layer
   * calling it owns the shapes.
   *
   * @param a not modified, leading dimension lda
   * @param beta 0: C is written without being read
   * @param c modified, leading dimension ldc
   */
  public void multiply(QuantizedKernels k, int m, float[] a, int aOff, int lda, int firstRow, int nRows, float beta,
                       float[] c, int cOff, int ldc) {
    int b = 0;
    while (blockStart[b] < firstRow) {
      b++;
    }
    assert blockStart[b] == firstRow : "multiply: row " + firstRow + " is not a block start";
    int end = firstRow + nRows;
    for (; blockStart[b] < end; b++) {
      int r0 = blockStart[b];
      int n = Math.min(blockStart[b + 1], end) - r0;
      int ci = cOff + r0 - firstRow;
      if (format == WeightFormat.BFLOAT16) {
        k.gemmBf16(m, n, cols, panel, a, aOff, lda, bf16, blockOffset[b], beta, c, ci, ldc);
      } else {
        k.gemmInt8(m, n, cols, panel, a, aOff, lda, int8, blockOffset[b], scale, r0, beta, c, ci, ldc);
      }
    }
  }
}
