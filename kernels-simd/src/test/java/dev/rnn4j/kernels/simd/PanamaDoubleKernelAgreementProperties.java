package dev.rnn4j.kernels.simd;

// rnn4j:generate-float

import dev.rnn4j.kernels.DoubleKernels;
import dev.rnn4j.kernels.testing.DoubleKernelAgreementProperties;

/**
 * The SIMD twin agrees with the scalar spec within the derived bounds, for every kernel. Runs at the preferred
 * vector size, and again at 256 and 128 bits in the narrow surefire runs (see the module's pom).
 */
class PanamaDoubleKernelAgreementProperties extends DoubleKernelAgreementProperties {

  @Override
  protected DoubleKernels candidate() {
    return new PanamaDoubleKernels();
  }
}
