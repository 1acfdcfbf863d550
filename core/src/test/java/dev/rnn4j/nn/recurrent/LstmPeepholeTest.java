package dev.rnn4j.nn.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.autograd.Ops;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The LSTM with peephole connections: parameters, known answers by hand, bad options and saving. */
class LstmPeepholeTest {

  @TempDir Path dir;

  /**
   * Names, shapes and order: per layer and direction weight_ih, weight_hh, bias_ih, bias_hh, then weight_peephole
   * [3, H] (rows p_i, p_f, p_o), drawn from U(-1/sqrt(H), 1/sqrt(H)) like the other weights.
   */
  @Test
  void parametersNamesShapesOrderAndInit() {
    LSTM lstm = new LSTM(new RecurrentOptions(3, 5).numLayers(2).bidirectional(true).peephole(true).seed(1));
    Map<String, Tensor> p = lstm.namedParameters();
    List<String> want = new ArrayList<>();
    for (String layer : List.of("_l0", "_l0_reverse", "_l1", "_l1_reverse")) {
      for (String base : List.of("weight_ih", "weight_hh", "bias_ih", "bias_hh", "weight_peephole")) {
        want.add(base + layer);
      }
    }
    assertEquals(want, new ArrayList<>(p.keySet()));
    assertArrayEquals(new int[] {3, 5}, p.get("weight_peephole_l1_reverse").shape());
    double bound = 1 / Math.sqrt(5);
    double[] v = p.get("weight_peephole_l0").toDoubleArray();
    for (double e : v) {
      assertTrue(e >= -bound && e <= bound, "init outside U(-1/sqrt(H), 1/sqrt(H)): " + e);
    }
    RecurrentOutput out = lstm.forward(Tensor.zeros(DType.FLOAT32, 6, 7, 3));
    assertArrayEquals(new int[] {6, 7, 10}, out.output().shape());
    assertArrayEquals(new int[] {4, 7, 5}, out.cN().shape());
  }

  /**
   * I = H = 1, two steps, zero biases, by hand. Weights (gate order i, f, g, o): W_ih = (0.5, -0.25, 0.75, 0.1),
   * W_hh = (-0.4, 0.8, 0.35, -0.7), peepholes (p_i, p_f, p_o) = (0.3, -0.6, 0.9); x = (1, -2), h0 = 0.3, c0 = -0.2.
   * Every operation is within a few ulps in every kernel set and the values are O(1): 64 ulps of 1 covers two steps.
   */
  @Test
  void knownAnswerByHand() {
    LSTM lstm = peepholeLstm();
    // step 1: x = 1, h' = 0.3, c' = -0.2
    double i1 = sigmoid(0.5 * 1 + -0.4 * 0.3 + 0.3 * -0.2);     // sigmoid(0.32)
    double f1 = sigmoid(-0.25 * 1 + 0.8 * 0.3 + -0.6 * -0.2);   // sigmoid(0.11)
    double g1 = Math.tanh(0.75 * 1 + 0.35 * 0.3);               // tanh(0.855)
    double c1 = f1 * -0.2 + i1 * g1;
    double o1 = sigmoid(0.1 * 1 + -0.7 * 0.3 + 0.9 * c1);       // o sees the new c
    double h1 = o1 * Math.tanh(c1);
    // step 2: x = -2, h' = h1, c' = c1
    double i2 = sigmoid(0.5 * -2 + -0.4 * h1 + 0.3 * c1);
    double f2 = sigmoid(-0.25 * -2 + 0.8 * h1 + -0.6 * c1);
    double g2 = Math.tanh(0.75 * -2 + 0.35 * h1);
    double c2 = f2 * c1 + i2 * g2;
    double o2 = sigmoid(0.1 * -2 + -0.7 * h1 + 0.9 * c2);
    double h2 = o2 * Math.tanh(c2);
    RecurrentOutput out = lstm.forward(Tensor.fromArray(new double[] {1, -2}, 2, 1, 1),
        Tensor.fromArray(new double[] {0.3}, 1, 1, 1), Tensor.fromArray(new double[] {-0.2}, 1, 1, 1), null);
    double tol = 64 * Math.ulp(1.0);
    assertArrayEquals(new double[] {h1, h2}, out.output().toDoubleArray(), tol);
    assertArrayEquals(new double[] {h2}, out.hN().toDoubleArray(), tol);
    assertArrayEquals(new double[] {c2}, out.cN().toDoubleArray(), tol);
  }

