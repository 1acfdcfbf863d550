package dev.rnn4j.kernels.simd;

// Generated from PanamaDoubleTranspose.java by PrecisionGenerator. Edit that file and regenerate; do not edit this one.

import static dev.rnn4j.kernels.simd.PanamaFloatSpecies.LANES;
import static dev.rnn4j.kernels.simd.PanamaFloatSpecies.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * In-register transposes of LANES x LANES blocks, for packing a transposed B (a weight matrix W stored n x k whose
 * product needs W^T) into {@link PanamaFloatGemm}'s panels. A transpose is a copy, so it gives the bits of the
 * gather it replaces.
 */
final class PanamaFloatTranspose {

  private PanamaFloatTranspose() {}

  /**
   * Whether {@link PanamaFloatGemm} packs a transposed B by transposing LANES x LANES blocks in registers instead of
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
  private static final VectorShuffle<Float> ZIP_LO = zip(0);
  private static final VectorShuffle<Float> ZIP_HI = zip(LANES / 2);

  private static VectorShuffle<Float> zip(int from) {
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
  static void block(float[] b, int src, int ldb, float[] bp, int dst, int ldt) {
    if (LANES == 16) {
      transpose16(b, src, ldb, bp, dst, ldt);
    } else {
      transpose8(b, src, ldb, bp, dst, ldt);
    }
  }


  /** {@link #block} at 16 lanes: float32 at 512 bits (the float32 lanes never number 16). */
  private static void transpose16(float[] b, int src, int ldb, float[] bp, int dst, int ldt) {
    VectorSpecies<Float> sp = SPECIES;
    FloatVector v0 = FloatVector.fromArray(sp, b, src);
    FloatVector v1 = FloatVector.fromArray(sp, b, src + ldb);
    FloatVector v2 = FloatVector.fromArray(sp, b, src + 2 * ldb);
    FloatVector v3 = FloatVector.fromArray(sp, b, src + 3 * ldb);
    FloatVector v4 = FloatVector.fromArray(sp, b, src + 4 * ldb);
    FloatVector v5 = FloatVector.fromArray(sp, b, src + 5 * ldb);
    FloatVector v6 = FloatVector.fromArray(sp, b, src + 6 * ldb);
    FloatVector v7 = FloatVector.fromArray(sp, b, src + 7 * ldb);
    FloatVector v8 = FloatVector.fromArray(sp, b, src + 8 * ldb);
    FloatVector v9 = FloatVector.fromArray(sp, b, src + 9 * ldb);
    FloatVector v10 = FloatVector.fromArray(sp, b, src + 10 * ldb);
    FloatVector v11 = FloatVector.fromArray(sp, b, src + 11 * ldb);
    FloatVector v12 = FloatVector.fromArray(sp, b, src + 12 * ldb);
    FloatVector v13 = FloatVector.fromArray(sp, b, src + 13 * ldb);
    FloatVector v14 = FloatVector.fromArray(sp, b, src + 14 * ldb);
    FloatVector v15 = FloatVector.fromArray(sp, b, src + 15 * ldb);
    FloatVector a0 = v0.rearrange(ZIP_LO, v8);
    FloatVector a1 = v0.rearrange(ZIP_HI, v8);
    FloatVector a2 = v1.rearrange(ZIP_LO, v9);
    FloatVector a3 = v1.rearrange(ZIP_HI, v9);
    FloatVector a4 = v2.rearrange(ZIP_LO, v10);
    FloatVector a5 = v2.rearrange(ZIP_HI, v10);
    FloatVector a6 = v3.rearrange(ZIP_LO, v11);
    FloatVector a7 = v3.rearrange(ZIP_HI, v11);
    FloatVector a8 = v4.rearrange(ZIP_LO, v12);
    FloatVector a9 = v4.rearrange(ZIP_HI, v12);
    FloatVector a10 = v5.rearrange(ZIP_LO, v13);
    FloatVector a11 = v5.rearrange(ZIP_HI, v13);
    FloatVector a12 = v6.rearrange(ZIP_LO, v14);
    FloatVector a13 = v6.rearrange(ZIP_HI, v14);
    FloatVector a14 = v7.rearrange(ZIP_LO, v15);
    FloatVector a15 = v7.rearrange(ZIP_HI, v15);
    FloatVector b0 = a0.rearrange(ZIP_LO, a8);
    FloatVector b1 = a0.rearrange(ZIP_HI, a8);
    FloatVector b2 = a1.rearrange(ZIP_LO, a9);
    FloatVector b3 = a1.rearrange(ZIP_HI, a9);
    FloatVector b4 = a2.rearrange(ZIP_LO, a10);
    FloatVector b5 = a2.rearrange(ZIP_HI, a10);
    FloatVector b6 = a3.rearrange(ZIP_LO, a11);
    FloatVector b7 = a3.rearrange(ZIP_HI, a11);
    FloatVector b8 = a4.rearrange(ZIP_LO, a12);
    FloatVector b9 = a4.rearrange(ZIP_HI, a12);
    FloatVector b10 = a5.rearrange(ZIP_LO, a13);
    FloatVector b11 = a5.rearrange(ZIP_HI, a13);
    FloatVector b12 = a6.rearrange(ZIP_LO, a14);
    FloatVector b13 = a6.rearrange(ZIP_HI, a14);
    FloatVector b14 = a7.rearrange(ZIP_LO, a15);
    FloatVector b15 = a7.rearrange(ZIP_HI, a15);
    FloatVector c0 = b0.rearrange(ZIP_LO, b8);
    FloatVector c1 = b0.rearrange(ZIP_HI, b8);
    FloatVector c2 = b1.rearrange(ZIP_LO, b9);
    FloatVector c3 = b1.rearrange(ZIP_HI, b9);
    FloatVector c4 = b2.rearrange(ZIP_LO, b10);
    FloatVector c5 = b2.rearrange(ZIP_HI, b10);
    FloatVector c6 = b3.rearrange(ZIP_LO, b11);
    FloatVector c7 = b3.rearrange(ZIP_HI, b11);
    FloatVector c8 = b4.rearrange(ZIP_LO, b12);
    FloatVector c9 = b4.rearrange(ZIP_HI, b12);
    FloatVector c10 = b5.rearrange(ZIP_LO, b13);
    FloatVector c11 = b5.rearrange(ZIP_HI, b13);
    FloatVector c12 = b6.rearrange(ZIP_LO, b14);
    FloatVector c13 = b6.rearrange(ZIP_HI, b14);
    FloatVector c14 = b7.rearrange(ZIP_LO, b15);
    FloatVector c15 = b7.rearrange(ZIP_HI, b15);
    FloatVector d0 = c0.rearrange(ZIP_LO, c8);
    FloatVector d1 = c0.rearrange(ZIP_HI, c8);
    FloatVector d2 = c1.rearrange(ZIP_LO, c9);
    FloatVector d3 = c1.rearrange(ZIP_HI, c9);
    FloatVector d4 = c2.rearrange(ZIP_LO, c10);
    FloatVector d5 = c2.rearrange(ZIP_HI, c10);
    FloatVector d6 = c3.rearrange(ZIP_LO, c11);
    FloatVector d7 = c3.rearrange(ZIP_HI, c11);
    FloatVector d8 = c4.rearrange(ZIP_LO, c12);
    FloatVector d9 = c4.rearrange(ZIP_HI, c12);
    FloatVector d10 = c5.rearrange(ZIP_LO, c13);
    FloatVector d11 = c5.rearrange(ZIP_HI, c13);
    FloatVector d12 = c6.rearrange(ZIP_LO, c14);
    FloatVector d13 = c6.rearrange(ZIP_HI, c14);
    FloatVector d14 = c7.rearrange(ZIP_LO, c15);
    FloatVector d15 = c7.rearrange(ZIP_HI, c15);
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


  /** {@link #block} at 8 lanes: float32 at 512 bits, float32 at 256. */
  private static void transpose8(float[] b, int src, int ldb, float[] bp, int dst, int ldt) {
    VectorSpecies<Float> sp = SPECIES;
    FloatVector v0 = FloatVector.fromArray(sp, b, src);
    FloatVector v1 = FloatVector.fromArray(sp, b, src + ldb);
    FloatVector v2 = FloatVector.fromArray(sp, b, src + 2 * ldb);
    FloatVector v3 = FloatVector.fromArray(sp, b, src + 3 * ldb);
    FloatVector v4 = FloatVector.fromArray(sp, b, src + 4 * ldb);
    FloatVector v5 = FloatVector.fromArray(sp, b, src + 5 * ldb);
    FloatVector v6 = FloatVector.fromArray(sp, b, src + 6 * ldb);
    FloatVector v7 = FloatVector.fromArray(sp, b, src + 7 * ldb);
    FloatVector a0 = v0.rearrange(ZIP_LO, v4);
    FloatVector a1 = v0.rearrange(ZIP_HI, v4);
    FloatVector a2 = v1.rearrange(ZIP_LO, v5);
    FloatVector a3 = v1.rearrange(ZIP_HI, v5);
    FloatVector a4 = v2.rearrange(ZIP_LO, v6);
    FloatVector a5 = v2.rearrange(ZIP_HI, v6);
    FloatVector a6 = v3.rearrange(ZIP_LO, v7);
    FloatVector a7 = v3.rearrange(ZIP_HI, v7);
    FloatVector b0 = a0.rearrange(ZIP_LO, a4);
    FloatVector b1 = a0.rearrange(ZIP_HI, a4);
    FloatVector b2 = a1.rearrange(ZIP_LO, a5);
    FloatVector b3 = a1.rearrange(ZIP_HI, a5);
    FloatVector b4 = a2.rearrange(ZIP_LO, a6);
    FloatVector b5 = a2.rearrange(ZIP_HI, a6);
    FloatVector b6 = a3.rearrange(ZIP_LO, a7);
    FloatVector b7 = a3.rearrange(ZIP_HI, a7);
    FloatVector c0 = b0.rearrange(ZIP_LO, b4);
    FloatVector c1 = b0.rearrange(ZIP_HI, b4);
    FloatVector c2 = b1.rearrange(ZIP_LO, b5);
    FloatVector c3 = b1.rearrange(ZIP_HI, b5);
    FloatVector c4 = b2.rearrange(ZIP_LO, b6);
    FloatVector c5 = b2.rearrange(ZIP_HI, b6);
    FloatVector c6 = b3.rearrange(ZIP_LO, b7);
    FloatVector c7 = b3.rearrange(ZIP_HI, b7);
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
