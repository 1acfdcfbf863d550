package dev.rnn4j.nn.recurrent;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.Tensor;
import dev.rnn4j.testing.TestKernels;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Several threads run {@code layer.forward(x).output().sum().backward()} through one shared layer at once (each a
 * few times in a row): every backward pass adds its contribution into the same parameter gradients, and none may be
 * lost.
 *
 * <p>Each thread's contribution equals the single-threaded gradient g bit for bit (same kernels, same input, a size
 * the engine never splits by thread count, and no dropout), so after N calls in all (threads × calls per thread) each
 * element of a parameter's gradient is N·g summed in some order. Bound: recursive summation of N terms has |error| ≤ (N − 1)·u·Σ|termᵢ| (Higham,
 * Accuracy and Stability, §4.2), here (N − 1)·u·N·|g| with u the unit roundoff of the dtype. A lost contribution is
 * off by |g| (≥ 1/((N − 1)·u·N) times the bound), and a torn read-modify-write by at least the smaller term.
 */
class ConcurrentBackwardTest {

  private static final int THREADS = 4;
  private static final int CALLS_PER_THREAD = 4;

  @Test
  void concurrentBackwardPassesAddEveryContributionFloat32() throws Exception {
    for (Kernels k : TestKernels.all()) {
      checkNoLostContribution(k, DType.FLOAT32, 60);
    }
  }

  @Test
  void concurrentBackwardPassesAddEveryContributionFloat64() throws Exception {
    for (Kernels k : TestKernels.all()) {
      checkNoLostContribution(k, DType.FLOAT64, 60);
    }
  }

  /**
   * {@code repetitions} rounds of: clear the gradients, let {@value #THREADS} threads start together (a barrier) and
   * each run {@value #CALLS_PER_THREAD} forwards and backwards on the same input, then check every parameter gradient
   * against THREADS × CALLS_PER_THREAD × g.
   */
  static void checkNoLostContribution(Kernels k, DType dt, int repetitions) throws Exception {
    // Small sizes: a backward pass is short, so the threads' accumulations into the parameters overlap often.
    LSTM layer = new LSTM(new RecurrentOptions(3, 5).dtype(dt).seed(11));
    Tensor x = Tensor.uniform(dt, new SplittableRandom(5), -1, 1, 4, 2, 3);
    List<Tensor> params = layer.parameters();
    List<double[]> single = new ArrayList<>();
    KernelScope.run(k, () -> layer.forward(x).output().sum().backward());
    for (Tensor p : params) {
      single.add(p.grad().toDoubleArray());
    }
    double u = dt == DType.FLOAT32 ? 0x1p-24 : 0x1p-53;
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      CyclicBarrier start = new CyclicBarrier(THREADS);
      for (int rep = 0; rep < repetitions; rep++) {
        layer.zeroGrad();
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          done.add(pool.submit(() -> {
            start.await();
            KernelScope.run(k, () -> {
              for (int c = 0; c < CALLS_PER_THREAD; c++) {
                layer.forward(x).output().sum().backward();
              }
            });
            return null;
          }));
        }
        for (Future<?> f : done) {
          f.get(1, TimeUnit.MINUTES);
        }
        for (int i = 0; i < params.size(); i++) {
          Tensor g = params.get(i).grad();
          assertNotNull(g, "parameter " + i + " has a gradient");
          double[] got = g.toDoubleArray();
          double[] one = single.get(i);
          for (int j = 0; j < one.length; j++) {
            int n = THREADS * CALLS_PER_THREAD;
            double bound = (n - 1) * u * n * Math.abs(one[j]);
            double want = n * one[j];
            if (!(Math.abs(got[j] - want) <= bound)) {
              fail(k.name() + " " + dt + ", repetition " + rep + ": " + layer.namedParameters().keySet().toArray()[i]
                   + "[" + j + "] = " + got[j] + ", expected " + n + " × " + one[j] + " = " + want + " ± "
                  + bound + " (" + (got[j] / one[j]) + "×)");
            }
          }
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
