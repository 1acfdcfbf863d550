package dev.rnn4j.kernels.simd;

import static dev.rnn4j.kernels.simd.PanamaFloatSpecies.FOLDS;
import static dev.rnn4j.kernels.simd.PanamaFloatSpecies.LANES;
import static dev.rnn4j.kernels.simd.PanamaFloatSpecies.SPECIES;
import static jdk.incubator.vector.VectorOperators.B2F;
import static jdk.incubator.vector.VectorOperators.LSHL;

import dev.rnn4j.kernels.QuantizedKernels;
import dev.rnn4j.kernels.ScalarQuantizedKernels;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API twin of {@link ScalarQuantizedKernels}: the weights are widened to float32 in registers and never
 * stored widened.
 *
 * <p>The products read the packed layouts of {@link dev.rnn4j.kernels.QuantizedLayout} with panels of {@link #PANEL}
 * rows, the float lanes of the species (16 at 512 bits, 8 at 256, 4 at 128): lane l of an accumulator is output row
 * l of a panel, so a product streams each panel's weights once, front to back, with activations broadcast one column
 * at a time, and needs no lane sums. A streaming step at batch 1 is bound by how fast its weights arrive from L3 or
 * memory; one sequential stream arrives faster than the four row streams of a row-major kernel that computes four
 * rows at a time (measured on Zen 4 for bfloat16: about 42 GB/s from four row streams, 55 GB/s from one).
 *
 * <ul>
 *   <li>bfloat16: a {@link #PAIRS} vector of 2 PANEL bfloat16 (the full float shape) is reinterpreted as PANEL ints,
 *       each the pair (W[r, 2s], W[r, 2s+1]) of one row (the Vector API reinterprets lanes in little-endian order on
 *       every platform). Shifted left by 16 it is the even column as floats, masked with {@link #HIGH_HALF} the odd
 *       one (a bfloat16 is exactly the float whose upper half it is): one integer operation per float vector.</li>
 *   <li>bfloat16 (conversions): {@link #SHORTS} lanes, as many as the float species has, are sign-extended to int
 *       lanes, shifted left by 16 and reinterpreted as floats.</li>
 *   <li>int8: row-major ({@link #int8PanelRows()} = 1), four rows at a time: a {@link #BYTES} vector is widened into
 *       {@link #PARTS} float vectors (a byte-to-float conversion: sign-extend, then convert; every int8 is an exact
 *       float) and multiplied with activation vectors that the four rows share; lane sums at the end. The byte
 *       species is a quarter of the float shape, but at least 64 bits. int8 is bound by this arithmetic, not by its
 *       bytes, so the panel layout (one broadcast per multiply-add) was slower for it.</li>
 * </ul>
 *
 * <p>A matrix packed with another panel width (a bfloat16 matrix packed by the scalar kernels, whose width is 1) is
 * multiplied by the spec's loops: correct, not fast. The bfloat16 product sums a row's k terms in four chains (column index mod 4, or mod 4 byte
 * vectors for int8) added at the end: another order than the spec's, within the same bound. The order depends only
 * on k and the species, so a result has the same bits on every JIT tier and for every batch row.
 *
 * <p>The widening is written out in the loops rather than called through helper methods: C2 declines to inline a
 * callee that is already compiled into a big method (as the C1 code of a Vector API helper is), and a vector that
 * crosses a call that is not inlined is boxed. Measured with helpers: the bfloat16 product allocated 1.9 MB per call
 * of 4096 x 1024 and ran slower than the float32 one. The panel stores are written out too: a store helper taking the
 * vector was inlined into the bfloat16 product but not into the int8 one (96 bytes per panel and row, one boxed
 * vector, in QuantizedRecurrentLayerTest.aStepAllocatesNothing).
 */
final class PanamaQuantizedKernels implements QuantizedKernels {

  /** bfloat16 lanes: as many as the float species has, in half its bits. */
  static final VectorSpecies<Short> SHORTS =
      VectorSpecies.of(short.class, VectorShape.forBitSize(SPECIES.vectorBitSize() / 2));
  /** int lanes of the float shape, for the bit manipulation of the bfloat16 conversions. */
  static final VectorSpecies<Integer> INTS = VectorSpecies.of(int.class, SPECIES.vectorShape());
  /**
   * bfloat16 lanes of the full float shape, twice as many as the float species has: reinterpreted as ints, lane t
   * holds the pair (w[2t] in its low half, w[2t+1] in its high half): the Vector API reinterprets lanes in
   * little-endian order on every platform.
   */
  static final VectorSpecies<Short> PAIRS = VectorSpecies.of(short.class, SPECIES.vectorShape());
  /** Keeps the high bfloat16 of a pair in place: exactly the float whose upper half it is. */
  private static final int HIGH_HALF = 0xFFFF0000;
  /** int8 lanes: a quarter of the float shape, at least 64 bits. */
  static final VectorSpecies<Byte> BYTES =
      VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, SPECIES.vectorBitSize() / 4)));
  /** Float vectors per byte vector (1, or 2 at 128-bit floats). */
  static final int PARTS = BYTES.length() / LANES;
  /** Bytes of one int8 load. */
  private static final int BYTE_STEP = BYTES.length();
  /** The panel width of the packed layouts ({@link dev.rnn4j.kernels.QuantizedLayout}): one float vector of rows. */
  static final int PANEL = LANES;
  private static final ScalarQuantizedKernels SPEC = new ScalarQuantizedKernels();

  private PanamaQuantizedKernels() {}

  static PanamaQuantizedKernels create() {
    return new PanamaQuantizedKernels();
  }

  @Override
  public String name() {
    return "simd";
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Conversions
  // ---------------------------------------------------------------------------------------------------------------

  @Override
  public void toBf16(int n, float[] x, int xOff, short[] out, int outOff) {
    int bound = SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += LANES) {
      FloatVector v = FloatVector.fromArray(SPECIES, x, xOff + i);
      IntVector bits = v.reinterpretAsInts();
      // round to nearest even: + 0x7FFF + (lowest kept bit), then keep the upper half (see the scalar spec)
      IntVector lsb = bits.lanewise(VectorOperators.LSHR, 16).and(1);
      IntVector rounded = bits.add(0x7FFF).add(lsb).lanewise(VectorOperators.LSHR, 16);
      IntVector nan = bits.lanewise(VectorOperators.LSHR, 16).or(0x0040);
      VectorMask<Integer> isNan = v.test(VectorOperators.IS_NAN).cast(INTS);
      IntVector upper = rounded.blend(nan, isNan);
      ((ShortVector) upper.convertShape(VectorOperators.I2S, SHORTS, 0)).intoArray(out, outOff + i);
    }
    for (; i < n; i++) {
      out[outOff + i] = ScalarQuantizedKernels.toBf16(x[xOff + i]);
    }
  }

  @Override
  public void fromBf16(int n, short[] x, int xOff, float[] out, int outOff) {
    int bound = SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += LANES) {
      widenBf16(x, xOff + i).intoArray(out, outOff + i);
    }
    for (; i < n; i++) {
      out[outOff + i] = ScalarQuantizedKernels.fromBf16(x[xOff + i]);
    }
  }

  /** LANES bfloat16 values from {@code w[off...]} as floats: sign-extend to int, shift left 16, reinterpret. */
  private static FloatVector widenBf16(short[] w, int off) {
    ShortVector s = ShortVector.fromArray(SHORTS, w, off);
    IntVector bits = (IntVector) s.convertShape(VectorOperators.S2I, INTS, 0);
    return bits.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
  }


  /**
   * The vector part is the row's max-abs reduction (exact, so order does not matter); each weight is then quantized
   * by the spec's own expression, so both implementations give the same bytes and scales. It runs once per matrix,
   * when a layer is quantized, not per step.
   */
  @Override
  public void quantizeInt8(int rows, int cols, float[] w, int wOff, int ldw, byte[] q, int qOff, float[] scale,
                           int sOff) {
    int bound = SPECIES.loopBound(cols);
    for (int r = 0; r < rows; r++) {
      int row = wOff + r * ldw;
      FloatVector vmax = FloatVector.zero(SPECIES);
      int j = 0;
      for (; j < bound; j += LANES) {
        vmax = vmax.max(FloatVector.fromArray(SPECIES, w, row + j).abs());
      }
      float max = vmax.reduceLanes(VectorOperators.MAX);
      for (; j < cols; j++) {
        max = Math.max(max, Math.abs(w[row + j]));
      }
      float s = ScalarQuantizedKernels.int8Scale(max);
      scale[sOff + r] = s;
      for (j = 0; j < cols; j++) {
        q[qOff + r * cols + j] = ScalarQuantizedKernels.int8(w[row + j], s);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Products
  // ---------------------------------------------------------------------------------------------------------------

  /** The float lanes: one accumulator holds the outputs of one panel. */
  @Override
  public int bf16PanelRows() {
    return PANEL;
  }

  /**
   * Per panel and activation row: four accumulators (the even and odd columns of two pairs in turn) over the
   * panel's one stream of pair vectors; each load of {@code PANEL} pairs gives two float vectors by one shift and one
   * mask, multiplied with the broadcast activations of its two columns. No lane sums: lane l of the accumulators is
   * output row l of the panel. A panel (PANEL x k bfloat16, 32 KB at k = 1024 and 16 lanes) stays in L1/L2 while the
   * activation rows of a batch pass over it, so each weight comes from memory once per call.
   */
  @Override
  public void gemmBf16(int m, int n, int k, int p, float[] a, int aOff, int lda, short[] w, int wOff,
                       float beta, float[] c, int cOff, int ldc) {
    if (p != PANEL) {
      SPEC.gemmBf16(m, n, k, p, a, aOff, lda, w, wOff, beta, c, cOff, ldc); // packed for another width
      return;
    }
    int pairs = (k + 1) / 2;
    int fullPairs = k / 2;
    int panelLength = 2 * PANEL * pairs;
    for (int t = 0, r = 0; r < n; t++, r += PANEL) {
      int wt = wOff + t * panelLength;
      for (int i = 0; i < m; i++) {
        int ai = aOff + i * lda;
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        int s = 0;
        int wi = wt;
        for (; s + 2 <= fullPairs; s += 2, wi += 4 * PANEL) {
          IntVector v0 = ShortVector.fromArray(PAIRS, w, wi).reinterpretAsInts();
          IntVector v1 = ShortVector.fromArray(PAIRS, w, wi + 2 * PANEL).reinterpretAsInts();
          int aj = ai + 2 * s;
          s0 = v0.lanewise(LSHL, 16).reinterpretAsFloats().fma(FloatVector.broadcast(SPECIES, a[aj]), s0);
          s1 = v0.and(HIGH_HALF).reinterpretAsFloats().fma(FloatVector.broadcast(SPECIES, a[aj + 1]), s1);
          s2 = v1.lanewise(LSHL, 16).reinterpretAsFloats().fma(FloatVector.broadcast(SPECIES, a[aj + 2]), s2);
          s3 = v1.and(HIGH_HALF).reinterpretAsFloats().fma(FloatVector.broadcast(SPECIES, a[aj + 3]), s3);
        }
        if (s < fullPairs) {
          IntVector v0 = ShortVector.fromArray(PAIRS, w, wi).reinterpretAsInts();
          int aj = ai + 2 * s;
          s0 = v0.lanewise(LSHL, 16).reinterpretAsFloats().fma(FloatVector.broadcast(SPECIES, a[aj]), s0);
          s1 = v0.and(HIGH_HALF).reinterpretAsFloats().fma(FloatVector.broadcast(SPECIES, a[aj + 1]), s1);
          s++;
          wi += 2 * PANEL;
        }
        if (s < pairs) { // odd k: the last column's pair holds a zero in its high half, and A has no column k
          IntVector v0 = ShortVector.fromArray(PAIRS, w, wi).reinterpretAsInts();
          s0 = v0.lanewise(LSHL, 16).reinterpretAsFloats().fma(FloatVector.broadcast(SPECIES, a[ai + k - 1]), s0);
        }
        FloatVector sum = s0.add(s1).add(s2.add(s3));
        int ci = cOff + i * ldc + r;
        int rows = n - r;
        if (rows >= PANEL) { // the store, written out: a helper taking the vector was not always inlined
          if (beta != 0) {
            sum = sum.add(FloatVector.fromArray(SPECIES, c, ci).mul(beta));
          }
          sum.intoArray(c, ci);
        } else { // the last, partial panel: its padding rows are not written
          VectorMask<Float> inside = SPECIES.indexInRange(0, rows);
          if (beta != 0) {
            sum = sum.add(FloatVector.fromArray(SPECIES, c, ci, inside).mul(beta));
          }
          sum.intoArray(c, ci, inside);
        }
      }
    }
  }

  /** 1: int8 weights are multiplied row-major, four rows at a time (see {@link #gemmInt8}). */
  @Override
  public int int8PanelRows() {
    return 1;
  }

  /**
   * Row-major weights (panel width 1), four rows at a time: each activation vector load serves four rows' fused
   * multiply-adds, and each byte vector widens by a byte-to-float conversion (sign-extend, then convert; every int8
   * is an exact float). int8 is bound by this arithmetic per weight, not by its bytes: panels of one column of LANES
   * bytes, one broadcast activation per multiply-add, took 290 us per LSTM step (B = 1, I = 512, H = 1024) where this
   * loop takes 253-265 us (bench/README.md). Other panel widths go to the spec's loops.
   */
  @Override
  public void gemmInt8(int m, int n, int k, int p, float[] a, int aOff, int lda, byte[] q, int qOff, float[] scale,
                       int sOff, float beta, float[] c, int cOff, int ldc) {
    if (p != 1) {
      SPEC.gemmInt8(m, n, k, p, a, aOff, lda, q, qOff, scale, sOff, beta, c, cOff, ldc);
      return;
    }
    gemmInt8RowMajor(m, n, k, a, aOff, lda, q, qOff, scale, sOff, beta, c, cOff, ldc);
  }

  private static void gemmInt8RowMajor(int m, int n, int k, float[] a, int aOff, int lda, byte[] q, int qOff,
                                       float[] scale, int sOff, float beta, float[] c, int cOff, int ldc) {
    int bound = BYTES.loopBound(k);
    int bound2 = k - k % (2 * BYTE_STEP);
    int r = 0;
    for (; r + 4 <= n; r += 4) {
      int q0 = qOff + r * k;
      int q1 = q0 + k;
      int q2 = q1 + k;
      int q3 = q2 + k;
      for (int i = 0; i < m; i++) {
        int ai = aOff + i * lda;
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        FloatVector u0 = s0;
        FloatVector u1 = s0;
        FloatVector u2 = s0;
        FloatVector u3 = s0;
        int j = 0;
        // Two byte vectors per row and pass: eight independent FMA chains hide the FMA latency.
        for (; j < bound2; j += 2 * BYTE_STEP) {
          ByteVector b0 = ByteVector.fromArray(BYTES, q, q0 + j);
          ByteVector b1 = ByteVector.fromArray(BYTES, q, q1 + j);
          ByteVector b2 = ByteVector.fromArray(BYTES, q, q2 + j);
          ByteVector b3 = ByteVector.fromArray(BYTES, q, q3 + j);
          ByteVector d0 = ByteVector.fromArray(BYTES, q, q0 + j + BYTE_STEP);
          ByteVector d1 = ByteVector.fromArray(BYTES, q, q1 + j + BYTE_STEP);
          ByteVector d2 = ByteVector.fromArray(BYTES, q, q2 + j + BYTE_STEP);
          ByteVector d3 = ByteVector.fromArray(BYTES, q, q3 + j + BYTE_STEP);
          for (int p = 0; p < PARTS; p++) {
            FloatVector x = FloatVector.fromArray(SPECIES, a, ai + j + p * LANES);
            FloatVector y = FloatVector.fromArray(SPECIES, a, ai + j + BYTE_STEP + p * LANES);
            s0 = ((FloatVector) b0.convertShape(B2F, SPECIES, p)).fma(x, s0);
            s1 = ((FloatVector) b1.convertShape(B2F, SPECIES, p)).fma(x, s1);
            s2 = ((FloatVector) b2.convertShape(B2F, SPECIES, p)).fma(x, s2);
            s3 = ((FloatVector) b3.convertShape(B2F, SPECIES, p)).fma(x, s3);
            u0 = ((FloatVector) d0.convertShape(B2F, SPECIES, p)).fma(y, u0);
            u1 = ((FloatVector) d1.convertShape(B2F, SPECIES, p)).fma(y, u1);
            u2 = ((FloatVector) d2.convertShape(B2F, SPECIES, p)).fma(y, u2);
            u3 = ((FloatVector) d3.convertShape(B2F, SPECIES, p)).fma(y, u3);
          }
        }
        s0 = s0.add(u0);
        s1 = s1.add(u1);
        s2 = s2.add(u2);
        s3 = s3.add(u3);
        for (; j < bound; j += BYTE_STEP) {
          ByteVector b0 = ByteVector.fromArray(BYTES, q, q0 + j);
          ByteVector b1 = ByteVector.fromArray(BYTES, q, q1 + j);
          ByteVector b2 = ByteVector.fromArray(BYTES, q, q2 + j);
          ByteVector b3 = ByteVector.fromArray(BYTES, q, q3 + j);
          for (int p = 0; p < PARTS; p++) { // PARTS is a constant: C2 unrolls this
            FloatVector x = FloatVector.fromArray(SPECIES, a, ai + j + p * LANES);
            s0 = ((FloatVector) b0.convertShape(B2F, SPECIES, p)).fma(x, s0);
            s1 = ((FloatVector) b1.convertShape(B2F, SPECIES, p)).fma(x, s1);
            s2 = ((FloatVector) b2.convertShape(B2F, SPECIES, p)).fma(x, s2);
            s3 = ((FloatVector) b3.convertShape(B2F, SPECIES, p)).fma(x, s3);
          }
        }
        for (VectorShuffle<Float> fold : FOLDS) { // lane sums in the fixed order of FOLDS, written out (see above)
          s0 = s0.add(s0.rearrange(fold));
          s1 = s1.add(s1.rearrange(fold));
          s2 = s2.add(s2.rearrange(fold));
          s3 = s3.add(s3.rearrange(fold));
        }
        float t0 = s0.lane(0);
        float t1 = s1.lane(0);
        float t2 = s2.lane(0);
        float t3 = s3.lane(0);
        for (; j < k; j++) {
          float x = a[ai + j];
          t0 = Math.fma(x, q[q0 + j], t0);
          t1 = Math.fma(x, q[q1 + j], t1);
          t2 = Math.fma(x, q[q2 + j], t2);
          t3 = Math.fma(x, q[q3 + j], t3);
        }
        int ci = cOff + i * ldc + r;
        storeOne(c, ci, scale[sOff + r] * t0, beta);
        storeOne(c, ci + 1, scale[sOff + r + 1] * t1, beta);
        storeOne(c, ci + 2, scale[sOff + r + 2] * t2, beta);
        storeOne(c, ci + 3, scale[sOff + r + 3] * t3, beta);
      }
    }
    for (; r < n; r++) {
      int q0 = qOff + r * k;
      for (int i = 0; i < m; i++) {
        int ai = aOff + i * lda;
        FloatVector s0 = FloatVector.zero(SPECIES);
        int j = 0;
        for (; j < bound; j += BYTE_STEP) {
          ByteVector b0 = ByteVector.fromArray(BYTES, q, q0 + j);
          for (int p = 0; p < PARTS; p++) {
            s0 = ((FloatVector) b0.convertShape(B2F, SPECIES, p)).fma(FloatVector.fromArray(SPECIES, a, ai + j + p * LANES), s0);
          }
        }
        for (VectorShuffle<Float> fold : FOLDS) {
          s0 = s0.add(s0.rearrange(fold));
        }
        float t0 = s0.lane(0);
        for (; j < k; j++) {
          t0 = Math.fma(a[ai + j], q[q0 + j], t0);
        }
        storeOne(c, cOff + i * ldc + r, scale[sOff + r] * t0, beta);
      }
    }
  }

  private static void storeOne(float[] c, int i, float v, float beta) {
    c[i] = beta == 0 ? v : v + beta * c[i];
  }
}
