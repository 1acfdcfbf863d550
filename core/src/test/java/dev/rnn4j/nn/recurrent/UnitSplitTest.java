package dev.rnn4j.nn.recurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.autograd.NoGrad;
import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.nn.recurrent.internal.WorkSplit;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.Parallelism;
import dev.rnn4j.tensor.Tensor;
import dev.rnn4j.testing.TestKernels;
import dev.rnn4j.testing.RestoreThreadCount;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Inference on two threads for a batch too small to split by rows splits every step by hidden units
 * ({@code UnitSplit}). Its outputs and final states must have the bits of the one-thread pass for every cell that
 * splits (plain LSTM, GRU, RNN with tanh and relu), both directions, with and without biases and initial states,
 * stacked, batch-first, ragged rings of input projections, both dtypes and both kernel sets; and a pass whose second
 * thread never comes must run on the caller alone, with the same bits.
 */
@ExtendWith(RestoreThreadCount.class)
class UnitSplitTest {

  private static final int INPUT = 7;

  private static List<Kernels> kernels() {
    List<Kernels> all = new ArrayList<>(List.of(Kernels.scalar()));
    TestKernels.simd().ifPresent(all::add);
    return all;
  }

  /** A layer of one cell kind, hidden size H, on top of the options {@code o}. */
  private record Cell(String name, int batch1Hidden, Function<RecurrentOptions, RecurrentLayer> make) {}

  /**
   * Hidden sizes give a step at batch 1 at least the split's 2^15 multiply-adds (G H^2: LSTM 4 * 96^2, GRU
   * 3 * 112^2, RNN 184^2), so that 32 steps make the 2^20 of a pass, and units that do not halve into whole vectors
   * (96 = 48 + 48 is 3 vectors of 16 lanes per range; 112 splits 64 + 48, 184 splits 96 + 88).
   */
  private static List<Cell> cells() {
    return List.of(
        new Cell("LSTM", 96, LSTM::new),
        new Cell("GRU", 112, GRU::new),
        new Cell("RNN tanh", 184, RNN::new),
        new Cell("RNN relu", 184, o -> new RNN(o.nonlinearity(RecurrentOptions.Nonlinearity.RELU))));
  }

  @Test
  void inferenceSplitByUnitsGivesTheBitsOfOneThread() {
    SplittableRandom rnd = new SplittableRandom(5);
    for (Kernels k : kernels()) {
      for (Cell cell : cells()) {
        int h = cell.batch1Hidden();
        List<RecurrentOptions> configs = List.of(
            new RecurrentOptions(INPUT, h),
            new RecurrentOptions(INPUT, h).bias(false),
            new RecurrentOptions(INPUT, h).bidirectional(true),
            new RecurrentOptions(INPUT, h).numLayers(2).batchFirst(true),
            new RecurrentOptions(INPUT, h).dtype(DType.FLOAT64));
        for (RecurrentOptions o : configs) {
          RecurrentLayer layer = cell.make().apply(o.seed(rnd.nextLong()));
          for (boolean states : new boolean[] {false, true}) {
            String what = k.name() + " " + cell.name() + " H=" + h + " bias=" + layer.config().bias() + " dirs="
                + layer.config().directions() + " layers=" + layer.config().numLayers() + " " + layer.dtype()
                + " states=" + states;
            assertSplitMatchesOneThread(k, layer, 32, 1, states, rnd, what);
          }
        }
      }
    }
  }

  /**
   * Several rows (B = 3: the per-row pointwise calls of a range) and more steps than one ring of input projections
   * holds, so that a later ring is projected by whichever thread claims its first step.
   */
  @Test
  void severalRowsAndSeveralRingsGiveTheBitsOfOneThread() {
    SplittableRandom rnd = new SplittableRandom(6);
    int batch = 3;
    for (Kernels k : kernels()) {
      for (Cell cell : cells()) {
        int hidden = cell.name().startsWith("RNN") ? 112 : 64; // B * G * H^2 >= 2^15
        RecurrentLayer layer = cell.make().apply(new RecurrentOptions(INPUT, hidden).bidirectional(true)
            .seed(rnd.nextLong()));
        int gates = layer.config().kind() == CellKind.LSTM ? 4 : layer.config().kind() == CellKind.GRU ? 3 : 1;
        int ring = WorkSplit.ringSteps(batch, gates * layer.config().hiddenSize(), Float.BYTES);
        assertSplitMatchesOneThread(k, layer, 2 * ring + 3, batch, true, rnd,
            k.name() + " " + cell.name() + " B=" + batch + " ring=" + ring);
      }
    }
  }

