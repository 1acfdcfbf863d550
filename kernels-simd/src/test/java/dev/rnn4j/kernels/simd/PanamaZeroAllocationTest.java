package dev.rnn4j.kernels.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rnn4j.kernels.DoubleKernels;
import dev.rnn4j.kernels.FloatKernels;
import java.lang.management.ManagementFactory;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * After warm-up the SIMD kernels allocate nothing per call. A vector passed to or returned from a method that C2 does
 * not inline is boxed, so this catches a vector helper that is not inlined, for instance in a transcendental loop
 * inlined into a fused kernel until C2's node budget runs out (see {@link PanamaDoubleMath}; a version with the exp
 * polynomial in small vector helpers failed here with 9 KiB per lstmForward call). The sizes leave scalar tails at
 * every vector width.
 */
class PanamaZeroAllocationTest {

  private static final int N = 4 * 64 + 3;
  private static final int BATCH = 2;
  private static final int HIDDEN = 67;

  @Test
  void float64KernelsAllocateNothingAfterWarmUp() {
    DoubleKernels k = new PanamaDoubleKernels();
    Random r = new Random(7);
    double[] x = values(r, BATCH * 4 * HIDDEN);
    double[] pos = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      pos[i] = Math.abs(x[i]) + 0.01;
    }
    double[] y = new double[x.length];
    double[] gates = new double[BATCH * 4 * HIDDEN];
    double[] gh = values(r, BATCH * 3 * HIDDEN);
    double[] prev = values(r, BATCH * HIDDEN);
    double[] c = new double[BATCH * HIDDEN];
    double[] h = new double[BATCH * HIDDEN];
    double[] dh = values(r, BATCH * HIDDEN);
    double[] dc = new double[BATCH * HIDDEN];
    double[] dg = new double[BATCH * 4 * HIDDEN];
    double[] dg2 = new double[BATCH * 3 * HIDDEN];
    double[] dPrev = new double[BATCH * HIDDEN];
    assertNoAllocation("sigmoid", () -> k.sigmoid(N, x, 0, y, 0));
    assertNoAllocation("tanh", () -> k.tanh(N, x, 0, y, 0));
    assertNoAllocation("exp", () -> k.exp(N, x, 0, y, 0));
    assertNoAllocation("log", () -> k.log(N, pos, 0, y, 0));
    assertNoAllocation("softmax", () -> k.softmax(4, 64 + 3, x, 0, 64 + 3, y, 0, 64 + 3));
    assertNoAllocation("logSoftmax", () -> k.logSoftmax(4, 64 + 3, x, 0, 64 + 3, y, 0, 64 + 3));
    assertNoAllocation("lstmForward", () -> {
      System.arraycopy(x, 0, gates, 0, gates.length);
      k.lstmForward(BATCH, HIDDEN, gates, 0, prev, 0, c, 0, h, 0);
    });
    assertNoAllocation("lstmBackward",
        () -> k.lstmBackward(BATCH, HIDDEN, gates, 0, prev, 0, c, 0, dh, 0, dc, 0, dg, 0));
    assertNoAllocation("gruForward", () -> {
      System.arraycopy(x, 0, gates, 0, BATCH * 3 * HIDDEN);
      k.gruForward(BATCH, HIDDEN, gates, 0, gh, 0, prev, 0, h, 0);
    });
    assertNoAllocation("gruBackward",
        () -> k.gruBackward(BATCH, HIDDEN, gates, 0, gh, 0, prev, 0, dh, 0, dg, 0, dg2, 0, dPrev, 0));
  }

  @Test
  void float32KernelsAllocateNothingAfterWarmUp() {
    FloatKernels k = new PanamaFloatKernels();
    Random r = new Random(7);
    float[] x = floats(values(r, BATCH * 4 * HIDDEN));
    float[] pos = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      pos[i] = Math.abs(x[i]) + 0.01f;
    }
    float[] y = new float[x.length];
    float[] gates = new float[BATCH * 4 * HIDDEN];
    float[] gh = floats(values(r, BATCH * 3 * HIDDEN));
    float[] prev = floats(values(r, BATCH * HIDDEN));
    float[] c = new float[BATCH * HIDDEN];
    float[] h = new float[BATCH * HIDDEN];
    float[] dh = floats(values(r, BATCH * HIDDEN));
    float[] dc = new float[BATCH * HIDDEN];
    float[] dg = new float[BATCH * 4 * HIDDEN];
    float[] dg2 = new float[BATCH * 3 * HIDDEN];
    float[] dPrev = new float[BATCH * HIDDEN];
    assertNoAllocation("sigmoid", () -> k.sigmoid(N, x, 0, y, 0));
    assertNoAllocation("tanh", () -> k.tanh(N, x, 0, y, 0));
    assertNoAllocation("exp", () -> k.exp(N, x, 0, y, 0));
    assertNoAllocation("log", () -> k.log(N, pos, 0, y, 0));
    assertNoAllocation("softmax", () -> k.softmax(4, 64 + 3, x, 0, 64 + 3, y, 0, 64 + 3));
    assertNoAllocation("logSoftmax", () -> k.logSoftmax(4, 64 + 3, x, 0, 64 + 3, y, 0, 64 + 3));
    assertNoAllocation("lstmForward", () -> {
      System.arraycopy(x, 0, gates, 0, gates.length);
      k.lstmForward(BATCH, HIDDEN, gates, 0, prev, 0, c, 0, h, 0);
    });
    assertNoAllocation("lstmBackward",
        () -> k.lstmBackward(BATCH, HIDDEN, gates, 0, prev, 0, c, 0, dh, 0, dc, 0, dg, 0));
    assertNoAllocation("gruForward", () -> {
      System.arraycopy(x, 0, gates, 0, BATCH * 3 * HIDDEN);
      k.gruForward(BATCH, HIDDEN, gates, 0, gh, 0, prev, 0, h, 0);
    });
    assertNoAllocation("gruBackward",
        () -> k.gruBackward(BATCH, HIDDEN, gates, 0, gh, 0, prev, 0, dh, 0, dg, 0, dg2, 0, dPrev, 0));
  }

  /**
   * Runs the call 10,000 times, then windows of 1,000 calls until one allocates nothing. Code from the lower JIT tiers
   * boxes every vector, and on a busy machine C2's code may run only after a while: the windows go on for up to 30
   * seconds, and the quietest must allocate nothing.
   */
  private static void assertNoAllocation(String what, Runnable call) {
    var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    for (int i = 0; i < 10_000; i++) {
      call.run();
    }
    long tid = Thread.currentThread().threadId();
    long quietest = Long.MAX_VALUE;
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (quietest > 0 && System.nanoTime() < deadline) {
      long before = mx.getThreadAllocatedBytes(tid);
      for (int i = 0; i < 1000; i++) {
        call.run();
      }
      quietest = Math.min(quietest, mx.getThreadAllocatedBytes(tid) - before);
    }
    assertEquals(0, quietest, what + ": bytes allocated by 1000 calls after warm-up (quietest window)");
  }

  private static double[] values(Random r, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = 3 * r.nextGaussian();
    }
    return v;
  }

  private static float[] floats(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }
}
