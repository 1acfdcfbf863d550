package dev.rnn4j.kernels;

import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the {@link QuantizedKernels} that belong with a set of {@link Kernels}: the scalar spec for the scalar
 * kernels, the provider of the same name otherwise (the SIMD jar registers one). Following the chosen kernels rather
 * than choosing again keeps one decision per JVM (and per {@code KernelScope}), logged once by
 * {@link KernelSelector}.
 */
public final class QuantizedKernelSelector {

  private static final System.Logger LOG = System.getLogger("dev.rnn4j.kernels");
  private static final QuantizedKernels SCALAR = new ScalarQuantizedKernels();
  private static final Map<String, QuantizedKernels> BY_NAME = new ConcurrentHashMap<>();

  private QuantizedKernelSelector() {}

  /** The scalar spec. */
  public static QuantizedKernels scalar() {
    return SCALAR;
  }

  /**
   * The quantized kernels of the implementation {@code kernels} belongs to.
   *
   * @throws IllegalArgumentException if {@code kernels} is null
   * @throws IllegalStateException if no provider of that name is on the class path (a kernel set that has no
   *     quantized twin), naming it
   */
  public static QuantizedKernels matching(Kernels kernels) {
    if (kernels == null) {
      throw new IllegalArgumentException("QuantizedKernelSelector.matching: kernels is null");
    }
    if (kernels.name().equals("scalar")) {
      return SCALAR;
    }
    QuantizedKernels found = BY_NAME.computeIfAbsent(kernels.name(), QuantizedKernelSelector::load);
    if (found == null) {
      throw new IllegalStateException("quantized kernels: no provider named '" + kernels.name() + "' on the class "
          + "path to go with the kernels " + kernels);
    }
    return found;
  }

  private static QuantizedKernels load(String name) {
    var it = ServiceLoader.load(QuantizedKernelProvider.class, QuantizedKernelSelector.class.getClassLoader())
        .iterator();
    while (true) {
      try {
        if (!it.hasNext()) {
          return null;
        }
        QuantizedKernelProvider p = it.next();
        if (p.name().equals(name)) {
          return p.create();
        }
      } catch (ServiceConfigurationError e) {
        LOG.log(Level.DEBUG, "skipping a quantized kernel provider that failed to load", e);
      }
    }
  }
}
