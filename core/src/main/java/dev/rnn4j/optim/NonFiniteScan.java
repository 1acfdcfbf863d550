package dev.rnn4j.optim;

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.tensor.Tensor;

/**
 * Finds a non-finite element of a gradient in one kernel reduction.
 *
 * <p>Every square is NaN or >= 0, and IEEE arithmetic carries a NaN through every product and sum, so a finite
 * {@code sumOfSquares} proves that every element is finite. Both kernel sets are held to this by the kernel contract
 * suite ({@code FloatKernelsContract}/{@code DoubleKernelsContract}: NaN at any position gives NaN, an infinity
 * +Inf), and {@code NonFinitePolicyTest} checks it again through this class. The converse does not hold: finite
 * elements above about sqrt(MAX_VALUE) (1.8e19 in float32, 1.3e154 in float64) overflow the sum to +Inf. Only then,
 * which is rare and already a sign of trouble, a second, element-wise pass decides. The array work is
 * {@link UpdateOps#firstNonFinite}, written once for both precisions.
 */
final class NonFiniteScan {

  private NonFiniteScan() {
  }

  /** Index of the first non-finite element of the contiguous tensor {@code g}, or -1 if all are finite. */
  static int firstNonFinite(Kernels k, Tensor g) {
    return UpdateOps.of(g).firstNonFinite(k, g);
  }

  /** The element {@code i} of {@code g} as a double (for messages). */
  static double element(Tensor g, int i) {
    return UpdateOps.of(g).element(g, i);
  }
}