  /**
   * A recorded forward splits its steps too (the trace's gate rows are read and written back by range), and the
   * backward through it must then give the gradients of the one-thread pass bit for bit: of the input, the initial
   * states and every parameter.
   */
  @Test
  void aRecordedForwardAndItsBackwardGiveTheBitsOfOneThread() {
    SplittableRandom rnd = new SplittableRandom(8);
    for (Kernels k : kernels()) {
      for (Cell cell : cells()) {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
          RecurrentLayer layer = cell.make().apply(new RecurrentOptions(INPUT, cell.batch1Hidden()).bidirectional(true)
              .dtype(dtype).seed(rnd.nextLong()));
          assertTrainingMatchesOneThread(k, layer, 32, 2, rnd, k.name() + " " + cell.name() + " " + dtype);
        }
      }
    }
  }

  @SuppressWarnings("try") // the kernel scope is used for its effect only
  private static void assertTrainingMatchesOneThread(Kernels k, RecurrentLayer layer, int steps, int batch,
                                                     SplittableRandom rnd, String what) {
    RecurrentConfig c = layer.config();
    DType dtype = layer.dtype();
    int n = c.numLayers() * c.directions();
    Tensor x = Tensor.normal(dtype, rnd, 0, 1, steps, batch, INPUT);
    Tensor h0 = Tensor.normal(dtype, rnd, 0, 1, n, batch, c.stateSize());
    Tensor c0 = c.kind().hasCellState() ? Tensor.normal(dtype, rnd, 0, 1, n, batch, c.hiddenSize()) : null;
    // a random output gradient, so that every output element's gradient differs
    Tensor dOut = Tensor.normal(dtype, rnd, 0, 1, steps, batch, c.outputSize());
    List<double[]> one = new ArrayList<>();
    List<double[]> two = new ArrayList<>();
    long dispatched = 0;
    for (int threads = 1; threads <= 2; threads++) {
      List<double[]> into = threads == 1 ? one : two;
      try (KernelScope scope = KernelScope.use(k)) {
        Parallelism.setThreads(threads);
        for (Tensor t : layer.parameters()) {
          t.zeroGrad();
        }
        List<Tensor> leaves = new ArrayList<>(List.of(x, h0));
        if (c0 != null) {
          leaves.add(c0);
        }
        for (Tensor t : leaves) {
          t.requiresGrad(true);
          t.zeroGrad();
        }
        long before = Parallelism.dispatches();
        RecurrentOutput out = layer.forward(x, h0, c0, null);
        dispatched = Parallelism.dispatches() - before;
        out.output().mul(dOut).sum().backward();
        into.add(out.output().toDoubleArray());
        into.add(out.hN().toDoubleArray());
        for (Tensor t : leaves) {
          into.add(t.grad().toDoubleArray());
          t.requiresGrad(false);
        }
        for (Tensor t : layer.parameters()) {
          into.add(t.grad().toDoubleArray());
        }
      }
    }
    assertTrue(dispatched >= n, what + ": every direction splits its steps (" + dispatched + " dispatches)");
    for (int i = 0; i < one.size(); i++) {
      assertBits(what + ": array " + i + " (output, hN, the inputs' then the parameters' gradients)", one.get(i),
          two.get(i));
    }
  }

  /**
   * The pool's only thread is kept busy by another call's task, so the split pass's second participant comes only
   * after the caller has claimed every part: the pass runs on the caller alone and must give the same bits.
   */
  @Test
  void aPassWhoseSecondThreadNeverComesRunsOnTheCaller() throws Exception {
    Parallelism.setThreads(2);
    CountDownLatch occupied = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread other = new Thread(() -> Parallelism.forEach(2, i -> {
      if (Thread.currentThread().getName().startsWith("rnn4j-worker")) {
        occupied.countDown();
        await(release);
      } else {
        await(occupied); // the caller's task waits until the pool's thread holds the other one
      }
    }), "occupier");
    other.start();
    try {
      assertTrue(occupied.await(30, TimeUnit.SECONDS), "the pool's thread never took the occupying task");
      SplittableRandom rnd = new SplittableRandom(7);
      for (Kernels k : kernels()) {
        assertSplitMatchesOneThread(k, new LSTM(new RecurrentOptions(INPUT, 96).seed(3)), 32, 1, true, rnd,
            k.name() + " LSTM, pool thread busy");
      }
    } finally {
      release.countDown();
      other.join(30_000);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Runs the same inference on one thread, then on two (asserting that a task was handed out: the split ran), and
   * compares outputs and final states bit for bit.
   */
  @SuppressWarnings("try") // the kernel scope is used for its effect only
  private static void assertSplitMatchesOneThread(Kernels k, RecurrentLayer layer, int steps, int batch,
                                                  boolean states, SplittableRandom rnd, String what) {
    RecurrentConfig c = layer.config();
    DType dtype = layer.dtype();
    Tensor x = c.batchFirst() ? Tensor.normal(dtype, rnd, 0, 1, batch, steps, INPUT)
        : Tensor.normal(dtype, rnd, 0, 1, steps, batch, INPUT);
    int n = c.numLayers() * c.directions();
    Tensor h0 = states ? Tensor.normal(dtype, rnd, 0, 1, n, batch, c.stateSize()) : null;
    Tensor c0 = states && c.kind().hasCellState() ? Tensor.normal(dtype, rnd, 0, 1, n, batch, c.hiddenSize()) : null;
    int saved = Parallelism.threads();
    RecurrentOutput one;
    RecurrentOutput two;
    long dispatched;
    try (KernelScope scope = KernelScope.use(k)) {
      Parallelism.setThreads(1);
      one = NoGrad.get(() -> layer.forward(x, h0, c0, null));
      Parallelism.setThreads(2);
      dispatched = Parallelism.dispatches();
      two = NoGrad.get(() -> layer.forward(x, h0, c0, null));
    } finally {
      Parallelism.setThreads(saved);
    }
    assertEquals(dispatched + n, Parallelism.dispatches(), what + ": every layer and direction splits its steps");
    assertBits(what + ": output", one.output(), two.output());
    assertBits(what + ": hN", one.hN(), two.hN());
    if (c.kind().hasCellState()) {
      assertBits(what + ": cN", one.cN(), two.cN());
    }
  }

  private static void assertBits(String what, Tensor want, Tensor got) {
    assertBits(what, want.toDoubleArray(), got.toDoubleArray());
  }

  private static void assertBits(String what, double[] a, double[] b) {
    assertEquals(a.length, b.length, what);
    for (int i = 0; i < a.length; i++) {
      if (Double.doubleToRawLongBits(a[i]) != Double.doubleToRawLongBits(b[i])) {
        throw new AssertionError(what + "[" + i + "] differs: " + a[i] + " on one thread, " + b[i] + " on two");
      }
    }
  }
}
