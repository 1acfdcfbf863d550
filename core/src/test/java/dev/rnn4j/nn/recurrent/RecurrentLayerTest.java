package dev.rnn4j.nn.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.autograd.Ops;
import dev.rnn4j.check.GradientChecker;
import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.nn.recurrent.internal.DoubleStackFunction;
import dev.rnn4j.nn.recurrent.internal.DoubleStackRunner;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parameters, known answers, dropout and bad input of the public layers and cells. */
class RecurrentLayerTest {

  @Test
  void parametersHavePyTorchNamesShapesAndInitRange() {
    LSTM lstm = new LSTM(new RecurrentOptions(3, 5).numLayers(2).bidirectional(true).seed(1));
    Map<String, Tensor> p = lstm.namedParameters();
    assertEquals(List.of("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
        "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse",
        "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1",
        "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l1_reverse"),
        new ArrayList<>(p.keySet()));
    assertArrayEquals(new int[] {20, 3}, p.get("weight_ih_l0").shape());
    assertArrayEquals(new int[] {20, 5}, p.get("weight_hh_l0").shape());
    assertArrayEquals(new int[] {20, 10}, p.get("weight_ih_l1").shape()); // input of layer 1: 2H
    assertArrayEquals(new int[] {20}, p.get("bias_hh_l1_reverse").shape());
    double bound = 1 / Math.sqrt(5);
    for (Tensor t : p.values()) {
      for (double v : t.toDoubleArray()) {
        assertTrue(v >= -bound && v <= bound, "init outside U(-1/sqrt(H), 1/sqrt(H)): " + v);
      }
    }
    LSTM again = new LSTM(new RecurrentOptions(3, 5).numLayers(2).bidirectional(true).seed(1));
    assertArrayEquals(p.get("weight_hh_l1").toDoubleArray(), again.namedParameters().get("weight_hh_l1")
        .toDoubleArray(), 0, "same seed, same weights");
    GRU gru = new GRU(new RecurrentOptions(4, 6).bias(false));
    assertEquals(List.of("weight_ih_l0", "weight_hh_l0"), new ArrayList<>(gru.namedParameters().keySet()));
    assertArrayEquals(new int[] {18, 4}, gru.namedParameters().get("weight_ih_l0").shape());
  }

  /** A one-unit tanh RNN by hand: h1 = tanh(0.5 * 1), h2 = tanh(0.5 * 2 - 1 * h1) (zero biases). */
  @Test
  void rnnKnownAnswer() {
    RNN rnn = new RNN(new RecurrentOptions(1, 1).dtype(DType.FLOAT64));
    rnn.namedParameters().get("weight_ih_l0").setFlat(0, 0.5);
    rnn.namedParameters().get("weight_hh_l0").setFlat(0, -1);
    rnn.namedParameters().get("bias_ih_l0").setFlat(0, 0);
    rnn.namedParameters().get("bias_hh_l0").setFlat(0, 0);
    RecurrentOutput out = rnn.forward(Tensor.fromArray(new double[] {1, 2}, 2, 1, 1));
    double h1 = Math.tanh(0.5);
    double h2 = Math.tanh(1 - h1);
    // tanh is within 4 ulps in every kernel set (8u relative); h2's argument carries h1's error (slope <= 1) plus
    // two roundings, so both are within 16u of the float64 values above, u = 2^-53 (ulp(1) = 2u).
    double tol = 8 * Math.ulp(1.0);
    assertArrayEquals(new double[] {h1, h2}, out.output().toDoubleArray(), tol);
    assertArrayEquals(new double[] {h2}, out.hN().toDoubleArray(), tol);
    assertNull(out.cN());
  }

  /**
   * One LSTM step from zero state with zero weights: gates are the summed biases, so with b = b_ih + b_hh per gate
   * c = sigmoid(b_i) tanh(b_g) (f * 0 vanishes) and h = sigmoid(b_o) tanh(c).
   */
  @Test
  void lstmCellKnownAnswer() {
    LSTMCell cell = new LSTMCell(new RecurrentOptions(2, 1).dtype(DType.FLOAT64));
    Map<String, Tensor> p = cell.namedParameters();
    p.get("weight_ih").fill(0);
    p.get("weight_hh").fill(0);
    double[] bih = {0.5, 0.1, -0.3, 0.2};
    double[] bhh = {0.25, 0.4, 0.1, -0.6};
    for (int i = 0; i < 4; i++) {
      p.get("bias_ih").setFlat(i, bih[i]);
      p.get("bias_hh").setFlat(i, bhh[i]);
    }
    CellState s = cell.forward(Tensor.fromArray(new double[] {3, -4}, 1, 2), null);
    double c = sig(0.75) * Math.tanh(-0.2);
    double h = sig(-0.4) * Math.tanh(c);
    // sigmoid within 12u, tanh within 8u (4 ulps), two products and an add: c within ~24u, h within ~40u relative;
    // |c|, |h| < 1, so 32 ulps of 1 (64u) covers both.
    assertEquals(c, s.c().item(), 32 * Math.ulp(1.0));
    assertEquals(h, s.h().item(), 32 * Math.ulp(1.0));
  }

