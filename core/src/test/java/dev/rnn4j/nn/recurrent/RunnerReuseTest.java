package dev.rnn4j.nn.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.autograd.NoGrad;
import dev.rnn4j.autograd.Ops;
import dev.rnn4j.kernels.DoubleKernels;
import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.kernels.ScalarDoubleKernels;
import dev.rnn4j.nn.recurrent.internal.DoubleStackRunner;
import dev.rnn4j.nn.recurrent.internal.RunnerPool;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A layer reuses its stack runners (traces and scratch) across calls through its {@link RunnerPool}. A reused
 * runner holds the arrays of earlier, differently shaped calls, so every check here compares a layer with the
 * default pool against an identical layer that keeps no idle runner (a fresh runner per call, the behaviour before
 * pooling), bit for bit, on the scalar kernels (deterministic: the same arguments give the same bits). Both layers
 * are built from the same options and seed, so they hold the same weights and draw the same dropout seeds.
 */
class RunnerReuseTest {

  private static final Kernels SCALAR = Kernels.scalar();

  /** One call: sizes, lengths (null: all full), whether h0 (and c0) are given, train/eval, and under NoGrad. */
  private record Call(int batch, int steps, int[] lengths, boolean states, boolean train, boolean noGrad) {}

  // Shapes grow, shrink and grow again; lengths vary (rows of a reused buffer that belonged to running rows of an
  // earlier call now lie past a sequence's end); eval and NoGrad calls sit between training calls (the dropout masks
  // of an earlier call must not survive into an eval call).
  private static final List<Call> CALLS = List.of(
      new Call(4, 6, new int[] {6, 3, 5, 1}, true, true, false),
      new Call(2, 3, null, false, true, false),
      new Call(5, 8, new int[] {2, 8, 8, 5, 1}, true, false, false),
      new Call(3, 4, null, true, true, true),
      new Call(4, 6, new int[] {1, 6, 2, 6}, false, true, false),
      new Call(6, 9, new int[] {9, 1, 4, 9, 2, 3}, true, true, false),
      new Call(1, 9, null, true, true, false));

  /** Everything a call produces, as float64 arrays in a fixed order (outputs, then input and parameter gradients). */
  private static List<double[]> run(RecurrentLayer layer, Call call, long seed) {
    DType dt = layer.dtype();
    RecurrentConfig cfg = layer.config();
    SplittableRandom rng = new SplittableRandom(seed);
    int[] xShape = cfg.batchFirst() ? new int[] {call.batch, call.steps, cfg.inputSize()}
        : new int[] {call.steps, call.batch, cfg.inputSize()};
    int[] sShape = {cfg.numLayers() * cfg.directions(), call.batch, cfg.hiddenSize()};
    boolean lstm = cfg.kind().hasCellState();
    Tensor x = Tensor.uniform(dt, rng, -1, 1, xShape).requiresGrad(true);
    Tensor h0 = call.states ? Tensor.uniform(dt, rng, -1, 1, sShape).requiresGrad(true) : null;
    Tensor c0 = call.states && lstm ? Tensor.uniform(dt, rng, -1, 1, sShape).requiresGrad(true) : null;
    layer.train(call.train);
    layer.zeroGrad();
    List<double[]> r = new ArrayList<>();
    KernelScope.run(SCALAR, () -> {
      if (call.noGrad) {
        RecurrentOutput o = NoGrad.get(() -> layer.forward(x, h0, c0, call.lengths));
        add(r, o.output(), o.hN(), o.cN());
        return;
      }
      RecurrentOutput o = layer.forward(x, h0, c0, call.lengths);
      Tensor loss = weightedSum(o.output(), rng).add(weightedSum(o.hN(), rng));
      if (lstm) {
        loss = loss.add(weightedSum(o.cN(), rng));
      }
      loss.backward();
      add(r, o.output(), o.hN(), o.cN());
      add(r, x.grad(), h0 == null ? null : h0.grad(), c0 == null ? null : c0.grad());
      for (Tensor p : layer.parameters()) {
        r.add(p.grad().toDoubleArray());
      }
    });
    return r;
  }

  /** {@code sum(t * w)} for random weights w: every element of t gets its own output gradient. */
  private static Tensor weightedSum(Tensor t, SplittableRandom rng) {
    return Ops.sum(t.mul(Tensor.uniform(t.dtype(), rng, -1, 1, t.shape())));
  }

  private static void add(List<double[]> r, Tensor... ts) {
    for (Tensor t : ts) {
      r.add(t == null ? null : t.toDoubleArray());
    }
  }

