package dev.rnn4j.kernels;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * The JIT compilers' accumulated compile time, as the JVM reports it: a warm-up that sees it stop growing knows that
 * the compilers have (for now) nothing more to do. Reads {@code -1} where the JVM cannot tell (no JIT, compile-time
 * monitoring unsupported, or a runtime without {@code java.management}).
 */
public final class JitActivity {

  private static final CompilationMXBean BEAN = bean();

  private JitActivity() {}

  private static CompilationMXBean bean() {
    try {
      CompilationMXBean b = ManagementFactory.getCompilationMXBean();
      return b != null && b.isCompilationTimeMonitoringSupported() ? b : null;
    } catch (LinkageError | RuntimeException e) {
      return null; // a jlinked runtime may lack java.management: then timings alone decide
    }
  }

  /** Milliseconds the JIT compilers have spent so far in this JVM, or -1 when the JVM cannot tell. */
  public static long totalCompileMillis() {
    return BEAN == null ? -1 : BEAN.getTotalCompilationTime();
  }
}