  static double sig(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  /** Each cell's step (one fused node) passes the gradient checker with respect to x, h and c. */
  @Test
  void cellsPassGradientCheck() {
    for (RecurrentCell cell : List.of(new LSTMCell(new RecurrentOptions(3, 2).dtype(DType.FLOAT64)),
        new GRUCell(new RecurrentOptions(3, 2).dtype(DType.FLOAT64)),
        new GRUCell(new RecurrentOptions(3, 2).dtype(DType.FLOAT64).resetAfter(false)),
        new RNNCell(new RecurrentOptions(3, 2).dtype(DType.FLOAT64)))) {
      Tensor x = Tensor.fromArray(new double[] {0.1, -0.7, 0.4, 0.9, 0.3, -0.2}, 2, 3).requiresGrad(true);
      Tensor h = Tensor.fromArray(new double[] {0.5, -0.1, 0.2, 0.3}, 2, 2).requiresGrad(true);
      boolean lstm = cell instanceof LSTMCell;
      Tensor c = Tensor.fromArray(new double[] {-0.4, 0.8, 0.1, 0.6}, 2, 2).requiresGrad(true);
      GradientChecker.defaults().assertGradients(in -> {
        CellState s = cell.forward(in[0], new CellState(in[1], lstm ? in[2] : null));
        return lstm ? Ops.concat(1, s.h(), s.c()) : s.h();
      }, x, h, c);
    }
  }

  /** Dropout between layers: only in training, never after the last layer, and its backward is checked. */
  @Test
  void dropoutBetweenLayers() {
    RecurrentOptions o = new RecurrentOptions(3, 4).numLayers(2).dropout(0.5).dtype(DType.FLOAT64).seed(3);
    GRU gru = new GRU(o);
    Tensor x = Tensor.uniform(DType.FLOAT64, new java.util.SplittableRandom(1), -1, 1, 5, 2, 3);
    double[] train = gru.forward(x).output().toDoubleArray();
    gru.eval();
    double[] eval1 = gru.forward(x).output().toDoubleArray();
    double[] eval2 = gru.forward(x).output().toDoubleArray();
    assertArrayEquals(eval1, eval2, 0);
    assertFalse(Arrays.equals(train, eval1), "dropout changes the training output");
    // A one-layer stack has no dropout at all: training and eval agree.
    GRU one = new GRU(new RecurrentOptions(3, 4).dropout(0.5).dtype(DType.FLOAT64));
    double[] t1 = one.forward(x).output().toDoubleArray();
    one.eval();
    assertArrayEquals(t1, one.forward(x).output().toDoubleArray(), 0);
    // With a fixed mask seed the node is a fixed function: its gradients pass the checker.
    RecurrentConfig cfg = gru.config();
    List<Tensor> in = new ArrayList<>();
    in.add(x.copy().requiresGrad(true));
    in.addAll(gru.directParameters().values());
    GradientChecker.builder().kernels(Kernels.scalar()).build().assertGradients(t -> {
      Tensor[] out = new DoubleStackFunction(cfg, Kernels.scalar().f64(), null, false, false, true, 42,
          DoubleStackRunner.pool(cfg, 0)).apply(t);
      return Ops.concat(0, out[0].reshape(out[0].numel()), out[1].reshape(out[1].numel()));
    }, in.toArray(new Tensor[0]));
  }

  /**
   * The public streaming step allocates nothing in steady state (thread allocation counter, not a timing). On the
   * scalar kernels, whose loops allocate nothing in any compilation state: with the SIMD kernels, zero allocation
   * also needs C2 to have compiled (and escape-analysed) the vector code, which on a loaded machine may happen
   * after any fixed warm-up, so that is measured by the JMH GC profiler in the bench module instead.
   */
  @Test
  @SuppressWarnings("try")
  void layerStepAllocatesNothing() {
    try (KernelScope s = KernelScope.use(Kernels.scalar())) {
      stepAllocations();
    }
  }

  private void stepAllocations() {
    for (DType dtype : DType.values()) {
      List<RecurrentLayer> layers = List.of(new LSTM(new RecurrentOptions(8, 16).numLayers(2).dtype(dtype)),
          new GRU(new RecurrentOptions(8, 16).dtype(dtype)),
          new GRU(new RecurrentOptions(8, 16).dtype(dtype).resetAfter(false)),
          new RNN(new RecurrentOptions(8, 16).dtype(dtype)));
      for (RecurrentLayer layer : layers) {
        StreamState state = layer.newStreamState(2);
        Tensor x = Tensor.ones(dtype, 2, 8);
        for (int i = 0; i < 20_000; i++) {
          layer.step(x, state);
        }
        // Quietest of three windows or more: any per-step allocation shows in every window (>= 16,000 bytes each), a
        // one-off JVM event (deoptimisation, late compilation) in one only; see StreamStateTest and QuietWindows.
        long quietest = dev.rnn4j.testing.QuietWindows.quietestBytes(() -> {
          for (int i = 0; i < 1000; i++) {
            layer.step(x, state);
          }
        }, 3);
        assertEquals(0, quietest, layer.config().name() + " " + dtype + ": bytes allocated by 1000 steps");
      }
    }
  }

  @Test
  void badInputIsRejectedWithLayerArgumentAndShapes() {
    LSTM lstm = new LSTM(new RecurrentOptions(3, 4).numLayers(2));
    Tensor x = Tensor.zeros(DType.FLOAT32, 5, 2, 3);
    assertMessage("LSTM: input: expected input size 3 in the last dimension [T, B, 3], got [5, 2, 7]",
        () -> lstm.forward(Tensor.zeros(DType.FLOAT32, 5, 2, 7)));
    assertMessage("LSTM: input: expected rank 3 [T, B, 3], got [5, 3]",
        () -> lstm.forward(Tensor.zeros(DType.FLOAT32, 5, 3)));
    assertMessage("LSTM: input: dtype float64 [5, 2, 3] differs from the layer's float32 (convert it with to(DType))",
        () -> lstm.forward(Tensor.zeros(DType.FLOAT64, 5, 2, 3)));
    assertMessage("LSTM: h0: expected [numLayers * directions, B, H] = [2, 2, 4], got [2, 3, 4]",
        () -> lstm.forward(x, Tensor.zeros(DType.FLOAT32, 2, 3, 4), null, null));
    assertMessage("LSTM: h0: [4, 2, 4] holds reverse-direction states, but the layer is unidirectional; "
        + "expected [2, 2, 4]", () -> lstm.forward(x, Tensor.zeros(DType.FLOAT32, 4, 2, 4), null, null));
    assertMessage("LSTM: c0: dtype float64 differs from the layer's float32",
        () -> lstm.forward(x, null, Tensor.zeros(DType.FLOAT64, 2, 2, 4), null));
    assertMessage("LSTM: lengths: lengths[1] = 6 is outside [1, T = 5]",
        () -> lstm.forward(x, null, null, new int[] {5, 6}));
    assertMessage("LSTM: lengths: lengths[0] = 0 is outside [1, T = 5]",
        () -> lstm.forward(x, null, null, new int[] {0, 5}));
    assertMessage("LSTM: lengths: expected 2 lengths (one per sequence), got 3",
        () -> lstm.forward(x, null, null, new int[] {1, 2, 3}));
    GRU gru = new GRU(3, 4);
    assertMessage("GRU: c0: only an LSTM has a cell state, got [1, 2, 4]",
        () -> gru.forward(x, null, Tensor.zeros(DType.FLOAT32, 1, 2, 4), null));
    assertMessage("RNN: streaming needs a unidirectional layer; the reverse direction of a bidirectional layer "
        + "needs the whole sequence", () -> new RNN(new RecurrentOptions(3, 4).bidirectional(true))
        .newStreamState(1));
    StreamState s = lstm.newStreamState(2);
    assertMessage("LSTM: step input: expected float32 [2, 3], got float32 [1, 3]",
        () -> lstm.step(Tensor.zeros(DType.FLOAT32, 1, 3), s));
    assertMessage("LSTMCell: input: expected [B, 2], got [1, 3]",
        () -> new LSTMCell(2, 4).forward(Tensor.zeros(DType.FLOAT32, 1, 3), null));
    assertMessage("LSTM: hiddenSize must be >= 1, got 0", () -> new LSTM(3, 0));
  }

  static void assertMessage(String want, org.junit.jupiter.api.function.Executable e) {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
    assertEquals(want, ex.getMessage());
  }
}
