package dev.rnn4j.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.Tensor;
import dev.rnn4j.testing.TestKernels;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The engine adds a leaf's gradient atomically with respect to other threads' backward passes: several threads
 * back-propagating into one shared leaf at once lose no contribution, neither the first one (which creates the
 * gradient tensor) nor the later in-place additions.
 *
 * <p>The contributions are small integers (the gradient of {@code sum(p * c)} is c, c in 0..7), so every partial
 * sum, at most {@code 7 × THREADS × CALLS} = 5600, is an integer below 2^24 and exact in float32: the expected
 * gradient is exactly {@code THREADS × CALLS × c}, whatever the order of the additions.
 */
class ConcurrentAccumulationTest {

  private static final int THREADS = 4;
  private static final int CALLS = 200;
  private static final int ROUNDS = 10;

  @Test
  void everyThreadsContributionReachesTheSharedLeaf() throws Exception {
    for (Kernels k : TestKernels.all()) {
      for (DType dt : DType.values()) {
        check(k, dt);
      }
    }
  }

  private static void check(Kernels k, DType dt) throws Exception {
    int n = 37;
    Tensor p = Tensor.zeros(dt, n).requiresGrad(true);
    Tensor c = Tensor.zeros(dt, n);
    double[] want = new double[n];
    for (int i = 0; i < n; i++) {
      c.setFlat(i, i % 8);
      want[i] = (double) THREADS * CALLS * (i % 8);
    }
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      CyclicBarrier start = new CyclicBarrier(THREADS);
      for (int round = 0; round < ROUNDS; round++) {
        p.zeroGrad(); // the first contribution of the round creates the gradient: that race is tested every round
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          done.add(pool.submit(() -> {
            start.await();
            KernelScope.run(k, () -> {
              for (int i = 0; i < CALLS; i++) {
                p.mul(c).sum().backward();
              }
            });
            return null;
          }));
        }
        for (Future<?> f : done) {
          f.get(1, TimeUnit.MINUTES);
        }
        assertNotNull(p.grad());
        assertArrayEquals(want, p.grad().toDoubleArray(), 0, k.name() + " " + dt + ", round " + round);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
