package dev.rnn4j.kernels.testing;

import java.util.stream.IntStream;

/**
 * The sizes the kernel contract suite sweeps, and the tag of its tests that the narrow SIMD runs skip: one copy for
 * both precisions and every family class of {@link DoubleKernelsContract} / {@link FloatKernelsContract}. The family
 * classes name the sweeps in {@code @MethodSource("dev.rnn4j.kernels.testing.KernelSweeps#sizes")}.
 */
public final class KernelSweeps {

  private KernelSweeps() {}

  /**
   * The tag of the tests that add nothing at a narrower SIMD width, so the SIMD suite runs them at the preferred width
   * only (see kernels-simd's pom): argument rejection and storage reuse (no arithmetic), size 0 (no vector at any
   * width), and tests whose lane-dependent paths the sweeps already reach at the same sizes at every width
   * (hand-computed known answers, the backward kernels being the gradient of the forward ones; the sweeps pin both
   * to exact references). Every other test sweeps sizes or shapes, or puts special values where a narrower vector
   * covers them, so its path depends on the lane count (tails, strips of four vectors, blocks, micro-tiles): it
   * runs at every width, the sweeps up to {@link #NARROW_SWEEP_LIMIT} at a forced width. The tag marks the
   * exceptions rather than the rule so that a new test runs at every width unless someone argues otherwise.
   */
  public static final String WIDTH_INDEPENDENT = "widthIndependent";

  /**
   * The largest size a sweep needs in a JVM whose SIMD width is forced ({@code -Drnn4j.simd.bits}, the narrow runs of
   * kernels-simd's pom); no limit otherwise. What depends on the lane count is the split of n into strips of four
   * vectors (the widest unroll of the SIMD kernels: dot, sum, sumOfSquares, max, addColumnSums), whole vectors and a
   * tail, so every split that a forced width has is reached by n up to two strips plus one of its 32-bit lanes:
   * 65 at 256 bits, 33 at 128. Larger sizes run the same loops more often; what they test beyond that (GEMM
   * cache blocks, long reductions) does not depend on the width and is covered by the run at the preferred width.
   * GEMM shapes are not limited: the micro-tile depends on the width in both dimensions.
   */
  static final int NARROW_SWEEP_LIMIT = narrowSweepLimit();

  private static int narrowSweepLimit() {
    Integer bits = Integer.getInteger("rnn4j.simd.bits");
    return bits == null ? Integer.MAX_VALUE : 2 * 4 * (bits / 32) + 1;
  }

  static IntStream sizes() {
    return IntStream.of(0, 1, 2, 3, 7, 15, 16, 17, 31, 33, 63, 64, 65, 127, 129, 1000, 1025)
        .filter(n -> n <= NARROW_SWEEP_LIMIT);
  }

  /** The sizes without 0 (size 0 has its own test). */
  static IntStream positiveSizes() {
    return sizes().filter(n -> n > 0);
  }

  /** Hidden sizes of the recurrent kernels: elementwise per row, so up to 129 already spans every vector tail. */
  static IntStream hiddenSizes() {
    return sizes().filter(n -> n <= 129);
  }
}
