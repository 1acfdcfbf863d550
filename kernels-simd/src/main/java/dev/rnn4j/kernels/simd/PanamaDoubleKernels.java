package dev.rnn4j.kernels.simd;

// rnn4j:generate-float

import dev.rnn4j.kernels.DoubleKernels;
import dev.rnn4j.kernels.DoublePackedMatrix;
import dev.rnn4j.kernels.GemmBlocking;
import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector /*f32:jdk.incubator.vector.IntVector*/;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD twin of {@link dev.rnn4j.kernels.ScalarDoubleKernels} on the Java Vector API ({@code jdk.incubator.vector}),
 * with the methods in the same order as the spec.
 *
 * <p>Every loop runs whole vectors of the species first and finishes the remaining {@code n % LANES} elements with a
 * scalar tail that computes exactly what the spec computes; hot loops contain no masked operations.
 *
 * <h2>Accuracy</h2>
 * <ul>
 *   <li>Sums (dot, gemm, gemv, sum, sumOfSquares, softmax denominators) use several accumulators and fused
 *       multiply-add, so they are reassociated: a length-k sum of products is within
 *       {@code gamma(k) * sum|a_i * b_i|} of the exact value, as the contract states; elementwise arithmetic is
 *       exactly rounded, as in the spec. The lanes of an accumulator are added in a fixed tree order ({@code FOLDS}),
 *       never with {@code reduceLanes(ADD)}, whose order is unspecified and differs between C2 and the Java
 *       fallback.</li>
 *   <li>{@code exp} and {@code tanh} (and sigmoid, softmax and the LSTM/GRU kernels through them) are computed here
 *       from exact per-lane operations only: Cody-Waite reduction, a degree-13 (float32: degree-8) Taylor
 *       polynomial and a scaling by 2^k built from exponent bits. {@code log} likewise: x = 2^e m with m in
 *       [sqrt(1/2), sqrt(2)) from the exponent and mantissa bits (subnormals scaled up first),
 *       {@code log m = 2 atanh(s)}, {@code s = (m - 1) / (m + 1)}, as {@code f - f^2/2 + s (f^2/2 + R(s^2))} with
 *       f = m - 1 and a degree-7 (float32: degree-4) polynomial R in s^2, plus e ln2 in two parts (Cody-Waite) by
 *       one final fma. Their error is at most 2u relative for exp, 7.3u for tanh and 2.9u for log (first order,
 *       u = 2^-53 or 2^-24; derivations at expShifted, tanh(double) and log(double)), within the 4 ulps (8u) the
 *       kernel tolerances assume. None uses {@code VectorOperators.EXP/TANH/LOG}: C2 implements those with SVML
 *       routines and the interpreter and C1 with {@link Math} per lane, which differ in the last bit, so results
 *       would change while the JIT warms up.
 *       The scalar tails run scalar twins of the vector loops (the same operations in the same order), so an
 *       element gets the same bits whether it lands in a vector or in the tail.</li>
 *   <li><b>Determinism</b>: with these two rules every kernel computes the same bits in the interpreter, C1 and
 *       C2 for a given species ({@code PanamaTierIndependenceTest}); different species may still differ, as the
 *       accumulators then hold other partial sums.</li>
 *   <li>{@code sigmoid} is computed as {@code 1 / (1 + e)} for {@code x >= 0} and {@code e / (1 + e)} otherwise,
 *       with {@code e = exp(-|x|)} in (0, 1], so it never overflows and is never NaN for non-NaN x. Its relative
 *       error is at most 6u (exp 2u, its share in {@code 1 + e} u, that sum's rounding u, the numerator 2u, the
 *       division u), so within 6 ulps of the exact value; measured about 2.</li>
 * </ul>
 *
 * <h2>Inlining</h2>
 * A vector value passed to or returned from a method that C2 does not inline is boxed (an allocation per call). The
 * Vector API's own methods are force-inlined, but this class's are inlined only while the compilation is small:
 * once C2 has created NodeCountInliningCutoff (18000) nodes, it inlines no further ordinary method. The polynomial
 * exp and tanh cost thousands of nodes each, so with small vector helpers (as an earlier version had) the fused LSTM
 * and GRU kernels, which called them five and three times per loop, crossed that limit and boxed 6 KiB per step.
 * So no method of this class takes or returns a vector: the polynomial is written out in the three loops that need
 * it (sigmoid, tanh, expShifted), the fused kernels, softmax and log-softmax call those loops on arrays (a call that
 * is not inlined then costs a call, not an allocation), and the fixed-order lane sums are spelled out where they
 * are needed.
 *
 * <p>Scratch space for gemm packing and the transposed gemv lives in a small per-thread buffer that is reused across
 * calls, so after warm-up these kernels allocate nothing.
 */
// Casts around Math calls are redundant in the 64-bit source; the generated 32-bit twin needs them.
@SuppressWarnings("cast")
public final class PanamaDoubleKernels implements DoubleKernels {

  // gemm blocking. The micro-kernel keeps MR x NV vectors of C in registers across the k loop: 6 x 4 = 24
  // accumulators plus 4 vectors of B and 1 broadcast of A = 29 of the 32 vector registers of AVX-512 (and of
  // AVX-512VL at narrower widths). Each k step then does 24 FMAs for 4 vector loads and 6 scalar broadcasts, so the
  // loads never limit the FMA units (two 512-bit FMAs per cycle on this CPU). (An 8 x 3 tile, which fits batches of
  // 8 and 16 rows exactly, measured the same on the recurrent shapes and 6-11% slower on square products.) On a CPU
  // with only 16 vector registers (AVX2 without AVX-512) this tile spills; a 4 x 3 tile would suit it better.
  static final int MR = 6;
  static final int NV = 4;
  /** Rows of op(B) packed per strip when B is transposed (see packB). */
  static final int PACK_STRIP = 16;
  /** Below this many multiply-adds (m * n * k) or fewer than MR rows, gemm skips packing (one gemv per row). */
  static final long SMALL_GEMM = 8L * 8 * 8;
  /**
   * Rows per block of addColumnSums (see there). Measured on the float32 bias gradients of the LSTM train
   * configuration (3200 x 1024): 8 rows 0.21-0.41 ms, 16 rows 0.35-0.50, 32 rows 0.40-0.58, against 0.48-0.86 ms
   * walking each strip down all rows.
   */
  static final int SUM_ROWS = 8;

  /**
   * The species of every loop. It is a static constant on purpose: C2 turns Vector API calls into vector
   * instructions only when the species is a compile-time constant; read from an instance field it is not, and every
   * vector is then boxed (measured here: about 1 GFLOP/s instead of over 100 for sgemm). Its size is the CPU's
   * preferred one unless the diagnostic property {@code rnn4j.simd.bits} asks for a narrower one
   * (see {@link PanamaShape}).
   */
  static final VectorSpecies<Double> SPECIES = VectorSpecies.of(double.class, PanamaShape.shape());
  private static final int LANES = SPECIES.length();
  /** Columns of one packed B panel (NV vectors). */
  private static final int NR = NV * LANES;
  /**
   * The cache blocking, derived once from this machine's caches (see {@link GemmBlocking} for the model): the depth of
   * one k block (the A rows of a micro-kernel call, MR x KC, stay in L1 while the micro-kernel walks every B panel of
   * the block; C is read and written once per KC steps) and the columns of one packed B block (KC x NC, kept in L2
   * across row groups). Static finals, so C2 treats them as constants.
   */
  static final GemmBlocking BLOCKING =
      GemmBlocking.forThisMachine(Double.BYTES, LANES, MR, NV);
  static final int KC = BLOCKING.kc();
  static final int NC = BLOCKING.nc();

  private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

  /** The kernels on {@link #SPECIES}. */
  public PanamaDoubleKernels() {}

  /** The species these kernels use. */
  public VectorSpecies<Double> species() {
    return SPECIES;
  }

  /** The gemm blocking derived for this machine. */
  @Override
  public String tuning() {
    return "gemm float64: " + BLOCKING.describe();
  }

  /** Per-thread scratch arrays, grown on demand and reused, so that steady-state calls allocate nothing. */
  private static final class Scratch {
    double[] packedA = new double[0];
    double[] packedB = new double[0];
    double[] tile = new double[0];
    double[] vec = new double[0];
    double[] vec2 = new double[0];
    double[] sums = new double[0];
    /** Gather index map for packing a transposed B: lane l reads row l. */
    final int[] gather = new int[LANES];

    double[] packedA(int size) {
      if (packedA.length < size) {
        packedA = new double[size];
      }
      return packedA;
    }

    double[] packedB(int size) {
      if (packedB.length < size) {
        packedB = new double[size];
      }
      return packedB;
    }

    double[] tile(int size) {
      if (tile.length < size) {
        tile = new double[size];
      }
      return tile;
    }

    double[] vec(int size) {
      if (vec.length < size) {
        vec = new double[size];
      }
      return vec;
    }

    double[] vec2(int size) {
      if (vec2.length < size) {
        vec2 = new double[size];
      }
      return vec2;
    }

