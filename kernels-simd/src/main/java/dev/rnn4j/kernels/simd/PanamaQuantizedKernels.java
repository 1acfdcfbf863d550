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
 * <ul>
 *   <li>bfloat16 (products): a {@link #PAIRS} vector of twice as many bfloat16 as the float species has lanes is
 *       reinterpreted as ints, each int a pair of neighbours. Shifted left by 16 it is the even-indexed weights as
 *       floats, masked with {@link #HIGH_HALF} the odd-indexed ones (a bfloat16 is exactly the float whose upper half
 *       it is): two integer operations per two float vectors, where widening each half on its own (sign-extend to
 *       the next shape, then shift) takes a shape-changing conversion per float vector. The activations are split
 *       into their even and odd elements to match, two permutes per pass that the four weight rows share. The
 *       products of a row are then summed in an even chain and an odd chain, added at the end.</li>
 *   <li>bfloat16 (conversions): {@link #SHORTS} lanes, as many as the float species has, are sign-extended to int
 *       lanes, shifted left by 16 and reinterpreted as floats.</li>
 *   <li>int8: a {@link #BYTES} vector is widened into {@link #PARTS} float vectors (a byte-to-float conversion:
 *       sign-extend, then convert; every int8 is an exact float). The byte species is a quarter of the float shape,
 *       but at least 64 bits, the smallest the Vector API has: at 128-bit floats one byte vector feeds two float
 *       vectors.</li>
 * </ul>
 *
 * <p>The products run over four weight rows at a time: each activation load then serves four fused multiply-adds, and
 * the four rows (4 k bytes or 8 k bytes) stay in L1 while every activation row of a batch passes over them, so a
 * weight is read from memory once per call whatever the batch. The weights are what a streaming step at batch 1
 * spends its time reading; a quarter (int8) or half (bfloat16) of float32's bytes is the whole point. The lanes of an
 * accumulator are added in the fixed order of {@link PanamaFloatSpecies#FOLDS}, so a result has the same bits on
 * every JIT tier.
 *
 * <p>The widening and the lane sums are written out in the loops rather than called through helper methods: C2
 * declines to inline a callee that is already compiled into a big method (as the C1 code of a Vector API helper is),
 * and a vector that crosses a call that is not inlined is boxed. Measured with helpers: the bfloat16 product allocated
 * 1.9 MB per call of 4096 x 1024 (about 480 bytes per row, the boxed vectors of one lane sum) and ran slower than the
 * float32 one.
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
  /** Elements of a row one bfloat16 loop iteration covers. */
  private static final int PAIR_STEP = 2 * LANES;
  /** Keeps the high bfloat16 of a pair in place: exactly the float whose upper half it is. */
  private static final int HIGH_HALF = 0xFFFF0000;
  /**
   * Takes elements 0, 2, 4, ... of the concatenation of two float vectors {@code x.rearrange(EVEN, y)}: an index
   * past the first vector is written as the exceptional (negative) index that selects from the second.
   */
  static final VectorShuffle<Float> EVEN = pairShuffle(0);
  /** Takes elements 1, 3, 5, ... of the concatenation, as {@link #EVEN} does the even ones. */
  static final VectorShuffle<Float> ODD = pairShuffle(1);
  /** int8 lanes: a quarter of the float shape, at least 64 bits. */
  static final VectorSpecies<Byte> BYTES =
      VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, SPECIES.vectorBitSize() / 4)));
  /** Float vectors per byte vector (1, or 2 at 128-bit floats). */
  static final int PARTS = BYTES.length() / LANES;
  /** Elements of a row one int8 loop iteration covers. */
  private static final int BYTE_STEP = BYTES.length();

  private PanamaQuantizedKernels() {}

  private static VectorShuffle<Float> pairShuffle(int first) {
    int[] source = new int[LANES];
    for (int l = 0; l < LANES; l++) {
      int index = 2 * l + first;
      source[l] = index < LANES ? index : index - 2 * LANES;
    }
    return VectorShuffle.fromArray(SPECIES, source, 0);
  }

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

  @Override
  public void gemmBf16(int m, int n, int k, float[] a, int aOff, int lda, short[] w, int wOff,
                       float beta, float[] c, int cOff, int ldc) {
    int bound = k - k % PAIR_STEP;
    int r = 0;
    for (; r + 4 <= n; r += 4) {
      int w0 = wOff + r * k;
      int w1 = w0 + k;
      int w2 = w1 + k;
      int w3 = w2 + k;
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
        // s* sum the even-indexed products, u* the odd ones: eight independent FMA chains hide the FMA latency.
        for (; j < bound; j += PAIR_STEP) {
          FloatVector x = FloatVector.fromArray(SPECIES, a, ai + j);
          FloatVector y = FloatVector.fromArray(SPECIES, a, ai + j + LANES);
          FloatVector even = x.rearrange(EVEN, y); // a[j], a[j+2], ...: shared by the four rows
          FloatVector odd = x.rearrange(ODD, y); // a[j+1], a[j+3], ...
          IntVector p0 = ShortVector.fromArray(PAIRS, w, w0 + j).reinterpretAsInts();
          IntVector p1 = ShortVector.fromArray(PAIRS, w, w1 + j).reinterpretAsInts();
          IntVector p2 = ShortVector.fromArray(PAIRS, w, w2 + j).reinterpretAsInts();
          IntVector p3 = ShortVector.fromArray(PAIRS, w, w3 + j).reinterpretAsInts();
          s0 = p0.lanewise(LSHL, 16).reinterpretAsFloats().fma(even, s0);
          s1 = p1.lanewise(LSHL, 16).reinterpretAsFloats().fma(even, s1);
          s2 = p2.lanewise(LSHL, 16).reinterpretAsFloats().fma(even, s2);
          s3 = p3.lanewise(LSHL, 16).reinterpretAsFloats().fma(even, s3);
          u0 = p0.and(HIGH_HALF).reinterpretAsFloats().fma(odd, u0);
          u1 = p1.and(HIGH_HALF).reinterpretAsFloats().fma(odd, u1);
          u2 = p2.and(HIGH_HALF).reinterpretAsFloats().fma(odd, u2);
          u3 = p3.and(HIGH_HALF).reinterpretAsFloats().fma(odd, u3);
        }
        s0 = s0.add(u0);
        s1 = s1.add(u1);
        s2 = s2.add(u2);
        s3 = s3.add(u3);
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
          t0 = Math.fma(x, ScalarQuantizedKernels.fromBf16(w[w0 + j]), t0);
          t1 = Math.fma(x, ScalarQuantizedKernels.fromBf16(w[w1 + j]), t1);
          t2 = Math.fma(x, ScalarQuantizedKernels.fromBf16(w[w2 + j]), t2);
          t3 = Math.fma(x, ScalarQuantizedKernels.fromBf16(w[w3 + j]), t3);
        }
        int ci = cOff + i * ldc + r;
        store(c, ci, t0, beta);
        store(c, ci + 1, t1, beta);
        store(c, ci + 2, t2, beta);
        store(c, ci + 3, t3, beta);
      }
    }
    for (; r < n; r++) {
      int w0 = wOff + r * k;
      for (int i = 0; i < m; i++) {
        int ai = aOff + i * lda;
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector u0 = s0;
        int j = 0;
        for (; j < bound; j += PAIR_STEP) {
          FloatVector x = FloatVector.fromArray(SPECIES, a, ai + j);
          FloatVector y = FloatVector.fromArray(SPECIES, a, ai + j + LANES);
          IntVector p0 = ShortVector.fromArray(PAIRS, w, w0 + j).reinterpretAsInts();
          s0 = p0.lanewise(LSHL, 16).reinterpretAsFloats().fma(x.rearrange(EVEN, y), s0);
          u0 = p0.and(HIGH_HALF).reinterpretAsFloats().fma(x.rearrange(ODD, y), u0);
        }
        s0 = s0.add(u0);
        for (VectorShuffle<Float> fold : FOLDS) {
          s0 = s0.add(s0.rearrange(fold));
        }
        float t0 = s0.lane(0);
        for (; j < k; j++) {
          t0 = Math.fma(a[ai + j], ScalarQuantizedKernels.fromBf16(w[w0 + j]), t0);
        }
        store(c, cOff + i * ldc + r, t0, beta);
      }
    }
  }

  @Override
  public void gemmInt8(int m, int n, int k, float[] a, int aOff, int lda, byte[] q, int qOff, float[] scale, int sOff,
                       float beta, float[] c, int cOff, int ldc) {
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
        store(c, ci, scale[sOff + r] * t0, beta);
        store(c, ci + 1, scale[sOff + r + 1] * t1, beta);
        store(c, ci + 2, scale[sOff + r + 2] * t2, beta);
        store(c, ci + 3, scale[sOff + r + 3] * t3, beta);
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
        store(c, cOff + i * ldc + r, scale[sOff + r] * t0, beta);
      }
    }
  }

  private static void store(float[] c, int i, float v, float beta) {
    c[i] = beta == 0 ? v : v + beta * c[i];
  }
}
