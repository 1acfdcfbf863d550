package dev.rnn4j.kernels.simd;

import static dev.rnn4j.kernels.simd.PanamaFloatSpecies.LANES;
import static dev.rnn4j.kernels.simd.PanamaFloatSpecies.SPECIES;
import static jdk.incubator.vector.VectorOperators.I2F;
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
 *   <li>int8: a {@link #QUADS} vector of 4 PANEL bytes (the full float shape) is reinterpreted as PANEL ints, each
 *       the quad (W[r, 4s], ..., W[r, 4s+3]) of one row. Each byte is moved to the top of its lane (a left shift by
 *       24, 16 or 8, then a mask with {@link #TOP_BYTE}; only the mask for the top byte), which makes the int exactly
 *       {@code 2^24 q}, converted to float (exact: 8 significant bits) and multiplied with the broadcast activation
 *       times {@link #UNSCALE}: {@code (2^24 q)(2^-24 a) = q a} exactly, so the products and their sums are those of
 *       the widened weights. {@link #GROUP} panels share each pass over the columns, so that each broadcast serves
 *       GROUP multiply-adds. int8 is bound by this arithmetic, not by its bytes: the mask form needs 6 integer
 *       operations per 4 float vectors where sign extension (a left and an arithmetic right shift) needs 7 shifts,
 *       and shifts issue on fewer ports (Zen 4: 300 us per LSTM step with shifts, 229 us with masks, 253 us for the
 *       row-major byte-to-float loop this replaced; bench/README.md).</li>
 * </ul>
 *
 * <p>A matrix packed with another panel width (a bfloat16 matrix packed by the scalar kernels, whose width is 1) is
 * multiplied by the spec's loops: correct, not fast. The bfloat16 product sums a row's k terms in four chains (column
 * index mod 4), the int8 product in two (column index mod 4 below 2, and 2 or 3), added at the end: another order
 * than the spec's, within the same bound. The order depends only on k and the species, so a result has the same
 * bits on every JIT tier and for every batch row.
 *
 * <p>One exception to exactness in the int8 product: an activation below {@code 2^-102} in magnitude (not zero)
 * times {@code 2^-24} is subnormal and loses bits, at most {@code 2^-149} absolute, so that term's product is off by
 * at most {@code 2^-149 * 127 * 2^24 < 2^-118} (before the row scale). Such activations are far below anything a
 * float32 recurrent layer carries; the bound of {@link QuantizedKernels} assumes normal activations.
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
  /**
   * int8 lanes of the full float shape, four per float lane: reinterpreted as ints, lane t holds one row's quad of
   * columns, the first column in its low byte (little-endian on every platform, as for {@link #PAIRS}).
   */
  static final VectorSpecies<Byte> QUADS = VectorSpecies.of(byte.class, SPECIES.vectorShape());
  /** Panels of rows that share each pass over the columns (and so each broadcast activation), bfloat16 and int8. */
  static final int GROUP = 4;
  /** Keeps the top byte of an int lane: a byte moved there is {@code 2^24} times its int8 value as an int. */
  private static final int TOP_BYTE = 0xFF000000;
  /** {@code 2^-24}: the activations' factor that undoes the {@link #TOP_BYTE} position of the weights. */
  private static final float UNSCALE = 0x1p-24f;
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
   * output row l of the panel. {@link #GROUP} panels share each pass over the columns ({@link #bf16Group}), so that each
   * broadcast activation serves GROUP multiply-adds: the loop is bound by its vector operations, and with one panel
   * per pass a broadcast came with every multiply-add (3 operations per 16 weights instead of 2.25; Zen 4 retires
   * about 1.7 512-bit operations per cycle, docs/benchmarks/quantized-step.md). The panels left over from the groups
   * go one at a time ({@link #bf16Panel}), with the same four chains: every output has the same bits either way. A
   * group's panels (GROUP x PANEL x k bfloat16, 128 KB at k = 1024 and 16 lanes) stay in L2 while the activation rows
   * of a batch pass over them, so each weight comes from memory once per call.
   */
  @Override
  public void gemmBf16(int m, int n, int k, int p, float[] a, int aOff, int lda, short[] w, int wOff,
                       float beta, float[] c, int cOff, int ldc) {
    if (p != PANEL) {
      SPEC.gemmBf16(m, n, k, p, a, aOff, lda, w, wOff, beta, c, cOff, ldc); // packed for another width
      return;
    }
    int panelLength = 2 * PANEL * ((k + 1) / 2);
    int panels = (n + PANEL - 1) / PANEL;
    int t = 0;
    for (; t + GROUP <= panels; t += GROUP) {
      for (int i = 0; i < m; i++) {
        bf16Group(n - t * PANEL, k, a, aOff + i * lda, w, wOff + t * panelLength, panelLength, beta, c,
            cOff + i * ldc + t * PANEL);
      }
    }
    for (; t < panels; t++) { // the panels left over from the groups, one at a time
      for (int i = 0; i < m; i++) {
        bf16Panel(n - t * PANEL, k, a, aOff + i * lda, w, wOff + t * panelLength, beta, c, cOff + i * ldc + t * PANEL);
      }
    }
  }

  /**
   * One activation row (from {@code ai}) times {@link #GROUP} panels from {@code w0}, {@code panelLength} shorts apart,
   * into C from {@code ci}: per panel the four chains of {@link #bf16Panel}, summed as there. {@code rows} counts the
   * rows from the group's first on; every panel of a group but the last is full. The stores are written out (see the
   * class comment).
   */
  private static void bf16Group(int rows, int k, float[] a, int ai, short[] w, int w0, int panelLength, float beta,
                                float[] c, int ci) {
    int pairs = (k + 1) / 2;
    int fullPairs = k / 2;
    int w1 = w0 + panelLength;
    int w2 = w1 + panelLength;
    int w3 = w2 + panelLength;
    FloatVector a0 = FloatVector.zero(SPECIES); // panel 0's chains: a0..a3, panel 1's b0..b3, ...
    FloatVector a1 = a0;
    FloatVector a2 = a0;
    FloatVector a3 = a0;
    FloatVector b0 = a0;
    FloatVector b1 = a0;
    FloatVector b2 = a0;
    FloatVector b3 = a0;
    FloatVector c0 = a0;
    FloatVector c1 = a0;
    FloatVector c2 = a0;
    FloatVector c3 = a0;
    FloatVector d0 = a0;
    FloatVector d1 = a0;
    FloatVector d2 = a0;
    FloatVector d3 = a0;
    int s = 0;
    int wi = 0;
    for (; s + 2 <= fullPairs; s += 2, wi += 4 * PANEL) {
      int aj = ai + 2 * s;
      FloatVector x0 = FloatVector.broadcast(SPECIES, a[aj]);
      FloatVector x1 = FloatVector.broadcast(SPECIES, a[aj + 1]);
      FloatVector x2 = FloatVector.broadcast(SPECIES, a[aj + 2]);
      FloatVector x3 = FloatVector.broadcast(SPECIES, a[aj + 3]);
      IntVector v = ShortVector.fromArray(PAIRS, w, w0 + wi).reinterpretAsInts();
      IntVector u = ShortVector.fromArray(PAIRS, w, w0 + wi + 2 * PANEL).reinterpretAsInts();
      a0 = v.lanewise(LSHL, 16).reinterpretAsFloats().fma(x0, a0);
      a1 = v.and(HIGH_HALF).reinterpretAsFloats().fma(x1, a1);
      a2 = u.lanewise(LSHL, 16).reinterpretAsFloats().fma(x2, a2);
      a3 = u.and(HIGH_HALF).reinterpretAsFloats().fma(x3, a3);
      v = ShortVector.fromArray(PAIRS, w, w1 + wi).reinterpretAsInts();
      u = ShortVector.fromArray(PAIRS, w, w1 + wi + 2 * PANEL).reinterpretAsInts();
      b0 = v.lanewise(LSHL, 16).reinterpretAsFloats().fma(x0, b0);
      b1 = v.and(HIGH_HALF).reinterpretAsFloats().fma(x1, b1);
      b2 = u.lanewise(LSHL, 16).reinterpretAsFloats().fma(x2, b2);
      b3 = u.and(HIGH_HALF).reinterpretAsFloats().fma(x3, b3);
      v = ShortVector.fromArray(PAIRS, w, w2 + wi).reinterpretAsInts();
      u = ShortVector.fromArray(PAIRS, w, w2 + wi + 2 * PANEL).reinterpretAsInts();
      c0 = v.lanewise(LSHL, 16).reinterpretAsFloats().fma(x0, c0);
      c1 = v.and(HIGH_HALF).reinterpretAsFloats().fma(x1, c1);
      c2 = u.lanewise(LSHL, 16).reinterpretAsFloats().fma(x2, c2);
      c3 = u.and(HIGH_HALF).reinterpretAsFloats().fma(x3, c3);
      v = ShortVector.fromArray(PAIRS, w, w3 + wi).reinterpretAsInts();
      u = ShortVector.fromArray(PAIRS, w, w3 + wi + 2 * PANEL).reinterpretAsInts();
      d0 = v.lanewise(LSHL, 16).reinterpretAsFloats().fma(x0, d0);
      d1 = v.and(HIGH_HALF).reinterpretAsFloats().fma(x1, d1);
      d2 = u.lanewise(LSHL, 16).reinterpretAsFloats().fma(x2, d2);
      d3 = u.and(HIGH_HALF).reinterpretAsFloats().fma(x3, d3);
    }
    if (s < fullPairs) { // one more whole pair
      int aj = ai + 2 * s;
      FloatVector x0 = FloatVector.broadcast(SPECIES, a[aj]);
      FloatVector x1 = FloatVector.broadcast(SPECIES, a[aj + 1]);
      IntVector v = ShortVector.fromArray(PAIRS, w, w0 + wi).reinterpretAsInts();
      a0 = v.lanewise(LSHL, 16).reinterpretAsFloats().fma(x0, a0);
      a1 = v.and(HIGH_HALF).reinterpretAsFloats().fma(x1, a1);
      v = ShortVector.fromArray(PAIRS, w, w1 + wi).reinterpretAsInts();
      b0 = v.lanewise(LSHL, 16).reinterpretAsFloats().fma(x0, b0);
      b1 = v.and(HIGH_HALF).reinterpretAsFloats().fma(x1, b1);
      v = ShortVector.fromArray(PAIRS, w, w2 + wi).reinterpretAsInts();
      c0 = v.lanewise(LSHL, 16).reinterpretAsFloats().fma(x0, c0);
      c1 = v.and(HIGH_HALF).reinterpretAsFloats().fma(x1, c1);
      v = ShortVector.fromArray(PAIRS, w, w3 + wi).reinterpretAsInts();
      d0 = v.lanewise(LSHL, 16).reinterpretAsFloats().fma(x0, d0);
      d1 = v.and(HIGH_HALF).reinterpretAsFloats().fma(x1, d1);
      s++;
      wi += 2 * PANEL;
    }
    if (s < pairs) { // odd k: the last column's pair holds a zero in its high half, and A has no column k
      FloatVector x0 = FloatVector.broadcast(SPECIES, a[ai + k - 1]);
      a0 = ShortVector.fromArray(PAIRS, w, w0 + wi).reinterpretAsInts().lanewise(LSHL, 16).reinterpretAsFloats()
          .fma(x0, a0);
      b0 = ShortVector.fromArray(PAIRS, w, w1 + wi).reinterpretAsInts().lanewise(LSHL, 16).reinterpretAsFloats()
          .fma(x0, b0);
      c0 = ShortVector.fromArray(PAIRS, w, w2 + wi).reinterpretAsInts().lanewise(LSHL, 16).reinterpretAsFloats()
          .fma(x0, c0);
      d0 = ShortVector.fromArray(PAIRS, w, w3 + wi).reinterpretAsInts().lanewise(LSHL, 16).reinterpretAsFloats()
          .fma(x0, d0);
    }
    FloatVector sum = a0.add(a1).add(a2.add(a3));
    if (beta != 0) {
      sum = sum.add(FloatVector.fromArray(SPECIES, c, ci).mul(beta));
    }
    sum.intoArray(c, ci);
    sum = b0.add(b1).add(b2.add(b3));
    if (beta != 0) {
      sum = sum.add(FloatVector.fromArray(SPECIES, c, ci + PANEL).mul(beta));
    }
    sum.intoArray(c, ci + PANEL);
    sum = c0.add(c1).add(c2.add(c3));
    if (beta != 0) {
      sum = sum.add(FloatVector.fromArray(SPECIES, c, ci + 2 * PANEL).mul(beta));
    }
    sum.intoArray(c, ci + 2 * PANEL);
    sum = d0.add(d1).add(d2.add(d3));
    int last = rows - (GROUP - 1) * PANEL;
    if (last >= PANEL) {
      if (beta != 0) {
        sum = sum.add(FloatVector.fromArray(SPECIES, c, ci + 3 * PANEL).mul(beta));
      }
      sum.intoArray(c, ci + 3 * PANEL);
    } else { // the last, partial panel: its padding rows are not written
      VectorMask<Float> inside = SPECIES.indexInRange(0, last);
      if (beta != 0) {
        sum = sum.add(FloatVector.fromArray(SPECIES, c, ci + 3 * PANEL, inside).mul(beta));
      }
      sum.intoArray(c, ci + 3 * PANEL, inside);
    }
  }

  /** One activation row times one panel from {@code wt}: the four chains, summed (s0 + s1) + (s2 + s3). */
  private static void bf16Panel(int rows, int k, float[] a, int ai, short[] w, int wt, float beta, float[] c,
                                int ci) {
    int pairs = (k + 1) / 2;
    int fullPairs = k / 2;
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

  /** The float lanes, as for bfloat16: one accumulator holds the outputs of one int8 panel. */
  @Override
  public int int8PanelRows() {
    return PANEL;
  }

  /**
   * Panels of {@code PANEL} rows, each quad of columns one load of {@link #QUADS} bytes read as PANEL ints (the
   * quad of one row in each int), widened as the class comment describes; {@link #GROUP} panels at a time (two batch
   * rows per pass where the group's panels are whole, {@link #int8GroupPair}), then the panels left over one at a
   * time. A last, partial quad is widened like the others: its missing columns hold zero
   * weights and get zero activations (A has no column k, so it is not read there). The row scales multiply the sums
   * once at the end. Each panel sums in two chains (columns 4s, 4s + 1 and columns 4s + 2, 4s + 3) added at the end,
   * in a group as alone. Other panel widths go to the spec's loops.
   *
   * <p>One method call per panel group and batch row ({@link #int8Group}, {@link #int8Panel}): each of them is small
   * enough for C1 to compile, so that the product is compiled (tier 3, then C2) as soon as the float and bfloat16
   * ones are. As one method with the group and single-panel loops together, C1 gave up on it ("out of virtual
   * registers": every Vector API call is force-inlined into it) and it ran interpreted, allocating every vector,
   * until C2 compiled it, thousands of steps later (QuantizedRecurrentLayerTest.aStepAllocatesNothing).
   */
  @Override
  public void gemmInt8(int m, int n, int k, int p, float[] a, int aOff, int lda, byte[] q, int qOff, float[] scale,
                       int sOff, float beta, float[] c, int cOff, int ldc) {
    if (p != PANEL) {
      SPEC.gemmInt8(m, n, k, p, a, aOff, lda, q, qOff, scale, sOff, beta, c, cOff, ldc); // packed for another width
      return;
    }
    int panelLength = 4 * PANEL * ((k + 3) / 4);
    int panels = (n + PANEL - 1) / PANEL;
    int t = 0;
    for (; t + GROUP <= panels; t += GROUP) {
      int i = 0;
      if (n - t * PANEL >= GROUP * PANEL) { // whole panels: two batch rows per pass where there are two
        for (; i + 2 <= m; i += 2) {
          int8GroupPair(k, a, aOff + i * lda, aOff + (i + 1) * lda, q, qOff + t * panelLength, panelLength, scale,
              sOff + t * PANEL, beta, c, cOff + i * ldc + t * PANEL, cOff + (i + 1) * ldc + t * PANEL);
        }
      }
      for (; i < m; i++) {
        int8Group(n - t * PANEL, k, a, aOff + i * lda, q, qOff + t * panelLength, panelLength, scale, sOff + t * PANEL,
            beta, c, cOff + i * ldc + t * PANEL);
      }
    }
    for (; t < panels; t++) { // the panels left over from the groups, one at a time, in the same order
      for (int i = 0; i < m; i++) {
        int8Panel(n - t * PANEL, k, a, aOff + i * lda, q, qOff + t * panelLength, scale, sOff + t * PANEL, beta, c,
            cOff + i * ldc + t * PANEL);
      }
    }
  }

  /**
   * One batch row (activations from {@code ai}) times {@link #GROUP} panels from {@code w0}, {@code panelLength}
   * bytes apart, into C from {@code ci}. {@code rows} counts the rows from the group's first on; every panel of a
   * group but the last is full.
   */
  private static void int8Group(int rows, int k, float[] a, int ai, byte[] q, int w0, int panelLength, float[] scale,
                                int si, float beta, float[] c, int ci) {
    int w1 = w0 + panelLength;
    int w2 = w1 + panelLength;
    int w3 = w2 + panelLength;
    FloatVector e0 = FloatVector.zero(SPECIES);
    FloatVector e1 = e0;
    FloatVector e2 = e0;
    FloatVector e3 = e0;
    FloatVector o0 = e0;
    FloatVector o1 = e0;
    FloatVector o2 = e0;
    FloatVector o3 = e0;
    for (int j = 0, wq = 0; j < k; j += 4, wq += 4 * PANEL) {
      int aj = ai + j;
      // a partial last quad: zero activations for the columns past k (their weights are zero padding)
      FloatVector x0 = FloatVector.broadcast(SPECIES, a[aj] * UNSCALE);
      FloatVector x1 = FloatVector.broadcast(SPECIES, j + 1 < k ? a[aj + 1] * UNSCALE : 0f);
      FloatVector x2 = FloatVector.broadcast(SPECIES, j + 2 < k ? a[aj + 2] * UNSCALE : 0f);
      FloatVector x3 = FloatVector.broadcast(SPECIES, j + 3 < k ? a[aj + 3] * UNSCALE : 0f);
      IntVector v0 = ByteVector.fromArray(QUADS, q, w0 + wq).reinterpretAsInts();
      IntVector v1 = ByteVector.fromArray(QUADS, q, w1 + wq).reinterpretAsInts();
      IntVector v2 = ByteVector.fromArray(QUADS, q, w2 + wq).reinterpretAsInts();
      IntVector v3 = ByteVector.fromArray(QUADS, q, w3 + wq).reinterpretAsInts();
      e0 = ((FloatVector) v0.lanewise(LSHL, 24).convert(I2F, 0)).fma(x0, e0);
      e1 = ((FloatVector) v1.lanewise(LSHL, 24).convert(I2F, 0)).fma(x0, e1);
      e2 = ((FloatVector) v2.lanewise(LSHL, 24).convert(I2F, 0)).fma(x0, e2);
      e3 = ((FloatVector) v3.lanewise(LSHL, 24).convert(I2F, 0)).fma(x0, e3);
      e0 = ((FloatVector) v0.lanewise(LSHL, 16).and(TOP_BYTE).convert(I2F, 0)).fma(x1, e0);
      e1 = ((FloatVector) v1.lanewise(LSHL, 16).and(TOP_BYTE).convert(I2F, 0)).fma(x1, e1);
      e2 = ((FloatVector) v2.lanewise(LSHL, 16).and(TOP_BYTE).convert(I2F, 0)).fma(x1, e2);
      e3 = ((FloatVector) v3.lanewise(LSHL, 16).and(TOP_BYTE).convert(I2F, 0)).fma(x1, e3);
      o0 = ((FloatVector) v0.lanewise(LSHL, 8).and(TOP_BYTE).convert(I2F, 0)).fma(x2, o0);
      o1 = ((FloatVector) v1.lanewise(LSHL, 8).and(TOP_BYTE).convert(I2F, 0)).fma(x2, o1);
      o2 = ((FloatVector) v2.lanewise(LSHL, 8).and(TOP_BYTE).convert(I2F, 0)).fma(x2, o2);
      o3 = ((FloatVector) v3.lanewise(LSHL, 8).and(TOP_BYTE).convert(I2F, 0)).fma(x2, o3);
      o0 = ((FloatVector) v0.and(TOP_BYTE).convert(I2F, 0)).fma(x3, o0);
      o1 = ((FloatVector) v1.and(TOP_BYTE).convert(I2F, 0)).fma(x3, o1);
      o2 = ((FloatVector) v2.and(TOP_BYTE).convert(I2F, 0)).fma(x3, o2);
      o3 = ((FloatVector) v3.and(TOP_BYTE).convert(I2F, 0)).fma(x3, o3);
    }
    // the stores are written out (see the class comment)
    FloatVector sum = e0.add(o0).mul(FloatVector.fromArray(SPECIES, scale, si));
    if (beta != 0) {
      sum = sum.add(FloatVector.fromArray(SPECIES, c, ci).mul(beta));
    }
    sum.intoArray(c, ci);
    sum = e1.add(o1).mul(FloatVector.fromArray(SPECIES, scale, si + PANEL));
    if (beta != 0) {
      sum = sum.add(FloatVector.fromArray(SPECIES, c, ci + PANEL).mul(beta));
    }
    sum.intoArray(c, ci + PANEL);
    sum = e2.add(o2).mul(FloatVector.fromArray(SPECIES, scale, si + 2 * PANEL));
    if (beta != 0) {
      sum = sum.add(FloatVector.fromArray(SPECIES, c, ci + 2 * PANEL).mul(beta));
    }
    sum.intoArray(c, ci + 2 * PANEL);
    sum = e3.add(o3);
    int last = rows - (GROUP - 1) * PANEL;
    if (last >= PANEL) {
      sum = sum.mul(FloatVector.fromArray(SPECIES, scale, si + 3 * PANEL));
      if (beta != 0) {
        sum = sum.add(FloatVector.fromArray(SPECIES, c, ci + 3 * PANEL).mul(beta));
      }
      sum.intoArray(c, ci + 3 * PANEL);
    } else { // the last, partial panel: its padding rows are neither read (scales, C) nor written
      VectorMask<Float> inside = SPECIES.indexInRange(0, last);
      sum = sum.mul(FloatVector.fromArray(SPECIES, scale, si + 3 * PANEL, inside));
      if (beta != 0) {
        sum = sum.add(FloatVector.fromArray(SPECIES, c, ci + 3 * PANEL, inside).mul(beta));
      }
      sum.intoArray(c, ci + 3 * PANEL, inside);
    }
  }

  /**
   * Two batch rows (activations from {@code ai} and {@code aj}) times {@link #GROUP} whole panels from {@code w0},
   * into C from {@code ci} and {@code cj}: each quad is widened once for both rows, so that the widening (six integer
   * operations and four conversions per four float vectors, what bounds {@link #int8Group}) is shared by twice the
   * multiply-adds. Per row and panel the same two chains in the same order as {@link #int8Group}: the same bits.
   */
  private static void int8GroupPair(int k, float[] a, int ai, int aj, byte[] q, int w0, int panelLength,
                                    float[] scale, int si, float beta, float[] c, int ci, int cj) {
    FloatVector e0 = FloatVector.zero(SPECIES); // row ai: e0..e3, o0..o3 per panel; row aj: f0..f3, p0..p3
    FloatVector e1 = e0;
    FloatVector e2 = e0;
    FloatVector e3 = e0;
    FloatVector o0 = e0;
    FloatVector o1 = e0;
    FloatVector o2 = e0;
    FloatVector o3 = e0;
    FloatVector f0 = e0;
    FloatVector f1 = e0;
    FloatVector f2 = e0;
    FloatVector f3 = e0;
    FloatVector p0 = e0;
    FloatVector p1 = e0;
    FloatVector p2 = e0;
    FloatVector p3 = e0;
    for (int j = 0, wq = w0; j < k; j += 4, wq += 4 * PANEL) {
      // a partial last quad: zero activations for the columns past k (their weights are zero padding)
      FloatVector x0 = FloatVector.broadcast(SPECIES, a[ai + j] * UNSCALE);
      FloatVector x1 = FloatVector.broadcast(SPECIES, j + 1 < k ? a[ai + j + 1] * UNSCALE : 0f);
      FloatVector x2 = FloatVector.broadcast(SPECIES, j + 2 < k ? a[ai + j + 2] * UNSCALE : 0f);
      FloatVector x3 = FloatVector.broadcast(SPECIES, j + 3 < k ? a[ai + j + 3] * UNSCALE : 0f);
      FloatVector y0 = FloatVector.broadcast(SPECIES, a[aj + j] * UNSCALE);
      FloatVector y1 = FloatVector.broadcast(SPECIES, j + 1 < k ? a[aj + j + 1] * UNSCALE : 0f);
      FloatVector y2 = FloatVector.broadcast(SPECIES, j + 2 < k ? a[aj + j + 2] * UNSCALE : 0f);
      FloatVector y3 = FloatVector.broadcast(SPECIES, j + 3 < k ? a[aj + j + 3] * UNSCALE : 0f);
      IntVector v = ByteVector.fromArray(QUADS, q, wq).reinterpretAsInts();
      FloatVector w = (FloatVector) v.lanewise(LSHL, 24).convert(I2F, 0);
      e0 = w.fma(x0, e0);
      f0 = w.fma(y0, f0);
      w = (FloatVector) v.lanewise(LSHL, 16).and(TOP_BYTE).convert(I2F, 0);
      e0 = w.fma(x1, e0);
      f0 = w.fma(y1, f0);
      w = (FloatVector) v.lanewise(LSHL, 8).and(TOP_BYTE).convert(I2F, 0);
      o0 = w.fma(x2, o0);
      p0 = w.fma(y2, p0);
      w = (FloatVector) v.and(TOP_BYTE).convert(I2F, 0);
      o0 = w.fma(x3, o0);
      p0 = w.fma(y3, p0);
      v = ByteVector.fromArray(QUADS, q, wq + panelLength).reinterpretAsInts();
      w = (FloatVector) v.lanewise(LSHL, 24).convert(I2F, 0);
      e1 = w.fma(x0, e1);
      f1 = w.fma(y0, f1);
      w = (FloatVector) v.lanewise(LSHL, 16).and(TOP_BYTE).convert(I2F, 0);
      e1 = w.fma(x1, e1);
      f1 = w.fma(y1, f1);
      w = (FloatVector) v.lanewise(LSHL, 8).and(TOP_BYTE).convert(I2F, 0);
      o1 = w.fma(x2, o1);
      p1 = w.fma(y2, p1);
      w = (FloatVector) v.and(TOP_BYTE).convert(I2F, 0);
      o1 = w.fma(x3, o1);
      p1 = w.fma(y3, p1);
      v = ByteVector.fromArray(QUADS, q, wq + 2 * panelLength).reinterpretAsInts();
      w = (FloatVector) v.lanewise(LSHL, 24).convert(I2F, 0);
      e2 = w.fma(x0, e2);
      f2 = w.fma(y0, f2);
      w = (FloatVector) v.lanewise(LSHL, 16).and(TOP_BYTE).convert(I2F, 0);
      e2 = w.fma(x1, e2);
      f2 = w.fma(y1, f2);
      w = (FloatVector) v.lanewise(LSHL, 8).and(TOP_BYTE).convert(I2F, 0);
      o2 = w.fma(x2, o2);
      p2 = w.fma(y2, p2);
      w = (FloatVector) v.and(TOP_BYTE).convert(I2F, 0);
      o2 = w.fma(x3, o2);
      p2 = w.fma(y3, p2);
      v = ByteVector.fromArray(QUADS, q, wq + 3 * panelLength).reinterpretAsInts();
      w = (FloatVector) v.lanewise(LSHL, 24).convert(I2F, 0);
      e3 = w.fma(x0, e3);
      f3 = w.fma(y0, f3);
      w = (FloatVector) v.lanewise(LSHL, 16).and(TOP_BYTE).convert(I2F, 0);
      e3 = w.fma(x1, e3);
      f3 = w.fma(y1, f3);
      w = (FloatVector) v.lanewise(LSHL, 8).and(TOP_BYTE).convert(I2F, 0);
      o3 = w.fma(x2, o3);
      p3 = w.fma(y2, p3);
      w = (FloatVector) v.and(TOP_BYTE).convert(I2F, 0);
      o3 = w.fma(x3, o3);
      p3 = w.fma(y3, p3);
    }
    // the stores are written out (see the class comment); every panel is whole
    FloatVector s0 = FloatVector.fromArray(SPECIES, scale, si);
    FloatVector s1 = FloatVector.fromArray(SPECIES, scale, si + PANEL);
    FloatVector s2 = FloatVector.fromArray(SPECIES, scale, si + 2 * PANEL);
    FloatVector s3 = FloatVector.fromArray(SPECIES, scale, si + 3 * PANEL);
    e0 = e0.add(o0).mul(s0);
    e1 = e1.add(o1).mul(s1);
    e2 = e2.add(o2).mul(s2);
    e3 = e3.add(o3).mul(s3);
    f0 = f0.add(p0).mul(s0);
    f1 = f1.add(p1).mul(s1);
    f2 = f2.add(p2).mul(s2);
    f3 = f3.add(p3).mul(s3);
    if (beta != 0) {
      e0 = e0.add(FloatVector.fromArray(SPECIES, c, ci).mul(beta));
      e1 = e1.add(FloatVector.fromArray(SPECIES, c, ci + PANEL).mul(beta));
      e2 = e2.add(FloatVector.fromArray(SPECIES, c, ci + 2 * PANEL).mul(beta));
      e3 = e3.add(FloatVector.fromArray(SPECIES, c, ci + 3 * PANEL).mul(beta));
      f0 = f0.add(FloatVector.fromArray(SPECIES, c, cj).mul(beta));
      f1 = f1.add(FloatVector.fromArray(SPECIES, c, cj + PANEL).mul(beta));
      f2 = f2.add(FloatVector.fromArray(SPECIES, c, cj + 2 * PANEL).mul(beta));
      f3 = f3.add(FloatVector.fromArray(SPECIES, c, cj + 3 * PANEL).mul(beta));
    }
    e0.intoArray(c, ci);
    e1.intoArray(c, ci + PANEL);
    e2.intoArray(c, ci + 2 * PANEL);
    e3.intoArray(c, ci + 3 * PANEL);
    f0.intoArray(c, cj);
    f1.intoArray(c, cj + PANEL);
    f2.intoArray(c, cj + 2 * PANEL);
    f3.intoArray(c, cj + 3 * PANEL);
  }

  /** One batch row times one panel from {@code w0}, as {@link #int8Group} does for each of its panels. */
  private static void int8Panel(int rows, int k, float[] a, int ai, byte[] q, int w0, float[] scale, int si,
                                float beta, float[] c, int ci) {
    FloatVector e0 = FloatVector.zero(SPECIES);
    FloatVector o0 = e0;
    for (int j = 0, wq = w0; j < k; j += 4, wq += 4 * PANEL) {
      int aj = ai + j;
      IntVector v0 = ByteVector.fromArray(QUADS, q, wq).reinterpretAsInts();
      e0 = ((FloatVector) v0.lanewise(LSHL, 24).convert(I2F, 0))
          .fma(FloatVector.broadcast(SPECIES, a[aj] * UNSCALE), e0);
      e0 = ((FloatVector) v0.lanewise(LSHL, 16).and(TOP_BYTE).convert(I2F, 0))
          .fma(FloatVector.broadcast(SPECIES, j + 1 < k ? a[aj + 1] * UNSCALE : 0f), e0);
      o0 = ((FloatVector) v0.lanewise(LSHL, 8).and(TOP_BYTE).convert(I2F, 0))
          .fma(FloatVector.broadcast(SPECIES, j + 2 < k ? a[aj + 2] * UNSCALE : 0f), o0);
      o0 = ((FloatVector) v0.and(TOP_BYTE).convert(I2F, 0))
          .fma(FloatVector.broadcast(SPECIES, j + 3 < k ? a[aj + 3] * UNSCALE : 0f), o0);
    }
    FloatVector sum = e0.add(o0);
    if (rows >= PANEL) {
      sum = sum.mul(FloatVector.fromArray(SPECIES, scale, si));
      if (beta != 0) {
        sum = sum.add(FloatVector.fromArray(SPECIES, c, ci).mul(beta));
      }
      sum.intoArray(c, ci);
    } else {
      VectorMask<Float> inside = SPECIES.indexInRange(0, rows);
      sum = sum.mul(FloatVector.fromArray(SPECIES, scale, si, inside));
      if (beta != 0) {
        sum = sum.add(FloatVector.fromArray(SPECIES, c, ci, inside).mul(beta));
      }
      sum.intoArray(c, ci, inside);
    }
  }
}