    /** The running column sums of addColumnSums (a leaf kernel: no other kernel holds them during a call). */
    double[] sums(int size) {
      if (sums.length < size) {
        sums = new double[size];
      }
      return sums;
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // BLAS-like
  // ---------------------------------------------------------------------------------------------------------------

  /**
   * {@inheritDoc}
   *
   * <p>Packed and blocked (GotoBLAS / BLIS loop order): for each block of {@code NC} columns and {@code KC} rows of
   * op(B), B is packed into panels of {@code NR = NV * LANES} columns (zero-padded at the edge); for each group of
   * MR rows of op(A) the micro-kernel computes an MR x NR tile of C per B panel, reading A in place with a row and a
   * depth stride (so transA costs nothing); a last partial group of rows is packed into an MR x KC micro-panel
   * padded with zero rows. Small products
   * ({@code m < MR} or {@code m * n * k < 8^3}) skip the packing: one gemv per row of C.
   */
  @Override
  public void gemm(boolean transA, boolean transB, int m, int n, int k,
                   double alpha, double[] a, int aOff, int lda,
                   double[] b, int bOff, int ldb,
                   double beta, double[] c, int cOff, int ldc) {
    if (m == 0 || n == 0) {
      return;
    }
    if (k == 0) {
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          int ij = cOff + i * ldc + j;
          c[ij] = beta == 0 ? alpha * 0.0 : alpha * 0.0 + beta * c[ij];
        }
      }
      return;
    }
    if (m < MR || (long) m * n * k < SMALL_GEMM) {
      gemmSmall(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    } else {
      gemmBlocked(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }
  }

  /**
   * Row by row: row i of C is a matrix-vector product with row i of op(A), {@code C[i, :] = op(B)^T op(A)[i, :]}, so
   * the gemv kernels (four rows of the matrix per pass) do the work without packing B.
   */
  private void gemmSmall(boolean transA, boolean transB, int m, int n, int k,
                         double alpha, double[] a, int aOff, int lda,
                         double[] b, int bOff, int ldb,
                         double beta, double[] c, int cOff, int ldc) {
    double[] aRow = transA ? scratch.get().vec2(k) : a;
    for (int i = 0; i < m; i++) {
      int ar;
      if (transA) {
        for (int p = 0; p < k; p++) {
          aRow[p] = a[aOff + p * lda + i];
        }
        ar = 0;
      } else {
        ar = aOff + i * lda;
      }
      // transB: B is stored n x k and C[i, :] = B x; otherwise B is k x n and C[i, :] = B^T x.
      gemv(!transB, transB ? n : k, transB ? k : n, alpha, b, bOff, ldb, aRow, ar, beta, c, cOff + i * ldc);
    }
  }

  /** {@code y = alpha * x + beta * y}, y not read when beta == 0. */
  private void writeScaled(int n, double alpha, double[] x, int xOff, double beta, double[] y, int yOff) {
    int bound = SPECIES.loopBound(n);
    int i = 0;
    if (beta == 0) {
      for (; i < bound; i += LANES) {
        DoubleVector.fromArray(SPECIES, x, xOff + i).mul(alpha).intoArray(y, yOff + i);
      }
      for (; i < n; i++) {
        y[yOff + i] = alpha * x[xOff + i];
      }
    } else {
      for (; i < bound; i += LANES) {
        DoubleVector ax = DoubleVector.fromArray(SPECIES, x, xOff + i).mul(alpha);
        ax.add(DoubleVector.fromArray(SPECIES, y, yOff + i).mul(beta)).intoArray(y, yOff + i);
      }
      for (; i < n; i++) {
        y[yOff + i] = alpha * x[xOff + i] + beta * y[yOff + i];
      }
    }
  }

  private void gemmBlocked(boolean transA, boolean transB, int m, int n, int k,
                           double alpha, double[] a, int aOff, int lda,
                           double[] b, int bOff, int ldb,
                           double beta, double[] c, int cOff, int ldc) {
    Scratch s = scratch.get();
    int kcMax = Math.min(KC, k);
    int ncMax = Math.min(NC, (n + NR - 1) / NR * NR);
    double[] bp = s.packedB(kcMax * ncMax);
    double[] ap = s.packedA(kcMax * MR);
    double[] tile = s.tile(MR * NR);
    int[] gather = s.gather;
    if (transB) {
      for (int l = 0; l < LANES; l++) {
        gather[l] = l * ldb;
      }
    }
    for (int jc = 0; jc < n; jc += NC) {
      int ncb = Math.min(NC, n - jc);
      int panels = (ncb + NR - 1) / NR;
      for (int pc = 0; pc < k; pc += KC) {
        int kcb = Math.min(KC, k - pc);
        // The first k block applies beta; later blocks accumulate into C.
        double cScale = pc == 0 ? beta : 1.0;
        boolean readC = pc != 0 || beta != 0;
        packB(transB, b, bOff, ldb, pc, kcb, jc, ncb, bp, gather);
        for (int ic = 0; ic < m; ic += MR) {
          int mr = Math.min(MR, m - ic);
          for (int jp = 0; jp < panels; jp++) {
            int j0 = jc + jp * NR;
            int nrb = Math.min(NR, n - j0);
            if (mr == MR) {
              microKernel(kcb, a, aStart(transA, aOff, lda, ic, pc), transA ? 1 : lda, transA ? lda : 1,
                  bp, jp * kcb * NR, tile);
            } else {
              if (jp == 0) {
                packA(transA, a, aOff, lda, ic, mr, pc, kcb, ap);
              }
              microKernel(kcb, ap, 0, 1, MR, bp, jp * kcb * NR, tile);
            }
            int ci = cOff + ic * ldc + j0;
            mergeTile(tile, 0, c, ci, ldc, c, ci, ldc, mr, nrb, alpha, cScale, readC);
          }
        }
      }
    }
  }

  /**
   * op(B) in the micro-kernel's layout: panels of NR columns (the last zero-padded), each all k rows deep and
   * contiguous, row p of panel jp at {@code jp * k * NR + p * NR}. A k block [pc, pc + KC) of a panel is then one
   * contiguous KC x NR run, exactly what {@link #gemmBlocked} packs per block.
   */
  private static final class Packed implements DoublePackedMatrix {
    int rows;
    int cols;
    double[] data = new double[0];

    @Override
    public int rows() {
      return rows;
    }

    @Override
    public int cols() {
      return cols;
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>The same panel packing as gemm's, done once for all of op(B) (see {@code Packed}).
   */
  @Override
  public DoublePackedMatrix packB(boolean transB, int k, int n, double[] b, int bOff, int ldb,
                                  DoublePackedMatrix reuse) {
    int size = k * ((n + NR - 1) / NR * NR);
    Packed p = reuse instanceof Packed r && r.data.length >= size ? r : new Packed();
    if (p.data.length < size) {
      p.data = new double[size];
    }
    p.rows = k;
    p.cols = n;
    if (k > 0 && n > 0) {
      int[] gather = scratch.get().gather;
      if (transB) {
        for (int l = 0; l < LANES; l++) {
          gather[l] = l * ldb;
        }
      }
      packB(transB, b, bOff, ldb, 0, k, 0, n, p.data, gather);
    }
    return p;
  }

  /**
   * {@inheritDoc}
   *
   * <p>gemm's packed loops with B already packed. A group of MR rows goes through the MR-row micro-kernel, a tail of
   * 5 rows through it padded, a tail of 1 to 4 rows through 4-row, 2-row and one-row kernels instead of computing
   * MR padded rows. All build every element as one FMA chain over the k block, in k order, from zero, and
   * merge it into C with the same operations, so a row's bits do not depend on which kernel ran it.
   */
  @Override
  public void gemmPacked(boolean transA, int m, double alpha, double[] a, int aOff, int lda, DoublePackedMatrix pm,
                         double beta, double[] c, int cOff, int ldc) {
    packedProduct(transA, m, alpha, a, aOff, lda, packed("gemmPacked", pm), c, cOff, ldc, beta, beta != 0,
        c, cOff, ldc);
  }

  /**
   * {@inheritDoc}
   *
   * <p>gemmPacked's loops, whose first k block merges the tile with the bias row (a source of row stride 0, scaled
   * by 1) where gemmPacked merges it with {@code beta * C}: the same operations on the same values as gemmPacked
   * with beta = 1 on a C that holds the bias in every row, hence the same bits. Later k blocks accumulate into C as
   * in gemmPacked.
   */
  @Override
  public void gemmPackedBias(boolean transA, int m, double alpha, double[] a, int aOff, int lda,
                             DoublePackedMatrix pm, double[] bias, int biasOff, double[] c, int cOff, int ldc) {
    packedProduct(transA, m, alpha, a, aOff, lda, packed("gemmPackedBias", pm), bias, biasOff, 0, 1.0, true,
        c, cOff, ldc);
  }

  /** pm as this implementation's packed matrix, else the exception the contract names for op. */
  private static Packed packed(String op, DoublePackedMatrix pm) {
    if (!(pm instanceof Packed p)) {
      throw new IllegalArgumentException(op + ": the packed matrix was made by another kernel implementation ("
          + (pm == null ? "null" : pm.getClass().getName()) + "); pack it with this one's packB");
    }
    return p;
  }

  /**
   * {@code C = alpha * op(A) * P + scale0 * S}, where the m x n matrix S has row i at {@code s0 + i * lds0} in
   * {@code src0} (not read unless read0). gemmPacked passes C itself (S = C, scale0 = beta); gemmPackedBias the
   * bias with row stride 0 and scale 1. Only the first k block reads S; later blocks accumulate into C.
   */
  private void packedProduct(boolean transA, int m, double alpha, double[] a, int aOff, int lda, Packed p,
                             double[] src0, int s0, int lds0, double scale0, boolean read0,
                             double[] c, int cOff, int ldc) {
    int n = p.cols;
    int k = p.rows;
    if (m == 0 || n == 0) {
      return;
    }
    if (k == 0) {
      // As gemm with k == 0: the empty sum is 0, still scaled by alpha (so an infinite alpha gives NaN).
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          c[cOff + i * ldc + j] = read0 ? alpha * 0.0 + scale0 * src0[s0 + i * lds0 + j] : alpha * 0.0;
        }
      }
      return;
    }
    Scratch s = scratch.get();
    double[] ap = s.packedA(Math.min(KC, k) * MR);
    double[] tile = s.tile(MR * NR);
    double[] bp = p.data;
    int panelSize = k * NR;
    for (int jc = 0; jc < n; jc += NC) {
      int ncb = Math.min(NC, n - jc);
      int panels = (ncb + NR - 1) / NR;
      int firstPanel = jc / NR;
      for (int pc = 0; pc < k; pc += KC) {
        int kcb = Math.min(KC, k - pc);
        // The first k block merges into the source S; later blocks accumulate into C.
        boolean first = pc == 0;
        double[] src = first ? src0 : c;
        int sOff = first ? s0 : cOff;
        int lds = first ? lds0 : ldc;
        double cScale = first ? scale0 : 1.0;
        boolean readSrc = !first || read0;
        for (int ic = 0; ic < m; ic += MR) {
          int mr = Math.min(MR, m - ic);
          if (mr == MR || mr == 5) {
            int aStart = aStart(transA, aOff, lda, ic, pc);
            if (mr < MR) {
              packA(transA, a, aOff, lda, ic, mr, pc, kcb, ap);
            }
            for (int jp = 0; jp < panels; jp++) {
              int j0 = jc + jp * NR;
              int bo = (firstPanel + jp) * panelSize + pc * NR;
              if (mr == MR) {
                microKernel(kcb, a, aStart, transA ? 1 : lda, transA ? lda : 1, bp, bo, tile);
              } else {
                microKernel(kcb, ap, 0, 1, MR, bp, bo, tile);
              }
              mergeTile(tile, 0, src, sOff + ic * lds + j0, lds, c, cOff + ic * ldc + j0, ldc, mr,
                  Math.min(NR, n - j0), alpha, cScale, readSrc);
            }
          } else {
            // Tails of 1 to 4 rows (a 16-row block of a recurrent layer ends in 4, a batch of 32 in 2): 4 rows and
            // 2 rows at a time read A in place, a last single row goes through the one-row kernels.
            int i = ic;
            int end = ic + mr;
            while (end - i >= 2) {
              int rows = end - i >= 4 ? 4 : 2;
              int aStart = aStart(transA, aOff, lda, i, pc);
              for (int jp = 0; jp < panels; jp++) {
                int j0 = jc + jp * NR;
                int bo = (firstPanel + jp) * panelSize + pc * NR;
                if (rows == 4) {
                  tailKernel4(kcb, a, aStart, transA ? 1 : lda, transA ? lda : 1, bp, bo, tile);
                } else {
                  tailKernel2(kcb, a, aStart, transA ? 1 : lda, transA ? lda : 1, bp, bo, tile);
                }
                mergeTile(tile, 0, src, sOff + i * lds + j0, lds, c, cOff + i * ldc + j0, ldc, rows,
                    Math.min(NR, n - j0), alpha, cScale, readSrc);
              }
              i += rows;
            }
            for (; i < end; i++) {
              int aStart = transA ? aOff + pc * lda + i : aOff + i * lda + pc;
              int aStride = transA ? lda : 1;
              rowKernels(kcb, a, aStart, aStride, bp, firstPanel * panelSize + pc * NR, panelSize, jc, panels, n,
                  src, sOff + i * lds, c, cOff + i * ldc, alpha, cScale, readSrc, tile);
            }
          }
        }
      }
    }
  }

  /**
   * tile rows [0, 4) = 4 rows of A (element (r, p) at aStart + r * rowStride + p * depthStride) x the panel at
   * bpOff, k block of kc rows: the micro-kernel's arithmetic for 4 rows (every element one FMA chain over p from
   * zero), so a row's bits do not depend on the kernel that computed it.
   */
  private static void tailKernel4(int kc, double[] a, int aStart, int rowStride, int depthStride, double[] bp,
                                  int bpOff, double[] tile) {
    VectorSpecies<Double> sp = SPECIES;
    int l = LANES;
    DoubleVector z = DoubleVector.zero(sp);
    DoubleVector c00 = z, c01 = z, c02 = z, c03 = z;
    DoubleVector c10 = z, c11 = z, c12 = z, c13 = z;
    DoubleVector c20 = z, c21 = z, c22 = z, c23 = z;
    DoubleVector c30 = z, c31 = z, c32 = z, c33 = z;
    for (int p = 0; p < kc; p++) {
      int bo = bpOff + p * NR;
      int ao = aStart + p * depthStride;
      DoubleVector b0 = DoubleVector.fromArray(sp, bp, bo);
      DoubleVector b1 = DoubleVector.fromArray(sp, bp, bo + l);
      DoubleVector b2 = DoubleVector.fromArray(sp, bp, bo + 2 * l);
      DoubleVector b3 = DoubleVector.fromArray(sp, bp, bo + 3 * l);
      DoubleVector av = DoubleVector.broadcast(sp, a[ao]);
      c00 = av.fma(b0, c00);
      c01 = av.fma(b1, c01);
      c02 = av.fma(b2, c02);
      c03 = av.fma(b3, c03);
      av = DoubleVector.broadcast(sp, a[ao + rowStride]);
      c10 = av.fma(b0, c10);
      c11 = av.fma(b1, c11);
      c12 = av.fma(b2, c12);
      c13 = av.fma(b3, c13);
      av = DoubleVector.broadcast(sp, a[ao + 2 * rowStride]);
      c20 = av.fma(b0, c20);
      c21 = av.fma(b1, c21);
      c22 = av.fma(b2, c22);
      c23 = av.fma(b3, c23);
      av = DoubleVector.broadcast(sp, a[ao + 3 * rowStride]);
      c30 = av.fma(b0, c30);
      c31 = av.fma(b1, c31);
      c32 = av.fma(b2, c32);
      c33 = av.fma(b3, c33);
    }
    c00.intoArray(tile, 0);
    c01.intoArray(tile, l);
    c02.intoArray(tile, 2 * l);
    c03.intoArray(tile, 3 * l);
    c10.intoArray(tile, NR);
    c11.intoArray(tile, NR + l);
    c12.intoArray(tile, NR + 2 * l);
    c13.intoArray(tile, NR + 3 * l);
    c20.intoArray(tile, 2 * NR);
    c21.intoArray(tile, 2 * NR + l);
    c22.intoArray(tile, 2 * NR + 2 * l);
    c23.intoArray(tile, 2 * NR + 3 * l);
    c30.intoArray(tile, 3 * NR);
    c31.intoArray(tile, 3 * NR + l);
    c32.intoArray(tile, 3 * NR + 2 * l);
    c33.intoArray(tile, 3 * NR + 3 * l);
  }

  /**
   * tile rows [0, 2) = 2 rows of A (element (r, p) at aStart + r * rowStride + p * depthStride) x the panel at
   * bpOff, k block of kc rows: the micro-kernel's arithmetic for 2 rows (every element one FMA chain over p from
   * zero), so a row's bits do not depend on the kernel that computed it.
   */
  private static void tailKernel2(int kc, double[] a, int aStart, int rowStride, int depthStride, double[] bp,
                                  int bpOff, double[] tile) {
    VectorSpecies<Double> sp = SPECIES;
    int l = LANES;
    DoubleVector z = DoubleVector.zero(sp);
    DoubleVector c00 = z, c01 = z, c02 = z, c03 = z;
    DoubleVector c10 = z, c11 = z, c12 = z, c13 = z;
    for (int p = 0; p < kc; p++) {
      int bo = bpOff + p * NR;
      int ao = aStart + p * depthStride;
      DoubleVector b0 = DoubleVector.fromArray(sp, bp, bo);
      DoubleVector b1 = DoubleVector.fromArray(sp, bp, bo + l);
      DoubleVector b2 = DoubleVector.fromArray(sp, bp, bo + 2 * l);
      DoubleVector b3 = DoubleVector.fromArray(sp, bp, bo + 3 * l);
      DoubleVector av = DoubleVector.broadcast(sp, a[ao]);
      c00 = av.fma(b0, c00);
      c01 = av.fma(b1, c01);
      c02 = av.fma(b2, c02);
      c03 = av.fma(b3, c03);
      av = DoubleVector.broadcast(sp, a[ao + rowStride]);
      c10 = av.fma(b0, c10);
      c11 = av.fma(b1, c11);
      c12 = av.fma(b2, c12);
      c13 = av.fma(b3, c13);
    }
    c00.intoArray(tile, 0);
    c01.intoArray(tile, l);
    c02.intoArray(tile, 2 * l);
    c03.intoArray(tile, 3 * l);
    c10.intoArray(tile, NR);
    c11.intoArray(tile, NR + l);
    c12.intoArray(tile, NR + 2 * l);
    c13.intoArray(tile, NR + 3 * l);
  }

  /**
   * One row of C over the panels [0, panels) of a column block starting at column jc: two panels at a time (8
   * independent accumulators keep both FMA units busy), then a last single panel. The tile is merged with the
   * source row at sRow of src (see mergeTile).
   */
  private void rowKernels(int kc, double[] a, int aStart, int aStride, double[] bp, int bpOff, int panelSize, int jc,
                          int panels, int n, double[] src, int sRow, double[] c, int cRow, double alpha,
                          double cScale, boolean readSrc, double[] tile) {
    int jp = 0;
    for (; jp + 2 <= panels; jp += 2) {
      rowKernel2(kc, a, aStart, aStride, bp, bpOff + jp * panelSize, panelSize, tile);
      int j0 = jc + jp * NR;
      mergeTile(tile, 0, src, sRow + j0, 0, c, cRow + j0, 0, 1, NR, alpha, cScale, readSrc);
      mergeTile(tile, NR, src, sRow + j0 + NR, 0, c, cRow + j0 + NR, 0, 1, Math.min(NR, n - j0 - NR), alpha, cScale,
          readSrc);
    }
    if (jp < panels) {
      rowKernel1(kc, a, aStart, aStride, bp, bpOff + jp * panelSize, tile);
      int j0 = jc + jp * NR;
      mergeTile(tile, 0, src, sRow + j0, 0, c, cRow + j0, 0, 1, Math.min(NR, n - j0), alpha, cScale, readSrc);
    }
  }

  /** tile[0, 2 NR) = a-row x (panel at bpOff, panel at bpOff + panelSize), k block of kc rows. */
  private static void rowKernel2(int kc, double[] a, int aStart, int aStride, double[] bp, int bpOff, int panelSize,
                                 double[] tile) {
    VectorSpecies<Double> sp = SPECIES;
    int l = LANES;
    DoubleVector z = DoubleVector.zero(sp);
    DoubleVector c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z, c6 = z, c7 = z;
    int bo2 = bpOff + panelSize;
    for (int p = 0; p < kc; p++) {
      DoubleVector av = DoubleVector.broadcast(sp, a[aStart + p * aStride]);
      int bo = bpOff + p * NR;
      int bq = bo2 + p * NR;
      c0 = av.fma(DoubleVector.fromArray(sp, bp, bo), c0);
      c1 = av.fma(DoubleVector.fromArray(sp, bp, bo + l), c1);
      c2 = av.fma(DoubleVector.fromArray(sp, bp, bo + 2 * l), c2);
      c3 = av.fma(DoubleVector.fromArray(sp, bp, bo + 3 * l), c3);
      c4 = av.fma(DoubleVector.fromArray(sp, bp, bq), c4);
      c5 = av.fma(DoubleVector.fromArray(sp, bp, bq + l), c5);
      c6 = av.fma(DoubleVector.fromArray(sp, bp, bq + 2 * l), c6);
      c7 = av.fma(DoubleVector.fromArray(sp, bp, bq + 3 * l), c7);
    }
    c0.intoArray(tile, 0);
    c1.intoArray(tile, l);
    c2.intoArray(tile, 2 * l);
    c3.intoArray(tile, 3 * l);
    c4.intoArray(tile, NR);
    c5.intoArray(tile, NR + l);
    c6.intoArray(tile, NR + 2 * l);
    c7.intoArray(tile, NR + 3 * l);
  }

  /** tile[0, NR) = a-row x panel at bpOff, k block of kc rows. */
  private static void rowKernel1(int kc, double[] a, int aStart, int aStride, double[] bp, int bpOff,
                                 double[] tile) {
    VectorSpecies<Double> sp = SPECIES;
    int l = LANES;
    DoubleVector z = DoubleVector.zero(sp);
    DoubleVector c0 = z, c1 = z, c2 = z, c3 = z;
    for (int p = 0; p < kc; p++) {
      DoubleVector av = DoubleVector.broadcast(sp, a[aStart + p * aStride]);
      int bo = bpOff + p * NR;
      c0 = av.fma(DoubleVector.fromArray(sp, bp, bo), c0);
      c1 = av.fma(DoubleVector.fromArray(sp, bp, bo + l), c1);
      c2 = av.fma(DoubleVector.fromArray(sp, bp, bo + 2 * l), c2);
      c3 = av.fma(DoubleVector.fromArray(sp, bp, bo + 3 * l), c3);
    }
    c0.intoArray(tile, 0);
    c1.intoArray(tile, l);
    c2.intoArray(tile, 2 * l);
    c3.intoArray(tile, 3 * l);
  }

  /** Packs op(B)[pc .. pc+kcb, jc .. jc+ncb] into panels of NR columns, row by row; the last panel is zero-padded. */
  private void packB(boolean transB, double[] b, int bOff, int ldb, int pc, int kcb, int jc, int ncb, double[] bp,
                     int[] gather) {
    int panels = (ncb + NR - 1) / NR;
    for (int jp = 0; jp < panels; jp++) {
      int j0 = jc + jp * NR;
      int w = Math.min(NR, jc + ncb - j0);
      int base = jp * kcb * NR;
      if (!transB) {
        for (int p = 0; p < kcb; p++) {
          int dst = base + p * NR;
          System.arraycopy(b, bOff + (pc + p) * ldb + j0, bp, dst, w);
          for (int j = w; j < NR; j++) {
            bp[dst + j] = 0.0;
          }
        }
      } else {
        // B is stored n x k: LANES consecutive columns of op(B) at one p are LANES elements ldb apart, read with
        // one gather (the index map holds 0, ldb, 2 ldb, ...). A whole panel (kcb x NR) is larger than L1 and its
        // rows are NR elements apart, so the panel is filled in strips of PACK_STRIP rows: the written lines and
        // the read lines of B stay in L1 while a strip is filled.
        int full = w / LANES * LANES;
        for (int p0 = 0; p0 < kcb; p0 += PACK_STRIP) {
          int p1 = Math.min(kcb, p0 + PACK_STRIP);
          for (int v = 0; v < full; v += LANES) {
            int src = bOff + (j0 + v) * ldb + pc;
            for (int p = p0; p < p1; p++) {
              DoubleVector.fromArray(SPECIES, b, src + p, gather, 0).intoArray(bp, base + p * NR + v);
            }
          }
          for (int j = full; j < w; j++) {
            int src = bOff + (j0 + j) * ldb + pc;
            for (int p = p0; p < p1; p++) {
              bp[base + p * NR + j] = b[src + p];
            }
          }
          for (int p = p0; p < p1; p++) {
            for (int j = w; j < NR; j++) {
              bp[base + p * NR + j] = 0.0;
            }
          }
        }
      }
    }
  }

  /**
   * Index of op(A)[ic, pc] in A: a full group of MR rows is read in place by the micro-kernel, element (r, p) at
   * {@code aStart + r * rowStride + p * depthStride} (no copy: packing A cost a scalar copy per element, about as
   * much as 30 of its multiply-adds); only a partial group is packed, padded with zero rows.
   */
  private static int aStart(boolean transA, int aOff, int lda, int ic, int pc) {
    return transA ? aOff + pc * lda + ic : aOff + ic * lda + pc;
  }

  /** Packs op(A)[ic .. ic+mr, pc .. pc+kcb] as ap[p * MR + r]; rows past mr are zero. */
  private static void packA(boolean transA, double[] a, int aOff, int lda, int ic, int mr, int pc, int kcb,
                            double[] ap) {
    if (!transA) {
      for (int r = 0; r < mr; r++) {
        int src = aOff + (ic + r) * lda + pc;
        for (int p = 0; p < kcb; p++) {
          ap[p * MR + r] = a[src + p];
        }
      }
    } else {
      for (int p = 0; p < kcb; p++) {
        int src = aOff + (pc + p) * lda + ic;
        for (int r = 0; r < mr; r++) {
          ap[p * MR + r] = a[src + r];
        }
      }
    }
    for (int r = mr; r < MR; r++) {
      for (int p = 0; p < kcb; p++) {
        ap[p * MR + r] = 0.0;
      }
    }
  }

  /**
   * tile rows [0, MR) = A micro-panel (element (r, p) at aStart + r * rowStride + p * depthStride) x the panel at
   * bpOff, k block of kc rows; the caller merges it into C (mergeTile). The 24 accumulators are spelled out so that
   * C2 keeps them in registers across the k loop.
   */
  private static void microKernel(int kc, double[] a, int aStart, int rowStride, int depthStride, double[] bp,
                                  int bpOff, double[] tile) {
    VectorSpecies<Double> sp = SPECIES;
    int r1 = rowStride;
    int r2 = 2 * rowStride;
    int r3 = 3 * rowStride;
    int r4 = 4 * rowStride;
    int r5 = 5 * rowStride;
    int l = LANES;
    int stride = NR;
    DoubleVector z = DoubleVector.zero(sp);
    DoubleVector c00 = z, c01 = z, c02 = z, c03 = z;
    DoubleVector c10 = z, c11 = z, c12 = z, c13 = z;
    DoubleVector c20 = z, c21 = z, c22 = z, c23 = z;
    DoubleVector c30 = z, c31 = z, c32 = z, c33 = z;
    DoubleVector c40 = z, c41 = z, c42 = z, c43 = z;
    DoubleVector c50 = z, c51 = z, c52 = z, c53 = z;
    for (int p = 0; p < kc; p++) {
      int bo = bpOff + p * stride;
      int ao = aStart + p * depthStride;
      DoubleVector b0 = DoubleVector.fromArray(sp, bp, bo);
      DoubleVector b1 = DoubleVector.fromArray(sp, bp, bo + l);
      DoubleVector b2 = DoubleVector.fromArray(sp, bp, bo + 2 * l);
      DoubleVector b3 = DoubleVector.fromArray(sp, bp, bo + 3 * l);
      DoubleVector av = DoubleVector.broadcast(sp, a[ao]);
      c00 = av.fma(b0, c00);
      c01 = av.fma(b1, c01);
      c02 = av.fma(b2, c02);
      c03 = av.fma(b3, c03);
      av = DoubleVector.broadcast(sp, a[ao + r1]);
      c10 = av.fma(b0, c10);
      c11 = av.fma(b1, c11);
      c12 = av.fma(b2, c12);
      c13 = av.fma(b3, c13);
      av = DoubleVector.broadcast(sp, a[ao + r2]);
      c20 = av.fma(b0, c20);
      c21 = av.fma(b1, c21);
      c22 = av.fma(b2, c22);
      c23 = av.fma(b3, c23);
      av = DoubleVector.broadcast(sp, a[ao + r3]);
      c30 = av.fma(b0, c30);
      c31 = av.fma(b1, c31);
      c32 = av.fma(b2, c32);
      c33 = av.fma(b3, c33);
      av = DoubleVector.broadcast(sp, a[ao + r4]);
      c40 = av.fma(b0, c40);
      c41 = av.fma(b1, c41);
      c42 = av.fma(b2, c42);
      c43 = av.fma(b3, c43);
      av = DoubleVector.broadcast(sp, a[ao + r5]);
      c50 = av.fma(b0, c50);
      c51 = av.fma(b1, c51);
      c52 = av.fma(b2, c52);
      c53 = av.fma(b3, c53);
    }
    // Spill the tile to scratch right after the loop: passing vectors to a call that C2 does not inline would make
    // it box the accumulators on every iteration of the k loop.
    c00.intoArray(tile, 0);
    c01.intoArray(tile, l);
    c02.intoArray(tile, 2 * l);
    c03.intoArray(tile, 3 * l);
    c10.intoArray(tile, stride);
    c11.intoArray(tile, stride + l);
    c12.intoArray(tile, stride + 2 * l);
    c13.intoArray(tile, stride + 3 * l);
    c20.intoArray(tile, 2 * stride);
    c21.intoArray(tile, 2 * stride + l);
    c22.intoArray(tile, 2 * stride + 2 * l);
    c23.intoArray(tile, 2 * stride + 3 * l);
    c30.intoArray(tile, 3 * stride);
    c31.intoArray(tile, 3 * stride + l);
    c32.intoArray(tile, 3 * stride + 2 * l);
    c33.intoArray(tile, 3 * stride + 3 * l);
    c40.intoArray(tile, 4 * stride);
    c41.intoArray(tile, 4 * stride + l);
    c42.intoArray(tile, 4 * stride + 2 * l);
    c43.intoArray(tile, 4 * stride + 3 * l);
    c50.intoArray(tile, 5 * stride);
    c51.intoArray(tile, 5 * stride + l);
    c52.intoArray(tile, 5 * stride + 2 * l);
    c53.intoArray(tile, 5 * stride + 3 * l);
  }

  /**
   * C[0..mr, 0..nrb] = alpha * tile + cScale * S (S not read unless readSrc); the tile starts at tOff, its rows NR
   * apart; row r of S starts at {@code si + r * lds} in src. S is C itself (src == c, si == ci, lds == ldc) except
   * for the first k block of gemmPackedBias, where it is the bias row repeated (lds == 0).
   */
  private static void mergeTile(double[] tile, int tOff, double[] src, int si, int lds, double[] c, int ci, int ldc,
                                int mr, int nrb, double alpha, double cScale, boolean readSrc) {
    int bound = nrb == NR ? NR : SPECIES.loopBound(nrb);
    for (int r = 0; r < mr; r++) {
      int cr = ci + r * ldc;
      int sr = si + r * lds;
      int tr = tOff + r * NR;
      int j = 0;
      if (readSrc) {
        for (; j < bound; j += LANES) {
          DoubleVector.fromArray(SPECIES, tile, tr + j).mul(alpha)
              .add(DoubleVector.fromArray(SPECIES, src, sr + j).mul(cScale)).intoArray(c, cr + j);
        }
        for (; j < nrb; j++) {
          c[cr + j] = alpha * tile[tr + j] + cScale * src[sr + j];
        }
      } else {
        for (; j < bound; j += LANES) {
          DoubleVector.fromArray(SPECIES, tile, tr + j).mul(alpha).intoArray(c, cr + j);
        }
        for (; j < nrb; j++) {
          c[cr + j] = alpha * tile[tr + j];
        }
      }
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Untransposed: one dot product per row of A, four rows at a time so that each load of x serves four FMAs.
   * Transposed: rows of A scaled by x_i are accumulated into a per-thread scratch row, four rows per pass.
   */
  @Override
  public void gemv(boolean trans, int m, int n,
                   double alpha, double[] a, int aOff, int lda,
                   double[] x, int xOff,
                   double beta, double[] y, int yOff) {
    if (!trans) {
      int i = m / 4 * 4;
      dot4(i, n, a, aOff, lda, x, xOff, alpha, beta, y, yOff);
      for (; i < m; i++) {
        double d = dot(n, a, aOff + i * lda, x, xOff);
        y[yOff + i] = beta == 0 ? alpha * d : alpha * d + beta * y[yOff + i];
      }
      return;
    }
    if (n == 0) {
      return;
    }
    double[] acc = scratch.get().vec(n);
    fill(n, 0.0, acc, 0);
    int bound = SPECIES.loopBound(n);
    int i = 0;
    for (; i + 4 <= m; i += 4) {
      int r0 = aOff + i * lda;
      int r1 = r0 + lda;
      int r2 = r1 + lda;
      int r3 = r2 + lda;
      double x0 = x[xOff + i];
      double x1 = x[xOff + i + 1];
      double x2 = x[xOff + i + 2];
      double x3 = x[xOff + i + 3];
      DoubleVector xv0 = DoubleVector.broadcast(SPECIES, x0);
      DoubleVector xv1 = DoubleVector.broadcast(SPECIES, x1);
      DoubleVector xv2 = DoubleVector.broadcast(SPECIES, x2);
      DoubleVector xv3 = DoubleVector.broadcast(SPECIES, x3);
      int j = 0;
      for (; j < bound; j += LANES) {
        DoubleVector v = DoubleVector.fromArray(SPECIES, acc, j);
        v = DoubleVector.fromArray(SPECIES, a, r0 + j).fma(xv0, v);
        v = DoubleVector.fromArray(SPECIES, a, r1 + j).fma(xv1, v);
        v = DoubleVector.fromArray(SPECIES, a, r2 + j).fma(xv2, v);
        v = DoubleVector.fromArray(SPECIES, a, r3 + j).fma(xv3, v);
        v.intoArray(acc, j);
      }
      for (; j < n; j++) {
        acc[j] += a[r0 + j] * x0 + a[r1 + j] * x1 + a[r2 + j] * x2 + a[r3 + j] * x3;
      }
    }
    for (; i < m; i++) {
      axpy(n, x[xOff + i], a, aOff + i * lda, acc, 0);
    }
    writeScaled(n, alpha, acc, 0, beta, y, yOff);
  }

  /**
   * The dot products of the first {@code rows} (a multiple of four) rows of A with x, four rows at a time, written as
   * alpha * d + beta * y. The loop over the row groups is here rather than in gemv so that C2 loads the constant
   * shuffles and masks of the lane sums once per call, not once per four rows.
   */
  private void dot4(int rows, int n, double[] a, int aOff, int lda, double[] x, int xOff, double alpha,
                    double beta, double[] y, int yOff) {
    for (int i = 0; i < rows; i += 4) {
      int r0 = aOff + i * lda;
      int yi = yOff + i;
      int r1 = r0 + lda;
      int r2 = r1 + lda;
      int r3 = r2 + lda;
      DoubleVector s0 = DoubleVector.zero(SPECIES);
      DoubleVector s1 = s0;
      DoubleVector s2 = s0;
      DoubleVector s3 = s0;
      int bound = SPECIES.loopBound(n);
      int j = 0;
      for (; j < bound; j += LANES) {
        DoubleVector xv = DoubleVector.fromArray(SPECIES, x, xOff + j);
        s0 = DoubleVector.fromArray(SPECIES, a, r0 + j).fma(xv, s0);
        s1 = DoubleVector.fromArray(SPECIES, a, r1 + j).fma(xv, s1);
        s2 = DoubleVector.fromArray(SPECIES, a, r2 + j).fma(xv, s2);
        s3 = DoubleVector.fromArray(SPECIES, a, r3 + j).fma(xv, s3);
      }
      double d0;
      double d1;
      double d2;
      double d3;
      if (LANES >= 4) {
        // The four lane sums together, in a fixed order (see FOLDS): s0 | s1 and s2 | s3 folded into halves of
        // one vector each, those two into quarters of one vector (s0, s2, s1, s3), then each quarter on its own.
        // With short rows (n = 64 or 128 in a streaming step) the lane sums are a large part of the work, and this
        // takes about half the operations of four separate folds.
        int h = LANES / 2;
        int q = LANES / 4;
        DoubleVector u01 = s0.blend(s1, UPPER_HALF).add(s1.blend(s0, UPPER_HALF).rearrange(ROTATE_HALF));
        DoubleVector u23 = s2.blend(s3, UPPER_HALF).add(s3.blend(s2, UPPER_HALF).rearrange(ROTATE_HALF));
        DoubleVector w = u01.blend(u23, UPPER_QUARTERS)
            .add(u01.rearrange(ROTATE_QUARTER).blend(u23.rearrange(ROTATE_BACK_QUARTER), UPPER_QUARTERS));
        if (LANES >= 32) {
          for (int f = 2; f < FOLDS.length - 2; f++) {
            w = w.add(w.rearrange(FOLDS[f]));
          }
        }
        if (LANES >= 16) {
          w = w.add(w.rearrange(FOLD_2));
        }
        if (LANES >= 8) {
          w = w.add(w.rearrange(FOLD_1));
        }
        d0 = w.lane(0);
        d2 = w.lane(q);
        d1 = w.lane(h);
        d3 = w.lane(h + q);
      } else {
        for (VectorShuffle<Double> fold : FOLDS) {
          s0 = s0.add(s0.rearrange(fold));
          s1 = s1.add(s1.rearrange(fold));
          s2 = s2.add(s2.rearrange(fold));
          s3 = s3.add(s3.rearrange(fold));
        }
        d0 = s0.lane(0);
        d1 = s1.lane(0);
        d2 = s2.lane(0);
        d3 = s3.lane(0);
      }
      for (; j < n; j++) {
        double xj = x[xOff + j];
        d0 += a[r0 + j] * xj;
        d1 += a[r1 + j] * xj;
        d2 += a[r2 + j] * xj;
        d3 += a[r3 + j] * xj;
      }
      if (beta == 0) {
        y[yi] = alpha * d0;
        y[yi + 1] = alpha * d1;
        y[yi + 2] = alpha * d2;
        y[yi + 3] = alpha * d3;
      } else {
        y[yi] = alpha * d0 + beta * y[yi];
        y[yi + 1] = alpha * d1 + beta * y[yi + 1];
        y[yi + 2] = alpha * d2 + beta * y[yi + 2];
        y[yi + 3] = alpha * d3 + beta * y[yi + 3];
      }
    }
  }


  @Override
  public void axpy(int n, double alpha, double[] x, int xOff, double[] y, int yOff) {
    DoubleVector av = DoubleVector.broadcast(SPECIES, alpha);
    int bound = SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += LANES) {
      DoubleVector yv = DoubleVector.fromArray(SPECIES, y, yOff + i);
      DoubleVector.fromArray(SPECIES, x, xOff + i).fma(av, yv).intoArray(y, yOff + i);
    }
    for (; i < n; i++) {
      y[yOff + i] += alpha * x[xOff + i];
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Four independent accumulators: the loop is bound by two loads per FMA, and four chains cover the FMA latency
   * (4 cycles) at that rate while keeping the tail and the final reduction short.
   */
  @Override
  public double dot(int n, double[] x, int xOff, double[] y, int yOff) {
    int i = 0;
    int bound4 = n - 4 * LANES;
    DoubleVector s0 = DoubleVector.zero(SPECIES);
    DoubleVector s1 = s0;
    DoubleVector s2 = s0;
    DoubleVector s3 = s0;
    for (; i <= bound4; i += 4 * LANES) {
      s0 = DoubleVector.fromArray(SPECIES, x, xOff + i)
          .fma(DoubleVector.fromArray(SPECIES, y, yOff + i), s0);
      s1 = DoubleVector.fromArray(SPECIES, x, xOff + i + LANES)
          .fma(DoubleVector.fromArray(SPECIES, y, yOff + i + LANES), s1);
      s2 = DoubleVector.fromArray(SPECIES, x, xOff + i + 2 * LANES)
          .fma(DoubleVector.fromArray(SPECIES, y, yOff + i + 2 * LANES), s2);
      s3 = DoubleVector.fromArray(SPECIES, x, xOff + i + 3 * LANES)
          .fma(DoubleVector.fromArray(SPECIES, y, yOff + i + 3 * LANES), s3);
    }
    int bound = SPECIES.loopBound(n);
    for (; i < bound; i += LANES) {
      s0 = DoubleVector.fromArray(SPECIES, x, xOff + i).fma(DoubleVector.fromArray(SPECIES, y, yOff + i), s0);
    }
    DoubleVector t = s0.add(s1).add(s2.add(s3));
    for (VectorShuffle<Double> fold : FOLDS) {
      t = t.add(t.rearrange(fold));
    }
    double acc = t.lane(0);
    for (; i < n; i++) {
      acc += x[xOff + i] * y[yOff + i];
    }
    return acc;
  }

  @Override
  public void scal(int n, double alpha, double[] x, int xOff) {
    scale(n, alpha, x, xOff, x, xOff);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Elementwise
  // ---------------------------------------------------------------------------------------------------------------

  @Override
  public void add(int n, double[] a, int aOff, double[] b, int bOff, double[] out, int outOff) {
    int bound = SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += LANES) {
      DoubleVector.fromArray(SPECIES, a, aOff + i).add(DoubleVector.fromArray(SPECIES, b, bOff + i))
          .intoArray(out, outOff + i);
    }
    for (; i < n; i++) {
      out[outOff + i] = a[aOff + i] + b[bOff + i];
    }
  }

  @Override
  public void sub(int n, double[] a, int aOff, double[] b, int bOff, double[] out, int outOff) {
    int bound = SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += LANES) {
      DoubleVector.fromArray(SPECIES, a, aOff + i).sub(DoubleVector.fromArray(SPECIES, b, bOff + i))
          .intoArray(out, outOff + i);
    }
    for (; i < n; i++) {
      out[outOff + i] = a[aOff + i] - b[bOff + i];
    }
  }

  @Override
  public void mul(int n, double[] a, int aOff, double[] b, int bOff, double[] out, int outOff) {
    int bound = SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += LANES) {
      DoubleVector.fromArray(SPECIES, a, aOff + i).mul(DoubleVector.fromArray(SPECIES, b, bOff + i))
          .intoArray(out, outOff + i);
    }
    for (; i < n; i++) {
      out[outOff + i] = a[aOff + i] * b[bOff + i];
    }
  }

  @Override
  public void div(int n, double[] a, int aOff, double[] b, int bOff, double[] out, int outOff) {
    int bound = SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += LANES) {
      DoubleVector.fromArray(SPECIES, a, aOff + i).div(DoubleVector.fromArray(SPECIES, b, bOff + i))
          .intoArray(out, outOff + i);
    }
    for (; i < n; i++) {
      out[outOff + i] = a[aOff + i] / b[bOff + i];
    }
  }

  @Override
  public void scale(int n, double alpha, double[] x, int xOff, double[] out, int outOff) {
    int bound = SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += LANES) {
      DoubleVector.fromArray(SPECIES, x, xOff + i).mul(alpha).intoArray(out, outOff + i);
    }
    for (; i < n; i++) {
      out[outOff + i] = alpha * x[xOff + i];
    }
  }

