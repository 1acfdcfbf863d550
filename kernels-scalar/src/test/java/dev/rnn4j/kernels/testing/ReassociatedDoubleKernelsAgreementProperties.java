package dev.rnn4j.kernels.testing;

// rnn4j:generate-float

import dev.rnn4j.kernels.DoubleKernels;

/**
 * Runs the agreement properties on {@link ReassociatedDoubleKernels}: a correct implementation with a different
 * summation order and fused multiply-adds, which must stay within the derived tolerances of the scalar spec. This
 * exercises the bounds the way the SIMD twin does, and shows jqwik runs the properties inherited from
 * {@link DoubleKernelAgreementProperties}.
 */
class ReassociatedDoubleKernelsAgreementProperties extends DoubleKernelAgreementProperties {

  @Override
  protected DoubleKernels candidate() {
    return new ReassociatedDoubleKernels();
  }
}
