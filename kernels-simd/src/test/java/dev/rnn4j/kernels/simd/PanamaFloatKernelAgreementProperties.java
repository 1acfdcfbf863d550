package dev.rnn4j.kernels.simd;

// Generated from PanamaDoubleKernelAgreementProperties.java by PrecisionGenerator. Edit that file and regenerate; do not edit this one.

import dev.rnn4j.kernels.FloatKernels;
import dev.rnn4j.kernels.testing.FloatKernelAgreementProperties;

/**
 * The SIMD twin agrees with the scalar spec within the derived bounds, for every kernel. Runs at the preferred
 * vector size, and again at 256 and 128 bits in the narrow surefire runs (see the module's pom).
 */
class PanamaFloatKernelAgreementProperties extends FloatKernelAgreementProperties {

  @Override
  protected FloatKernels candidate() {
    return new PanamaFloatKernels();
  }
}
