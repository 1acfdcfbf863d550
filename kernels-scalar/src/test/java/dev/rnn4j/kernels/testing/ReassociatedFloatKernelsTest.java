package dev.rnn4j.kernels.testing;

// Generated from ReassociatedDoubleKernelsTest.java by PrecisionGenerator. Edit that file and regenerate; do not edit this one.

import dev.rnn4j.kernels.FloatKernels;

/**
 * The contract's tolerances accept a correct implementation that rounds differently from the scalar spec
 * ({@link ReassociatedFloatKernels}: other summation orders, fused multiply-adds, other sigmoid form): the known
 * answers are not tuned to the spec's particular rounding.
 */
class ReassociatedFloatKernelsTest extends FloatKernelsContract {

  @Override
  protected FloatKernels kernels() {
    return new ReassociatedFloatKernels();
  }
}
