package dev.rnn4j.kernels.simd;

// Generated from PanamaDoubleKernelsTest.java by PrecisionGenerator. Edit that file and regenerate; do not edit this one.

import dev.rnn4j.kernels.FloatKernels;
import dev.rnn4j.kernels.testing.FloatKernelsContract;

/**
 * The kernel contract suite (known answers, sizes around the vector widths, NaN / Inf / huge inputs) on the SIMD
 * twin. Runs at the preferred vector size, and again at 256 and 128 bits in the narrow surefire runs (see the
 * module's pom).
 */
class PanamaFloatKernelsTest extends FloatKernelsContract {

  @Override
  protected FloatKernels kernels() {
    return new PanamaFloatKernels();
  }
}
