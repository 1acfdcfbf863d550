package dev.rnn4j.testing;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

/**
 * The bytes the current thread allocates in windows of calls, for tests that code allocates nothing once the JIT has
 * compiled it.
 *
 * <p>Until C2 has compiled a Vector API kernel at its call site, the kernel boxes its vectors; on a busy machine C2
 * comes late by wall time, not after a number of calls. A fixed number of windows after a fixed warm-up failed under
 * load: {@code StreamStepArraysTest} ran its 100 windows of 200 calls in half a second while another build shared the
 * two cores, every window allocating. So the windows go on until one allocates nothing, or until {@link #DEADLINE}:
 * code that allocates in every call never gives an empty window however long it runs, while code that allocates only
 * until it is compiled does, and a one-off event of the JVM (a deoptimisation, a late compilation) fills one window
 * only.
 */
public final class QuietWindows {

  /** How long the windows may go on before the quietest is returned. */
  public static final long DEADLINE_SECONDS = 30;

  private QuietWindows() {
  }

  /**
   * Runs {@code window} (one window's calls) at least {@code minWindows} times, then until a run allocates nothing on
   * this thread or {@value #DEADLINE_SECONDS} s have passed, and returns the fewest bytes one run allocated.
   */
  public static long quietestBytes(Runnable window, int minWindows) {
    return quietestBytes(window, minWindows, 0);
  }

  /**
   * As {@link #quietestBytes(Runnable, int)}, for code that may allocate up to a bound (its outputs): the runs stop at
   * the first that allocates at most {@code enoughBytes}.
   */
  public static long quietestBytes(Runnable window, int minWindows, long enoughBytes) {
    var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().threadId();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
    long quietest = Long.MAX_VALUE;
    for (int w = 0; w < minWindows || quietest > enoughBytes && System.nanoTime() < deadline; w++) {
      long before = mx.getThreadAllocatedBytes(tid);
      window.run();
      quietest = Math.min(quietest, mx.getThreadAllocatedBytes(tid) - before);
    }
    return quietest;
  }
}
