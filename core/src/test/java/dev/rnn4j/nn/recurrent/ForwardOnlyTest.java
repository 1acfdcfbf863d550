package dev.rnn4j.nn.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.autograd.NoGrad;
import dev.rnn4j.kernels.CacheHierarchy;
import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.nn.recurrent.internal.DoubleRecurrentEngine;
import dev.rnn4j.nn.recurrent.internal.WorkSplit;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.Parallelism;
import dev.rnn4j.tensor.Tensor;
import dev.rnn4j.testing.TestKernels;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Inference on one thread projects the input a few steps at a time into a ring of gate rows
 * ({@code Trace.forwardOnly}); a forward that records a graph keeps all T steps' gate rows. Both must give the same
 * bits, for every cell, both directions, ragged batches and given initial states; and a backward through a
 * forward-only trace must refuse.
 */
class ForwardOnlyTest {

  private static final int INPUT = 5;
  // Small rows keep the test fast: the ring holds a quarter of L2, so the steps it needs grow as 1 / (B H) while a
  // step's work grows as B H^2. 20 is no multiple of a vector's lanes, so the SIMD kernels' tails run too.
  private static final int HIDDEN = 20;
  private static final int BATCH = 16;

  private static List<Kernels> kernels() {
    List<Kernels> all = new ArrayList<>(List.of(Kernels.scalar()));
    TestKernels.simd().ifPresent(all::add);
    return all;
  }

  /**
   * The layers run on the SIMD kernels where they exist (their packed product sends rows through different kernels by
   * position, which the ring changes; the scalar spec's rows are plain loops), else on the scalar spec. Both at the
   * lengths here would take several seconds more.
   */
  private static Kernels layerKernels() {
    return TestKernels.simd().orElse(Kernels.scalar());
  }

  private static List<Supplier<RecurrentLayer>> layers() {
    return List.of(
        () -> new LSTM(options()),
        () -> new LSTM(options().peephole(true)),
        () -> new LSTM(options().projSize(HIDDEN / 2)),
        () -> new GRU(options()),
        () -> new GRU(options().resetAfter(false)),
        () -> new RNN(options()),
        () -> new RNN(options().nonlinearity(RecurrentOptions.Nonlinearity.RELU)));
  }

  private static RecurrentOptions options() {
    return new RecurrentOptions(INPUT, HIDDEN).bidirectional(true).seed(11);
  }

  /**
   * Steps enough for at least two full rings and a partial third for every cell, whatever this machine's L2 (the
   * ring's length follows it): the narrowest gate row here (the RNN's, H wide) gives the longest ring.
   */
  private static int steps() {
    int ring = WorkSplit.ringSteps(BATCH, HIDDEN, Float.BYTES);
    return 2 * ring + 3;
  }

  @Test
  @SuppressWarnings("try") // the kernel scope is used for its effect only
  void inferenceGivesTheBitsOfARecordedForward() {
    int saved = Parallelism.threads();
    Parallelism.setThreads(1);
    try {
      int steps = steps();
      SplittableRandom rnd = new SplittableRandom(3);
      Kernels k = layerKernels();
      for (Supplier<RecurrentLayer> make : layers()) {
        RecurrentLayer layer = make.get();
        String what = k.name() + " " + layer.config().kind() + " proj=" + layer.config().projSize() + " peephole="
            + layer.config().peephole();
        int[] ragged = new int[BATCH];
        for (int b = 0; b < BATCH; b++) {
          ragged[b] = 1 + (int) ((long) b * 7919 % steps);
        }
        ragged[3] = steps;
        for (int[] lengths : new int[][] {null, ragged}) {
          Tensor x = uniform(rnd, steps, BATCH, INPUT);
          int dirs = 2;
          Tensor h0 = uniform(rnd, dirs, BATCH, layer.config().stateSize());
          Tensor c0 = layer.config().kind().hasCellState() ? uniform(rnd, dirs, BATCH, HIDDEN) : null;
          RecurrentOutput inferred;
          RecurrentOutput recorded;
          try (KernelScope scope = KernelScope.use(k)) {
            inferred = NoGrad.get(() -> layer.forward(x, h0, c0, lengths));
            x.requiresGrad(true);
            recorded = layer.forward(x, h0, c0, lengths);
            x.requiresGrad(false);
          }
          String where = what + " lengths=" + (lengths == null ? "all" : "ragged");
          assertTrue(recorded.output().requiresGrad(), where + ": the second forward must record a graph");
          assertArrayEquals(recorded.output().toFloatArray(), inferred.output().toFloatArray(), where + ": output");
          assertArrayEquals(recorded.hN().toFloatArray(), inferred.hN().toFloatArray(), where + ": hN");
          if (c0 != null) {
            assertArrayEquals(recorded.cN().toFloatArray(), inferred.cN().toFloatArray(), where + ": cN");
          }
        }
      }
    } finally {
      Parallelism.setThreads(saved);
    }
  }

