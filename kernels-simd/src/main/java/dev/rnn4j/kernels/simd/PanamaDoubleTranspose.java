package dev.rnn4j.kernels.simd;

// rnn4j:generate-float

import static dev.rnn4j.kernels.simd.PanamaDoubleSpecies.LANES;
import static dev.rnn4j.kernels.simd.PanamaDoubleSpecies.SPECIES;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * In-register transposes of LANES x LANES blocks, for packing a transposed B (a weight matrix W stored n x k whose
 * product needs W^T) into {@link PanamaDoubleGemm}'s panels. A transpose is a copy, so it gives the bits of the
 * gather it replaces.
 */
final class PanamaDoubleTranspose {

  private PanamaDoubleTranspose() {}

  /**
   * Whether {@link PanamaDoubleGemm} packs a transposed B by transposing LANES x LANES blocks in registers instead of
   * gathering: on CPUs with AVX-512 (preferred vectors of 512 bits, where a two-vector permute is one instruction at
   * every width) and at 8 or 16 lanes; an AVX2 CPU keeps the gather (not measured there). A gather of LANES elements
   * from LANES rows ran at about one element per cycle on Zen 4 (27 us to pack a 512 x 128 float32 W_hh^T); the
   * block transpose (LANES loads, log2(LANES) rounds of LANES two-vector rearranges, LANES stores) packs it in 14 us.
   * A float32 LSTM forward pass at batch 1 packs W_ih^T and W_hh^T once per call: about a tenth of its time before.
   */
  static final boolean IN_REGISTERS = PanamaShape.preferredBits() >= 512 && (LANES == 8 || LANES == 16);
  /**
   * The shuffles of one transpose round, for {@code v1.rearrange(shuffle, v2)} (index i >= 0 takes lane i of v1, an
   * exceptional index i - LANES lane i of v2): ZIP_LO interleaves the low halves of v1 and v2 (v1[0], v2[0], v1[1],
   * v2[1], ...), ZIP_HI their high halves. log2(LANES) rounds of zipping vector i with vector i + LANES / 2 transpose
   * LANES vectors: each round moves one bit of the row index into the lane index.
   */
  private static final VectorShuffle<Double> ZIP_LO = zip(0);
  private static final VectorShuffle<Double> ZIP_HI = zip(LANES / 2);

  private static VectorShuffle<Double> zip(int from) {
    int[] idx = new int[LANES];
    for (int l = 0; l < LANES; l++) {
      idx[l] = from + l / 2 - (l % 2 == 0 ? 0 : LANES);
    }
    return VectorShuffle.fromValues(SPECIES, idx);
  }


  /**
   * bp[dst + p * ldt + l] = b[src + l * ldb + p] for p, l in [0, LANES): a LANES x LANES block of B (LANES rows of B,
   * LANES consecutive elements each) stored transposed, LANES = 8 or 16 (see {@link #IN_REGISTERS}). The
   * vectors are spelled out so that C2 keeps them in registers (an array of vectors would box each one).
   */
  static void block(double[] b, int src, int ldb, double[] bp, int dst, int ldt) {
    if (LANES == 16) {
      transpose16(b, src, ldb, bp, dst, ldt);
    } else {
      transpose8(b, src, ldb, bp, dst, ldt);
    }
  }


