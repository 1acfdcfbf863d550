package dev.rnn4j.nn.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.autograd.NoGrad;
import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.optim.Adam;
import dev.rnn4j.optim.SGD;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.Parallelism;
import dev.rnn4j.tensor.Tensor;
import dev.rnn4j.testing.TestKernels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * One test per supported row of the concurrency contract in {@code docs/concurrency.md}; the rows on backward passes
 * into shared parameters are {@link ConcurrentBackwardTest} and {@code autograd.ConcurrentAccumulationTest}. Every
 * comparison here is bit for bit: the kernels are deterministic functions of their arguments, so a call made while
 * other threads work on the same model must give exactly the bits of the same call made alone.
 */
class ConcurrencyContractTest {

  private static final int THREADS = 4;

  /** Runs {@code body(t)} for t in [0, n) on n threads that start together; returns the results in thread order. */
  static <T> List<T> concurrently(int n, IntFunction<Callable<T>> body) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    CyclicBarrier start = new CyclicBarrier(n);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (int t = 0; t < n; t++) {
        Callable<T> c = body.apply(t);
        futures.add(pool.submit(() -> {
          start.await();
          return c.call();
        }));
      }
      List<T> out = new ArrayList<>();
      for (Future<T> f : futures) {
        out.add(f.get(2, TimeUnit.MINUTES));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  private static Kernels kernelsOf(int t) {
    List<Kernels> all = TestKernels.all();
    return all.get(t % all.size());
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Row: streaming steps with separate states
  // ---------------------------------------------------------------------------------------------------------------

  /** 40 steps of thread t's inputs through its own state: the top layer's state after each step. */
  private static List<double[]> stream(RecurrentLayer layer, int t) {
    return KernelScope.get(kernelsOf(t), () -> {
      SplittableRandom rng = new SplittableRandom(100 + t);
      StreamState state = layer.newStreamState(2);
      List<double[]> out = new ArrayList<>();
      for (int s = 0; s < 40; s++) {
        out.add(layer.step(Tensor.uniform(DType.FLOAT32, rng, -1, 1, 2, 3), state).toDoubleArray());
      }
      return out;
    });
  }

  /**
   * Threads step their own states through one layer at once, on different kernel sets (so the layer's shared packed
   * weights are replaced under the threads' feet): every state equals the same steps taken alone.
   */
  @Test
  void streamingStepsWithSeparateStatesRunOnSeveralThreads() throws Exception {
    LSTM layer = new LSTM(new RecurrentOptions(3, 8).numLayers(2).seed(3));
    List<List<double[]>> alone = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      alone.add(stream(layer, t));
    }
    for (int round = 0; round < 10; round++) {
      List<List<double[]>> got = concurrently(THREADS, t -> () -> stream(layer, t));
      for (int t = 0; t < THREADS; t++) {
        for (int s = 0; s < alone.get(t).size(); s++) {
          assertArrayEquals(alone.get(t).get(s), got.get(t).get(s), 0, "round " + round + " thread " + t + " step " + s);
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Row: forwards, recording and under NoGrad
  // ---------------------------------------------------------------------------------------------------------------

  /** Thread t's calls: NoGrad forwards and recording forward + backward, alternating; outputs and input gradients. */
  private static List<double[]> forwards(RecurrentLayer layer, int t) {
    return KernelScope.get(kernelsOf(t), () -> {
      List<double[]> out = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        SplittableRandom rng = new SplittableRandom(1000L * t + i);
        Tensor x = Tensor.uniform(DType.FLOAT32, rng, -1, 1, 2 + (t + i) % 4, 1 + i % 3, 4);
        if (i % 2 == 0) {
          out.add(NoGrad.get(() -> layer.forward(x)).output().toDoubleArray());
        } else {
          x.requiresGrad(true);
          RecurrentOutput o = layer.forward(x);
          o.output().sum().backward();
          out.add(o.output().toDoubleArray());
          out.add(x.grad().toDoubleArray());
        }
      }
      return out;
    });
  }

  /**
   * Threads run forwards (under NoGrad, and recording followed by backward) through one bidirectional GRU at once:
   * outputs and input gradients equal those of the same calls made alone. (The parameter gradients these backward
   * passes add up are ConcurrentBackwardTest's subject.)
   */
  @Test
  void forwardsWithAndWithoutGradientsRunOnSeveralThreads() throws Exception {
    GRU layer = new GRU(new RecurrentOptions(4, 5).bidirectional(true).numLayers(2).seed(8));
    List<List<double[]>> alone = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      alone.add(forwards(layer, t));
    }
    for (int round = 0; round < 8; round++) {
      List<List<double[]>> got = concurrently(THREADS, t -> () -> forwards(layer, t));
      for (int t = 0; t < THREADS; t++) {
        for (int i = 0; i < alone.get(t).size(); i++) {
          assertArrayEquals(alone.get(t).get(i), got.get(t).get(i), 0, "round " + round + " thread " + t + " #" + i);
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Row: writing weights (optimizer step, copyFrom) while other threads infer, ordered by a read-write lock
  // ---------------------------------------------------------------------------------------------------------------

  /** An inference: a NoGrad forward and three streaming steps from a reset state. */
  private static double[] infer(RecurrentLayer layer, StreamState state) {
    Tensor x = Tensor.uniform(DType.FLOAT32, new SplittableRandom(9), -1, 1, 3, 2, 3);
    double[] forward = NoGrad.get(() -> layer.forward(x)).output().toDoubleArray();
    state.reset();
    double[] h = null;
    for (int s = 0; s < 3; s++) {
      h = layer.step(x.select(s), state).toDoubleArray();
    }
    double[] both = new double[forward.length + h.length];
    System.arraycopy(forward, 0, both, 0, forward.length);
    System.arraycopy(h, 0, both, forward.length, h.length);
    return both;
  }

  /**
   * Inference threads run under a read lock, the writer takes the write lock for each optimizer step (and one
   * copyFrom); each write bumps a generation number. Every inference must equal the inference of a fresh layer holding
   * that generation's weights: nothing stale survives a write (the streaming packs are rebuilt), nothing is torn. The
   * writer waits after each write until every reader has inferred at that generation, so every generation is seen
   * by every reader, on a stream state that lived through all the earlier ones.
   */
  @Test
  void weightWritesOrderedByALockReachEveryLaterInference() throws Exception {
    RecurrentOptions opts = new RecurrentOptions(3, 6).seed(21);
    LSTM layer = new LSTM(opts);
    SGD opt = new SGD(layer.parameters(), 0.5);
    ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    int readers = 3;
    int writes = 8;
    int[] generation = {0}; // guarded by lock
    List<List<double[]>> snapshots = new ArrayList<>(); // guarded by lock: the parameters of each generation
    snapshots.add(values(layer));
    AtomicIntegerArray lastSeen = new AtomicIntegerArray(readers);
    for (int r = 0; r < readers; r++) {
      lastSeen.set(r, -1);
    }
    AtomicBoolean done = new AtomicBoolean();
    List<Map<Integer, List<double[]>>> seen = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(readers);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int r = 0; r < readers; r++) {
        int reader = r;
        Map<Integer, List<double[]>> mine = new HashMap<>();
        seen.add(mine);
        futures.add(pool.submit(() -> {
          StreamState state = layer.newStreamState(2);
          while (!done.get()) {
            lock.readLock().lock();
            try {
              int gen = generation[0];
              mine.computeIfAbsent(gen, g -> new ArrayList<>()).add(infer(layer, state));
              lastSeen.set(reader, gen);
            } finally {
              lock.readLock().unlock();
            }
          }
          return null;
        }));
      }
      SplittableRandom rng = new SplittableRandom(4);
      awaitReaders(lastSeen, 0);
      for (int w = 1; w <= writes; w++) {
        // the gradient is computed while the readers run: concurrent forwards and a backward only read the weights
        layer.zeroGrad();
        Tensor out = layer.forward(Tensor.uniform(DType.FLOAT32, rng, -1, 1, 4, 2, 3)).output();
        out.mul(out).sum().backward();
        lock.writeLock().lock();
        try {
          if (w == 4) {
            Tensor whh = layer.namedParameters().get("weight_hh_l0");
            whh.copyFrom(Tensor.uniform(DType.FLOAT32, rng, -1, 1, whh.shape()));
          } else {
            opt.step();
          }
          generation[0] = w;
          snapshots.add(values(layer));
        } finally {
          lock.writeLock().unlock();
        }
        awaitReaders(lastSeen, w);
      }
      done.set(true);
      for (Future<?> f : futures) {
        f.get(2, TimeUnit.MINUTES);
      }
    } finally {
      done.set(true);
      pool.shutdownNow();
    }
    LSTM twin = new LSTM(opts);
    StreamState twinState = twin.newStreamState(2);
    for (int gen = 0; gen <= writes; gen++) {
      List<Tensor> params = twin.parameters();
      for (int i = 0; i < params.size(); i++) {
        params.get(i).copyFrom(Tensor.fromArray(snapshots.get(gen).get(i), params.get(i).shape()).to(DType.FLOAT32));
      }
      double[] want = infer(twin, twinState);
      for (int r = 0; r < readers; r++) {
        List<double[]> got = seen.get(r).get(gen);
        assertNotNull(got, "reader " + r + " inferred at generation " + gen);
        for (double[] g : got) {
          assertArrayEquals(want, g, 0, "reader " + r + ", generation " + gen);
        }
      }
    }
  }

  /** Waits until every reader has inferred at generation {@code gen}. */
  private static void awaitReaders(AtomicIntegerArray lastSeen, int gen) {
    for (int r = 0; r < lastSeen.length(); r++) {
      while (lastSeen.get(r) < gen) {
        Thread.onSpinWait();
      }
    }
  }

  private static List<double[]> values(RecurrentLayer layer) {
    List<double[]> v = new ArrayList<>();
    for (Tensor p : layer.parameters()) {
      v.add(p.toDoubleArray());
    }
    return v;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Row: zeroGrad during backward (not a supported pattern, but it tears nothing)
  // ---------------------------------------------------------------------------------------------------------------

  /**
   * While threads back-propagate into one leaf, another clears its gradient again and again. Which contributions
   * survive depends on timing, but the gradient afterwards is a whole number k of contributions, the same k for every
   * element: no addition is half applied. Contributions are small integers, so every sum is exact (k·c ≤ 7·600 is far
   * below 2^53).
   */
  @Test
  void zeroGradDuringBackwardLeavesOnlyWholeContributions() throws Exception {
    int n = 29;
    Tensor p = Tensor.zeros(DType.FLOAT64, n).requiresGrad(true);
    Tensor c = Tensor.zeros(DType.FLOAT64, n);
    for (int i = 0; i < n; i++) {
      c.setFlat(i, 1 + i % 7);
    }
    int calls = 200;
    for (int round = 0; round < 5; round++) {
      p.zeroGrad();
      AtomicBoolean stop = new AtomicBoolean();
      int writers = 3;
      concurrently(writers + 1, t -> () -> {
        if (t == writers) {
          while (!stop.get()) {
            p.zeroGrad();
          }
        } else {
          for (int i = 0; i < calls; i++) {
            p.mul(c).sum().backward();
          }
          if (t == 0) {
            stop.set(true);
          }
        }
        return null;
      });
      Tensor g = p.grad();
      if (g == null) {
        continue; // cleared after the last addition: k = 0
      }
      double[] got = g.toDoubleArray();
      double k = got[0] / c.getFlat(0);
      assertTrue(k == Math.rint(k) && k >= 1 && k <= writers * calls, "k = " + k);
      for (int i = 0; i < n; i++) {
        assertEquals(k * c.getFlat(i), got[i], 0, "round " + round + " element " + i);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Row: KernelScope is per thread
  // ---------------------------------------------------------------------------------------------------------------

  /** A scope on one thread changes nothing on another, and a thread started inside a scope does not inherit it. */
  @Test
  @SuppressWarnings("try") // the scope is used for its effect
  void kernelScopeIsPerThread() throws Exception {
    Kernels other = Kernels.get() == Kernels.scalar() ? TestKernels.reassociated() : Kernels.scalar();
    try (KernelScope s = KernelScope.use(other)) {
      assertSame(other, KernelScope.current());
      Kernels[] seenElsewhere = new Kernels[1];
      Thread th = new Thread(() -> seenElsewhere[0] = KernelScope.current());
      th.start();
      th.join();
      assertSame(Kernels.get(), seenElsewhere[0], "a new thread starts on the JVM-wide kernels");
      List<Kernels> fromPool = concurrently(2, t -> KernelScope::current);
      assertSame(Kernels.get(), fromPool.get(0));
      assertSame(Kernels.get(), fromPool.get(1));
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Row: Parallelism's thread count may change while other threads compute
  // ---------------------------------------------------------------------------------------------------------------

  /**
   * Threads run forward and backward through a layer large enough for the engine to split the recurrence across
   * the worker pool, while another thread keeps changing {@link Parallelism#setThreads}: every output and input
   * gradient equals the one-thread result bit for bit. (B = 32, H = 64: a batch block of 16 rows carries
   * 16 · 4H · H = 262,144 multiply-adds per step, above the engine's 2^15 split threshold.)
   */
  @Test
  void threadCountChangesWhileOtherThreadsComputeChangeNoBit() throws Exception {
    int saved = Parallelism.threads();
    try {
      LSTM layer = new LSTM(new RecurrentOptions(16, 64).seed(5));
      Tensor x = Tensor.uniform(DType.FLOAT32, new SplittableRandom(6), -1, 1, 3, 32, 16);
      Parallelism.setThreads(1);
      List<double[]> want = call(layer, x);
      Parallelism.setThreads(3);
      long dispatchesBefore = Parallelism.dispatches();
      AtomicBoolean stop = new AtomicBoolean();
      List<List<List<double[]>>> got = concurrently(4, t -> () -> {
        List<List<double[]>> mine = new ArrayList<>();
        if (t == 3) {
          for (int i = 0; !stop.get(); i++) {
            Parallelism.setThreads(1 + i % 3);
            Thread.sleep(1);
          }
        } else {
          // At least 3 calls each, and more until one of them has run on the pool: the setter's counts include 1,
          // so a short run could otherwise see only one-thread calls (the assertion below then failed once in CI).
          for (int i = 0; i < 3 || (Parallelism.dispatches() == dispatchesBefore && i < 200); i++) {
            mine.add(call(layer, x));
          }
          stop.set(true);
        }
        return mine;
      });
      assertTrue(Parallelism.dispatches() > dispatchesBefore, "the engine handed work to the pool");
      for (int t = 0; t < 3; t++) {
        for (List<double[]> r : got.get(t)) {
          for (int i = 0; i < want.size(); i++) {
            assertArrayEquals(want.get(i), r.get(i), 0, "thread " + t + " result " + i);
          }
        }
      }
    } finally {
      Parallelism.setThreads(saved);
    }
  }

  private static List<double[]> call(RecurrentLayer layer, Tensor x) {
    Tensor xi = x.detach().copy().requiresGrad(true);
    RecurrentOutput o = layer.forward(xi);
    o.output().sum().backward();
    return List.of(o.output().toDoubleArray(), o.hN().toDoubleArray(), xi.grad().toDoubleArray());
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Row: separate models on separate threads share nothing
  // ---------------------------------------------------------------------------------------------------------------

  /** Five training steps (forward, backward, clipping, Adam, zeroGrad) of a model of its own: the final weights. */
  private static List<double[]> train(long seed) {
    LSTM model = new LSTM(new RecurrentOptions(3, 7).numLayers(2).seed(seed));
    Adam opt = new Adam(model.parameters(), 0.01);
    SplittableRandom rng = new SplittableRandom(seed);
    for (int s = 0; s < 5; s++) {
      Tensor out = model.forward(Tensor.uniform(DType.FLOAT32, rng, -1, 1, 5, 3, 3)).output();
      out.mul(out).sum().backward();
      GradientClipping.clipByNorm(model.namedParameters(), 0.5, NonFiniteNorm.THROW);
      opt.step();
      model.zeroGrad();
    }
    return values(model);
  }

  /** Threads train models of their own at once: each ends with the bits of the same training run alone. */
  @Test
  void separateModelsTrainOnSeparateThreadsAsIfAlone() throws Exception {
    List<List<double[]>> alone = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      alone.add(train(t));
    }
    List<List<double[]>> got = concurrently(THREADS, t -> () -> train(t));
    for (int t = 0; t < THREADS; t++) {
      for (int i = 0; i < alone.get(t).size(); i++) {
        assertArrayEquals(alone.get(t).get(i), got.get(t).get(i), 0, "model " + t + " parameter " + i);
      }
    }
  }
}
