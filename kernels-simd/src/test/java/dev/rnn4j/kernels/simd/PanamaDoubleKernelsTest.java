package dev.rnn4j.kernels.simd;

// rnn4j:generate-float

import dev.rnn4j.kernels.DoubleKernels;
import dev.rnn4j.kernels.testing.DoubleKernelsContract;

/**
 * The kernel contract suite (known answers, sizes around the vector widths, NaN / Inf / huge inputs) on the SIMD
 * twin. Runs at the preferred vector size, and again at 256 and 128 bits in the narrow surefire runs (see the
 * module's pom).
 */
class PanamaDoubleKernelsTest extends DoubleKernelsContract {

  @Override
  protected DoubleKernels kernels() {
    return new PanamaDoubleKernels();
  }
}
