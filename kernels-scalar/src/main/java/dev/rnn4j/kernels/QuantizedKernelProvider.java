package dev.rnn4j.kernels;

/**
 * Service-provider interface for {@link QuantizedKernels} implementations, found with {@link java.util.ServiceLoader}
 * beside {@link KernelProvider}. There is no separate selection: the quantized kernels follow the {@link Kernels}
 * already chosen (see {@link QuantizedKernelSelector}), so a provider is created only when the kernels of the same
 * {@link #name()} were found to run well. The same loading rule holds as for {@link KernelProvider}: the class may
 * not mention types of optional modules outside {@link #create()}.
 */
public interface QuantizedKernelProvider {

  /** The name of the {@link Kernels} these kernels belong with ("scalar", "simd"). */
  String name();

  /** Creates the kernels; called only when the kernels of the same name have been created on this JVM. */
  QuantizedKernels create();
}
