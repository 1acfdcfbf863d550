package dev.rnn4j.kernels;

/** Provides the scalar reference spec; it runs everywhere. */
public final class ScalarKernelProvider implements KernelProvider {

  static final Kernels SCALAR =
      new Kernels("scalar", Float.SIZE, new ScalarFloatKernels(), new ScalarDoubleKernels());

  /** Called by {@link java.util.ServiceLoader}. */
  public ScalarKernelProvider() {}

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public Support support() {
    return Support.yes();
  }

  @Override
  public Kernels create() {
    return SCALAR;
  }
}
