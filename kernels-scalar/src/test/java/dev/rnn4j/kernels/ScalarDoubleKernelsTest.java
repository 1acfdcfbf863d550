package dev.rnn4j.kernels;

// rnn4j:generate-float

import dev.rnn4j.kernels.testing.DoubleKernelsContract;

/** The scalar spec passes the kernel contract suite. */
class ScalarDoubleKernelsTest extends DoubleKernelsContract {

  @Override
  protected DoubleKernels kernels() {
    return new ScalarDoubleKernels();
  }
}
