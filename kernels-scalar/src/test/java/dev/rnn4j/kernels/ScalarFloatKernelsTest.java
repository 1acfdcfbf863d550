package dev.rnn4j.kernels;

// Generated from ScalarDoubleKernelsTest.java by PrecisionGenerator. Edit that file and regenerate; do not edit this one.

import dev.rnn4j.kernels.testing.FloatKernelsContract;

/** The scalar spec passes the kernel contract suite. */
class ScalarFloatKernelsTest extends FloatKernelsContract {

  @Override
  protected FloatKernels kernels() {
    return new ScalarFloatKernels();
  }
}
