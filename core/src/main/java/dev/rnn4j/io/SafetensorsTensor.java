package dev.rnn4j.io;

import dev.rnn4j.tensor.Checks;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Tensor;
import java.util.Arrays;

/**
 * A dense row-major F32, F64, BF16 or I8 array with its shape, as stored in or read from a safetensors file; F32 and
 * F64 convert to and from rnn4j's {@link Tensor} with {@link #of(Tensor)} and {@link #toTensor()}; BF16 (the bit
 * patterns, as shorts) and I8 hold the stored values of quantized weights ({@link #ofBf16}, {@link #ofInt8}).
 *
 * <p>Immutable: factories copy their arrays in, accessors copy them out.
 */
public final class SafetensorsTensor {

  private final SafetensorsDtype dtype;
  private final int[] shape;
  // Exactly one of the four is non-null, chosen by dtype.
  private final float[] floats;
  private final double[] doubles;
  private final short[] bf16;
  private final byte[] int8;

  private SafetensorsTensor(SafetensorsDtype dtype, int[] shape, float[] floats, double[] doubles) {
    this(dtype, shape, floats, doubles, null, null);
  }

  private SafetensorsTensor(SafetensorsDtype dtype, int[] shape, float[] floats, double[] doubles, short[] bf16,
                            byte[] int8) {
    this.dtype = dtype;
    this.shape = shape;
    this.floats = floats;
    this.doubles = doubles;
    this.bf16 = bf16;
    this.int8 = int8;
  }

  /** A BF16 tensor of bfloat16 bit patterns (the upper halves of float32s); a copy is kept. */
  public static SafetensorsTensor ofBf16(int[] shape, short[] data) {
    Checks.notNull(data, "SafetensorsTensor", "data");
    int[] s = checkShape(shape, data.length);
    return new SafetensorsTensor(SafetensorsDtype.BF16, s, null, null, data.clone(), null);
  }

  /** An I8 tensor; a copy is kept. */
  public static SafetensorsTensor ofInt8(int[] shape, byte[] data) {
    Checks.notNull(data, "SafetensorsTensor", "data");
    int[] s = checkShape(shape, data.length);
    return new SafetensorsTensor(SafetensorsDtype.I8, s, null, null, null, data.clone());
  }

  static SafetensorsTensor wrapBf16(int[] shape, short[] data) {
    return new SafetensorsTensor(SafetensorsDtype.BF16, shape, null, null, data, null);
  }

  static SafetensorsTensor wrapInt8(int[] shape, byte[] data) {
    return new SafetensorsTensor(SafetensorsDtype.I8, shape, null, null, null, data);
  }

  /** An F32 tensor; {@code data} holds the product of {@code shape} elements (a copy is kept). */
  public static SafetensorsTensor ofFloats(int[] shape, float[] data) {
    Checks.notNull(data, "SafetensorsTensor", "data");
    int[] s = checkShape(shape, data.length);
    return new SafetensorsTensor(SafetensorsDtype.F32, s, data.clone(), null);
  }

  /** An F64 tensor; {@code data} holds the product of {@code shape} elements (a copy is kept). */
  public static SafetensorsTensor ofDoubles(int[] shape, double[] data) {
    Checks.notNull(data, "SafetensorsTensor", "data");
    int[] s = checkShape(shape, data.length);
    return new SafetensorsTensor(SafetensorsDtype.F64, s, null, data.clone());
  }

  /** A copy of {@code t}'s elements and shape: F32 for a float32 tensor, F64 for float64. */
  public static SafetensorsTensor of(Tensor t) {
    Checks.notNull(t, "SafetensorsTensor", "tensor");
    return t.dtype() == DType.FLOAT32 ? wrapFloats(t.shape(), t.toFloatArray())
        : wrapDoubles(t.shape(), t.toDoubleArray());
  }

  /**
   * A new rnn4j tensor with a copy of the values: float32 for F32, float64 for F64 (no gradient).
   *
   * @throws IllegalStateException for BF16 and I8 (stored quantized values, not a tensor's)
   */
  public Tensor toTensor() {
    checkFloat("toTensor");
    return floats != null ? Tensor.fromArray(floats, shape) : Tensor.fromArray(doubles, shape);
  }

  /** Wraps arrays that the caller hands over (the reader's freshly filled buffers): no copy. */
  static SafetensorsTensor wrapFloats(int[] shape, float[] data) {
    return new SafetensorsTensor(SafetensorsDtype.F32, shape, data, null);
  }

