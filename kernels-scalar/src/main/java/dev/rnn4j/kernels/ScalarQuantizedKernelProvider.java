package dev.rnn4j.kernels;

/** Provides the scalar spec of the quantized kernels; it runs everywhere. */
public final class ScalarQuantizedKernelProvider implements QuantizedKernelProvider {

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public QuantizedKernels create() {
    return QuantizedKernelSelector.scalar();
  }
}
