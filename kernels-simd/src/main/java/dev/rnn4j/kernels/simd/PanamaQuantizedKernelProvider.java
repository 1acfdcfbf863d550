package dev.rnn4j.kernels.simd;

import dev.rnn4j.kernels.QuantizedKernelProvider;
import dev.rnn4j.kernels.QuantizedKernels;

/**
 * Provides the Vector API twin of the quantized kernels under the name {@code simd}. Like
 * {@link PanamaKernelProvider} it mentions no {@code jdk.incubator.vector} type, so it loads on every JVM; it is
 * created only after the {@code simd} kernels were selected, which established that the module is present and C2 on.
 */
public final class PanamaQuantizedKernelProvider implements QuantizedKernelProvider {

  @Override
  public String name() {
    return "simd";
  }

  @Override
  public QuantizedKernels create() {
    return PanamaQuantizedKernels.create();
  }
}
