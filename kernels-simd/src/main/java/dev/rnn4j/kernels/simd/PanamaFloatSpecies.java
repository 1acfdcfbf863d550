package dev.rnn4j.kernels.simd;

// Generated from PanamaDoubleSpecies.java by PrecisionGenerator. Edit that file and regenerate; do not edit this one.

import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector species of the float32 kernels and the fixed order in which they sum the lanes of a vector, shared by
 * every kernel family. A static final of this class is a compile-time constant to C2 in every class that reads it, as
 * the Vector API needs (see {@link #SPECIES}).
 */
final class PanamaFloatSpecies {

  /**
   * The species of every loop. It is a static constant on purpose: C2 turns Vector API calls into vector
   * instructions only when the species is a compile-time constant; read from an instance field it is not, and every
   * vector is then boxed (measured here: about 1 GFLOP/s instead of over 100 for sgemm). Its size is the CPU's
   * preferred one unless the diagnostic property {@code rnn4j.simd.bits} asks for a narrower one
   * (see {@link PanamaShape}).
   */
  static final VectorSpecies<Float> SPECIES = VectorSpecies.of(float.class, PanamaShape.shape());
  static final int LANES = SPECIES.length();

  /**
   * The shuffles that sum the lanes of a vector in a fixed order: {@code v = v.add(v.rearrange(fold))} for each fold
   * in turn leaves the sum in lane 0. Fold m moves lane {@code l + LANES / 2^(m+1)} (mod LANES) to lane l, so lane 0
   * becomes a pairwise tree sum, e.g. for four lanes {@code (v0 + v2) + (v1 + v3)}. Unlike reduceLanes(ADD), whose
   * order is unspecified (and differs between C2's intrinsic and the Java fallback), this order is fixed, and a
   * rearrangement is an exact move, so the sum has the same bits on every JIT tier. A tree needs log2(LANES) adds
   * where a lane-by-lane sum needs LANES - 1 dependent ones, which the many short dot products of gemv would feel.
   */
  static final VectorShuffle<Float>[] FOLDS = folds();

  private PanamaFloatSpecies() {}


  @SuppressWarnings("unchecked")
  private static VectorShuffle<Float>[] folds() {
    int levels = Integer.numberOfTrailingZeros(LANES);
    VectorShuffle<Float>[] folds = (VectorShuffle<Float>[]) new VectorShuffle<?>[levels];
    for (int m = 0; m < levels; m++) {
      folds[m] = VectorShuffle.iota(SPECIES, LANES >> (m + 1), 1, true);
    }
    return folds;
  }
}
