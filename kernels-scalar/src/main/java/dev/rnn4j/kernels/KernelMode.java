package dev.rnn4j.kernels;

import java.util.Locale;

/**
 * How the kernels are chosen, set by the system property {@value KernelSelector#PROPERTY}.
 *
 * <p>{@link #AUTO}, {@link #SCALAR} and {@link #SIMD} pick one implementation for the life of the JVM: every call
 * uses the same kernels, so results are reproducible bit for bit from run to run on one machine. {@link #ADAPTIVE}
 * starts on the scalar spec and switches once, to the SIMD kernels, when a background thread has seen them compiled
 * (see {@link AdaptiveKernels}); results computed before and after that switch differ within the SIMD-vs-scalar
 * bounds of the kernel contract, and when the switch happens depends on timing. Runs that must be bitwise
 * reproducible use a fixed mode.
 */
public enum KernelMode {
  /** The SIMD kernels when the JVM runs them well, else the scalar spec; fixed for the JVM's life (the default). */
  AUTO,
  /** The scalar spec, always. */
  SCALAR,
  /** The SIMD kernels, always; an error where they cannot run. */
  SIMD,
  /** The scalar spec until the SIMD kernels are compiled, then the SIMD kernels (when the JVM runs them well). */
  ADAPTIVE;

  /** The value of the system property that selects this mode. */
  public String propertyValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The mode a value of {@value KernelSelector#PROPERTY} names (case and surrounding blanks ignored).
   *
   * @throws IllegalArgumentException naming the property and the value, when it names no mode
   */
  public static KernelMode parse(String value) {
    if (value != null) {
      String v = value.strip().toLowerCase(Locale.ROOT);
      for (KernelMode m : values()) {
        if (m.propertyValue().equals(v)) {
          return m;
        }
      }
    }
    throw new IllegalArgumentException("-D" + KernelSelector.PROPERTY + ": unknown value '" + value
        + "'; expected auto, scalar, simd or adaptive");
  }
}
