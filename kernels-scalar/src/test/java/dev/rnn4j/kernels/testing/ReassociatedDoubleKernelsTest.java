package dev.rnn4j.kernels.testing;

// rnn4j:generate-float

import dev.rnn4j.kernels.DoubleKernels;

/**
 * The contract's tolerances accept a correct implementation that rounds differently from the scalar spec
 * ({@link ReassociatedDoubleKernels}: other summation orders, fused multiply-adds, other sigmoid form): the known
 * answers are not tuned to the spec's particular rounding.
 */
class ReassociatedDoubleKernelsTest extends DoubleKernelsContract {

  @Override
  protected DoubleKernels kernels() {
    return new ReassociatedDoubleKernels();
  }
}