  static SafetensorsTensor wrapDoubles(int[] shape, double[] data) {
    return new SafetensorsTensor(SafetensorsDtype.F64, shape, null, data);
  }

  private static int[] checkShape(int[] shape, int length) {
    Checks.notNull(shape, "SafetensorsTensor", "shape");
    long n = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("SafetensorsTensor: negative dimension in shape "
            + Arrays.toString(shape));
      }
      n *= d;
      if (n > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("SafetensorsTensor: shape " + Arrays.toString(shape)
            + " has more than 2^31 - 1 elements");
      }
    }
    if (n != length) {
      throw new IllegalArgumentException("SafetensorsTensor: shape " + Arrays.toString(shape) + " holds " + n
          + " elements but data has " + length);
    }
    return shape.clone();
  }

  private void checkFloat(String op) {
    if (floats == null && doubles == null) {
      throw new IllegalStateException("SafetensorsTensor: " + op + "() of a " + dtype + " tensor");
    }
  }

  /** The bfloat16 bit patterns of a BF16 tensor (a copy). */
  public short[] bf16() {
    if (bf16 == null) {
      throw new IllegalStateException("SafetensorsTensor: bf16() of an " + dtype + " tensor");
    }
    return bf16.clone();
  }

  /** The values of an I8 tensor (a copy). */
  public byte[] int8() {
    if (int8 == null) {
      throw new IllegalStateException("SafetensorsTensor: int8() of an " + dtype + " tensor");
    }
    return int8.clone();
  }

  short[] bf16NoCopy() {
    return bf16;
  }

  byte[] int8NoCopy() {
    return int8;
  }

  /** {@link SafetensorsDtype#F32}, {@link SafetensorsDtype#F64}, {@link SafetensorsDtype#BF16} or I8. */
  public SafetensorsDtype dtype() {
    return dtype;
  }

  /** The dimensions (a copy); empty for a scalar. */
  public int[] shape() {
    return shape.clone();
  }

  /** Number of elements. */
  public int size() {
    return floats != null ? floats.length : doubles != null ? doubles.length : bf16 != null ? bf16.length
        : int8.length;
  }

  /** The F32 values (a copy). */
  public float[] floats() {
    if (floats == null) {
      throw new IllegalStateException("SafetensorsTensor: floats() of an " + dtype + " tensor");
    }
    return floats.clone();
  }

  /** The F64 values (a copy). */
  public double[] doubles() {
    if (doubles == null) {
      throw new IllegalStateException("SafetensorsTensor: doubles() of an " + dtype + " tensor");
    }
    return doubles.clone();
  }

  /** The values widened (F32) or copied (F64) to doubles; widening float to double is exact. */
  public double[] toDoubles() {
    checkFloat("toDoubles");
    if (doubles != null) {
      return doubles.clone();
    }
    double[] out = new double[floats.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = floats[i];
    }
    return out;
  }

  /** The values copied (F32) or rounded to nearest (F64) to floats. */
  public float[] toFloats() {
    checkFloat("toFloats");
    if (floats != null) {
      return floats.clone();
    }
    float[] out = new float[doubles.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) doubles[i];
    }
    return out;
  }

  float[] floatsNoCopy() {
    return floats;
  }

  double[] doublesNoCopy() {
    return doubles;
  }

  /** Same dtype, shape and bit patterns (so NaN payloads and signed zeros count). */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof SafetensorsTensor t) || dtype != t.dtype || !Arrays.equals(shape, t.shape)) {
      return false;
    }
    if (bf16 != null) {
      return Arrays.equals(bf16, t.bf16);
    }
    if (int8 != null) {
      return Arrays.equals(int8, t.int8);
    }
    if (floats != null) {
      for (int i = 0; i < floats.length; i++) {
        if (Float.floatToRawIntBits(floats[i]) != Float.floatToRawIntBits(t.floats[i])) {
          return false;
        }
      }
      return true;
    }
    for (int i = 0; i < doubles.length; i++) {
      if (Double.doubleToRawLongBits(doubles[i]) != Double.doubleToRawLongBits(t.doubles[i])) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return 31 * (31 * dtype.hashCode() + Arrays.hashCode(shape))
        + (floats != null ? Arrays.hashCode(floats) : doubles != null ? Arrays.hashCode(doubles)
        : bf16 != null ? Arrays.hashCode(bf16) : Arrays.hashCode(int8));
  }

  @Override
  public String toString() {
    return "SafetensorsTensor" + Arrays.toString(shape) + " " + dtype;
  }
}
