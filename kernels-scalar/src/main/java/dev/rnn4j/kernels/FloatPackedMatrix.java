package dev.rnn4j.kernels;

// Generated from DoublePackedMatrix.java by PrecisionGenerator. Edit that file and regenerate; do not edit this one.

/**
 * The right-hand operand op(B) of a float32 matrix product, rearranged once by {@link FloatKernels#packB} into the
 * layout that one kernel implementation's {@link FloatKernels#gemmPacked} reads fastest. A matrix that takes part
 * in many products, such as a recurrent weight matrix multiplied once per time step, is then rearranged once
 * instead of in every product.
 *
 * <p>The layout is private to the implementation that packed it: a packed matrix can only be multiplied by the
 * kernels object whose {@code packB} made it. It is a copy: later changes of B do not reach it. Not thread-safe to
 * repack while another thread multiplies with it; concurrent products with one packed matrix are safe.
 */
public interface FloatPackedMatrix {

  /** Rows of op(B): the inner dimension k of the products. */
  int rows();

  /** Columns of op(B): the columns n of the products' results. */
  int cols();
}
