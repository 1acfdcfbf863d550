package dev.rnn4j.kernels;

import java.lang.management.ManagementFactory;
import java.util.Optional;

/**
 * What the running JVM offers the SIMD kernels. The Vector API is 10-30x slower than plain loops when C2 does not
 * compile it (interpreter only, or tiered compilation stopped below level 4), so both the module and C2 are required.
 */
public final class JvmCapabilities {

  public static final String VECTOR_MODULE = "jdk.incubator.vector";

  private JvmCapabilities() {}

  /** Whether {@value #VECTOR_MODULE} was resolved into the boot layer (needs {@code --add-modules}). */
  public static boolean vectorModulePresent() {
    return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
  }

  /** Why C2 is not available, or empty when it is. */
  public static Optional<String> c2Unavailable() {
    String vmInfo = System.getProperty("java.vm.info", "");
    if (vmInfo.contains("interpreted mode")) {
      return Optional.of("the JVM runs in interpreted mode (-Xint)");
    }
    try {
      if (ManagementFactory.getCompilationMXBean() == null) {
        return Optional.of("the JVM has no JIT compiler");
      }
      Optional<String> tiered = vmOption("TieredCompilation");
      Optional<String> stop = vmOption("TieredStopAtLevel");
      if (tiered.map(Boolean::parseBoolean).orElse(true) && stop.isPresent()) {
        int level = Integer.parseInt(stop.get());
        if (level < 4) {
          return Optional.of("tiered compilation stops at level " + level + " (-XX:TieredStopAtLevel=" + level
              + "), so C2 never compiles the kernels");
        }
      }
    } catch (LinkageError | RuntimeException e) {
      // A jlinked runtime may lack jdk.management; without a way to ask, assume the default (C2 on).
    }
    return Optional.empty();
  }

  private static Optional<String> vmOption(String name) {
    try {
      var bean = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
      return bean == null ? Optional.empty() : Optional.of(bean.getVMOption(name).getValue());
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // not a HotSpot option on this VM
    }
  }
}
