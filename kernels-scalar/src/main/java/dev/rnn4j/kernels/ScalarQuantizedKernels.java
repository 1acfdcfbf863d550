package dev.rnn4j.kernels;

/**
 * The scalar spec of {@link QuantizedKernels}: plain loops in index order that read like the definitions. It is the
 * oracle the Vector API twin is tested against.
 */
public final class ScalarQuantizedKernels implements QuantizedKernels {

  /** The int8 range is symmetric: [-127, 127]. */
  static final int INT8_MAX = 127;

  @Override
  public String name() {
    return "scalar";
  }

  /**
   * One float32 rounded to bfloat16, round to nearest, ties to even. Adding {@code 0x7FFF} plus the lowest kept bit
   * and dropping the low 16 bits is that rounding on the bit pattern (a carry out of the mantissa correctly bumps
   * the exponent, up to infinity). A NaN would be turned into an infinity when its payload sits only in the low 16
   * bits, so it is kept by its upper bits with the quiet bit set instead.
   */
  public static short toBf16(float x) {
    int bits = Float.floatToRawIntBits(x);
    if (Float.isNaN(x)) {
      return (short) ((bits >>> 16) | 0x0040);
    }
    return (short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
  }

  /** One bfloat16 widened to float32 (exact). */
  public static float fromBf16(short x) {
    return Float.intBitsToFloat(x << 16);
  }

  /**
   * The scale of one int8 row: {@code max|w| / 127}. When that underflows to zero for a nonzero row (|w| below
   * 127 times the smallest subnormal), the smallest subnormal is used, so every weight of the row is then exactly
   * representable as {@code scale * q} and the error bound {@code scale / 2} still holds.
   */
  public static float int8Scale(float maxAbs) {
    float s = maxAbs / INT8_MAX;
    return s == 0 && maxAbs > 0 ? Float.MIN_VALUE : s;
  }

  /** One weight quantized with its row's scale: {@code round(w / scale)} ties to even, clamped to [-127, 127]. */
  public static byte int8(float w, float scale) {
    if (scale == 0) {
      return 0;
    }
    float q = (float) Math.rint(w / scale);
    return (byte) Math.max(-INT8_MAX, Math.min(INT8_MAX, q));
  }

  @Override
  public void toBf16(int n, float[] x, int xOff, short[] out, int outOff) {
    for (int i = 0; i < n; i++) {
      out[outOff + i] = toBf16(x[xOff + i]);
    }
  }

  @Override
  public void fromBf16(int n, short[] x, int xOff, float[] out, int outOff) {
    for (int i = 0; i < n; i++) {
      out[outOff + i] = fromBf16(x[xOff + i]);
    }
  }

  @Override
  public void quantizeInt8(int rows, int cols, float[] w, int wOff, int ldw, byte[] q, int qOff, float[] scale,
                           int sOff) {
    for (int r = 0; r < rows; r++) {
      int row = wOff + r * ldw;
      float max = 0;
      for (int j = 0; j < cols; j++) {
        assert Float.isFinite(w[row + j]) : "quantizeInt8: non-finite weight";
        max = Math.max(max, Math.abs(w[row + j]));
      }
      float s = int8Scale(max);
      scale[sOff + r] = s;
      for (int j = 0; j < cols; j++) {
        q[qOff + r * cols + j] = int8(w[row + j], s);
      }
    }
  }

  /** 1: the spec's natural layout is row-major (each bfloat16 row padded to an even length). */
  @Override
  public int bf16PanelRows() {
    return 1;
  }

  /** 1: row-major (each row padded to a multiple of 4 columns). */
  @Override
  public int int8PanelRows() {
    return 1;
  }

  @Override
  public void gemmBf16(int m, int n, int k, int p, float[] a, int aOff, int lda, short[] w, int wOff,
                       float beta, float[] c, int cOff, int ldc) {
    for (int i = 0; i < m; i++) {
      for (int r = 0; r < n; r++) {
        float sum = 0;
        for (int j = 0; j < k; j++) {
          sum += a[aOff + i * lda + j] * fromBf16(w[wOff + QuantizedLayout.bf16Index(p, k, r, j)]);
        }
        int ci = cOff + i * ldc + r;
        c[ci] = beta == 0 ? sum : sum + beta * c[ci];
      }
    }
  }

  @Override
  public void gemmInt8(int m, int n, int k, int p, float[] a, int aOff, int lda, byte[] q, int qOff, float[] scale,
                       int sOff, float beta, float[] c, int cOff, int ldc) {
    for (int i = 0; i < m; i++) {
      for (int r = 0; r < n; r++) {
        float sum = 0;
        for (int j = 0; j < k; j++) {
          sum += a[aOff + i * lda + j] * q[qOff + QuantizedLayout.int8Index(p, k, r, j)];
        }
        float v = scale[sOff + r] * sum;
        int ci = cOff + i * ldc + r;
        c[ci] = beta == 0 ? v : v + beta * c[ci];
      }
    }
  }
}