  /**
   * Without a graph the forward direction writes its states straight into the output rows (one direction, or the
   * first of two summed ones; every layer) and layer 0 reads the caller's input in place when its rows are in the
   * engine's order (time-major, longest first). The bits must be those of a recorded forward, which copies both:
   * ragged with the lengths sorted (read in place) and not, with and without initial states, batch-first, float64, on
   * one thread (the ring). The input's padding past each sequence's end is NaN: read in place, its projections must
   * reach no output.
   */
  @Test
  void inferenceWritingTheOutputsStraightGivesTheBitsOfARecordedForward() {
    int saved = Parallelism.threads();
    Parallelism.setThreads(1);
    try {
      // two layers of two summed directions: the first direction of each layer writes straight, layer 1 reads
      // layer 0's rows
      List<Supplier<RecurrentOptions>> configs = List.of(
          () -> plain(HIDDEN), () -> plain(HIDDEN).batchFirst(true), () -> plain(HIDDEN).dtype(DType.FLOAT64),
          () -> plain(HIDDEN).numLayers(2).bidirectional(true).merge(MergeMode.SUM));
      List<Function<RecurrentOptions, RecurrentLayer>> cells = List.of(
          LSTM::new, o -> new LSTM(o.projSize(HIDDEN / 2)), o -> new LSTM(o.peephole(true)), GRU::new,
          o -> new GRU(o.resetAfter(false)), RNN::new,
          o -> new RNN(o.nonlinearity(RecurrentOptions.Nonlinearity.RELU)));
      for (Supplier<RecurrentOptions> config : configs) {
        for (Function<RecurrentOptions, RecurrentLayer> make : cells) {
          assertStraightOutputsMatch(make.apply(config.get()), 13, BATCH, "1 thread");
        }
      }
    } finally {
      Parallelism.setThreads(saved);
    }
  }

  /**
   * The same on two threads, where the forward-only pass runs the projection up front and the recurrence in batch
   * blocks (no ring), each block writing its own output rows: a batch of two blocks of 16 rows, H large enough that
   * a block is worth a task (WorkSplit.MIN_BLOCK_STEP_WORK).
   */
  @Test
  void twoThreadsWritingTheOutputsStraightGiveTheBitsOfARecordedForward() {
    int saved = Parallelism.threads();
    Parallelism.setThreads(2);
    try {
      int hidden = 48;
      for (Function<RecurrentOptions, RecurrentLayer> make : List.<Function<RecurrentOptions, RecurrentLayer>>of(
          LSTM::new, GRU::new, RNN::new)) {
        assertStraightOutputsMatch(make.apply(plain(hidden)), 4, 32, "2 threads");
      }
    } finally {
      Parallelism.setThreads(saved);
    }
  }

  @SuppressWarnings("try") // the kernel scope is used for its effect only
  private static void assertStraightOutputsMatch(RecurrentLayer layer, int steps, int batch, String threads) {
    Kernels k = layerKernels();
    RecurrentConfig c = layer.config();
    DType dtype = layer.dtype();
    int[] sorted = new int[batch];
    int[] unsorted = new int[batch];
    for (int b = 0; b < batch; b++) {
      sorted[b] = steps - (int) ((long) b * (steps - 1) / batch); // steps down to 2: non-increasing
      unsorted[b] = 1 + (int) ((long) b * 7919 % steps);
    }
    unsorted[3] = steps;
    SplittableRandom rnd = new SplittableRandom(17);
    for (int[] lengths : new int[][] {null, sorted, unsorted}) {
      for (boolean states : new boolean[] {false, true}) {
        String where = k.name() + " " + threads + " " + c.kind() + " layers=" + c.numLayers() + " dirs="
            + c.directions() + " batchFirst=" + c.batchFirst() + " " + dtype + " proj=" + c.projSize() + " peephole="
            + c.peephole() + " lengths=" + (lengths == null ? "all" : lengths == sorted ? "sorted" : "unsorted")
            + " states=" + states;
        Tensor x = paddedInput(rnd, c, dtype, steps, batch, lengths);
        int n = c.numLayers() * c.directions();
        Tensor h0 = states ? uniform(rnd, dtype, n, batch, c.stateSize()) : null;
        Tensor c0 = states && c.kind().hasCellState() ? uniform(rnd, dtype, n, batch, c.hiddenSize()) : null;
        RecurrentOutput inferred;
        RecurrentOutput recorded;
        try (KernelScope scope = KernelScope.use(k)) {
          inferred = NoGrad.get(() -> layer.forward(x, h0, c0, lengths));
          x.requiresGrad(true);
          recorded = layer.forward(x, h0, c0, lengths);
          x.requiresGrad(false);
        }
        assertTrue(recorded.output().requiresGrad(), where + ": the second forward must record a graph");
        assertArrayEquals(recorded.output().toDoubleArray(), inferred.output().toDoubleArray(), where + ": output");
        assertArrayEquals(recorded.hN().toDoubleArray(), inferred.hN().toDoubleArray(), where + ": hN");
        if (c.kind().hasCellState()) {
          assertArrayEquals(recorded.cN().toDoubleArray(), inferred.cN().toDoubleArray(), where + ": cN");
        }
      }
    }
  }

