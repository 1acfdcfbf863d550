package dev.rnn4j.kernels.simd;

// rnn4j:generate-float

import static dev.rnn4j.kernels.simd.PanamaDoubleMicroKernels.microKernel;
import static dev.rnn4j.kernels.simd.PanamaDoubleMicroKernels.rowKernel1;
import static dev.rnn4j.kernels.simd.PanamaDoubleMicroKernels.rowKernel2;
import static dev.rnn4j.kernels.simd.PanamaDoubleMicroKernels.tailKernel2;
import static dev.rnn4j.kernels.simd.PanamaDoubleMicroKernels.tailKernel4;
import static dev.rnn4j.kernels.simd.PanamaDoubleSpecies.LANES;
import static dev.rnn4j.kernels.simd.PanamaDoubleSpecies.SPECIES;

import dev.rnn4j.kernels.DoublePackedMatrix;
import dev.rnn4j.kernels.GemmBlocking;
import jdk.incubator.vector.DoubleVector;

/**
 * The float64 matrix products gemm, packB, gemmPacked and gemmPackedBias: the cache blocking, the packing of B
 * (and of a partial group of A rows) and the merge of a computed tile into C. The register tiles themselves are
 * computed by {@link PanamaDoubleMicroKernels}; products too small to pack go through
 * {@link PanamaDoubleBlas#gemv} row by row.
 */
final class PanamaDoubleGemm {

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
  /** Columns of one packed B panel (NV vectors). */
  static final int NR = NV * LANES;
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

  private PanamaDoubleGemm() {}

  /**
   * Packed and blocked (GotoBLAS / BLIS loop order): for each block of {@code NC} columns and {@code KC} rows of
   * op(B), B is packed into panels of {@code NR = NV * LANES} columns (zero-padded at the edge); for each group of
   * MR rows of op(A) the micro-kernel computes an MR x NR tile of C per B panel, reading A in place with a row and a
   * depth stride (so transA costs nothing); a last partial group of rows is packed into an MR x KC micro-panel
   * padded with zero rows. Small products
   * ({@code m < MR} or {@code m * n * k < 8^3}) skip the packing: one gemv per row of C.
   */
  static void gemm(PanamaDoubleScratch scratch, boolean transA, boolean transB, int m, int n, int k,
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
      gemmSmall(scratch, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    } else {
      gemmBlocked(scratch, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }
  }


  /**
   * Row by row: row i of C is a matrix-vector product with row i of op(A), {@code C[i, :] = op(B)^T op(A)[i, :]}, so
   * the gemv kernels (four rows of the matrix per pass) do the work without packing B.
   */
  private static void gemmSmall(PanamaDoubleScratch scratch, boolean transA, boolean transB, int m, int n, int k,
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
      PanamaDoubleBlas.gemv(scratch, !transB, transB ? n : k, transB ? k : n, alpha, b, bOff, ldb, aRow, ar, beta, c,
          cOff + i * ldc);
    }
  }