  private static void assertBitwiseEqual(List<double[]> expected, List<double[]> actual, String what) {
    assertEquals(expected.size(), actual.size(), what);
    for (int i = 0; i < expected.size(); i++) {
      // assertArrayEquals on double[] compares doubleToLongBits: bit for bit, -0 differs from +0
      assertArrayEquals(expected.get(i), actual.get(i), what + ", result " + i);
    }
  }

  private static RecurrentOptions options(int input, int hidden, DType dt) {
    return new RecurrentOptions(input, hidden).dtype(dt).seed(5);
  }

  /** The layers of the bitwise comparison: every cell, stacked, both directions, dropout between layers. */
  private static List<RecurrentLayer> layers(DType dt) {
    return List.of(
        new LSTM(options(3, 4, dt).numLayers(2).bidirectional(true).dropout(0.4)),
        new GRU(options(3, 4, dt).numLayers(2).bidirectional(true).merge(MergeMode.SUM).batchFirst(true)
            .dropout(0.3)),
        new GRU(options(2, 5, dt).bidirectional(true).resetAfter(false)),
        new RNN(options(3, 4, dt).numLayers(3).dropout(0.5).nonlinearity(RecurrentOptions.Nonlinearity.RELU)),
        new RNN(options(4, 3, dt).numLayers(2).bidirectional(true).bias(false)));
  }

  /** The same layer built again, keeping no idle runner: each of its calls uses a new runner. */
  private static RecurrentLayer unpooledTwin(RecurrentLayer layer, int index, DType dt) {
    RecurrentLayer twin = layers(dt).get(index);
    assertEquals(layer.getClass(), twin.getClass());
    twin.keepIdleRunners(0);
    return twin;
  }

  @Test
  void reusedRunnerGivesTheResultsOfAFreshOneAcrossChangingCalls() {
    for (DType dt : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
      List<RecurrentLayer> pooledLayers = layers(dt);
      for (int li = 0; li < pooledLayers.size(); li++) {
        RecurrentLayer pooled = pooledLayers.get(li);
        RecurrentLayer fresh = unpooledTwin(pooled, li, dt);
        for (int c = 0; c < CALLS.size(); c++) {
          Call call = CALLS.get(c);
          String what = dt + " " + pooled.config().kind() + " layer " + li + ", call " + c + " " + call;
          assertBitwiseEqual(run(fresh, call, 100 + c), run(pooled, call, 100 + c), what);
        }
        // The comparison means something only if the pooled layer really reused its runner: one call at a time
        // needs one runner, built once and given back after every call (NoGrad ones included).
        assertEquals(1, pooled.runners().created(), "runners built by the pooled layer " + li);
        assertEquals(1, pooled.runners().idle(), "idle runners of the pooled layer " + li);
        assertEquals(CALLS.size(), fresh.runners().created(), "runners built by the unpooled layer " + li);
        assertEquals(0, fresh.runners().idle(), "idle runners of the unpooled layer " + li);
      }
    }
  }

  /**
   * Several calls of one layer pending before one backward pass (a layer applied to two inputs, then a decoder call
   * that starts from the encoder's final state, as in seq2seq or truncated BPTT chunks; a NoGrad call in between):
   * each pending call holds its own runner, and the results equal those of fresh runners.
   */
  @Test
  void pendingCallsEachHoldTheirOwnRunner() {
    for (DType dt : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
      for (int li = 0; li < 2; li++) {
        RecurrentLayer pooled = layers(dt).get(li);
        RecurrentLayer fresh = unpooledTwin(pooled, li, dt);
        // warm the pool with differently shaped calls, so the pending calls below reuse dirty runners
        run(pooled, CALLS.get(5), 1);
        run(pooled, CALLS.get(0), 2);
        run(fresh, CALLS.get(5), 1);
        run(fresh, CALLS.get(0), 2);
        String what = dt + " layer " + li;
        assertBitwiseEqual(pendingCalls(fresh, false), pendingCalls(pooled, false), what);
        // Three calls recorded at once: the pool (one idle runner before) had to build two more; all three were
        // given back, of which it keeps the bound.
        assertEquals(3, pooled.runners().created(), what + ": runners built");
        assertEquals(RecurrentLayer.IDLE_RUNNERS, pooled.runners().idle(), what + ": idle runners");
        // retainGraph: the runners stay with their nodes for the second backward pass
        assertBitwiseEqual(pendingCalls(fresh, true), pendingCalls(pooled, true), what + ", retainGraph");
      }
    }
  }

