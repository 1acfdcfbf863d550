package dev.rnn4j.kernels;

/**
 * Service-provider interface for kernel implementations, found with {@link java.util.ServiceLoader}.
 *
 * <p>An implementation class must load on any JVM: it may not mention types of optional modules (such as
 * {@code jdk.incubator.vector}) in its fields or signatures, because a class that does fails to load when the module
 * is absent, and the {@code ServiceLoader} would then fail for every provider. Touch such types only in
 * {@link #create()}, after {@link #support()} said yes.
 */
public interface KernelProvider {

  /** The name users force it by: {@code -Drnn4j.kernels=NAME}. */
  String name();

  /** Whether this JVM runs these kernels well, and if not, why and which flag would change that. */
  Support support();

  /** Creates the kernels; only called when {@link #support()} is {@link Support#ok()}. */
  Kernels create();

  /**
   * The answer of {@link KernelProvider#support()}.
   *
   * @param ok the kernels can run, and run well
   * @param reason why not (empty when ok)
   * @param remedy the JVM flag or setting that would make them available (empty when ok or when none would)
   */
  record Support(boolean ok, String reason, String remedy) {

    public static Support yes() {
      return new Support(true, "", "");
    }

    public static Support no(String reason, String remedy) {
      return new Support(false, reason, remedy);
    }
  }
}