  /** {@link #block} at 16 lanes: float32 at 512 bits (the float64 lanes never number 16). */
  private static void transpose16(double[] b, int src, int ldb, double[] bp, int dst, int ldt) {
    VectorSpecies<Double> sp = SPECIES;
    DoubleVector v0 = DoubleVector.fromArray(sp, b, src);
    DoubleVector v1 = DoubleVector.fromArray(sp, b, src + ldb);
    DoubleVector v2 = DoubleVector.fromArray(sp, b, src + 2 * ldb);
    DoubleVector v3 = DoubleVector.fromArray(sp, b, src + 3 * ldb);
    DoubleVector v4 = DoubleVector.fromArray(sp, b, src + 4 * ldb);
    DoubleVector v5 = DoubleVector.fromArray(sp, b, src + 5 * ldb);
    DoubleVector v6 = DoubleVector.fromArray(sp, b, src + 6 * ldb);
    DoubleVector v7 = DoubleVector.fromArray(sp, b, src + 7 * ldb);
    DoubleVector v8 = DoubleVector.fromArray(sp, b, src + 8 * ldb);
    DoubleVector v9 = DoubleVector.fromArray(sp, b, src + 9 * ldb);
    DoubleVector v10 = DoubleVector.fromArray(sp, b, src + 10 * ldb);
    DoubleVector v11 = DoubleVector.fromArray(sp, b, src + 11 * ldb);
    DoubleVector v12 = DoubleVector.fromArray(sp, b, src + 12 * ldb);
    DoubleVector v13 = DoubleVector.fromArray(sp, b, src + 13 * ldb);
    DoubleVector v14 = DoubleVector.fromArray(sp, b, src + 14 * ldb);
    DoubleVector v15 = DoubleVector.fromArray(sp, b, src + 15 * ldb);
    DoubleVector a0 = v0.rearrange(ZIP_LO, v8);
    DoubleVector a1 = v0.rearrange(ZIP_HI, v8);
    DoubleVector a2 = v1.rearrange(ZIP_LO, v9);
    DoubleVector a3 = v1.rearrange(ZIP_HI, v9);
    DoubleVector a4 = v2.rearrange(ZIP_LO, v10);
    DoubleVector a5 = v2.rearrange(ZIP_HI, v10);
    DoubleVector a6 = v3.rearrange(ZIP_LO, v11);
    DoubleVector a7 = v3.rearrange(ZIP_HI, v11);
    DoubleVector a8 = v4.rearrange(ZIP_LO, v12);
    DoubleVector a9 = v4.rearrange(ZIP_HI, v12);
    DoubleVector a10 = v5.rearrange(ZIP_LO, v13);
    DoubleVector a11 = v5.rearrange(ZIP_HI, v13);
    DoubleVector a12 = v6.rearrange(ZIP_LO, v14);
    DoubleVector a13 = v6.rearrange(ZIP_HI, v14);
    DoubleVector a14 = v7.rearrange(ZIP_LO, v15);
    DoubleVector a15 = v7.rearrange(ZIP_HI, v15);
    DoubleVector b0 = a0.rearrange(ZIP_LO, a8);
    DoubleVector b1 = a0.rearrange(ZIP_HI, a8);
    DoubleVector b2 = a1.rearrange(ZIP_LO, a9);
    DoubleVector b3 = a1.rearrange(ZIP_HI, a9);
    DoubleVector b4 = a2.rearrange(ZIP_LO, a10);
    DoubleVector b5 = a2.rearrange(ZIP_HI, a10);
    DoubleVector b6 = a3.rearrange(ZIP_LO, a11);
    DoubleVector b7 = a3.rearrange(ZIP_HI, a11);
    DoubleVector b8 = a4.rearrange(ZIP_LO, a12);
    DoubleVector b9 = a4.rearrange(ZIP_HI, a12);
    DoubleVector b10 = a5.rearrange(ZIP_LO, a13);
    DoubleVector b11 = a5.rearrange(ZIP_HI, a13);
    DoubleVector b12 = a6.rearrange(ZIP_LO, a14);
    DoubleVector b13 = a6.rearrange(ZIP_HI, a14);
    DoubleVector b14 = a7.rearrange(ZIP_LO, a15);
    DoubleVector b15 = a7.rearrange(ZIP_HI, a15);
    DoubleVector c0 = b0.rearrange(ZIP_LO, b8);
    DoubleVector c1 = b0.rearrange(ZIP_HI, b8);
    DoubleVector c2 = b1.rearrange(ZIP_LO, b9);
    DoubleVector c3 = b1.rearrange(ZIP_HI, b9);
    DoubleVector c4 = b2.rearrange(ZIP_LO, b10);
    DoubleVector c5 = b2.rearrange(ZIP_HI, b10);
    DoubleVector c6 = b3.rearrange(ZIP_LO, b11);
    DoubleVector c7 = b3.rearrange(ZIP_HI, b11);
    DoubleVector c8 = b4.rearrange(ZIP_LO, b12);
    DoubleVector c9 = b4.rearrange(ZIP_HI, b12);
    DoubleVector c10 = b5.rearrange(ZIP_LO, b13);
    DoubleVector c11 = b5.rearrange(ZIP_HI, b13);
    DoubleVector c12 = b6.rearrange(ZIP_LO, b14);
    DoubleVector c13 = b6.rearrange(ZIP_HI, b14);
    DoubleVector c14 = b7.rearrange(ZIP_LO, b15);
    DoubleVector c15 = b7.rearrange(ZIP_HI, b15);
    DoubleVector d0 = c0.rearrange(ZIP_LO, c8);
    DoubleVector d1 = c0.rearrange(ZIP_HI, c8);
    DoubleVector d2 = c1.rearrange(ZIP_LO, c9);
    DoubleVector d3 = c1.rearrange(ZIP_HI, c9);
    DoubleVector d4 = c2.rearrange(ZIP_LO, c10);
    DoubleVector d5 = c2.rearrange(ZIP_HI, c10);
    DoubleVector d6 = c3.rearrange(ZIP_LO, c11);
    DoubleVector d7 = c3.rearrange(ZIP_HI, c11);
    DoubleVector d8 = c4.rearrange(ZIP_LO, c12);
    DoubleVector d9 = c4.rearrange(ZIP_HI, c12);
    DoubleVector d10 = c5.rearrange(ZIP_LO, c13);
    DoubleVector d11 = c5.rearrange(ZIP_HI, c13);
    DoubleVector d12 = c6.rearrange(ZIP_LO, c14);
    DoubleVector d13 = c6.rearrange(ZIP_HI, c14);
    DoubleVector d14 = c7.rearrange(ZIP_LO, c15);
    DoubleVector d15 = c7.rearrange(ZIP_HI, c15);
    d0.intoArray(bp, dst);
    d1.intoArray(bp, dst + ldt);
    d2.intoArray(bp, dst + 2 * ldt);
    d3.intoArray(bp, dst + 3 * ldt);
    d4.intoArray(bp, dst + 4 * ldt);
    d5.intoArray(bp, dst + 5 * ldt);
    d6.intoArray(bp, dst + 6 * ldt);
    d7.intoArray(bp, dst + 7 * ldt);
    d8.intoArray(bp, dst + 8 * ldt);
    d9.intoArray(bp, dst + 9 * ldt);
    d10.intoArray(bp, dst + 10 * ldt);
    d11.intoArray(bp, dst + 11 * ldt);
    d12.intoArray(bp, dst + 12 * ldt);
    d13.intoArray(bp, dst + 13 * ldt);
    d14.intoArray(bp, dst + 14 * ldt);
    d15.intoArray(bp, dst + 15 * ldt);
  }