  private static RecurrentOptions plain(int hidden) {
    return new RecurrentOptions(INPUT, hidden).seed(13);
  }

  /** A [T, B, I] input (or [B, T, I] batch-first) whose rows past each sequence's end are NaN. */
  private static Tensor paddedInput(SplittableRandom rnd, RecurrentConfig c, DType dtype, int steps, int batch,
                                    int[] lengths) {
    Tensor x = c.batchFirst() ? uniform(rnd, dtype, batch, steps, INPUT) : uniform(rnd, dtype, steps, batch, INPUT);
    for (int b = 0; lengths != null && b < batch; b++) {
      for (int t = lengths[b]; t < steps; t++) {
        int row = c.batchFirst() ? b * steps + t : t * batch + b;
        for (int i = 0; i < INPUT; i++) {
          if (dtype == DType.FLOAT64) {
            x.doubleData()[x.offset() + row * INPUT + i] = Double.NaN;
          } else {
            x.floatData()[x.offset() + row * INPUT + i] = Float.NaN;
          }
        }
      }
    }
    x.markModified();
    return x;
  }

  /** The ring's length follows L2 and the row size; no ring (0) when one step's rows exceed a quarter of L2. */
  @Test
  void theRingFillsAQuarterOfL2() {
    long l2 = CacheHierarchy.detected().l2Bytes();
    assertEquals(l2 / 4 / (32L * 1024 * 4), WorkSplit.ringSteps(32, 1024, 4));
    assertEquals(1, WorkSplit.ringSteps(1, (int) (l2 / 4), 1));
    assertEquals(0, WorkSplit.ringSteps(1, (int) (l2 / 4) + 1, 1));
  }

  @Test
  void aBackwardThroughAForwardOnlyTraceRefuses() {
    int saved = Parallelism.threads();
    Parallelism.setThreads(1);
    try {
      for (Kernels k : kernels()) {
        EngineCall call = new EngineCall(k, CellKind.LSTM);
        call.trace.forwardOnly(true);
        call.forward();
        IllegalStateException e = assertThrows(IllegalStateException.class, call::backward, k.name());
        assertTrue(e.getMessage().contains("forwardOnly"), e.getMessage());
        // A forward that keeps the trace serves the backward again, with the gradients of a fresh engine.
        call.trace.forwardOnly(false);
        call.forward();
        call.backward();
        EngineCall fresh = new EngineCall(k, CellKind.LSTM);
        fresh.forward();
        fresh.backward();
        assertArrayEquals(fresh.gradients(), call.gradients(), k.name());
      }
    } finally {
      Parallelism.setThreads(saved);
    }
  }

  /** States written into the caller's rows leave the trace without them: only a forward-only pass may do it. */
  @Test
  void statesWrittenStraightNeedAForwardOnlyTraceInTheForwardDirection() {
    EngineCall call = new EngineCall(Kernels.scalar(), CellKind.GRU);
    double[] out = new double[call.steps * call.batch * call.hidden];
    DoubleRecurrentEngine.Sequence forward = new DoubleRecurrentEngine.Sequence(call.x, 0, call.steps, call.batch,
        call.batchSizes, false);
    DoubleRecurrentEngine.Sequence reverse = new DoubleRecurrentEngine.Sequence(call.x, 0, call.steps, call.batch,
        call.batchSizes, true);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> call.engine.forward(forward, call.w,
        DoubleRecurrentEngine.States.NONE, call.trace, out, 0));
    assertTrue(e.getMessage().contains("forwardOnly false"), e.getMessage());
    call.trace.forwardOnly(true);
    e = assertThrows(IllegalStateException.class, () -> call.engine.forward(reverse, call.w,
        DoubleRecurrentEngine.States.NONE, call.trace, out, 0));
    assertTrue(e.getMessage().contains("reverse true"), e.getMessage());
    // Allowed, and the states are those the trace gets without out.
    call.engine.forward(forward, call.w, DoubleRecurrentEngine.States.NONE, call.trace, out, 0);
    call.trace.forwardOnly(false);
    call.forward();
    for (int t = 0; t < call.steps; t++) {
      int bh = call.batch * call.hidden;
      double[] slot = java.util.Arrays.copyOfRange(call.trace.states(), call.engine.outputOffset(call.trace, t),
          call.engine.outputOffset(call.trace, t) + bh);
      assertArrayEquals(slot, java.util.Arrays.copyOfRange(out, t * bh, (t + 1) * bh), "step " + t);
    }
  }

  private static Tensor uniform(SplittableRandom rnd, int... shape) {
    return uniform(rnd, DType.FLOAT32, shape);
  }

  private static Tensor uniform(SplittableRandom rnd, DType dtype, int... shape) {
    Tensor t = Tensor.zeros(dtype, shape);
    for (int i = t.offset(); i < t.offset() + t.numel(); i++) {
      if (dtype == DType.FLOAT64) {
        t.doubleData()[i] = rnd.nextDouble(-1, 1);
      } else {
        t.floatData()[i] = (float) rnd.nextDouble(-1, 1);
      }
    }
    t.markModified();
    return t;
  }
}
