/**
 * The Vector API twin of the kernel contract. Exports nothing: it is found as a
 * {@link dev.rnn4j.kernels.KernelProvider} service, and {@code Kernels.get()} hands it out behind the contract's
 * interfaces.
 *
 * <p>{@code jdk.incubator.vector} is required {@code static}: an incubator module is resolved only when the user asks
 * for it ({@code --add-modules jdk.incubator.vector}), as on the class path, and without it the selection falls back to
 * the scalar spec and says so in its log line. A plain {@code requires} would instead resolve the incubator module
 * (and print its warning) in every application that has this module on its module path.
 */
module dev.rnn4j.kernels.simd {
  requires dev.rnn4j.kernels;
  requires static jdk.incubator.vector;

  provides dev.rnn4j.kernels.KernelProvider with dev.rnn4j.kernels.simd.PanamaKernelProvider;
  provides dev.rnn4j.kernels.QuantizedKernelProvider with dev.rnn4j.kernels.simd.PanamaQuantizedKernelProvider;
}
