package dev.rnn4j.nn.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rnn4j.autograd.NoGrad;
import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.optim.SGD;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.Parallelism;
import dev.rnn4j.tensor.Tensor;
import dev.rnn4j.testing.TestKernels;
import dev.rnn4j.testing.RestoreThreadCount;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The forward pass keeps its packed weights between calls ({@link RecurrentLayer#forwardPack}): it must notice
 * every weight change made through the public API (an optimizer step, {@code copyFrom}, a write followed by
 * {@code markModified}), on both kernel sets, both dtypes, one and two library threads, and calls on two threads at
 * once must get the bits of a layer that never kept anything.
 */
@ExtendWith(RestoreThreadCount.class)
class ForwardPackTest {

  private static final int IN = 19;
  private static final int HID = 37; // crosses the vector width of every species: tails everywhere
  private static final int BATCH = 5;
  private static final int STEPS = 4;

  /** Every cell class, one of them bidirectional (two layer-directions per layer) and one with a projection. */
  private static List<Function<Long, RecurrentLayer>> layers(DType dtype) {
    return List.of(
        seed -> new LSTM(new RecurrentOptions(IN, HID).numLayers(2).dtype(dtype).seed(seed)),
        seed -> new LSTM(new RecurrentOptions(IN, HID).projSize(11).dtype(dtype).seed(seed)),
        seed -> new GRU(new RecurrentOptions(IN, HID).bidirectional(true).dtype(dtype).seed(seed)),
        seed -> new GRU(new RecurrentOptions(IN, HID).resetAfter(false).dtype(dtype).seed(seed)),
        seed -> new RNN(new RecurrentOptions(IN, HID).numLayers(2).dtype(dtype).seed(seed)));
  }

  private static List<Kernels> kernelSets() {
    List<Kernels> sets = new ArrayList<>(List.of(Kernels.scalar()));
    TestKernels.simd().ifPresent(sets::add);
    return sets;
  }

  private static Tensor input(DType dtype, long seed) {
    return Tensor.uniform(dtype, new SplittableRandom(seed), -1, 1, STEPS, BATCH, IN);
  }

  @SuppressWarnings("try")
  private static double[] forwardNoGrad(RecurrentLayer layer, Tensor x) {
    try (NoGrad g = NoGrad.enter()) {
      return layer.forward(x).output().toDoubleArray();
    }
  }

  /** A layer that never ran, holding {@code layer}'s current weights: its forward packs them afresh. */
  private static double[] freshForward(Function<Long, RecurrentLayer> make, RecurrentLayer layer, Tensor x) {
    RecurrentLayer fresh = make.apply(99L);
    for (int i = 0; i < fresh.parameters().size(); i++) {
      fresh.parameters().get(i).copyFrom(layer.parameters().get(i).detach());
    }
    return forwardNoGrad(fresh, x);
  }

  private static void sgdStep(RecurrentLayer layer) {
    for (Tensor p : layer.parameters()) {
      p.requiresGrad(true);
    }
    Tensor loss = layer.forward(input(layer.dtype(), 3)).output().sum();
    loss.backward();
    new SGD(layer.parameters(), 0.5).step();
    for (Tensor p : layer.parameters()) {
      p.requiresGrad(false);
    }
  }

  private static void copyFromOneMatrix(RecurrentLayer layer) {
    Tensor w = layer.parameters().get(1); // weight_hh_l0
    w.copyFrom(Tensor.uniform(w.dtype(), new SplittableRandom(5), -1, 1, w.shape()));
  }

  private static void writeAndMark(RecurrentLayer layer) {
    Tensor w = layer.parameters().get(0); // weight_ih_l0
    w.setFlat(7, w.getFlat(7) + 1);
    w.markModified();
  }

  @Test
  void anOptimizerStepReachesTheForwardPass() {
    weightChangeReachesTheForwardPass("SGD step", ForwardPackTest::sgdStep);
  }

  @Test
  void copyFromReachesTheForwardPass() {
    weightChangeReachesTheForwardPass("copyFrom", ForwardPackTest::copyFromOneMatrix);
  }

  @Test
  void aWriteFollowedByMarkModifiedReachesTheForwardPass() {
    weightChangeReachesTheForwardPass("setFlat + markModified", ForwardPackTest::writeAndMark);
  }

  /**
   * Control: the comparison does see stale packed weights. A direct write into the backing array without
   * {@code markModified} is not noticed (as documented), and the forward pass then differs from a fresh layer's.
   */
  @Test
  void controlADirectWriteWithoutMarkModifiedIsNotSeen() {
    assertThrows(AssertionError.class, () -> weightChangeReachesTheForwardPass("direct write", layer -> {
      Tensor w = layer.parameters().get(1);
      if (w.dtype() == DType.FLOAT32) {
        w.floatData()[w.offset() + 3] += 1f;
      } else {
        w.doubleData()[w.offset() + 3] += 1;
      }
    }));
  }

  /**
   * Runs a forward (which packs), changes the weights with {@code change}, runs again, and compares bit for bit with
   * a fresh layer holding the changed weights; on each kernel set, dtype and library thread count.
   */
  @SuppressWarnings("try")
  private static void weightChangeReachesTheForwardPass(String what, Consumer<RecurrentLayer> change) {
    for (Kernels kernels : kernelSets()) {
      for (int threads = 1; threads <= 2; threads++) {
        Parallelism.setThreads(threads);
        for (DType dtype : DType.values()) {
          for (Function<Long, RecurrentLayer> make : layers(dtype)) {
            try (KernelScope s = KernelScope.use(kernels)) {
              RecurrentLayer layer = make.apply(1L);
              Tensor x = input(dtype, 9);
              forwardNoGrad(layer, x);
              forwardNoGrad(layer, x); // the second call with the same weights keeps a pack
              StreamPack before = layer.forwardPack();
              assertNotNull(before, "the forward pass keeps its packed weights");
              change.accept(layer);
              String where = layer.config().name() + " " + dtype + " on " + kernels.name() + ", " + threads
                  + " thread(s), after " + what;
              double[] want = freshForward(make, layer, x);
              // the first call after the change packs into its runner, the second keeps a new pack
              assertArrayEquals(want, forwardNoGrad(layer, x), where + ": the forward used stale weights");
              double[] got = forwardNoGrad(layer, x);
              assertArrayEquals(want, got, where + ", with the new kept pack");
              assertNotSame(before, layer.forwardPack(), where + ": packed again");
              // the recording forward (of forward + backward) takes the same packed weights
              for (Tensor p : layer.parameters()) {
                p.requiresGrad(true);
              }
              assertArrayEquals(got, layer.forward(x).output().toDoubleArray(), where + ", recording");
            }
          }
        }
      }
    }
  }

  @Test
  @SuppressWarnings("try")
  void unchangedWeightsArePackedOnceAndSharedWithTheStreamingSteps() {
    try (KernelScope s = KernelScope.use(TestKernels.simd().orElse(Kernels.scalar()))) {
      LSTM layer = new LSTM(new RecurrentOptions(IN, HID).numLayers(2).seed(1));
      Tensor x = input(DType.FLOAT32, 9);
      forwardNoGrad(layer, x);
      assertNull(layer.forwardPack(), "one call keeps nothing (a training loop changes the weights every call)");
      forwardNoGrad(layer, x);
      StreamPack first = layer.forwardPack();
      assertNotNull(first, "a second call with the same weights keeps a pack");
      forwardNoGrad(layer, input(DType.FLOAT32, 10));
      assertSame(first, layer.forwardPack(), "unchanged weights: no repacking");
      layer.step(x.select(0), layer.newStreamState(BATCH));
      assertSame(first, layer.streamPack(), "the steps share the forward passes' packed copy");
      copyFromOneMatrix(layer);
      forwardNoGrad(layer, x);
      assertSame(first, layer.forwardPack(), "changed weights: the first call packs into its runner");
      forwardNoGrad(layer, x);
      assertNotSame(first, layer.forwardPack(), "the second call keeps a new pack");
    }
    // another kernel set packs its own copy (the layout is the kernels')
    if (TestKernels.simd().isPresent()) {
      LSTM layer = new LSTM(new RecurrentOptions(IN, HID).seed(1));
      Tensor x = input(DType.FLOAT32, 9);
      StreamPack simd;
      try (KernelScope s = KernelScope.use(TestKernels.simd().get())) {
        forwardNoGrad(layer, x);
        forwardNoGrad(layer, x);
        simd = layer.forwardPack();
      }
      double[] got;
      try (KernelScope s = KernelScope.use(Kernels.scalar())) {
        assertArrayEquals(freshForward(seed -> new LSTM(new RecurrentOptions(IN, HID).seed(seed)), layer, x),
            forwardNoGrad(layer, x));
        got = forwardNoGrad(layer, x);
        assertNotSame(simd, layer.forwardPack(), "other kernels: packed again");
        assertArrayEquals(freshForward(seed -> new LSTM(new RecurrentOptions(IN, HID).seed(seed)), layer, x), got);
      }
    }
  }

  /**
   * A training loop changes the weights before every forward: it keeps no pack (which would need new storage every
   * step) and its forwards equal a fresh layer's.
   */
  @Test
  @SuppressWarnings("try")
  void aTrainingLoopKeepsNoPack() {
    for (DType dtype : DType.values()) {
      Function<Long, RecurrentLayer> make = seed -> new LSTM(new RecurrentOptions(IN, HID).dtype(dtype).seed(seed));
      RecurrentLayer layer = make.apply(1L);
      Tensor x = input(dtype, 9);
      try (KernelScope s = KernelScope.use(TestKernels.simd().orElse(Kernels.scalar()))) {
        for (int i = 0; i < 3; i++) {
          sgdStep(layer); // one forward (recording), backward, weight update
          assertNull(layer.forwardPack(), dtype + ", step " + i + ": no pack kept");
        }
        assertArrayEquals(freshForward(make, layer, x), forwardNoGrad(layer, x), dtype + " after the steps");
      }
    }
  }

  /**
   * Two threads call forward on one layer at once, over and over, with a weight change between rounds (ordered with
   * the calls, as the threading contract asks): each call gets the bits of a fresh layer with the same weights.
   */
  @Test
  @SuppressWarnings("try")
  void callsOnTwoThreadsAtOnceGetTheCurrentWeights() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (Kernels kernels : kernelSets()) {
        for (DType dtype : DType.values()) {
          Function<Long, RecurrentLayer> make = seed -> new GRU(new RecurrentOptions(IN, HID).numLayers(2)
              .dtype(dtype).seed(seed));
          RecurrentLayer layer = make.apply(1L);
          Tensor[] xs = {input(dtype, 20), input(dtype, 21)};
          for (int round = 0; round < 3; round++) {
            double[][] want = new double[2][];
            try (KernelScope s = KernelScope.use(kernels)) {
              for (int t = 0; t < 2; t++) {
                want[t] = freshForward(make, layer, xs[t]);
              }
            }
            List<Future<?>> calls = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
              Tensor x = xs[t];
              double[] expected = want[t];
              String where = dtype + " on " + kernels.name() + ", round " + round + ", thread " + t;
              calls.add(pool.submit(() -> {
                try (KernelScope s = KernelScope.use(kernels)) {
                  for (int i = 0; i < 10; i++) {
                    assertArrayEquals(expected, forwardNoGrad(layer, x), where + ", call " + i);
                  }
                }
                return null;
              }));
            }
            for (Future<?> f : calls) {
              f.get();
            }
            copyFromOneMatrix(layer);
            writeAndMark(layer);
          }
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