  @Override
  public void addScalar(int n, double alpha, double[] x, int xOff, double[] out, int outOff) {
    int bound = SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += LANES) {
      DoubleVector.fromArray(SPECIES, x, xOff + i).add(alpha).intoArray(out, outOff + i);
    }
    for (; i < n; i++) {
      out[outOff + i] = x[xOff + i] + alpha;
    }
  }

  @Override
  public void fill(int n, double value, double[] out, int outOff) {
    DoubleVector v = DoubleVector.broadcast(SPECIES, value);
    int bound = SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += LANES) {
      v.intoArray(out, outOff + i);
    }
    for (; i < n; i++) {
      out[outOff + i] = value;
    }
  }

  @Override
  public void copy(int n, double[] x, int xOff, double[] out, int outOff) {
    // The JVM's arraycopy is already vectorised and handles overlap (memmove semantics) correctly.
    System.arraycopy(x, xOff, out, outOff, n);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Maps and their backward forms
  // ---------------------------------------------------------------------------------------------------------------

  /**
   * {@inheritDoc}
   *
   * <p>From {@code e = exp(-|x|)} in (0, 1]: {@code 1 / (1 + e)} for x >= 0, {@code e / (1 + e)} otherwise; exp as in
   * {@link #exp(int, double[], int, double[], int)}, written out in this loop (see the class comment on inlining).
   */
  @Override
  public void sigmoid(int n, double[] x, int xOff, double[] y, int yOff) {
    int bound = SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += LANES) {
      DoubleVector v = DoubleVector.fromArray(SPECIES, x, xOff + i);
      DoubleVector a = v.abs();
      boolean fast = a.compare(VectorOperators.LE, EXP_FAST).allTrue();
      // Clamped only when some lane is out of the fast range (where the clamp changes nothing anyway): Math.max's
      // semantics (NaN, signed zeros) cost several instructions per vector.
      DoubleVector xc = fast ? a.neg() : a.neg().max(EXP_MIN);
      DoubleVector k = xc.fma(LOG2E, ROUND_SHIFT).sub(ROUND_SHIFT);
      DoubleVector r = k.fma(DoubleVector.broadcast(SPECIES, -LN2_HI), xc);
      r = k.fma(DoubleVector.broadcast(SPECIES, -LN2_LO), r);
      DoubleVector p = DoubleVector.broadcast(SPECIES, P_LEAD);
      if (P_HIGH_TERMS) {
        p = p.fma(r, DoubleVector.broadcast(SPECIES, C12));
        p = p.fma(r, DoubleVector.broadcast(SPECIES, C11));
        p = p.fma(r, DoubleVector.broadcast(SPECIES, C10));
        p = p.fma(r, DoubleVector.broadcast(SPECIES, C9));
        p = p.fma(r, DoubleVector.broadcast(SPECIES, C8));
      }
      p = p.fma(r, DoubleVector.broadcast(SPECIES, C7));
      p = p.fma(r, DoubleVector.broadcast(SPECIES, C6));
      p = p.fma(r, DoubleVector.broadcast(SPECIES, C5));
      p = p.fma(r, DoubleVector.broadcast(SPECIES, C4));
      p = p.fma(r, DoubleVector.broadcast(SPECIES, C3));
      p = p.fma(r, DoubleVector.broadcast(SPECIES, C2));
      p = p.fma(r, DoubleVector.broadcast(SPECIES, C1));
      DoubleVector er = r.fma(p, DoubleVector.broadcast(SPECIES, 1.0));
      LongVector /*f32:IntVector*/ ki =
          (LongVector /*f32:IntVector*/) k.convert(VectorOperators.D2L /*f32:VectorOperators.F2I*/, 0);
      DoubleVector e;
      if (fast) {
        e = er.reinterpretAsLongs /*f32:er.reinterpretAsInts*/().add(ki.lanewise(VectorOperators.LSHL, EXPONENT_SHIFT))
            .reinterpretAsDoubles();
      } else {
        LongVector /*f32:IntVector*/ k1 = ki.lanewise(VectorOperators.ASHR, 1);
        LongVector /*f32:IntVector*/ k2 = ki.sub(k1);
        e = er.mul(k1.add(EXPONENT_BIAS).lanewise(VectorOperators.LSHL, EXPONENT_SHIFT).reinterpretAsDoubles())
            .mul(k2.add(EXPONENT_BIAS).lanewise(VectorOperators.LSHL, EXPONENT_SHIFT).reinterpretAsDoubles());
      }
      DoubleVector num = e.blend(DoubleVector.broadcast(SPECIES, 1.0), v.compare(VectorOperators.GE, 0.0));
      num.div(e.add(1.0)).intoArray(y, yOff + i);
    }
    for (; i < n; i++) {
      y[yOff + i] = sigmoid(x[xOff + i]);
    }
  }

  @Override
  public void sigmoidBackward(int n, double[] y, int yOff, double[] dy, int dyOff, double[] dx, int dxOff) {
    int bound = SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += LANES) {
      DoubleVector s = DoubleVector.fromArray(SPECIES, y, yOff + i);
      DoubleVector.fromArray(SPECIES, dy, dyOff + i).mul(s).mul(s.neg().add(1.0)).intoArray(dx, dxOff + i);
    }
    for (; i < n; i++) {
      double s = y[yOff + i];
      dx[dxOff + i] = dy[dyOff + i] * s * (1 - s);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>{@code tanh(x) = sign(x) E / (E + 2)} with {@code E = e^(2a) - 1}, {@code a = min(|x|, TANH_MAX)}, E from the
   * reduction and polynomial of {@link #exp(int, double[], int, double[], int)} without cancellation (see
   * {@link #tanh(double)} for the error bound), written out in this loop (see the class comment on inlining).
   */
  @Override
  public void tanh(int n, double[] x, int xOff, double[] y, int yOff) {
    int bound = SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += LANES) {
      DoubleVector v = DoubleVector.fromArray(SPECIES, x, xOff + i);
      // min(|x|, TANH_MAX) by a comparison and a blend (NaN stays NaN), cheaper than Math.min's semantics.
      DoubleVector a = v.abs();
      DoubleVector a2 = a.blend(TANH_MAX, a.compare(VectorOperators.GT, TANH_MAX)).mul(2.0);
      DoubleVector k = a2.fma(LOG2E, ROUND_SHIFT).sub(ROUND_SHIFT);
      DoubleVector r = k.fma(DoubleVector.broadcast(SPECIES, -LN2_HI), a2);
      r = k.fma(DoubleVector.broadcast(SPECIES, -LN2_LO), r);
      DoubleVector p = DoubleVector.broadcast(SPECIES, P_LEAD);
      if (P_HIGH_TERMS) {
        p = p.fma(r, DoubleVector.broadcast(SPECIES, C12));
        p = p.fma(r, DoubleVector.broadcast(SPECIES, C11));
        p = p.fma(r, DoubleVector.broadcast(SPECIES, C10));
        p = p.fma(r, DoubleVector.broadcast(SPECIES, C9));
        p = p.fma(r, DoubleVector.broadcast(SPECIES, C8));
      }
      p = p.fma(r, DoubleVector.broadcast(SPECIES, C7));
      p = p.fma(r, DoubleVector.broadcast(SPECIES, C6));
      p = p.fma(r, DoubleVector.broadcast(SPECIES, C5));
      p = p.fma(r, DoubleVector.broadcast(SPECIES, C4));
      p = p.fma(r, DoubleVector.broadcast(SPECIES, C3));
      p = p.fma(r, DoubleVector.broadcast(SPECIES, C2));
      p = p.fma(r, DoubleVector.broadcast(SPECIES, C1));
      DoubleVector q = r.mul(p);
      // 2^k from its exponent field (0 <= k <= 58, float32: 29).
      DoubleVector s = ((LongVector /*f32:IntVector*/) k.convert(VectorOperators.D2L /*f32:VectorOperators.F2I*/, 0))
          .add(EXPONENT_BIAS).lanewise(VectorOperators.LSHL, EXPONENT_SHIFT).reinterpretAsDoubles();
      DoubleVector e = q.fma(s, s.sub(1.0));
      DoubleVector t = e.div(e.add(2.0));
      t.blend(t.neg(), v.test(VectorOperators.IS_NEGATIVE)).intoArray(y, yOff + i);
    }
    for (; i < n; i++) {
      y[yOff + i] = tanh(x[xOff + i]);
    }
  }

  @Override
  public void tanhBackward(int n, double[] y, int yOff, double[] dy, int dyOff, double[] dx, int dxOff) {
    int bound = SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += LANES) {
      DoubleVector t = DoubleVector.fromArray(SPECIES, y, yOff + i);
      DoubleVector.fromArray(SPECIES, dy, dyOff + i).mul(t.mul(t).neg().add(1.0)).intoArray(dx, dxOff + i);
    }
    for (; i < n; i++) {
      double t = y[yOff + i];
      dx[dxOff + i] = dy[dyOff + i] * (1 - t * t);
    }
  }

  @Override
  public void relu(int n, double[] x, int xOff, double[] y, int yOff) {
    int bound = SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += LANES) {
      // Vector MAX follows Math.max: NaN propagates, and max(-0.0, 0.0) is +0.0 as in the spec.
      DoubleVector.fromArray(SPECIES, x, xOff + i).max(0.0).intoArray(y, yOff + i);
    }
    for (; i < n; i++) {
      double v = x[xOff + i];
      y[yOff + i] = v > 0 || v != v ? v : 0;
    }
  }

  @Override
  public void reluBackward(int n, double[] y, int yOff, double[] dy, int dyOff, double[] dx, int dxOff) {
    int bound = SPECIES.loopBound(n);
    DoubleVector zero = DoubleVector.zero(SPECIES);
    int i = 0;
    for (; i < bound; i += LANES) {
      VectorMask<Double> pos = DoubleVector.fromArray(SPECIES, y, yOff + i).compare(VectorOperators.GT, 0.0);
      zero.blend(DoubleVector.fromArray(SPECIES, dy, dyOff + i), pos).intoArray(dx, dxOff + i);
    }
    for (; i < n; i++) {
      dx[dxOff + i] = y[yOff + i] > 0 ? dy[dyOff + i] : 0;
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>See {@link #expShifted}, with shift 0 ({@code x - 0} is x, also for -0 and NaN).
   */
  @Override
  public void exp(int n, double[] x, int xOff, double[] y, int yOff) {
    expShifted(n, x, xOff, 0.0, y, yOff);
  }

  @Override
  public void expBackward(int n, double[] y, int yOff, double[] dy, int dyOff, double[] dx, int dxOff) {
    mul(n, dy, dyOff, y, yOff, dx, dxOff);
  }

  /**
   * {@inheritDoc}
   *
   * <p>{@code x = 2^e m} with m in [sqrt(1/2), sqrt(2)) from the exponent and mantissa bits, then
   * {@code log x = e ln2 + log m} with {@code log m = f - (f^2/2 - s (f^2/2 + R(s^2)))}, {@code f = m - 1},
   * {@code s = f / (2 + f)} (so {@code log m = 2 atanh(s)}) and R an even polynomial in s (see
   * {@link #log(double)} for the error bound), written out in this loop (see the class comment on inlining). Lanes
   * that are not positive normal finite numbers are handled by masks, only in vectors that contain one: subnormals
   * are scaled by 2^54 (float32: 2^24) first, and 0, negative, NaN and infinite lanes get Math.log's special values.
   */
  @Override
  public void log(int n, double[] x, int xOff, double[] y, int yOff) {
    int bound = SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += LANES) {
      DoubleVector v = DoubleVector.fromArray(SPECIES, x, xOff + i);
      // NaN compares false, so NaN lanes take the slow path too.
      boolean normal = v.compare(VectorOperators.GE, Double.MIN_NORMAL)
          .and(v.compare(VectorOperators.LE, Double.MAX_VALUE)).allTrue();
      DoubleVector xs = v;
      VectorMask<Double> tiny = null;
      if (!normal) {
        tiny = v.compare(VectorOperators.LT, Double.MIN_NORMAL);
        xs = v.blend(v.mul(LOG_TINY_SCALE), tiny);
      }
      // e = floor(log2(x / sqrt(1/2))) from the bits; m = x 2^-e by subtracting e from the exponent field (exact).
      LongVector /*f32:IntVector*/ bits = xs.reinterpretAsLongs /*f32:xs.reinterpretAsInts*/();
      LongVector /*f32:IntVector*/ ei = bits.sub(LOG_OFFSET).lanewise(VectorOperators.ASHR, EXPONENT_SHIFT);
      DoubleVector m = bits.sub(ei.lanewise(VectorOperators.LSHL, EXPONENT_SHIFT)).reinterpretAsDoubles();
      DoubleVector e = (DoubleVector) ei.convert(VectorOperators.L2D /*f32:VectorOperators.I2F*/, 0);
      if (!normal) {
        e = e.sub(DoubleVector.zero(SPECIES).blend(LOG_TINY_SHIFT, tiny));
      }
      DoubleVector f = m.sub(1.0);
      DoubleVector s = f.div(f.add(2.0));
      DoubleVector z = s.mul(s);
      DoubleVector p = DoubleVector.broadcast(SPECIES, LG_LEAD);
      if (LG_HIGH_TERMS) {
        p = p.fma(z, DoubleVector.broadcast(SPECIES, LG6));
        p = p.fma(z, DoubleVector.broadcast(SPECIES, LG5));
        p = p.fma(z, DoubleVector.broadcast(SPECIES, LG4));
      }
      p = p.fma(z, DoubleVector.broadcast(SPECIES, LG3));
      p = p.fma(z, DoubleVector.broadcast(SPECIES, LG2));
      p = p.fma(z, DoubleVector.broadcast(SPECIES, LG1));
      DoubleVector r = z.mul(p);
      DoubleVector hfsq = f.mul(f).mul(0.5);
      DoubleVector d = hfsq.sub(s.mul(hfsq.add(r)).add(e.mul(LN2_LO)));
      DoubleVector out = e.fma(DoubleVector.broadcast(SPECIES, LN2_HI), f.sub(d));
      if (!normal) {
        VectorMask<Double> special = v.compare(VectorOperators.GT, 0.0)
            .and(v.compare(VectorOperators.LT, Double.POSITIVE_INFINITY)).not();
        DoubleVector value = DoubleVector.broadcast(SPECIES, Double.NaN)
            .blend(Double.NEGATIVE_INFINITY, v.compare(VectorOperators.EQ, 0.0))
            .blend(Double.POSITIVE_INFINITY, v.compare(VectorOperators.EQ, Double.POSITIVE_INFINITY));
        out = out.blend(value, special);
      }
      out.intoArray(y, yOff + i);
    }
    for (; i < n; i++) {
      y[yOff + i] = log(x[xOff + i]);
    }
  }

  @Override
  public void logBackward(int n, double[] x, int xOff, double[] dy, int dyOff, double[] dx, int dxOff) {
    div(n, dy, dyOff, x, xOff, dx, dxOff);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Reductions
  // ---------------------------------------------------------------------------------------------------------------

  /**
   * {@inheritDoc}
   *
   * <p>Four independent accumulators: an add has a latency of 3-4 cycles and the loop issues about one load and one
   * add per cycle, so four chains keep the adder busy.
   */
  @Override
  public double sum(int n, double[] x, int xOff) {
    int i = 0;
    int bound4 = n - 4 * LANES;
    DoubleVector s0 = DoubleVector.zero(SPECIES);
    DoubleVector s1 = s0;
    DoubleVector s2 = s0;
    DoubleVector s3 = s0;
    for (; i <= bound4; i += 4 * LANES) {
      s0 = s0.add(DoubleVector.fromArray(SPECIES, x, xOff + i));
      s1 = s1.add(DoubleVector.fromArray(SPECIES, x, xOff + i + LANES));
      s2 = s2.add(DoubleVector.fromArray(SPECIES, x, xOff + i + 2 * LANES));
      s3 = s3.add(DoubleVector.fromArray(SPECIES, x, xOff + i + 3 * LANES));
    }
    int bound = SPECIES.loopBound(n);
    for (; i < bound; i += LANES) {
      s0 = s0.add(DoubleVector.fromArray(SPECIES, x, xOff + i));
    }
    DoubleVector t = s0.add(s1).add(s2.add(s3));
    for (VectorShuffle<Double> fold : FOLDS) {
      t = t.add(t.rearrange(fold));
    }
    double acc = t.lane(0);
    for (; i < n; i++) {
      acc += x[xOff + i];
    }
    return acc;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Two accumulators: max is exact, so reassociation changes nothing, and two chains already cover its latency
   * at one load per cycle. Vector MAX follows {@link Math#max}, so NaN propagates.
   */
  @Override
  public double max(int n, double[] x, int xOff) {
    int i = 0;
    double m = Double.NEGATIVE_INFINITY;
    int bound2 = n - 2 * LANES;
    if (bound2 >= 0) {
      DoubleVector m0 = DoubleVector.broadcast(SPECIES, Double.NEGATIVE_INFINITY);
      DoubleVector m1 = m0;
      for (; i <= bound2; i += 2 * LANES) {
        m0 = m0.max(DoubleVector.fromArray(SPECIES, x, xOff + i));
        m1 = m1.max(DoubleVector.fromArray(SPECIES, x, xOff + i + LANES));
      }
      m = m0.max(m1).reduceLanes(VectorOperators.MAX);
    }
    for (; i < n; i++) {
      m = Math.max(m, x[xOff + i]);
    }
    return m;
  }

  /** {@inheritDoc} Four accumulators, for the reason given at {@link #sum}. */
  @Override
  public double sumOfSquares(int n, double[] x, int xOff) {
    int i = 0;
    int bound4 = n - 4 * LANES;
    DoubleVector s0 = DoubleVector.zero(SPECIES);
    DoubleVector s1 = s0;
    DoubleVector s2 = s0;
    DoubleVector s3 = s0;
    for (; i <= bound4; i += 4 * LANES) {
      DoubleVector v0 = DoubleVector.fromArray(SPECIES, x, xOff + i);
      DoubleVector v1 = DoubleVector.fromArray(SPECIES, x, xOff + i + LANES);
      DoubleVector v2 = DoubleVector.fromArray(SPECIES, x, xOff + i + 2 * LANES);
      DoubleVector v3 = DoubleVector.fromArray(SPECIES, x, xOff + i + 3 * LANES);
      s0 = v0.fma(v0, s0);
      s1 = v1.fma(v1, s1);
      s2 = v2.fma(v2, s2);
      s3 = v3.fma(v3, s3);
    }
    int bound = SPECIES.loopBound(n);
    for (; i < bound; i += LANES) {
      DoubleVector v = DoubleVector.fromArray(SPECIES, x, xOff + i);
      s0 = v.fma(v, s0);
    }
    DoubleVector t = s0.add(s1).add(s2.add(s3));
    for (VectorShuffle<Double> fold : FOLDS) {
      t = t.add(t.rearrange(fold));
    }
    double acc = t.lane(0);
    for (; i < n; i++) {
      acc += x[xOff + i] * x[xOff + i];
    }
    return acc;
  }

  /**
   * {@inheritDoc}
   *
   * <p>The columns that fill whole strips of four vectors are summed a block of {@value #SUM_ROWS} rows at a time:
   * for each strip, its four running sums come from scratch, take the block's rows, and go back. The sums thus walk
   * x a few consecutive rows at a time, across their whole width, instead of one strip down all rows: for the bias
   * gradients of a layer (thousands of rows, each several KiB apart) that visits each memory page once, not once per
   * strip, and runs about twice as fast. Each column is still summed from zero in row order, as in the spec, and
   * added to out once. The remaining columns take one vector, then one column, down all rows.
   */
  @Override
  public void addColumnSums(int rows, int cols, double[] x, int xOff, int ldx, double[] out, int outOff) {
    int strip = 4 * LANES;
    int stripped = cols / strip * strip;
    if (stripped > 0) {
      double[] sums = scratch.get().sums(stripped);
      Arrays.fill(sums, 0, stripped, 0.0);
      for (int i0 = 0; i0 < rows; i0 += SUM_ROWS) {
        int i1 = Math.min(rows, i0 + SUM_ROWS);
        for (int j = 0; j < stripped; j += strip) {
          DoubleVector s0 = DoubleVector.fromArray(SPECIES, sums, j);
          DoubleVector s1 = DoubleVector.fromArray(SPECIES, sums, j + LANES);
          DoubleVector s2 = DoubleVector.fromArray(SPECIES, sums, j + 2 * LANES);
          DoubleVector s3 = DoubleVector.fromArray(SPECIES, sums, j + 3 * LANES);
          for (int i = i0; i < i1; i++) {
            int r = xOff + i * ldx + j;
            s0 = s0.add(DoubleVector.fromArray(SPECIES, x, r));
            s1 = s1.add(DoubleVector.fromArray(SPECIES, x, r + LANES));
            s2 = s2.add(DoubleVector.fromArray(SPECIES, x, r + 2 * LANES));
            s3 = s3.add(DoubleVector.fromArray(SPECIES, x, r + 3 * LANES));
          }
          s0.intoArray(sums, j);
          s1.intoArray(sums, j + LANES);
          s2.intoArray(sums, j + 2 * LANES);
          s3.intoArray(sums, j + 3 * LANES);
        }
      }
      for (int j = 0; j < stripped; j += LANES) {
        int o = outOff + j;
        DoubleVector.fromArray(SPECIES, out, o).add(DoubleVector.fromArray(SPECIES, sums, j)).intoArray(out, o);
      }
    }
    int j = stripped;
    for (; j + LANES <= cols; j += LANES) {
      DoubleVector s = DoubleVector.zero(SPECIES);
      for (int i = 0; i < rows; i++) {
        s = s.add(DoubleVector.fromArray(SPECIES, x, xOff + i * ldx + j));
      }
      DoubleVector.fromArray(SPECIES, out, outOff + j).add(s).intoArray(out, outOff + j);
    }
    for (; j < cols; j++) {
      double acc = 0;
      for (int i = 0; i < rows; i++) {
        acc += x[xOff + i * ldx + j];
      }
      out[outOff + j] += acc;
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Row-wise softmax
  // ---------------------------------------------------------------------------------------------------------------

  @Override
  public void softmax(int rows, int cols, double[] x, int xOff, int ldx, double[] y, int yOff, int ldy) {
    int bound = SPECIES.loopBound(cols);
    for (int r = 0; r < rows; r++) {
      int xr = xOff + r * ldx;
      int yr = yOff + r * ldy;
      double m = max(cols, x, xr);
      double s = expShifted(cols, x, xr, m, y, yr);
      DoubleVector dv = DoubleVector.broadcast(SPECIES, s);
      int j = 0;
      for (; j < bound; j += LANES) {
        DoubleVector.fromArray(SPECIES, y, yr + j).div(dv).intoArray(y, yr + j);
      }
      for (; j < cols; j++) {
        y[yr + j] /= s;
      }
    }
  }

  @Override
  public void softmaxBackward(int rows, int cols, double[] y, int yOff, double[] dy, int dyOff,
                              double[] dx, int dxOff) {
    int bound = SPECIES.loopBound(cols);
    for (int r = 0; r < rows; r++) {
      int o = r * cols;
      double s = dot(cols, dy, dyOff + o, y, yOff + o);
      int j = 0;
      for (; j < bound; j += LANES) {
        DoubleVector yv = DoubleVector.fromArray(SPECIES, y, yOff + o + j);
        yv.mul(DoubleVector.fromArray(SPECIES, dy, dyOff + o + j).sub(s)).intoArray(dx, dxOff + o + j);
      }
      for (; j < cols; j++) {
        dx[dxOff + o + j] = y[yOff + o + j] * (dy[dyOff + o + j] - s);
      }
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>The exponentials of a row go to a per-thread scratch row (y may be the same range as x, so it cannot hold
   * them) and only their sum is kept.
   */
  @Override
  public void logSoftmax(int rows, int cols, double[] x, int xOff, int ldx, double[] y, int yOff, int ldy) {
    int bound = SPECIES.loopBound(cols);
    double[] e = scratch.get().vec(cols);
    for (int r = 0; r < rows; r++) {
      int xr = xOff + r * ldx;
      int yr = yOff + r * ldy;
      double m = max(cols, x, xr);
      double s = expShifted(cols, x, xr, m, e, 0);
      double logSum = m + (double) Math.log(s);
      int j = 0;
      for (; j < bound; j += LANES) {
        DoubleVector.fromArray(SPECIES, x, xr + j).sub(logSum).intoArray(y, yr + j);
      }
      for (; j < cols; j++) {
        y[yr + j] = x[xr + j] - logSum;
      }
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>exp(y) of a row goes to a per-thread scratch row first (dx may be the same range as dy).
   */
  @Override
  public void logSoftmaxBackward(int rows, int cols, double[] y, int yOff, double[] dy, int dyOff,
                                 double[] dx, int dxOff) {
    int bound = SPECIES.loopBound(cols);
    double[] e = scratch.get().vec(cols);
    for (int r = 0; r < rows; r++) {
      int o = r * cols;
      double s = sum(cols, dy, dyOff + o);
      expShifted(cols, y, yOff + o, 0.0, e, 0);
      int j = 0;
      for (; j < bound; j += LANES) {
        DoubleVector ev = DoubleVector.fromArray(SPECIES, e, j);
        DoubleVector.fromArray(SPECIES, dy, dyOff + o + j).sub(ev.mul(s)).intoArray(dx, dxOff + o + j);
      }
      for (; j < cols; j++) {
        dx[dxOff + o + j] = dy[dyOff + o + j] - e[j] * s;
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Fused recurrent pointwise kernels
  // ---------------------------------------------------------------------------------------------------------------

  /**
   * {@inheritDoc}
   *
   * <p>Per batch row: the activations in place with the map kernels (i and f are adjacent, so one sigmoid covers
   * both), then c, then {@code h = o * tanh(c)} as tanh into h and a product. Every element gets the bits of the
   * one-pass formula (the maps give the same bits in vector lanes and tails); the passes keep each
   * transcendental loop in its own method (see the class comment on inlining). The rows are in L1.
   */
  @Override
  public void lstmForward(int batch, int hidden, double[] gates, int gatesOff, double[] cPrev, int cPrevOff,
                          double[] c, int cOff, double[] h, int hOff) {
    int bound = SPECIES.loopBound(hidden);
    for (int b = 0; b < batch; b++) {
      int g = gatesOff + b * 4 * hidden;
      int s = b * hidden;
      sigmoid(2 * hidden, gates, g, gates, g);
      tanh(hidden, gates, g + 2 * hidden, gates, g + 2 * hidden);
      sigmoid(hidden, gates, g + 3 * hidden, gates, g + 3 * hidden);
      int j = 0;
      for (; j < bound; j += LANES) {
        DoubleVector i = DoubleVector.fromArray(SPECIES, gates, g + j);
        DoubleVector f = DoubleVector.fromArray(SPECIES, gates, g + hidden + j);
        DoubleVector gg = DoubleVector.fromArray(SPECIES, gates, g + 2 * hidden + j);
        f.mul(DoubleVector.fromArray(SPECIES, cPrev, cPrevOff + s + j)).add(i.mul(gg)).intoArray(c, cOff + s + j);
      }
      for (; j < hidden; j++) {
        c[cOff + s + j] = gates[g + hidden + j] * cPrev[cPrevOff + s + j] + gates[g + j] * gates[g + 2 * hidden + j];
      }
      tanh(hidden, c, cOff + s, h, hOff + s);
      mul(hidden, gates, g + 3 * hidden, h, hOff + s, h, hOff + s);
    }
  }

  @Override
  public void lstmBackward(int batch, int hidden, double[] gates, int gatesOff, double[] cPrev, int cPrevOff,
                           double[] c, int cOff, double[] dh, int dhOff, double[] dc, int dcOff,
                           double[] dGates, int dGatesOff) {
    int bound = SPECIES.loopBound(hidden);
    // tanh(c) of a row with the map kernel (see the class comment on inlining) into scratch, not into dGates: dGates
    // may be the same range as gates, whose o block is still to be read.
    double[] tcRow = scratch.get().vec(hidden);
    for (int b = 0; b < batch; b++) {
      int g = gatesOff + b * 4 * hidden;
      int dg = dGatesOff + b * 4 * hidden;
      int s = b * hidden;
      tanh(hidden, c, cOff + s, tcRow, 0);
      int j = 0;
      for (; j < bound; j += LANES) {
        DoubleVector i = DoubleVector.fromArray(SPECIES, gates, g + j);
        DoubleVector f = DoubleVector.fromArray(SPECIES, gates, g + hidden + j);
        DoubleVector gg = DoubleVector.fromArray(SPECIES, gates, g + 2 * hidden + j);
        DoubleVector o = DoubleVector.fromArray(SPECIES, gates, g + 3 * hidden + j);
        DoubleVector tc = DoubleVector.fromArray(SPECIES, tcRow, j);
        DoubleVector dhv = DoubleVector.fromArray(SPECIES, dh, dhOff + s + j);
        DoubleVector dcTotal = DoubleVector.fromArray(SPECIES, dc, dcOff + s + j)
            .add(dhv.mul(o).mul(tc.mul(tc).neg().add(1.0)));
        dcTotal.mul(gg).mul(i).mul(i.neg().add(1.0)).intoArray(dGates, dg + j);
        dcTotal.mul(DoubleVector.fromArray(SPECIES, cPrev, cPrevOff + s + j)).mul(f).mul(f.neg().add(1.0))
            .intoArray(dGates, dg + hidden + j);
        dcTotal.mul(i).mul(gg.mul(gg).neg().add(1.0)).intoArray(dGates, dg + 2 * hidden + j);
        dhv.mul(tc).mul(o).mul(o.neg().add(1.0)).intoArray(dGates, dg + 3 * hidden + j);
        dcTotal.mul(f).intoArray(dc, dcOff + s + j);
      }
      for (; j < hidden; j++) {
        int q = s + j;
        double i = gates[g + j];
        double f = gates[g + hidden + j];
        double gg = gates[g + 2 * hidden + j];
        double o = gates[g + 3 * hidden + j];
        double tc = tcRow[j];
        double dhv = dh[dhOff + q];
        double dcTotal = dc[dcOff + q] + dhv * o * (1 - tc * tc);
        dGates[dg + j] = dcTotal * gg * i * (1 - i);
        dGates[dg + hidden + j] = dcTotal * cPrev[cPrevOff + q] * f * (1 - f);
        dGates[dg + 2 * hidden + j] = dcTotal * i * (1 - gg * gg);
        dGates[dg + 3 * hidden + j] = dhv * tc * o * (1 - o);
        dc[dcOff + q] = dcTotal * f;
      }
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Per batch row, in passes as in {@link #lstmForward}: r and z (adjacent) by an add and one sigmoid in place,
   * the n pre-activation, tanh in place, then h. Every element gets the bits of the one-pass formula.
   */
  @Override
  public void gruForward(int batch, int hidden, double[] gi, int giOff, double[] gh, int ghOff,
                         double[] hPrev, int hPrevOff, double[] h, int hOff) {
    int bound = SPECIES.loopBound(hidden);
    for (int b = 0; b < batch; b++) {
      int x = giOff + b * 3 * hidden;
      int y = ghOff + b * 3 * hidden;
      int s = b * hidden;
      add(2 * hidden, gi, x, gh, y, gi, x);
      sigmoid(2 * hidden, gi, x, gi, x);
      int j = 0;
      for (; j < bound; j += LANES) {
        DoubleVector r = DoubleVector.fromArray(SPECIES, gi, x + j);
        DoubleVector.fromArray(SPECIES, gi, x + 2 * hidden + j)
            .add(r.mul(DoubleVector.fromArray(SPECIES, gh, y + 2 * hidden + j))).intoArray(gi, x + 2 * hidden + j);
      }
      for (; j < hidden; j++) {
        gi[x + 2 * hidden + j] = gi[x + 2 * hidden + j] + gi[x + j] * gh[y + 2 * hidden + j];
      }
      tanh(hidden, gi, x + 2 * hidden, gi, x + 2 * hidden);
      j = 0;
      for (; j < bound; j += LANES) {
        DoubleVector z = DoubleVector.fromArray(SPECIES, gi, x + hidden + j);
        DoubleVector nn = DoubleVector.fromArray(SPECIES, gi, x + 2 * hidden + j);
        z.neg().add(1.0).mul(nn).add(z.mul(DoubleVector.fromArray(SPECIES, hPrev, hPrevOff + s + j)))
            .intoArray(h, hOff + s + j);
      }
      for (; j < hidden; j++) {
        double z = gi[x + hidden + j];
        h[hOff + s + j] = (1 - z) * gi[x + 2 * hidden + j] + z * hPrev[hPrevOff + s + j];
      }
    }
  }

  @Override
  public void gruBackward(int batch, int hidden, double[] gi, int giOff, double[] gh, int ghOff,
                          double[] hPrev, int hPrevOff, double[] dh, int dhOff,
                          double[] dgi, int dgiOff, double[] dgh, int dghOff, double[] dhPrev, int dhPrevOff) {
    int bound = SPECIES.loopBound(hidden);
    for (int b = 0; b < batch; b++) {
      int x = giOff + b * 3 * hidden;
      int y = ghOff + b * 3 * hidden;
      int dx = dgiOff + b * 3 * hidden;
      int dy = dghOff + b * 3 * hidden;
      int s = b * hidden;
      int j = 0;
      for (; j < bound; j += LANES) {
        DoubleVector r = DoubleVector.fromArray(SPECIES, gi, x + j);
        DoubleVector z = DoubleVector.fromArray(SPECIES, gi, x + hidden + j);
        DoubleVector nn = DoubleVector.fromArray(SPECIES, gi, x + 2 * hidden + j);
        DoubleVector dhv = DoubleVector.fromArray(SPECIES, dh, dhOff + s + j);
        DoubleVector oneMinusZ = z.neg().add(1.0);
        DoubleVector dn = dhv.mul(oneMinusZ).mul(nn.mul(nn).neg().add(1.0));
        DoubleVector dz = dhv.mul(DoubleVector.fromArray(SPECIES, hPrev, hPrevOff + s + j).sub(nn))
            .mul(z).mul(oneMinusZ);
        DoubleVector dr = dn.mul(DoubleVector.fromArray(SPECIES, gh, y + 2 * hidden + j)).mul(r)
            .mul(r.neg().add(1.0));
        dr.intoArray(dgi, dx + j);
        dz.intoArray(dgi, dx + hidden + j);
        dn.intoArray(dgi, dx + 2 * hidden + j);
        dr.intoArray(dgh, dy + j);
        dz.intoArray(dgh, dy + hidden + j);
        dn.mul(r).intoArray(dgh, dy + 2 * hidden + j);
        dhv.mul(z).intoArray(dhPrev, dhPrevOff + s + j);
      }
      for (; j < hidden; j++) {
        int q = s + j;
        double r = gi[x + j];
        double z = gi[x + hidden + j];
        double nn = gi[x + 2 * hidden + j];
        double dhv = dh[dhOff + q];
        double dn = dhv * (1 - z) * (1 - nn * nn);
        double dz = dhv * (hPrev[hPrevOff + q] - nn) * z * (1 - z);
        double dr = dn * gh[y + 2 * hidden + j] * r * (1 - r);
        dgi[dx + j] = dr;
        dgi[dx + hidden + j] = dz;
        dgi[dx + 2 * hidden + j] = dn;
        dgh[dy + j] = dr;
        dgh[dy + hidden + j] = dz;
        dgh[dy + 2 * hidden + j] = dn * r;
        dhPrev[dhPrevOff + q] = dhv * z;
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Fused optimizer updates
  // ---------------------------------------------------------------------------------------------------------------

  @Override
  public void sgdUpdate(int n, double lr, double momentum, double dampening, double weightDecay, boolean nesterov,
                        boolean firstStep, double[] param, int paramOff, double[] grad, int gradOff,
                        double[] velocity, int velocityOff) {
    int bound = SPECIES.loopBound(n);
    int i = 0;
    // The flags are loop-invariant, so C2 unswitches the loop on them; momentum == 0 is split by hand.
    if (momentum == 0) {
      for (; i < bound; i += LANES) {
        DoubleVector p = DoubleVector.fromArray(SPECIES, param, paramOff + i);
        DoubleVector g = DoubleVector.fromArray(SPECIES, grad, gradOff + i).add(p.mul(weightDecay));
        p.sub(g.mul(lr)).intoArray(param, paramOff + i);
      }
    } else {
      double keep = 1 - dampening;
      for (; i < bound; i += LANES) {
        DoubleVector p = DoubleVector.fromArray(SPECIES, param, paramOff + i);
        DoubleVector g = DoubleVector.fromArray(SPECIES, grad, gradOff + i).add(p.mul(weightDecay));
        DoubleVector v = firstStep ? g
            : DoubleVector.fromArray(SPECIES, velocity, velocityOff + i).mul(momentum).add(g.mul(keep));
        v.intoArray(velocity, velocityOff + i);
        g = nesterov ? g.add(v.mul(momentum)) : v;
        p.sub(g.mul(lr)).intoArray(param, paramOff + i);
      }
    }
    for (; i < n; i++) {
      double p = param[paramOff + i];
      double g = grad[gradOff + i] + weightDecay * p;
      if (momentum != 0) {
        double v = firstStep ? g : momentum * velocity[velocityOff + i] + (1 - dampening) * g;
        velocity[velocityOff + i] = v;
        g = nesterov ? g + momentum * v : v;
      }
      param[paramOff + i] = p - lr * g;
    }
  }

  @Override
  public void adamUpdate(int n, double lr, double beta1, double beta2, double eps, double weightDecay,
                         boolean decoupledWeightDecay, int step, double[] param, int paramOff,
                         double[] grad, int gradOff, double[] m, int mOff, double[] v, int vOff) {
    double bias1 = 1 - (double) Math.pow(beta1, step);
    double bias2 = 1 - (double) Math.pow(beta2, step);
    double decay = 1 - lr * weightDecay;
    double keep1 = 1 - beta1;
    double keep2 = 1 - beta2;
    int bound = SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += LANES) {
      DoubleVector p = DoubleVector.fromArray(SPECIES, param, paramOff + i);
      DoubleVector g = DoubleVector.fromArray(SPECIES, grad, gradOff + i);
      if (decoupledWeightDecay) {
        p = p.mul(decay);
      } else {
        g = g.add(p.mul(weightDecay));
      }
      DoubleVector mi = DoubleVector.fromArray(SPECIES, m, mOff + i).mul(beta1).add(g.mul(keep1));
      DoubleVector vi = DoubleVector.fromArray(SPECIES, v, vOff + i).mul(beta2).add(g.mul(keep2).mul(g));
      mi.intoArray(m, mOff + i);
      vi.intoArray(v, vOff + i);
      DoubleVector denom = vi.div(bias2).lanewise(VectorOperators.SQRT).add(eps);
      p.sub(mi.div(bias1).mul(lr).div(denom)).intoArray(param, paramOff + i);
    }
    for (; i < n; i++) {
      double p = param[paramOff + i];
      double g = grad[gradOff + i];
      if (decoupledWeightDecay) {
        p *= 1 - lr * weightDecay;
      } else {
        g += weightDecay * p;
      }
      double mi = beta1 * m[mOff + i] + (1 - beta1) * g;
      double vi = beta2 * v[vOff + i] + (1 - beta2) * g * g;
      m[mOff + i] = mi;
      v[vOff + i] = vi;
      param[paramOff + i] = p - lr * (mi / bias1) / ((double) Math.sqrt(vi / bias2) + eps);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Helpers
  // ---------------------------------------------------------------------------------------------------------------

  // exp, tanh and log from exact per-lane operations only (add, mul, fma, div, min/max, blend, conversions, bit
  // moves), so that every JIT tier computes the same bits (VectorOperators.EXP/TANH/LOG call SVML stubs in C2 and
  // Math per lane before, which differ in the last bit). The vector forms are written out in the loops of sigmoid,
  // tanh, log and expShifted (see the class comment on inlining); the scalar twins below do the same operations for
  // the tails.

  /** log2(e), rounded. */
  private static final double LOG2E = 0x1.71547652b82fep0 /*f32:0x1.715476p0f*/;
  /** 1.5 * 2^52: adding and subtracting it rounds a value below 2^51 in magnitude to an integer (ties to even). */
  private static final double ROUND_SHIFT = 0x1.8p52 /*f32:0x1.8p23f*/;
  /**
   * ln 2 = LN2_HI + LN2_LO (to twice the precision). With k = rint(x / ln2) integral (at most 11 bits), x - k LN2_HI
   * is exact in one fma (LN2_HI has 53 bits, and the difference is below 1 in magnitude with no bits below those of
   * k LN2_HI); the second fma, r = that - k LN2_LO, rounds once.
   */
  private static final double LN2_HI = 0x1.62e42fefa39efp-1 /*f32:0x1.62e43p-1f*/;
  private static final double LN2_LO = 0x1.abc9e3b39803fp-56 /*f32:-0x1.05c61p-29f*/;
  /** exp overflows above this (exp(709.79) is the largest double) and is 0 below EXP_MIN. */
  private static final double EXP_MAX = 710.0 /*f32:89.0f*/;
  private static final double EXP_MIN = -746.0 /*f32:-104.0f*/;
  /**
   * For |x| <= EXP_FAST, e^x and e^r * 2^k (e^r in [0.70, 1.42], |k| <= 1021, float32: 124) are normal numbers, so
   * 2^k can be applied by adding k to the exponent field of e^r. Otherwise 2^k (k in [-1077, 1025], float32:
   * [-150, 129]) is applied as two exact scalings by the normal numbers 2^(k>>1) and 2^(k - (k>>1)): only the last
   * multiplication rounds (overflow to infinity, gradual underflow correctly rounded). Both are exact in the fast
   * range, so the bits do not depend on which lanes share a vector.
   */
  private static final double EXP_FAST = 708.0 /*f32:86.0f*/;
  /** tanh(x) rounds to 1 for x above this (1 - tanh(20) = 8e-18 < u / 2), which keeps exp(2x) finite. */
  private static final double TANH_MAX = 20.0 /*f32:10.0f*/;
  private static final int EXPONENT_SHIFT = 52 /*f32:23*/;
  private static final long /*f32:int*/ EXPONENT_BIAS = 1023 /*f32:127*/;
  /**
   * Taylor coefficients 1/n! of P(r) = (e^r - 1) / r = C1 + C2 r + ... + C13 r^12, evaluated by Horner's rule with
   * fused multiply-adds from P_LEAD down. On |r| <= ln2/2 (+ a rounding) the first omitted term of e^r, r^14/14!, is
   * below 4.3e-18 = 0.04u relative to e^r >= 0.7; in float32 the polynomial stops at C8 (C9..C13 are zero and
   * skipped), and r^9/9! <= 2.0e-10 = 0.004u (u = 2^-24).
   */
  private static final double C1 = 1.0;
  private static final double C2 = 0.5;
  private static final double C3 = 0x1.5555555555555p-3 /*f32:0x1.555556p-3f*/;
  private static final double C4 = 0x1.5555555555555p-5 /*f32:0x1.555556p-5f*/;
  private static final double C5 = 0x1.1111111111111p-7 /*f32:0x1.111112p-7f*/;
  private static final double C6 = 0x1.6c16c16c16c17p-10 /*f32:0x1.6c16c2p-10f*/;
  private static final double C7 = 0x1.a01a01a01a01ap-13 /*f32:0x1.a01a02p-13f*/;
  private static final double C8 = 0x1.a01a01a01a01ap-16 /*f32:0x1.a01a02p-16f*/;
  private static final double C9 = 0x1.71de3a556c734p-19 /*f32:0.0f*/;
  private static final double C10 = 0x1.27e4fb7789f5cp-22 /*f32:0.0f*/;
  private static final double C11 = 0x1.ae64567f544e4p-26 /*f32:0.0f*/;
  private static final double C12 = 0x1.1eed8eff8d898p-29 /*f32:0.0f*/;
  private static final double C13 = 0x1.6124613a86d09p-33 /*f32:0.0f*/;
  /** The leading coefficient of P: C13 in float64, C8 in float32. */
  private static final double P_LEAD = C13 /*f32:C8*/;
  /**
   * Whether P has the terms C12..C8 after its lead (float64); a compile-time constant, so the float32 class has no
   * code for them.
   */
  private static final boolean P_HIGH_TERMS = true /*f32:false*/;

  /**
   * e^(x[i] - shift) into y for n elements, returning their sum in a fixed order (the vector lanes summed per lane
   * across the loop, then across the lanes by {@code FOLDS}, then the tail in order). y may be the same range as x.
   *
   * <p>exp: the argument is clamped to [EXP_MIN, EXP_MAX] (beyond it the result is 0 or infinity anyway), reduced
   * to {@code k ln2 + r} with |r| <= ln2/2 (plus a rounding), {@code e^r = 1 + r P(r)} by one final fma, and
   * scaled by 2^k (see EXP_FAST). Error (first order, relative, u = 2^-53 or 2^-24): the reduction rounds r once
   * (|dr| <= u|r|, a relative change of e^r of at most 0.35u); Horner's rule gives P(r) within about 1.2u relative
   * and the final fma adds |r P| * 1.2u / e^r <= 0.6u plus its rounding u; truncation 0.04u. In all at most 2u
   * relative, i.e. within 2 ulps (an ulp of y exceeds u|y|), inside the 4 ulps the kernel tolerances assume; in the
   * subnormal range the last rounding is absolute (half the smallest subnormal). exp(NaN) is NaN, exp(+inf) = +inf,
   * exp(-inf) = 0.
   */
  private static double expShifted(int n, double[] x, int xOff, double shift, double[] y, int yOff) {
    int bound = SPECIES.loopBound(n);
    DoubleVector sum = DoubleVector.zero(SPECIES);
    int i = 0;
    for (; i < bound; i += LANES) {
      DoubleVector v = DoubleVector.fromArray(SPECIES, x, xOff + i).sub(shift);
      boolean fast = v.abs().compare(VectorOperators.LE, EXP_FAST).allTrue();
      // Clamped only when some lane is out of the fast range (where the clamp changes nothing anyway): Math.min and
      // max semantics (NaN, signed zeros) cost several instructions per vector.
      DoubleVector xc = fast ? v : v.max(EXP_MIN).min(EXP_MAX);
      DoubleVector k = xc.fma(LOG2E, ROUND_SHIFT).sub(ROUND_SHIFT);
      DoubleVector r = k.fma(DoubleVector.broadcast(SPECIES, -LN2_HI), xc);
      r = k.fma(DoubleVector.broadcast(SPECIES, -LN2_LO), r);
      DoubleVector p = DoubleVector.broadcast(SPECIES, P_LEAD);
      if (P_HIGH_TERMS) {
        p = p.fma(r, DoubleVector.broadcast(SPECIES, C12));
        p = p.fma(r, DoubleVector.broadcast(SPECIES, C11));
        p = p.fma(r, DoubleVector.broadcast(SPECIES, C10));
        p = p.fma(r, DoubleVector.broadcast(SPECIES, C9));
        p = p.fma(r, DoubleVector.broadcast(SPECIES, C8));
      }
      p = p.fma(r, DoubleVector.broadcast(SPECIES, C7));
      p = p.fma(r, DoubleVector.broadcast(SPECIES, C6));
      p = p.fma(r, DoubleVector.broadcast(SPECIES, C5));
      p = p.fma(r, DoubleVector.broadcast(SPECIES, C4));
      p = p.fma(r, DoubleVector.broadcast(SPECIES, C3));
      p = p.fma(r, DoubleVector.broadcast(SPECIES, C2));
      p = p.fma(r, DoubleVector.broadcast(SPECIES, C1));
      DoubleVector er = r.fma(p, DoubleVector.broadcast(SPECIES, 1.0));
      LongVector /*f32:IntVector*/ ki =
          (LongVector /*f32:IntVector*/) k.convert(VectorOperators.D2L /*f32:VectorOperators.F2I*/, 0);
      DoubleVector e;
      if (fast) {
        e = er.reinterpretAsLongs /*f32:er.reinterpretAsInts*/().add(ki.lanewise(VectorOperators.LSHL, EXPONENT_SHIFT))
            .reinterpretAsDoubles();
      } else {
        LongVector /*f32:IntVector*/ k1 = ki.lanewise(VectorOperators.ASHR, 1);
        LongVector /*f32:IntVector*/ k2 = ki.sub(k1);
        e = er.mul(k1.add(EXPONENT_BIAS).lanewise(VectorOperators.LSHL, EXPONENT_SHIFT).reinterpretAsDoubles())
            .mul(k2.add(EXPONENT_BIAS).lanewise(VectorOperators.LSHL, EXPONENT_SHIFT).reinterpretAsDoubles());
      }
      e.intoArray(y, yOff + i);
      sum = sum.add(e);
    }
    for (VectorShuffle<Double> fold : FOLDS) {
      sum = sum.add(sum.rearrange(fold));
    }
    double s = sum.lane(0);
    for (; i < n; i++) {
      double e = exp(x[xOff + i] - shift);
      y[yOff + i] = e;
      s += e;
    }
    return s;
  }

  /**
   * The logistic function for the tails of {@link #sigmoid(int, double[], int, double[], int)}: the same operations
   * as its vector loop, so the same bits.
   */
  private static double sigmoid(double x) {
    double e = exp(-Math.abs(x));
    return (x >= 0 ? 1 : e) / (1 + e);
  }

  /** P(r) of the exp reduction: the scalar twin of the polynomial in the vector loops. */
  private static double expPoly(double r) {
    double p = P_LEAD;
    if (P_HIGH_TERMS) {
      p = Math.fma(p, r, C12);
      p = Math.fma(p, r, C11);
      p = Math.fma(p, r, C10);
      p = Math.fma(p, r, C9);
      p = Math.fma(p, r, C8);
    }
    p = Math.fma(p, r, C7);
    p = Math.fma(p, r, C6);
    p = Math.fma(p, r, C5);
    p = Math.fma(p, r, C4);
    p = Math.fma(p, r, C3);
    p = Math.fma(p, r, C2);
    return Math.fma(p, r, C1);
  }

  /** e^x for the tails of {@link #expShifted}: the same operations as its vector loop, so the same bits. */
  private static double exp(double x) {
    double xc = Math.min(Math.max(x, EXP_MIN), EXP_MAX);
    double k = Math.fma(xc, LOG2E, ROUND_SHIFT) - ROUND_SHIFT;
    double r = Math.fma(k, -LN2_HI, xc);
    r = Math.fma(k, -LN2_LO, r);
    double er = Math.fma(r, expPoly(r), 1);
    long /*f32:int*/ ki = (long /*f32:int*/) k;
    long /*f32:int*/ k1 = ki >> 1;
    long /*f32:int*/ k2 = ki - k1;
    double s1 = Double.longBitsToDouble /*f32:Float.intBitsToFloat*/((k1 + EXPONENT_BIAS) << EXPONENT_SHIFT);
    double s2 = Double.longBitsToDouble /*f32:Float.intBitsToFloat*/((k2 + EXPONENT_BIAS) << EXPONENT_SHIFT);
    return er * s1 * s2;
  }

  /**
   * tanh(x) for the tails of {@link #tanh(int, double[], int, double[], int)}: the same operations as its vector
   * loop, so the same bits. tanh(x) = sign(x) E / (E + 2) with E = e^(2a) - 1, a = min(|x|, TANH_MAX). E is computed
   * without cancellation as 2^k q + (2^k - 1) by one fma, q = r P(r) = e^r - 1 (same reduction and polynomial as
   * exp), so small |x| keeps full relative accuracy (k = 0: E = q).
   *
   * <p>Error (first order, relative): q within 3.4u (r's rounding u, P 1.4u, the product u); E within 3.4u for
   * k = 0, and for k >= 1 within 2 * 3.4u * |q| / E + u <= 5.2u (worst at the k = 1 boundary, q = -0.29,
   * E = 0.41); the quotient E / (E + 2) passes E's error on scaled by 2 / (E + 2) <= 1 and adds two roundings: at
   * most 7.3u, i.e. within 7.3 ulps in the worst case of this bound, inside the 8u relative error the kernel
   * tolerances assume for transcendentals. tanh(+-0) = +-0, tanh(+-inf) = +-1, tanh(NaN) is NaN.
   */
  private static double tanh(double x) {
    double y = Math.min(Math.abs(x), TANH_MAX) * 2;
    double k = Math.fma(y, LOG2E, ROUND_SHIFT) - ROUND_SHIFT;
    double r = Math.fma(k, -LN2_HI, y);
    r = Math.fma(k, -LN2_LO, r);
    double q = r * expPoly(r);
    long /*f32:int*/ ki = (long /*f32:int*/) k;
    double s = Double.longBitsToDouble /*f32:Float.intBitsToFloat*/((ki + EXPONENT_BIAS) << EXPONENT_SHIFT);
    double e = Math.fma(q, s, s - 1);
    double t = e / (e + 2);
    return Math.copySign(t, x);
  }

  /**
   * x = 2^e m with m in [sqrt(1/2), sqrt(2)): e is the exponent of x / LOG_OFFSET's value, taken from the bits.
   * These are the bits of sqrt(1/2) rounded.
   */
  private static final long /*f32:int*/ LOG_OFFSET = 0x3fe6a09e667f3bcdL /*f32:0x3f3504f3*/;
  /** Subnormal x are scaled by 2^54 (float32: 2^24) into the normal range, and 54 (24) is taken off e. */
  private static final double LOG_TINY_SCALE = 0x1p54 /*f32:0x1p24f*/;
  private static final double LOG_TINY_SHIFT = 54.0 /*f32:24.0f*/;
  /**
   * R(z) = z (LG1 + LG2 z + ... + LG7 z^6), z = s^2, approximates {@code 2 atanh(s) - 2s}'s part beyond
   * {@code f - f^2/2 + s f^2/2} (fdlibm's e_log.c coefficients, a minimax fit on |s| <= 0.1716 with
   * |R - exact| <= 2^-58.45). In float32 the polynomial stops at the fourth coefficient (musl's logf.c fit, error
   * below 2^-34.24); LG5..LG7 are zero there and skipped.
   */
  private static final double LG1 = 0x1.5555555555593p-1 /*f32:0x1.555554p-1f*/;
  private static final double LG2 = 0x1.999999997fa04p-2 /*f32:0x1.999c26p-2f*/;
  private static final double LG3 = 0x1.2492494229359p-2 /*f32:0x1.23d3dcp-2f*/;
  private static final double LG4 = 0x1.c71c51d8e78afp-3 /*f32:0x1.f13c4cp-3f*/;
  private static final double LG5 = 0x1.7466496cb03dep-3 /*f32:0.0f*/;
  private static final double LG6 = 0x1.39a09d078c69fp-3 /*f32:0.0f*/;
  private static final double LG7 = 0x1.2f112df3e5244p-3 /*f32:0.0f*/;
  /** The leading coefficient of R / z: LG7 in float64, LG4 in float32. */
  private static final double LG_LEAD = LG7 /*f32:LG4*/;
  /** Whether R has the terms LG6..LG4 after its lead (float64). */
  private static final boolean LG_HIGH_TERMS = true /*f32:false*/;

  /**
   * log(x) for the tails of {@link #log(int, double[], int, double[], int)}: the same operations as its vector loop,
   * so the same bits. With f = m - 1 (exact: m is within a factor 2 of 1), s = f / (2 + f), z = s^2,
   * {@code hfsq = f^2 / 2}, {@code log m = f - (hfsq - s (hfsq + R(z)))} and
   * {@code log x = e LN2_HI + (f - (hfsq - (s (hfsq + R) + e LN2_LO)))}, the last step one fma (e LN2_HI exact in
   * it). Special values as {@link Math#log}: log(+-0) = -inf, log(x < 0) = NaN, log(NaN) = NaN, log(+inf) = +inf,
   * log(1) = +0.
   *
   * <p>Error (first order, u = 2^-53 or 2^-24), with |f| <= 0.4143, |s| <= 0.1716: s within 2u (the rounding of
   * 2 + f and the division), z within 5u, the polynomial P = R / z within 1.15u (its own rounding u; z's error
   * enters scaled by (P - LG1) / P <= 0.018), R within 7.15u; hfsq within u; {@code hfsq + R} within 3.9u
   * (R <= 0.46 hfsq); the product with s within 6.9u. Absolute error of {@code w = f - (hfsq - ...)} at the ends of
   * the range (where every term is largest relative to log m): f = 0.4142 (hfsq = 0.0858, s(hfsq + R) = 0.0181,
   * hfsq - that = 0.0676, log m = 0.3466): 0.0858u + 6.2u * 0.0181 + 0.0181u (the sum with e LN2_LO) + 0.0676u +
   * 0.3466u (w's rounding) = 0.63u, i.e. 1.82u relative to log m; f = -0.2929: 0.53u, 1.53u relative. For e = 0 the
   * final fma adds zero, so y = w: at most 1.82u relative, tending to u as f -> 0. For e != 0, |y| >= ln2 / 2 >=
   * |log m|, and the final fma rounds once more: at most 0.63u / 0.3466 + u = 2.82u. The polynomial's fit adds
   * at most 2^-58.45 * |s| <= 0.011u relative to |log m| >= 2|s| (float32 0.0004u), and e LN2_LO's rounding and
   * ln2 - LN2_HI - LN2_LO are below 2^-50 u. In all at most 2.9u relative, so within 2.9 ulps (an ulp of y exceeds
   * u|y|), inside the 4 ulps (8u) the kernel tolerances assume; log's result is never subnormal.
   */
  private static double log(double x) {
    if (!(x > 0 && x < Double.POSITIVE_INFINITY)) {
      return x == 0 ? Double.NEGATIVE_INFINITY : x == Double.POSITIVE_INFINITY ? x : Double.NaN;
    }
    boolean tiny = x < Double.MIN_NORMAL;
    double xs = tiny ? x * LOG_TINY_SCALE : x;
    long /*f32:int*/ bits = Double.doubleToRawLongBits /*f32:Float.floatToRawIntBits*/(xs);
    long /*f32:int*/ ei = (bits - LOG_OFFSET) >> EXPONENT_SHIFT;
    double m = Double.longBitsToDouble /*f32:Float.intBitsToFloat*/(bits - (ei << EXPONENT_SHIFT));
    double e = (double) ei;
    if (tiny) {
      e = e - LOG_TINY_SHIFT;
    }
    double f = m - 1;
    double s = f / (f + 2);
    double z = s * s;
    double p = LG_LEAD;
    if (LG_HIGH_TERMS) {
      p = Math.fma(p, z, LG6);
      p = Math.fma(p, z, LG5);
      p = Math.fma(p, z, LG4);
    }
    p = Math.fma(p, z, LG3);
    p = Math.fma(p, z, LG2);
    p = Math.fma(p, z, LG1);
    double r = z * p;
    double hfsq = f * f * 0.5;
    double d = hfsq - (s * (hfsq + r) + e * LN2_LO);
    return Math.fma(e, LN2_HI, f - d);
  }

  /**
   * The shuffles that sum the lanes of a vector in a fixed order: {@code v = v.add(v.rearrange(fold))} for each fold
   * in turn leaves the sum in lane 0. Fold m moves lane {@code l + LANES / 2^(m+1)} (mod LANES) to lane l, so lane 0
   * becomes a pairwise tree sum, e.g. for four lanes {@code (v0 + v2) + (v1 + v3)}. Unlike reduceLanes(ADD), whose
   * order is unspecified (and differs between C2's intrinsic and the Java fallback), this order is fixed, and a
   * rearrangement is an exact move, so the sum has the same bits on every JIT tier. A tree needs log2(LANES) adds
   * where a lane-by-lane sum needs LANES - 1 dependent ones, which the many short dot products of gemv would feel.
   */
  private static final VectorShuffle<Double>[] FOLDS = folds();

  // dot4 sums the lanes of four accumulators jointly (see there), with these constants. Each is a static final
  // field rather than an element of FOLDS: C2 then treats the shuffle as a constant (an array element is loaded and
  // checked on every use), which measurably shortens gemv's many short reductions. Unused below four lanes.

  /** Rotations by 2 and 1 lanes: the last two folds of FOLDS. */
  private static final VectorShuffle<Double> FOLD_2 = VectorShuffle.iota(SPECIES, Math.min(2, LANES - 1), 1, true);
  private static final VectorShuffle<Double> FOLD_1 = VectorShuffle.iota(SPECIES, Math.min(1, LANES - 1), 1, true);
  /** Lanes [LANES/2, LANES). */
  private static final VectorMask<Double> UPPER_HALF = laneMask(1);
  /** Lanes whose index modulo LANES/2 is at least LANES/4. */
  private static final VectorMask<Double> UPPER_QUARTERS = laneMask(2);
  /** Move lane {@code l + LANES/2}, {@code l + LANES/4} and {@code l - LANES/4} (mod LANES) to lane l. */
  private static final VectorShuffle<Double> ROTATE_HALF = VectorShuffle.iota(SPECIES, LANES / 2, 1, true);
  private static final VectorShuffle<Double> ROTATE_QUARTER = VectorShuffle.iota(SPECIES, LANES / 4, 1, true);
  private static final VectorShuffle<Double> ROTATE_BACK_QUARTER =
      VectorShuffle.iota(SPECIES, LANES - LANES / 4, 1, true);

  /** The lanes l with bit {@code log2(LANES) - level} of l set: level 1 the upper half, level 2 upper quarters. */
  private static VectorMask<Double> laneMask(int level) {
    boolean[] set = new boolean[LANES];
    int bit = LANES >> level;
    for (int l = 0; l < LANES; l++) {
      set[l] = bit > 0 && (l & bit) != 0;
    }
    return VectorMask.fromArray(SPECIES, set, 0);
  }

  @SuppressWarnings("unchecked")
  private static VectorShuffle<Double>[] folds() {
    int levels = Integer.numberOfTrailingZeros(LANES);
    VectorShuffle<Double>[] folds = (VectorShuffle<Double>[]) new VectorShuffle<?>[levels];
    for (int m = 0; m < levels; m++) {
      folds[m] = VectorShuffle.iota(SPECIES, LANES >> (m + 1), 1, true);
    }
    return folds;
  }
}
