package dev.rnn4j.nn.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.autograd.Ops;
import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.Tensor;
import dev.rnn4j.testing.TestKernels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A backward pass that consumes its trace (the last one through a forward: the gate gradients are written over the
 * saved activations) gives the same bits as one that keeps the trace, a kept trace serves a second backward, and a
 * consumed one refuses it.
 */
class TraceConsumptionTest {

  private static final CellKind[] KINDS = {CellKind.LSTM, CellKind.GRU, CellKind.GRU_RESET_BEFORE,
      CellKind.RNN_TANH, CellKind.RNN_RELU};

  private static List<Kernels> kernels() {
    List<Kernels> all = new ArrayList<>(List.of(Kernels.scalar()));
    TestKernels.simd().ifPresent(all::add);
    return all;
  }

  /** Two layers, both directions, a ragged unsorted batch: every place of the engine that writes gate gradients. */
  private static RecurrentCase ragged(CellKind kind, long seed) {
    RecurrentConfig cfg = new RecurrentConfig(kind.name(), kind, 3, 5, 2, true, false, 0, true, MergeMode.CONCAT);
    return new RecurrentCase(cfg, 6, 4, new int[] {3, 6, 1, 6}, seed, true);
  }

  @Test
  void consumingGivesTheSameBitsAsKeeping() {
    for (Kernels k : kernels()) {
      for (CellKind kind : KINDS) {
        RecurrentCase c = ragged(kind, 17);
        String what = k.name() + " " + kind;
        ThreadCountTest.assertBitwiseEqual(what + " f64",
            DoubleRunnerHarness.run(k.f64(), c, CellFault.NONE, true, false),
            DoubleRunnerHarness.run(k.f64(), c, CellFault.NONE, true, true));
        ThreadCountTest.assertBitwiseEqual(what + " f32",
            FloatRunnerHarness.run(k.f32(), c, CellFault.NONE, true, false),
            FloatRunnerHarness.run(k.f32(), c, CellFault.NONE, true, true));
      }
    }
  }

  /**
   * On the engine: after a backward that keeps the trace, a second backward gives the same gradients, so the
   * accumulated ones are exactly twice the first (x + x = 2x has no rounding error). After a consuming backward a
   * second one throws for the cells that read their activations (LSTM, both GRUs) and is exact as well for the RNN,
   * which never reads them.
   */
  @Test
  void aKeptTraceServesASecondBackwardAndAConsumedOneRefusesIt() {
    for (Kernels k : kernels()) {
      for (CellKind kind : KINDS) {
        for (boolean consume : new boolean[] {false, true}) {
          String what = k.name() + " " + kind + " consume=" + consume;
          EngineCall call = new EngineCall(k, kind);
          call.forward();
          call.trace.consumeOnBackward(consume);
          call.backward();
          double[] once = call.gradients();
          boolean refuses = consume && kind.gates() > 1;
          if (refuses) {
            IllegalStateException e = assertThrows(IllegalStateException.class, call::backward, what);
            assertTrue(e.getMessage().contains("run forward again"), what + ": " + e.getMessage());
            // the next forward makes the trace whole again
            call.forward();
          }
          call.backward();
          double[] twice = call.gradients();
          double[] doubled = Arrays.stream(once).map(v -> 2 * v).toArray();
          assertArrayEquals(doubled, twice, what);
        }
      }
    }
  }

  /**
   * Through autograd: {@code backward(retainGraph = true)} must keep the layer's traces whole, so the backward
   * after it finds the same gradients and every accumulated gradient is exactly twice that of one pass.
   */
  @Test
  void retainGraphKeepsTheTraceForTheNextBackward() {
    for (DType dt : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
      RecurrentOptions o = new RecurrentOptions(3, 5).dtype(dt).seed(3).numLayers(2).bidirectional(true);
      for (RecurrentLayer layer : List.of(new LSTM(o), new GRU(o), new RNN(o))) {
        String what = dt + " " + layer.config().kind();
        double[][] one = gradients(layer, false);
        double[][] two = gradients(layer, true);
        for (int i = 0; i < one.length; i++) {
          double[] doubled = Arrays.stream(one[i]).map(v -> 2 * v).toArray();
          assertArrayEquals(doubled, two[i], what + " gradient " + i);
        }
      }
    }
  }

  /** The input's and every parameter's gradient after one backward, or after a retained one and another. */
  private static double[][] gradients(RecurrentLayer layer, boolean twice) {
    DType dt = layer.dtype();
    SplittableRandom rng = new SplittableRandom(11);
    Tensor x = Tensor.uniform(dt, rng, -1, 1, 6, 4, 3).requiresGrad(true);
    Tensor weights = Tensor.uniform(dt, rng, -1, 1, 6, 4, 10);
    layer.zeroGrad();
    List<double[]> r = new ArrayList<>();
    KernelScope.run(Kernels.scalar(), () -> {
      RecurrentOutput out = layer.forward(x, null, null, new int[] {3, 6, 1, 6});
      Tensor loss = Ops.sum(out.output().mul(weights));
      if (twice) {
        loss.backward(null, true);
      }
      loss.backward();
    });
    r.add(x.grad().toDoubleArray());
    for (Tensor p : layer.parameters()) {
      r.add(p.grad().toDoubleArray());
    }
    return r.toArray(new double[0][]);
  }
}