  /** {@link #block} at 8 lanes: float64 at 512 bits, float32 at 256. */
  private static void transpose8(double[] b, int src, int ldb, double[] bp, int dst, int ldt) {
    VectorSpecies<Double> sp = SPECIES;
    DoubleVector v0 = DoubleVector.fromArray(sp, b, src);
    DoubleVector v1 = DoubleVector.fromArray(sp, b, src + ldb);
    DoubleVector v2 = DoubleVector.fromArray(sp, b, src + 2 * ldb);
    DoubleVector v3 = DoubleVector.fromArray(sp, b, src + 3 * ldb);
    DoubleVector v4 = DoubleVector.fromArray(sp, b, src + 4 * ldb);
    DoubleVector v5 = DoubleVector.fromArray(sp, b, src + 5 * ldb);
    DoubleVector v6 = DoubleVector.fromArray(sp, b, src + 6 * ldb);
    DoubleVector v7 = DoubleVector.fromArray(sp, b, src + 7 * ldb);
    DoubleVector a0 = v0.rearrange(ZIP_LO, v4);
    DoubleVector a1 = v0.rearrange(ZIP_HI, v4);
    DoubleVector a2 = v1.rearrange(ZIP_LO, v5);
    DoubleVector a3 = v1.rearrange(ZIP_HI, v5);
    DoubleVector a4 = v2.rearrange(ZIP_LO, v6);
    DoubleVector a5 = v2.rearrange(ZIP_HI, v6);
    DoubleVector a6 = v3.rearrange(ZIP_LO, v7);
    DoubleVector a7 = v3.rearrange(ZIP_HI, v7);
    DoubleVector b0 = a0.rearrange(ZIP_LO, a4);
    DoubleVector b1 = a0.rearrange(ZIP_HI, a4);
    DoubleVector b2 = a1.rearrange(ZIP_LO, a5);
    DoubleVector b3 = a1.rearrange(ZIP_HI, a5);
    DoubleVector b4 = a2.rearrange(ZIP_LO, a6);
    DoubleVector b5 = a2.rearrange(ZIP_HI, a6);
    DoubleVector b6 = a3.rearrange(ZIP_LO, a7);
    DoubleVector b7 = a3.rearrange(ZIP_HI, a7);
    DoubleVector c0 = b0.rearrange(ZIP_LO, b4);
    DoubleVector c1 = b0.rearrange(ZIP_HI, b4);
    DoubleVector c2 = b1.rearrange(ZIP_LO, b5);
    DoubleVector c3 = b1.rearrange(ZIP_HI, b5);
    DoubleVector c4 = b2.rearrange(ZIP_LO, b6);
    DoubleVector c5 = b2.rearrange(ZIP_HI, b6);
    DoubleVector c6 = b3.rearrange(ZIP_LO, b7);
    DoubleVector c7 = b3.rearrange(ZIP_HI, b7);
    c0.intoArray(bp, dst);
    c1.intoArray(bp, dst + ldt);
    c2.intoArray(bp, dst + 2 * ldt);
    c3.intoArray(bp, dst + 3 * ldt);
    c4.intoArray(bp, dst + 4 * ldt);
    c5.intoArray(bp, dst + 5 * ldt);
    c6.intoArray(bp, dst + 6 * ldt);
    c7.intoArray(bp, dst + 7 * ldt);
  }
}
