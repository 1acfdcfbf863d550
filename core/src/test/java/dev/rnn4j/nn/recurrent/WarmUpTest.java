package dev.rnn4j.nn.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.autograd.NoGrad;
import dev.rnn4j.kernels.JitActivity;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Parallelism;
import dev.rnn4j.tensor.Tensor;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WarmUpTest {

  private static LSTM smallLstm() {
    // two layers with dropout in training mode: the training pass draws from the dropout generator
    return new LSTM(new RecurrentOptions(6, 8).numLayers(2).dropout(0.25).seed(3));
  }

  private static float[][] data(List<Tensor> ts, boolean grads) {
    float[][] out = new float[ts.size()][];
    for (int i = 0; i < out.length; i++) {
      Tensor t = grads ? ts.get(i).grad() : ts.get(i);
      out[i] = t == null ? null : t.copy().floatData();
    }
    return out;
  }

  @Test
  void parametersGradientsAndTheDropoutGeneratorAreLeftBitForBit() {
    LSTM lstm = smallLstm();
    // gradients present before the warm-up: one real backward pass
    lstm.forward(Tensor.normal(DType.FLOAT32, new SplittableRandom(1), 0, 1, 4, 2, 6)).output().sum().backward();
    float[][] params = data(lstm.parameters(), false);
    float[][] grads = data(lstm.parameters(), true);
    long dropoutState = lstm.dropoutRandom().state();
    WarmUp.Result r = WarmUp.forShapes(2, 4).inference().streaming().training().budget(Duration.ofMillis(600))
        .run(lstm);
    assertEquals(List.of(WarmUp.Pass.INFERENCE, WarmUp.Pass.STREAMING, WarmUp.Pass.TRAINING),
        r.passes().stream().map(WarmUp.PassResult::pass).toList());
    for (WarmUp.PassResult p : r.passes()) {
      assertTrue(p.calls() >= 1, p.toString());
    }
    assertArrayEquals(params, data(lstm.parameters(), false));
    assertArrayEquals(grads, data(lstm.parameters(), true));
    assertEquals(dropoutState, lstm.dropoutRandom().state());
  }

  @Test
  void absentGradientsStayAbsent() {
    LSTM lstm = smallLstm();
    WarmUp.forShapes(3, 2).training().budget(Duration.ofMillis(200)).run(lstm);
    for (Tensor p : lstm.parameters()) {
      assertNull(p.grad());
    }
  }

  @Test
  void laterCallsGiveTheSameBitsAsWithoutWarmUp() {
    Tensor x = Tensor.normal(DType.FLOAT32, new SplittableRandom(5), 0, 1, 7, 2, 6);
    LSTM cold = smallLstm();
    LSTM warm = smallLstm();
    cold.eval();
    warm.eval();
    WarmUp.forShapes(2, 7).inference().streaming().training().budget(Duration.ofMillis(300)).run(warm);
    Tensor a = NoGrad.get(() -> cold.forward(x).output());
    Tensor b = NoGrad.get(() -> warm.forward(x).output());
    assertArrayEquals(a.copy().floatData(), b.copy().floatData());
  }

  @Test
  void aLooseToleranceSettlesAndTheResultSaysSo() {
    // every call is within 1000x of the fastest: steady after 10 calls spanning 100 ms without a compilation
    // finishing among them; the 20 s budget only bounds a machine whose JIT never goes quiet
    RNN rnn = new RNN(new RecurrentOptions(4, 4).seed(1));
    WarmUp.Result r = WarmUp.forShapes(1, 3).tolerance(1000).budget(Duration.ofSeconds(20)).run(rnn);
    assertEquals(1, r.passes().size());
    WarmUp.PassResult p = r.passes().get(0);
    assertEquals(WarmUp.Pass.INFERENCE, p.pass()); // the default pass
    assertTrue(p.steady(), p.toString());
    assertTrue(r.steady());
    assertTrue(p.calls() >= WarmUp.MIN_CALLS, p.toString());
    assertEquals(p.calls(), r.calls());
    // fastest is CPU time, first and last are wall times: for microsecond calls they are not comparable
    assertTrue(p.fastestMs() >= 0 && p.firstMs() > 0 && p.lastMs() > 0, p.toString());
    assertTrue(r.toString().startsWith("warm-up in "), r.toString());
  }

  /**
   * A call that hands work to the pool's threads is judged by wall time, not by the calling thread's CPU time, which
   * leaves out the other threads' part (a pass split over two threads may leave the caller next to none of it). Here
   * every timed call runs, inside its timing, two tasks of which the second works for 2 ms: when the pool's thread
   * takes it, the caller only waits, and by its CPU time such a call would take a fraction of a millisecond. (When
   * the caller takes both, its CPU time has the 2 ms too.)
   */
  @Test
  void callsThatShareTheirWorkAreJudgedByWallTime() {
    int saved = Parallelism.threads();
    Parallelism.setThreads(2);
    try {
      WarmUp.Result r = WarmUp.forShapes(1, 3).inference().shortSteps(0).budget(Duration.ofMillis(300))
          .observeCalls((p, n) -> Parallelism.forEach(2, i -> {
            if (i == 1) {
              long end = System.nanoTime() + 2_000_000;
              while (System.nanoTime() < end) {
                Thread.onSpinWait();
              }
            }
          }))
          .run(new GRU(new RecurrentOptions(3, 4).seed(2)));
      WarmUp.PassResult p = r.passes().get(0);
      assertTrue(p.calls() >= 5, p.toString());
      assertTrue(p.fastestMs() >= 2.0, "fastest call judged below the 2 ms the pool thread worked: " + p);
    } finally {
      Parallelism.setThreads(saved);
    }
  }

  @Test
  void notSteadyBeforeC2MayHaveCompiledWhatRunsOncePerCall() {
    // The stream configuration's LSTM (about 2 ms per call at its C1 plateau, 0.4 ms compiled): before this bound
    // its inference pass looked steady after 60-80 calls, at the plateau, because nothing was compiling then. A
    // method that runs once per call is compiled by C2 only after Tier4MinInvocationThreshold calls. Without short
    // calls, the calls at the requests' shapes must number that many; with them, the short calls must.
    LSTM lstm = new LSTM(new RecurrentOptions(64, 128).seed(5));
    lstm.eval();
    long floor = JitActivity.tier4MinInvocations() + WarmUp.MIN_CALLS;
    WarmUp.PassResult p = WarmUp.forShapes(1, 100).shortSteps(0).tolerance(1000).budget(Duration.ofSeconds(30))
        .run(lstm).passes().get(0);
    assertTrue(p.steady(), p.toString());
    assertEquals(0, p.shortCalls(), p.toString());
    assertTrue(p.calls() >= floor, p.toString());
    LSTM other = new LSTM(new RecurrentOptions(64, 128).seed(6));
    other.eval();
    p = WarmUp.forShapes(1, 100).tolerance(1000).budget(Duration.ofSeconds(30)).run(other).passes().get(0);
    assertTrue(p.steady(), p.toString());
    assertTrue(p.shortCalls() >= floor, p.toString());
    assertTrue(p.calls() - p.shortCalls() >= WarmUp.MIN_CALLS, p.toString()); // a whole window at 100 steps
  }

  @Test
  void shortCallsComeFirstAndEveryPassThenRunsAtTheRequestsShapes() {
    // The short calls only make the once-per-call methods hot; the requests' shapes take paths of their own (more
    // time steps: longer loops, other blocks of the input projection). A warm-up that stopped after the short calls
    // would leave those for the first requests, so each pass must have run at the requests' shapes too, and after
    // all of its short calls, and the result must count both.
    LSTM lstm = new LSTM(new RecurrentOptions(6, 8).seed(4));
    lstm.eval();
    List<WarmUp.Pass> passes = new ArrayList<>();
    List<Integer> steps = new ArrayList<>();
    WarmUp.Result r = WarmUp.forShapes(2, 9).shortSteps(3).inference().streaming().budget(Duration.ofMillis(400))
        .observeCalls((p, n) -> {
          passes.add(p);
          steps.add(n);
        }).run(lstm);
    int lastShort = steps.lastIndexOf(3);
    int firstFull = steps.indexOf(9);
    assertTrue(lastShort >= 0 && firstFull > lastShort, steps.toString());
    assertEquals(passes.size(), steps.stream().filter(n -> n == 3 || n == 9).count(), steps.toString());
    for (WarmUp.PassResult pr : r.passes()) {
      long shortCalls = 0;
      long fullCalls = 0;
      for (int i = 0; i < passes.size(); i++) {
        if (passes.get(i) == pr.pass()) {
          shortCalls += steps.get(i) == 3 ? 1 : 0;
          fullCalls += steps.get(i) == 9 ? 1 : 0;
        }
      }
      assertTrue(shortCalls >= 1 && fullCalls >= 1, pr.toString());
      assertEquals(shortCalls, pr.shortCalls(), pr.toString());
      assertEquals(shortCalls + fullCalls, pr.calls(), pr.toString());
    }
    // the first call of each pass at the requests' shapes comes before any of them repeats at those shapes
    assertEquals(List.of(WarmUp.Pass.INFERENCE, WarmUp.Pass.STREAMING), passes.subList(firstFull, firstFull + 2));
  }

  @Test
  void noShortCallsWhenSwitchedOffOrNotShorter() {
    for (int shortSteps : new int[] {0, 5, 7}) {
      List<Integer> steps = new ArrayList<>();
      WarmUp.Result r = WarmUp.forShapes(1, 5).shortSteps(shortSteps).budget(Duration.ofMillis(50))
          .observeCalls((p, n) -> steps.add(n)).run(new GRU(new RecurrentOptions(3, 4).seed(2)));
      assertTrue(!steps.isEmpty() && steps.stream().allMatch(n -> n == 5), shortSteps + ": " + steps);
      assertEquals(0, r.passes().get(0).shortCalls());
    }
  }

  @Test
  void callsAtTheRequestsShapesMayStopBeforeTheFloorOnlyAsFastPerStepAsTheShortCalls() {
    // 0.4 ms for 100 steps against 0.05 ms for 4 steps: 4 us per step against 12.5 us, compiled code
    assertTrue(WarmUp.perStepWithin(400_000, 100, 50_000, 4, 1.2));
    // exactly at the tolerance: 100 steps in 1.2 * 25 * 0.05 ms = 1.5 ms
    assertTrue(WarmUp.perStepWithin(1_500_000, 100, 50_000, 4, 1.2));
    // 2 ms for 100 steps (a C1 plateau) against a compiled 0.05 ms for 4 steps: 20 us per step against 12.5 us
    assertTrue(!WarmUp.perStepWithin(2_000_000, 100, 50_000, 4, 1.2));
    assertTrue(!WarmUp.perStepWithin(1_500_001, 100, 50_000, 4, 1.2));
  }

  @Test
  void roundsOfShortCallsMayUseFourTimesTheShareOfARoundAtTheRequestsShapes() {
    long s = 1_000_000_000L;
    // without short calls every round gets an equal share of what is left, the last one all of it
    assertEquals(3 * s, WarmUp.share(9 * s, false, 0, 3));
    assertEquals(9 * s, WarmUp.share(9 * s, false, 0, 1));
    // inference and training with short calls, 10 s: the first short round may use 4 / (4 + 4 + 1 + 1) of it
    assertEquals(4 * s, WarmUp.share(10 * s, true, 2, 2));
    // the case that ran out at B=32 T=100 I=128 H=256: the short inference round took 2.65 s, the short training round
    // then needed 3.8 s; an equal split gave it 7.35 / 3 = 2.45 s, the weights 7.35 * 4 / 6 = 4.9 s
    long training = WarmUp.share(7_350_000_000L, true, 1, 2);
    assertEquals(4_900_000_000L, training);
    assertTrue(training > 3_800_000_000L);
    // the rounds at the requests' shapes then split the rest evenly: 3.55 s left, 1.775 s for the first of two
    assertEquals(1_775_000_000L, WarmUp.share(3_550_000_000L, false, 0, 2));
    // nothing left: nothing to share
    assertEquals(0, WarmUp.share(0, true, 1, 1));
    assertEquals(0, WarmUp.share(-5, false, 0, 1));
  }

  @Test
  void everyPassRunsOnceBeforeAnyPassRepeats() {
    // A pass's first call takes paths no later call takes: the streaming pass packs the layer's step weights with no
    // packed matrix to reuse (a null the inference pass never passes to the same packing kernel). Run after the
    // inference pass had been compiled by C2, it made that compiled kernel not entrant (a null-check trap), and the
    // first requests after the warm-up ran it in the interpreter and C1 again, for hundreds of calls.
    LSTM lstm = new LSTM(new RecurrentOptions(6, 8).seed(4));
    lstm.eval();
    List<WarmUp.Pass> order = new ArrayList<>();
    WarmUp.forShapes(1, 5).shortSteps(0).inference().streaming().training().budget(Duration.ofMillis(300))
        .observe(order::add).run(lstm);
    assertEquals(List.of(WarmUp.Pass.INFERENCE, WarmUp.Pass.STREAMING, WarmUp.Pass.TRAINING), order.subList(0, 3));
    // after that first round each pass repeats in turn, in the order of the enum
    for (int i = 4; i < order.size(); i++) {
      assertTrue(order.get(i - 1).compareTo(order.get(i)) <= 0, order::toString);
    }
    assertTrue(order.size() > 3, order.toString()); // the repeats ran (300 ms for calls of a few µs)
    // with short calls, the same in both rounds: the short ones, then those at the requests' shapes
    List<WarmUp.Pass> passes = new ArrayList<>();
    List<Integer> steps = new ArrayList<>();
    WarmUp.forShapes(1, 5).shortSteps(2).inference().streaming().training().budget(Duration.ofMillis(600))
        .observeCalls((p, n) -> {
          passes.add(p);
          steps.add(n);
        }).run(lstm);
    int full = steps.indexOf(5);
    assertTrue(full > 3, steps.toString());
    for (int begin : new int[] {0, full}) {
      int end = begin == 0 ? full : passes.size();
      assertEquals(List.of(WarmUp.Pass.INFERENCE, WarmUp.Pass.STREAMING, WarmUp.Pass.TRAINING),
          passes.subList(begin, begin + 3), passes + " " + steps);
      for (int i = begin + 4; i < end; i++) {
        assertTrue(passes.get(i - 1).compareTo(passes.get(i)) <= 0, () -> passes + " " + steps); // lazy: long lists
      }
    }
  }

  @Test
  void endsWithAGarbageCollection() {
    // The warm-up's cold calls fill the young generation; left there, its collection paused the first seconds of
    // serving (a call on caller arrays that allocates nothing paused 13 ms, 0.2 s into serving). One call of a tiny
    // layer allocates a few KB, far from filling the young generation, so only the warm-up's own collection counts.
    GRU gru = new GRU(new RecurrentOptions(4, 4).seed(1));
    long before = collections();
    WarmUp.forShapes(1, 3).budget(Duration.ofNanos(1)).run(gru);
    assertTrue(collections() > before, "no collection during the warm-up");
  }

  private static long collections() {
    long n = 0;
    for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
      n += Math.max(0, b.getCollectionCount());
    }
    return n;
  }

  @Test
  void aTinyBudgetStopsEachPassAfterOneCall() {
    GRU gru = new GRU(new RecurrentOptions(4, 4).batchFirst(true).seed(1));
    WarmUp.Result r = WarmUp.forShapes(2, 3).inference().training().budget(Duration.ofNanos(1)).run(gru);
    for (WarmUp.PassResult p : r.passes()) {
      assertEquals(1, p.calls(), p.toString());
      assertTrue(p.toString().endsWith("budget spent before steady"), p.toString());
    }
    // with short calls: one of each
    r = WarmUp.forShapes(2, 6).shortSteps(2).inference().training().budget(Duration.ofNanos(1)).run(gru);
    for (WarmUp.PassResult p : r.passes()) {
      assertEquals(2, p.calls(), p.toString());
      assertEquals(1, p.shortCalls(), p.toString());
      assertTrue(p.toString().contains("2 calls (1 short)"), p.toString());
    }
  }

  @Test
  void badArgumentsNameWhatIsWrong() {
    var e = assertThrows(IllegalArgumentException.class, () -> WarmUp.forShapes(0, 5));
    assertEquals("WarmUp.forShapes: batch and steps must be >= 1, got batch 0, steps 5", e.getMessage());
    WarmUp w = WarmUp.forShapes(1, 5);
    e = assertThrows(IllegalArgumentException.class, () -> w.tolerance(0.5));
    assertEquals("WarmUp.tolerance: must be >= 1, got 0.5", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> w.budget(Duration.ZERO));
    assertEquals("WarmUp.budget: must be positive, got PT0S", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> w.budget(null));
    e = assertThrows(IllegalArgumentException.class, () -> w.shortSteps(-1));
    assertEquals("WarmUp.shortSteps: must be >= 0 (0: none), got -1", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> w.run(null));
    assertEquals("WarmUp.run: layer is null", e.getMessage());
    LSTM bi = new LSTM(new RecurrentOptions(3, 3).bidirectional(true));
    e = assertThrows(IllegalArgumentException.class, () -> w.streaming().run(bi));
    assertEquals("WarmUp.run: LSTM: streaming needs a unidirectional layer, this one is bidirectional",
        e.getMessage());
  }
}
