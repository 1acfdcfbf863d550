package dev.rnn4j.kernels.testing;

// Generated from ReassociatedDoubleKernelsAgreementProperties.java by PrecisionGenerator. Edit that file and regenerate; do not edit this one.

import dev.rnn4j.kernels.FloatKernels;

/**
 * Runs the agreement properties on {@link ReassociatedFloatKernels}: a correct implementation with a different
 * summation order and fused multiply-adds, which must stay within the derived tolerances of the scalar spec. This
 * exercises the bounds the way the SIMD twin does, and shows jqwik runs the properties inherited from
 * {@link FloatKernelAgreementProperties}.
 */
class ReassociatedFloatKernelsAgreementProperties extends FloatKernelAgreementProperties {

  @Override
  protected FloatKernels candidate() {
    return new ReassociatedFloatKernels();
  }
}
