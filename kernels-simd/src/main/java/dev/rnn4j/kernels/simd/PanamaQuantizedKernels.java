package dev.rnn4j.kernels.simd;

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
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API twin of {@link ScalarQuantizedKernels}: the weights are widened to float32 in registers and never
 * stored widened.
 *
 * <p>The products read the packed layouts of {@link dev.rnn4j.kernels.QuantizedLayout} with panels of {@link #PANEL}
 * rows, two float vectors' worth (32 at 512 bits, 16 at 256, 8 at 128): lane l of the accumulators is an output row
 * of the panel, so a product streams each panel's weights once, front to back, with activations broadcast one
 * column at a time (each broadcast feeds the panel's two vectors), and needs no lane sums. A streaming step at batch
 * 1 is bound by how fast its weights arrive from L3 or memory; one sequential stream arrives faster than the four
 * row streams of a row-major kernel that computes four rows at a time (measured on Zen 4 for bfloat16: about 42 GB/s
 * from four row streams, 55 GB/s from one).
 *
 * <ul>
 *   <li>bfloat16: a {@link #PAIRS} vector of 2 LANES bfloat16 (the full float shape) is reinterpreted as LANES ints,
 *       each the pair (W[r, 2s], W[r, 2s+1]) of one row (the Vector API reinterprets lanes in little-endian order on
 *       every platform). Shifted left by 16 it is the even column as floats, masked with {@link #HIGH_HALF} the odd
 *       one (a bfloat16 is exactly the float whose upper half it is): one integer operation per float vector.</li>
 *   <li>bfloat16 (conversions): {@link #SHORTS} lanes, as many as the float species has, are sign-extended to int
 *       lanes, shifted left by 16 and reinterpreted as floats.</li>
 *   <li>int8: a {@link #BYTES} vector of LANES bytes of one column is widened into a float vector by a byte-to-float
 *       conversion (sign-extend, then convert; every int8 is an exact float). The byte species is a quarter of the
 *       float shape, but at least 64 bits, the smallest the Vector API has: at 128-bit floats one byte vector holds
 *       a whole panel column, two float vectors ({@link #PARTS}).</li>
 * </ul>
 *
 * <p>A matrix packed with another panel width (by the scalar kernels, whose width is 1) is multiplied by the spec's
 * loops: correct, not fast. The products sum a row's k terms in two chains (even and odd columns) added at the end:
 * another order than the spec's, within the same bound. The order depends only on k, so a result has the same bits
 * on every JIT tier and for every batch row.
 *
 * <p>The widening is written out in the loops rather than called through helper methods: C2 declines to inline a
 * callee that is already compiled into a big method (as the C1 code of a Vector API helper is), and a vector that
 * crosses a call that is not inlined is boxed. Measured with helpers: the bfloat16 product allocated 1.9 MB per call
 * of 4096 x 1024 and ran slower than the float32 one; a store helper taking a panel's two vectors allocated 192 bytes
 * per panel (49 KB per LSTM step at H = 1024), so the stores are written out as well.
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
  /** Float vectors per byte vector (1, or 2 at 128-bit floats, where a byte vector is a whole panel column). */
  static final int PARTS = BYTES.length() / LANES;
  /**
   * The panel width of the packed layouts ({@link dev.rnn4j.kernels.QuantizedLayout}): two float vectors of rows, so
   * that each broadcast activation feeds two multiply-adds. With one vector of rows the int8 product ran about 15%
   * slower than the row-major four-row loop it replaced (a broadcast per multiply-add on top of the widening).
   */
  static final int PANEL = 2 * LANES;
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

  /** Two float vectors of rows: each broadcast activation then feeds two multiply-adds. */
  @Override
  public int panelRows() {
    return PANEL;
  }

  /**
   * Per panel and activation row: four accumulators (the even and the odd column of a pair, for the panel's first
   * and second LANES rows) over the panel's one stream of pair vectors; each load of LANES pairs gives two float
   * vectors by one shift and one mask, multiplied with the broadcast activations of the pair's two columns. No lane
   * sums: lane l of the accumulators is an output row. A panel (2 LANES x k bfloat16, 64 KB at k = 1024 and 16 lanes)
   * stays in L2 while the activation rows of a batch pass over it, so each weight comes from memory once per call.
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
        FloatVector loEven = FloatVector.zero(SPECIES);
        FloatVector loOdd = loEven;
        FloatVector hiEven = loEven;
        FloatVector hiOdd = loEven;
        int wi = wt;
        for (int s = 0; s < fullPairs; s++, wi += 2 * PANEL) {
          IntVector lo = ShortVector.fromArray(PAIRS, w, wi).reinterpretAsInts();
          IntVector hi = ShortVector.fromArray(PAIRS, w, wi + 2 * LANES).reinterpretAsInts();
          FloatVector even = FloatVector.broadcast(SPECIES, a[ai + 2 * s]);
          FloatVector odd = FloatVector.broadcast(SPECIES, a[ai + 2 * s + 1]);
          loEven = lo.lanewise(LSHL, 16).reinterpretAsFloats().fma(even, loEven);
          hiEven = hi.lanewise(LSHL, 16).reinterpretAsFloats().fma(even, hiEven);
          loOdd = lo.and(HIGH_HALF).reinterpretAsFloats().fma(odd, loOdd);
          hiOdd = hi.and(HIGH_HALF).reinterpretAsFloats().fma(odd, hiOdd);
        }
        if (fullPairs < pairs) { // odd k: the last column's pairs hold zeros in their high halves; A has no column k
          IntVector lo = ShortVector.fromArray(PAIRS, w, wi).reinterpretAsInts();
          IntVector hi = ShortVector.fromArray(PAIRS, w, wi + 2 * LANES).reinterpretAsInts();
          FloatVector even = FloatVector.broadcast(SPECIES, a[ai + k - 1]);
          loEven = lo.lanewise(LSHL, 16).reinterpretAsFloats().fma(even, loEven);
          hiEven = hi.lanewise(LSHL, 16).reinterpretAsFloats().fma(even, hiEven);
        }
        // stored as the spec does: v + beta * c, or v alone when beta is 0 (C not read)
        int ci = cOff + i * ldc + r;
        int rows = n - r;
        FloatVector lo = loEven.add(loOdd);
        FloatVector hi = hiEven.add(hiOdd);
        if (rows >= PANEL) {
          if (beta != 0) {
            lo = lo.add(FloatVector.fromArray(SPECIES, c, ci).mul(beta));
            hi = hi.add(FloatVector.fromArray(SPECIES, c, ci + LANES).mul(beta));
          }
          lo.intoArray(c, ci);
          hi.intoArray(c, ci + LANES);
        } else { // the last, partial panel: its padding rows are not written
          VectorMask<Float> loRows = SPECIES.indexInRange(0, rows);
          VectorMask<Float> hiRows = SPECIES.indexInRange(LANES, rows);
          if (beta != 0) {
            lo = lo.add(FloatVector.fromArray(SPECIES, c, ci, loRows).mul(beta));
            hi = hi.add(FloatVector.fromArray(SPECIES, c, ci + LANES, hiRows).mul(beta));
          }
          lo.intoArray(c, ci, loRows);
          hi.intoArray(c, ci + LANES, hiRows);
        }
      }
    }
  }

  /**
   * Per panel and activation row: four accumulators (even and odd columns, for the panel's first and second LANES
   * rows) over the panel's stream of columns; each column's 2 LANES bytes widen into two float vectors by
   * byte-to-float conversions (sign-extend, convert: an int8 is an exact float), multiplied with the broadcast
   * activation of that column. At 128-bit floats one {@link #BYTES} load (the smallest byte vector, 64 bits) is the
   * whole column, at wider ones two loads. The row scales multiply the panel's sums once at the end.
   */
  @Override
  public void gemmInt8(int m, int n, int k, int p, float[] a, int aOff, int lda, byte[] q, int qOff, float[] scale,
                       int sOff, float beta, float[] c, int cOff, int ldc) {
    if (p != PANEL) {
      SPEC.gemmInt8(m, n, k, p, a, aOff, lda, q, qOff, scale, sOff, beta, c, cOff, ldc); // packed for another width
      return;
    }
    int panelLength = PANEL * k;
    int bound2 = k - k % 2;
    for (int t = 0, r = 0; r < n; t++, r += PANEL) {
      int qt = qOff + t * panelLength;
      for (int i = 0; i < m; i++) {
        int ai = aOff + i * lda;
        FloatVector loEven = FloatVector.zero(SPECIES);
        FloatVector loOdd = loEven;
        FloatVector hiEven = loEven;
        FloatVector hiOdd = loEven;
        int j = 0;
        int qj = qt;
        for (; j < bound2; j += 2, qj += 2 * PANEL) {
          FloatVector x0 = FloatVector.broadcast(SPECIES, a[ai + j]);
          FloatVector x1 = FloatVector.broadcast(SPECIES, a[ai + j + 1]);
          if (PARTS == 2) { // a constant: C2 keeps one branch
            ByteVector b0 = ByteVector.fromArray(BYTES, q, qj);
            ByteVector b1 = ByteVector.fromArray(BYTES, q, qj + PANEL);
            loEven = ((FloatVector) b0.convertShape(B2F, SPECIES, 0)).fma(x0, loEven);
            hiEven = ((FloatVector) b0.convertShape(B2F, SPECIES, 1)).fma(x0, hiEven);
            loOdd = ((FloatVector) b1.convertShape(B2F, SPECIES, 0)).fma(x1, loOdd);
            hiOdd = ((FloatVector) b1.convertShape(B2F, SPECIES, 1)).fma(x1, hiOdd);
          } else {
            loEven = ((FloatVector) ByteVector.fromArray(BYTES, q, qj).convertShape(B2F, SPECIES, 0))
                .fma(x0, loEven);
            hiEven = ((FloatVector) ByteVector.fromArray(BYTES, q, qj + LANES).convertShape(B2F, SPECIES, 0))
                .fma(x0, hiEven);
            loOdd = ((FloatVector) ByteVector.fromArray(BYTES, q, qj + PANEL).convertShape(B2F, SPECIES, 0))
                .fma(x1, loOdd);
            hiOdd = ((FloatVector) ByteVector.fromArray(BYTES, q, qj + PANEL + LANES).convertShape(B2F, SPECIES, 0))
                .fma(x1, hiOdd);
          }
        }
        if (j < k) { // odd k: the last column
          FloatVector x0 = FloatVector.broadcast(SPECIES, a[ai + j]);
          if (PARTS == 2) {
            ByteVector b0 = ByteVector.fromArray(BYTES, q, qj);
            loEven = ((FloatVector) b0.convertShape(B2F, SPECIES, 0)).fma(x0, loEven);
            hiEven = ((FloatVector) b0.convertShape(B2F, SPECIES, 1)).fma(x0, hiEven);
          } else {
            loEven = ((FloatVector) ByteVector.fromArray(BYTES, q, qj).convertShape(B2F, SPECIES, 0))
                .fma(x0, loEven);
            hiEven = ((FloatVector) ByteVector.fromArray(BYTES, q, qj + LANES).convertShape(B2F, SPECIES, 0))
                .fma(x0, hiEven);
          }
        }
        int rows = n - r;
        FloatVector lo = loEven.add(loOdd);
        FloatVector hi = hiEven.add(hiOdd);
        if (rows >= PANEL) {
          lo = lo.mul(FloatVector.fromArray(SPECIES, scale, sOff + r));
          hi = hi.mul(FloatVector.fromArray(SPECIES, scale, sOff + r + LANES));
        } else { // the last, partial panel: its padding rows have no scale
          lo = lo.mul(FloatVector.fromArray(SPECIES, scale, sOff + r, SPECIES.indexInRange(0, rows)));
          hi = hi.mul(FloatVector.fromArray(SPECIES, scale, sOff + r + LANES, SPECIES.indexInRange(LANES, rows)));
        }
        int ci = cOff + i * ldc + r; // stored as in gemmBf16
        if (rows >= PANEL) {
          if (beta != 0) {
            lo = lo.add(FloatVector.fromArray(SPECIES, c, ci).mul(beta));
            hi = hi.add(FloatVector.fromArray(SPECIES, c, ci + LANES).mul(beta));
          }
          lo.intoArray(c, ci);
          hi.intoArray(c, ci + LANES);
        } else { // the last, partial panel: its padding rows are not written
          VectorMask<Float> loRows = SPECIES.indexInRange(0, rows);
          VectorMask<Float> hiRows = SPECIES.indexInRange(LANES, rows);
          if (beta != 0) {
            lo = lo.add(FloatVector.fromArray(SPECIES, c, ci, loRows).mul(beta));
            hi = hi.add(FloatVector.fromArray(SPECIES, c, ci + LANES, hiRows).mul(beta));
          }
          lo.intoArray(c, ci, loRows);
          hi.intoArray(c, ci + LANES, hiRows);
        }
      }
    }
  }
}
