/**
 * The kernel contract ({@code DoubleKernels}, {@code FloatKernels}), its scalar spec and the run-time selection of a
 * kernel set. The contract is API: other kernel sets implement it and register a {@link dev.rnn4j.kernels.KernelProvider}
 * as a service, which {@code KernelSelector} finds with {@link java.util.ServiceLoader}.
 */
module dev.rnn4j.kernels {
  exports dev.rnn4j.kernels;

  // The C2 check reads HotSpot's diagnostic MXBean (JvmCapabilities); jlink then keeps jdk.management in the image.
  requires jdk.management;

  uses dev.rnn4j.kernels.KernelProvider;
  uses dev.rnn4j.kernels.QuantizedKernelProvider;

  provides dev.rnn4j.kernels.KernelProvider with dev.rnn4j.kernels.ScalarKernelProvider;
  provides dev.rnn4j.kernels.QuantizedKernelProvider with dev.rnn4j.kernels.ScalarQuantizedKernelProvider;
}