  private static List<double[]> pendingCalls(RecurrentLayer layer, boolean retainGraph) {
    DType dt = layer.dtype();
    RecurrentConfig cfg = layer.config();
    SplittableRandom rng = new SplittableRandom(77);
    int in = cfg.inputSize();
    int[] shape1 = cfg.batchFirst() ? new int[] {3, 5, in} : new int[] {5, 3, in};
    int[] shape2 = cfg.batchFirst() ? new int[] {2, 7, in} : new int[] {7, 2, in};
    int[] shape3 = cfg.batchFirst() ? new int[] {3, 4, in} : new int[] {4, 3, in};
    Tensor x1 = Tensor.uniform(dt, rng, -1, 1, shape1).requiresGrad(true);
    Tensor x2 = Tensor.uniform(dt, rng, -1, 1, shape2).requiresGrad(true);
    Tensor x3 = Tensor.uniform(dt, rng, -1, 1, shape3).requiresGrad(true);
    Tensor xInference = Tensor.uniform(dt, rng, -1, 1, shape2);
    layer.train(true);
    layer.zeroGrad();
    List<double[]> r = new ArrayList<>();
    KernelScope.run(SCALAR, () -> {
      RecurrentOutput a = layer.forward(x1, null, null, new int[] {5, 2, 4});
      RecurrentOutput b = layer.forward(x2);
      // inference in between: takes an idle runner (or builds one) and gives it back at once
      RecurrentOutput inference = NoGrad.get(() -> layer.forward(xInference));
      // decoder: starts from the first call's final states
      RecurrentOutput c = layer.forward(x3, a.hN(), a.cN(), null);
      Tensor loss = weightedSum(a.output(), rng).add(weightedSum(b.output(), rng)).add(weightedSum(c.output(), rng))
          .add(weightedSum(c.hN(), rng));
      if (retainGraph) {
        loss.backward(null, true);
      }
      loss.backward();
      add(r, a.output(), a.hN(), b.output(), b.hN(), c.output(), c.hN(), inference.output());
      add(r, x1.grad(), x2.grad(), x3.grad());
      for (Tensor p : layer.parameters()) {
        r.add(p.grad().toDoubleArray());
      }
    });
    return r;
  }

