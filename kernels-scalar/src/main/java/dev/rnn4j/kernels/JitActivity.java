package dev.rnn4j.kernels;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The JIT compilers' accumulated compile time, as the JVM reports it: a warm-up that sees it stop growing knows that
 * the compilers have (for now) nothing more to do. Reads {@code -1} where the JVM cannot tell (no JIT, compile-time
 * monitoring unsupported, or a runtime without {@code java.management}).
 */
public final class JitActivity {

  private static final CompilationMXBean BEAN = bean();
  private static final ThreadMXBean THREADS = threads();

  private JitActivity() {}

  private static CompilationMXBean bean() {
    try {
      CompilationMXBean b = ManagementFactory.getCompilationMXBean();
      return b != null && b.isCompilationTimeMonitoringSupported() ? b : null;
    } catch (LinkageError | RuntimeException e) {
      return null; // a jlinked runtime may lack java.management: then timings alone decide
    }
  }

  private static ThreadMXBean threads() {
    try {
      ThreadMXBean t = ManagementFactory.getThreadMXBean();
      return t != null && t.isCurrentThreadCpuTimeSupported() ? t : null;
    } catch (LinkageError | RuntimeException e) {
      return null;
    }
  }

  /**
   * The CPU time the current thread has used, in nanoseconds, or -1 when the JVM cannot tell. Timing a call by it
   * instead of by the wall clock leaves out the time other processes held the core: on a loaded machine wall times
   * scatter by 10x and more, CPU times hardly at all, so a warm-up can still see when the code got compiled.
   */
  public static long currentThreadCpuNanos() {
    try {
      return THREADS == null ? -1 : THREADS.getCurrentThreadCpuTime();
    } catch (UnsupportedOperationException e) {
      return -1;
    }
  }

  /**
   * How many calls a method needs before C2 may compile it, at the least: HotSpot's {@code
   * Tier4MinInvocationThreshold} (600 by default), read from the running JVM; 0 where there is no such flag (another
   * JVM, or no {@code jdk.management}). A method that runs once per layer call with short loops reaches C2 only after
   * about that many calls, and until then it runs C1 code at a speed that is stable, and so looks steady, but is
   * several times slower (an LSTM forward at B=1 T=100 I=64 H=128: about 2 ms at that plateau, 0.4 ms compiled).
   */
  public static int tier4MinInvocations() {
    return TIER4_MIN_INVOCATIONS;
  }

  private static final int TIER4_MIN_INVOCATIONS = tier4Flag();

  private static int tier4Flag() {
    try {
      var bean = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
      if (bean == null) {
        return 0;
      }
      long v = Long.parseLong(bean.getVMOption("Tier4MinInvocationThreshold").getValue());
      return (int) Math.max(0, Math.min(v, 1_000_000));
    } catch (LinkageError | RuntimeException e) {
      return 0; // no such flag or no jdk.management: timings and compile activity alone decide
    }
  }

  /** Milliseconds the JIT compilers have spent so far in this JVM, or -1 when the JVM cannot tell. */
  public static long totalCompileMillis() {
    return BEAN == null ? -1 : BEAN.getTotalCompilationTime();
  }
}
