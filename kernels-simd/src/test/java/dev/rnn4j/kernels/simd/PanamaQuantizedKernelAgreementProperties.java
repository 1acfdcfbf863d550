package dev.rnn4j.kernels.simd;

import dev.rnn4j.kernels.QuantizedKernels;
import dev.rnn4j.kernels.testing.QuantizedKernelAgreementProperties;

/**
 * The Vector API twin of the quantized kernels agrees with the scalar spec (bit for bit for the conversions, within
 * the derived bound for the products; see QuantizedKernelChecks), at its own panel width (the float lanes) and at
 * others. Runs at the preferred vector size and again at 256 and 128 bits in the narrow surefire runs (panels of 8
 * and 4 rows; at 128 bits one int8 load holds two columns).
 */
class PanamaQuantizedKernelAgreementProperties extends QuantizedKernelAgreementProperties {

  @Override
  protected QuantizedKernels candidate() {
    return PanamaQuantizedKernels.create();
  }
}