  /**
   * Several threads run forward and backward on the same layer at once, each on its own inputs of its own sizes;
   * every result equals that of the same call made alone on an unpooled twin. The parameters are frozen here: with
   * them requiring gradients, concurrent backward passes would all add into the same parameter gradients in an order
   * that depends on timing, so they could not be compared bit for bit (ConcurrentBackwardTest checks that sum). The
   * input and initial-state gradients
   * still go through the whole backward pass of the runner and its trace, so a runner shared by two live calls would
   * show in them.
   */
  @Test
  void concurrentCallsOnOneLayerEqualSingleThreadedOnes() throws Exception {
    int threads = 4;
    int callsPerThread = 6;
    DType dt = DType.FLOAT32;
    RecurrentLayer shared = new LSTM(options(3, 6, dt).numLayers(2).bidirectional(true));
    RecurrentLayer alone = new LSTM(options(3, 6, dt).numLayers(2).bidirectional(true));
    alone.keepIdleRunners(0);
    for (Tensor p : shared.parameters()) {
      p.requiresGrad(false);
    }
    for (Tensor p : alone.parameters()) {
      p.requiresGrad(false);
    }
    List<List<List<double[]>>> expected = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      List<List<double[]>> perThread = new ArrayList<>();
      for (int i = 0; i < callsPerThread; i++) {
        perThread.add(frozenCall(alone, t, i));
      }
      expected.add(perThread);
    }
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<List<double[]>>>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        Callable<List<List<double[]>>> body = () -> {
          start.await();
          List<List<double[]>> results = new ArrayList<>();
          for (int i = 0; i < callsPerThread; i++) {
            results.add(frozenCall(shared, thread, i));
          }
          return results;
        };
        futures.add(pool.submit(body));
      }
      for (int t = 0; t < threads; t++) {
        List<List<double[]>> got = futures.get(t).get(2, TimeUnit.MINUTES);
        for (int i = 0; i < callsPerThread; i++) {
          assertBitwiseEqual(expected.get(t).get(i), got.get(i), "thread " + t + ", call " + i);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    assertTrue(shared.runners().idle() <= RecurrentLayer.IDLE_RUNNERS, "idle runners stay within the bound");
  }

  /** A call of thread t, number i, with parameters frozen: outputs, input and initial-state gradients. */
  private static List<double[]> frozenCall(RecurrentLayer layer, int t, int i) {
    DType dt = layer.dtype();
    RecurrentConfig cfg = layer.config();
    SplittableRandom rng = new SplittableRandom(1000L * t + i);
    int batch = 1 + (t + i) % 5;
    int steps = 2 + (3 * t + i) % 7;
    int[] lengths = new int[batch];
    for (int b = 0; b < batch; b++) {
      lengths[b] = 1 + rng.nextInt(steps);
    }
    int[] sShape = {cfg.numLayers() * cfg.directions(), batch, cfg.hiddenSize()};
    Tensor x = Tensor.uniform(dt, rng, -1, 1, steps, batch, cfg.inputSize()).requiresGrad(true);
    Tensor h0 = Tensor.uniform(dt, rng, -1, 1, sShape).requiresGrad(true);
    Tensor c0 = Tensor.uniform(dt, rng, -1, 1, sShape).requiresGrad(true);
    List<double[]> r = new ArrayList<>();
    KernelScope.run(SCALAR, () -> {
      RecurrentOutput o = layer.forward(x, h0, c0, lengths);
      weightedSum(o.output(), rng).add(weightedSum(o.hN(), rng)).add(weightedSum(o.cN(), rng)).backward();
      add(r, o.output(), o.hN(), o.cN(), x.grad(), h0.grad(), c0.grad());
    });
    return r;
  }

  /**
   * In steady state a forward and backward through the public API allocates little more than the tensors it must
   * return; the trace lives in the reused runner. Measured with the thread allocation counter (not a timing), on the
   * scalar kernels (whose loops allocate nothing), at a size the engine never splits across threads (so every
   * allocation is on this thread): a float64 one-layer LSTM, I = 8, H = 16, B = 8, T = 20, no initial states, the
   * loss gradient given for the output only, gradients accumulating in place (after the first call a leaf's gradient
   * is added into, not copied).
   *
   * <p>Bound. Tensors a call must allocate, in float64 elements (8 bytes each):
   * <ul>
   *   <li>forward outputs: output T*B*H = 2560, h_n B*H = 128, c_n 128;</li>
   *   <li>the zero gradients the autograd engine makes for the outputs the loss does not reach (h_n, c_n): 256;</li>
   *   <li>backward results: dx T*B*I = 1280, dW_ih 4H*I = 512, dW_hh 4H*H = 1024, db_ih and db_hh 2 * 4H = 128.</li>
   * </ul>
   * That is 6016 elements, 48,128 bytes. Everything else a call allocates is bookkeeping whose number of objects does
   * not depend on T, B, I or H (tensor, shape and autograd-node objects, the node's input list, the engine's task
   * lists, the work-split index arrays), allowed 16 KiB. Bound: 48,128 + 16,384 = 64,512 bytes per call. The trace a
   * runner holds is larger: gates (their gradients written over them) T*B*4H = 10,240, states and cell states
   * 2 * (T+1)*B*H = 5376, the sorted copy of the layer input T*B*I = 1280 (the output and the gradients are read and
   * written in place: the rows are in caller order), about 135 KB in all, so a call that allocated its trace (as each call did before runners were pooled) exceeds the
   * bound; the same loop on a layer that keeps no idle runner shows it. The assertion is on the quietest of three
   * windows of calls, immune to a one-off JVM event (see StreamStateTest). Measured when this was written: 52,232
   * bytes per call (4104 of bookkeeping), and 333,240 without pooling.
   */
  @Test
  void steadyStateForwardBackwardAllocatesLittleMoreThanItsResults() {
    long bound = 6016L * Double.BYTES + 16 * 1024;
    RecurrentLayer pooled = new LSTM(options(8, 16, DType.FLOAT64));
    long perCall = allocationPerCall(pooled, 1500);
    assertTrue(perCall < bound, "bytes allocated per forward + backward: " + perCall + ", bound " + bound);
    RecurrentLayer unpooled = new LSTM(options(8, 16, DType.FLOAT64));
    unpooled.keepIdleRunners(0);
    // no need to wait for C2 here: compilation only removes allocations, and this must exceed the bound
    long unpooledPerCall = allocationPerCall(unpooled, 100);
    assertTrue(unpooledPerCall > bound, "control: a layer that builds a runner per call allocates "
        + unpooledPerCall + " bytes per call, expected more than the bound " + bound);
  }

  /** Bytes allocated on this thread per forward + backward, the quietest of three windows after warm-up. */
  @SuppressWarnings("try") // the kernel scope is used for its effect
  private static long allocationPerCall(RecurrentLayer layer, int warmUpCalls) {
    var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    SplittableRandom rng = new SplittableRandom(3);
    Tensor x = Tensor.uniform(DType.FLOAT64, rng, -1, 1, 20, 8, 8).requiresGrad(true);
    Tensor dOut = Tensor.uniform(DType.FLOAT64, rng, -1, 1, 20, 8, 16);
    Runnable call = () -> layer.forward(x).output().backward(dOut);
    long tid = Thread.currentThread().threadId();
    long quietest = Long.MAX_VALUE;
    int calls = 100;
    try (KernelScope s = KernelScope.use(SCALAR)) {
      for (int i = 0; i < warmUpCalls; i++) {
        call.run();
      }
      for (int window = 0; window < 3; window++) {
        long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < calls; i++) {
          call.run();
        }
        quietest = Math.min(quietest, mx.getThreadAllocatedBytes(tid) - before);
      }
    }
    return quietest / calls;
  }

  /**
   * The memory an idle runner keeps after backward passes without retainGraph is what the layer's Javadoc and
   * docs/recurrent.md state: for one layer and direction, {@code B * (T G H + T I + s (T + 1) H)} elements (gates,
   * whose gradients the last backward writes over them; the sorted copy of the layer input; states, and for the LSTM
   * (s = 2) cell states), the GRU {@code T G H B} more (recurrent projections, their gradients over them), plus at
   * most 9 rows of B * H (carried gradients, sorted final and initial states) and the sort's int arrays
   * (2 B + 2 T + 1 ints). When the caller's rows are not already in the sorted time-major order (here: lengths not
   * longest first) the output and the two gradients go through sorted buffers too: {@code B T (I + 2 H)} more.
   */
  @Test
  @SuppressWarnings("unchecked") // the layer's pool for its dtype, float64 here
  void idleRunnerKeepsTheDocumentedMemory() {
    int steps = 7;
    int batch = 3;
    int in = 5;
    int hidden = 4;
    for (boolean callerOrder : new boolean[] {true, false}) {
      for (RecurrentLayer layer : List.of(new LSTM(options(in, hidden, DType.FLOAT64)),
          new GRU(options(in, hidden, DType.FLOAT64)), new RNN(options(in, hidden, DType.FLOAT64)))) {
        RecurrentConfig cfg = layer.config();
        int[] lengths = callerOrder ? null : new int[] {2, steps, 5};
        run(layer, new Call(batch, steps, lengths, false, true, false), 9);
        var pool = (RunnerPool<DoubleKernels, DoubleStackRunner>) layer.runners();
        DoubleStackRunner runner = pool.take(SCALAR.f64());
        int g = cfg.kind().gates();
        int s = cfg.kind().hasCellState() ? 2 : 1;
        long main = (long) batch * ((long) steps * g * hidden + (long) steps * in + (long) s * (steps + 1) * hidden);
        if (cfg.kind() == CellKind.GRU) {
          main += (long) steps * g * hidden * batch;
        }
        if (!callerOrder) {
          main += (long) batch * steps * (in + 2L * hidden);
        }
        long low = main * Double.BYTES;
        long high = (main + 9L * batch * hidden + (long) g * hidden) * Double.BYTES
            + 4L * (2 * batch + 2 * steps + 1);
        long kept = runner.retainedBytes();
        assertTrue(low <= kept && kept <= high, cfg.kind() + " caller order " + callerOrder + ": retained " + kept
            + " bytes, expected in [" + low + ", " + high + "]");
      }
    }
  }

  /** Runners are filed by kernels: a call never gets a runner built for other kernels. */
  @Test
  void poolHandsOutRunnersOfTheCallersKernelsOnly() {
    RecurrentConfig cfg = new LSTM(options(3, 4, DType.FLOAT64)).config();
    RunnerPool<DoubleKernels, DoubleStackRunner> pool = DoubleStackRunner.pool(cfg, 2);
    DoubleKernels scalar = Kernels.scalar().f64();
    DoubleKernels other = new ScalarDoubleKernels(); // equal behaviour, another instance: another key
    DoubleStackRunner a = pool.take(scalar);
    pool.give(scalar, a);
    DoubleStackRunner b = pool.take(other);
    assertNotNull(b);
    assertTrue(a != b, "a runner of other kernels must not be handed out");
    pool.give(other, b);
    assertSame(a, pool.take(scalar));
    assertSame(b, pool.take(other));
    // bounded: the third runner given back evicts the one idle longest
    DoubleStackRunner c = pool.take(scalar);
    pool.give(scalar, a);
    pool.give(other, b);
    pool.give(scalar, c);
    assertEquals(2, pool.idle());
    assertSame(c, pool.take(scalar));
    assertSame(b, pool.take(other));
    DoubleStackRunner d = pool.take(scalar);
    assertTrue(d != a, "the evicted runner is gone");
  }
}