  /**
   * The gradient of weight_peephole and of c0 for one step and the loss h1, by hand (same weights, x = 1):
   * {@code dpre_o = tanh(c1) o1 (1 - o1)}; the cell state gets both {@code o1 (1 - tanh^2 c1)} and the path through
   * o, {@code dc1 = o1 (1 - tanh^2 c1) + dpre_o p_o}; {@code dpre_i = dc1 g1 i1 (1 - i1)},
   * {@code dpre_f = dc1 c0 f1 (1 - f1)}. Then {@code dp = (dpre_i c0, dpre_f c0, dpre_o c1)} and
   * {@code dc0 = dc1 f1 + dpre_i p_i + dpre_f p_f}. Tolerance as above.
   */
  @Test
  void knownGradientByHand() {
    LSTM lstm = peepholeLstm();
    double c0 = -0.2;
    double i1 = sigmoid(0.32);
    double f1 = sigmoid(0.11);
    double g1 = Math.tanh(0.855);
    double c1 = f1 * c0 + i1 * g1;
    double o1 = sigmoid(-0.11 + 0.9 * c1);
    double tc = Math.tanh(c1);
    double dpreO = tc * o1 * (1 - o1);
    double dc1 = o1 * (1 - tc * tc) + dpreO * 0.9;
    double dpreI = dc1 * g1 * i1 * (1 - i1);
    double dpreF = dc1 * c0 * f1 * (1 - f1);
    Tensor c0t = Tensor.fromArray(new double[] {c0}, 1, 1, 1).requiresGrad(true);
    RecurrentOutput out = lstm.forward(Tensor.fromArray(new double[] {1}, 1, 1, 1),
        Tensor.fromArray(new double[] {0.3}, 1, 1, 1), c0t, null);
    Ops.sum(out.output()).backward();
    double tol = 64 * Math.ulp(1.0);
    assertArrayEquals(new double[] {dpreI * c0, dpreF * c0, dpreO * c1},
        lstm.namedParameters().get("weight_peephole_l0").grad().toDoubleArray(), tol);
    assertArrayEquals(new double[] {dc1 * f1 + dpreI * 0.3 + dpreF * -0.6}, c0t.grad().toDoubleArray(), tol);
  }

  @Test
  void badOptionsAreRejectedNamingThem() {
    String m = assertThrows(IllegalArgumentException.class,
        () -> new LSTM(new RecurrentOptions(3, 4).peephole(true).projSize(2))).getMessage();
    assertTrue(m.contains("LSTM") && m.contains("peephole(true)") && m.contains("projSize(2)"), m);
    m = assertThrows(IllegalArgumentException.class, () -> new GRU(new RecurrentOptions(3, 4).peephole(true)))
        .getMessage();
    assertTrue(m.contains("GRU") && m.contains("peephole(true)") && m.contains("LSTM only"), m);
    m = assertThrows(IllegalArgumentException.class, () -> new LSTMCell(new RecurrentOptions(3, 4).peephole(true)))
        .getMessage();
    assertTrue(m.contains("LSTMCell") && m.contains("LSTM only"), m);
    m = assertThrows(IllegalArgumentException.class, () -> new RecurrentConfig("LSTM", CellKind.GRU, 3, 4, 1, true,
        false, 0, false, MergeMode.CONCAT, 0, true)).getMessage();
    assertTrue(m.contains("peephole") && m.contains("GRU"), m);
  }

  /** Saved with its configuration (metadata rnn4j.peephole), loaded without knowing it, the same forward. */
  @Test
  void savesAndLoadsWithItsConfiguration() throws IOException {
    LSTM lstm = new LSTM(new RecurrentOptions(3, 4).numLayers(2).peephole(true).seed(5));
    Path file = dir.resolve("peephole.safetensors");
    lstm.save(file);
    RecurrentLayer loaded = RecurrentLayer.load(file);
    assertEquals(lstm.config(), loaded.config());
    assertTrue(loaded.config().peephole());
    Tensor x = Tensor.uniform(DType.FLOAT32, new java.util.SplittableRandom(3), -1, 1, 5, 2, 3);
    assertArrayEquals(lstm.forward(x).output().toDoubleArray(), loaded.forward(x).output().toDoubleArray());
  }

  /** Truncated BPTT runs over an LSTM with peepholes and reaches the peephole weights. */
  @Test
  void truncatedBpttReachesThePeepholes() {
    LSTM lstm = new LSTM(new RecurrentOptions(2, 3).peephole(true).dtype(DType.FLOAT64).seed(9));
    Tensor x = Tensor.uniform(DType.FLOAT64, new java.util.SplittableRandom(4), -1, 1, 12, 2, 2);
    double[] losses = new TruncatedBptt(4).run(lstm, x, (chunk, start) -> Ops.sum(chunk), chunk -> {});
    assertEquals(3, losses.length);
    double norm = 0;
    for (double g : lstm.namedParameters().get("weight_peephole_l0").grad().toDoubleArray()) {
      norm += Math.abs(g);
    }
    assertTrue(norm > 0, "no gradient reached weight_peephole");
  }

  private static LSTM peepholeLstm() {
    LSTM lstm = new LSTM(new RecurrentOptions(1, 1).peephole(true).dtype(DType.FLOAT64));
    set(lstm, "weight_ih_l0", new double[] {0.5, -0.25, 0.75, 0.1});
    set(lstm, "weight_hh_l0", new double[] {-0.4, 0.8, 0.35, -0.7});
    set(lstm, "bias_ih_l0", new double[4]);
    set(lstm, "bias_hh_l0", new double[4]);
    set(lstm, "weight_peephole_l0", new double[] {0.3, -0.6, 0.9});
    return lstm;
  }

  private static void set(LSTM lstm, String name, double[] values) {
    Tensor t = lstm.namedParameters().get(name);
    for (int i = 0; i < values.length; i++) {
      t.setFlat(i, values[i]);
    }
  }

  private static double sigmoid(double v) {
    return 1 / (1 + Math.exp(-v));
  }
}
