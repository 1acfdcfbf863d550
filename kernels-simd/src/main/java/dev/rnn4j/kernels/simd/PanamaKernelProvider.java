package dev.rnn4j.kernels.simd;

import dev.rnn4j.kernels.JvmCapabilities;
import dev.rnn4j.kernels.KernelProvider;
import dev.rnn4j.kernels.Kernels;
import java.util.Optional;

/**
 * Provides the Vector API kernels under the name {@code simd}.
 *
 * <p>This class loads on every JVM: it mentions no {@code jdk.incubator.vector} type, not even in its constant pool.
 * The Vector API is touched only through {@link PanamaKernelsFactory}, which is loaded when {@link #support()} has
 * established that the module is present.
 *
 * <p>Diagnostic: the system property {@value #BITS_PROPERTY} (128, 256 or 512, at most the preferred size) makes
 * {@link #create()} use a narrower species than the CPU's preferred one, so that the narrow code paths can be
 * exercised on a wide machine. It is meant for tests and troubleshooting, not for speed.
 */
public final class PanamaKernelProvider implements KernelProvider {

  /** System property forcing the vector bit size of {@link #create()} (diagnostic). */
  public static final String BITS_PROPERTY = "rnn4j.simd.bits";

  /** The flag that puts the Vector API module into the boot layer. */
  public static final String ADD_MODULES_FLAG = "--add-modules=" + JvmCapabilities.VECTOR_MODULE;

  @Override
  public String name() {
    return "simd";
  }

  @Override
  public Support support() {
    if (!JvmCapabilities.vectorModulePresent()) {
      return Support.no("the module " + JvmCapabilities.VECTOR_MODULE + " is not in the boot layer",
          ADD_MODULES_FLAG);
    }
    Optional<String> noC2 = JvmCapabilities.c2Unavailable();
    if (noC2.isPresent()) {
      return Support.no(noC2.get() + "; the Vector API is much slower than plain loops without C2",
          "running without -Xint and without -XX:TieredStopAtLevel below 4");
    }
    int bits = PanamaKernelsFactory.preferredBits();
    if (bits < 128) {
      return Support.no("the preferred vector size of this CPU is only " + bits + " bits (at least 128 needed)", "");
    }
    return Support.yes();
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException when {@value #BITS_PROPERTY} holds anything but 128, 256 or 512 bits at most
   *     the preferred size
   */
  @Override
  public Kernels create() {
    return PanamaKernelsFactory.create();
  }
}