  private static void gemmBlocked(PanamaDoubleScratch scratch, boolean transA, boolean transB, int m, int n, int k,
                                  double alpha, double[] a, int aOff, int lda,
                                  double[] b, int bOff, int ldb,
                                  double beta, double[] c, int cOff, int ldc) {
    PanamaDoubleScratch.Buffers s = scratch.get();
    int kcMax = Math.min(KC, k);
    int ncBlock = BLOCKING.ncFor(k);
    int ncMax = Math.min(ncBlock, (n + NR - 1) / NR * NR);
    double[] bp = s.packedB(kcMax * ncMax);
    double[] ap = s.packedA(kcMax * MR);
    double[] tile = s.tile(MR * NR);
    int[] gather = s.gather;
    if (transB) {
      for (int l = 0; l < LANES; l++) {
        gather[l] = l * ldb;
      }
    }
    for (int jc = 0; jc < n; jc += ncBlock) {
      int ncb = Math.min(ncBlock, n - jc);
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
   * The same panel packing as gemm's, done once for all of op(B) (see {@code Packed}).
   */
  static DoublePackedMatrix packB(PanamaDoubleScratch scratch, boolean transB, int k, int n, double[] b, int bOff,
                                  int ldb, DoublePackedMatrix reuse) {
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
   * gemm's packed loops with B already packed. A group of MR rows goes through the MR-row micro-kernel, a tail of
   * 5 rows through it padded, a tail of 1 to 4 rows through 4-row, 2-row and one-row kernels instead of computing
   * MR padded rows. All build every element as one FMA chain over the k block, in k order, from zero, and
   * merge it into C with the same operations, so a row's bits do not depend on which kernel ran it.
   */
  static void gemmPacked(PanamaDoubleScratch scratch, boolean transA, int m, double alpha, double[] a, int aOff,
                         int lda, DoublePackedMatrix pm, double beta, double[] c, int cOff, int ldc) {
    packedProduct(scratch, transA, m, alpha, a, aOff, lda, packed("gemmPacked", pm), c, cOff, ldc, beta, beta != 0,
        c, cOff, ldc);
  }


  /**
   * gemmPacked's loops, whose first k block merges the tile with the bias row (a source of row stride 0, scaled
   * by 1) where gemmPacked merges it with {@code beta * C}: the same operations on the same values as gemmPacked
   * with beta = 1 on a C that holds the bias in every row, hence the same bits. Later k blocks accumulate into C as
   * in gemmPacked.
   */
  static void gemmPackedBias(PanamaDoubleScratch scratch, boolean transA, int m, double alpha, double[] a, int aOff,
                             int lda, DoublePackedMatrix pm, double[] bias, int biasOff, double[] c, int cOff,
                             int ldc) {
    packedProduct(scratch, transA, m, alpha, a, aOff, lda, packed("gemmPackedBias", pm), bias, biasOff, 0, 1.0, true,
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
  private static void packedProduct(PanamaDoubleScratch scratch, boolean transA, int m, double alpha, double[] a,
                                    int aOff, int lda, Packed p, double[] src0, int s0, int lds0, double scale0,
                                    boolean read0, double[] c, int cOff, int ldc) {
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
    PanamaDoubleScratch.Buffers s = scratch.get();
    double[] ap = s.packedA(Math.min(KC, k) * MR);
    double[] tile = s.tile(MR * NR);
    double[] bp = p.data;
    int panelSize = k * NR;
    int ncBlock = BLOCKING.ncFor(k);
    for (int jc = 0; jc < n; jc += ncBlock) {
      int ncb = Math.min(ncBlock, n - jc);
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
   * One row of C over the panels [0, panels) of a column block starting at column jc: two panels at a time (8
   * independent accumulators keep both FMA units busy), then a last single panel. The tile is merged with the
   * source row at sRow of src (see mergeTile).
   */
  private static void rowKernels(int kc, double[] a, int aStart, int aStride, double[] bp, int bpOff, int panelSize,
                                 int jc, int panels, int n, double[] src, int sRow, double[] c, int cRow, double alpha,
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


  /** Packs op(B)[pc .. pc+kcb, jc .. jc+ncb] into panels of NR columns, row by row; the last panel is zero-padded. */
  private static void packB(boolean transB, double[] b, int bOff, int ldb, int pc, int kcb, int jc, int ncb,
                            double[] bp, int[] gather) {
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
        // one gather (the index map holds 0, ldb, 2 ldb, ...), or, LANES rows of p at a time, as a LANES x LANES
        // block transposed in registers (see PanamaDoubleTranspose). A whole panel (kcb x NR) is larger than L1 and
        // its rows are NR elements apart, so the panel is filled in strips of PACK_STRIP rows: the written lines and
        // the read lines of B stay in L1 while a strip is filled.
        int full = w / LANES * LANES;
        for (int p0 = 0; p0 < kcb; p0 += PACK_STRIP) {
          int p1 = Math.min(kcb, p0 + PACK_STRIP);
          for (int v = 0; v < full; v += LANES) {
            int src = bOff + (j0 + v) * ldb + pc;
            int p = p0;
            if (PanamaDoubleTranspose.IN_REGISTERS) {
              for (; p + LANES <= p1; p += LANES) {
                PanamaDoubleTranspose.block(b, src + p, ldb, bp, base + p * NR + v, NR);
              }
            }
            for (; p < p1; p++) {
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

}
