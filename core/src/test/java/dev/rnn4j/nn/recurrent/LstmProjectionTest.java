package dev.rnn4j.nn.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The LSTM with a projection (PyTorch's proj_size): parameters, a known answer and bad options. */
class LstmProjectionTest {

  /**
   * PyTorch's names, shapes and order for {@code nn.LSTM(3, 5, num_layers=2, bidirectional=True, proj_size=2)}:
   * per layer and direction weight_ih, weight_hh [4H, P], bias_ih, bias_hh, weight_hr [P, H]; layer 1's input is
   * D * P = 4 wide. So a PyTorch state_dict loads by name and shape.
   */
  @Test
  void parametersHavePyTorchNamesShapesAndOrder() {
    LSTM lstm = new LSTM(new RecurrentOptions(3, 5).numLayers(2).bidirectional(true).projSize(2).seed(1));
    Map<String, Tensor> p = lstm.namedParameters();
    List<String> want = new ArrayList<>();
    for (String layer : List.of("_l0", "_l0_reverse", "_l1", "_l1_reverse")) {
      for (String base : List.of("weight_ih", "weight_hh", "bias_ih", "bias_hh", "weight_hr")) {
        want.add(base + layer);
      }
    }
    assertEquals(want, new ArrayList<>(p.keySet()));
    assertArrayEquals(new int[] {20, 3}, p.get("weight_ih_l0").shape());
    assertArrayEquals(new int[] {20, 2}, p.get("weight_hh_l0").shape());
    assertArrayEquals(new int[] {2, 5}, p.get("weight_hr_l0_reverse").shape());
    assertArrayEquals(new int[] {20, 4}, p.get("weight_ih_l1").shape());
    double bound = 1 / Math.sqrt(5); // PyTorch draws every parameter, weight_hr too, from U(-1/sqrt(H), 1/sqrt(H))
    for (double v : p.get("weight_hr_l1").toDoubleArray()) {
      assertTrue(v >= -bound && v <= bound, "init outside U(-1/sqrt(H), 1/sqrt(H)): " + v);
    }
    RecurrentOutput out = lstm.forward(Tensor.zeros(DType.FLOAT32, 6, 7, 3));
    assertArrayEquals(new int[] {6, 7, 4}, out.output().shape());
    assertArrayEquals(new int[] {4, 7, 2}, out.hN().shape());
    assertArrayEquals(new int[] {4, 7, 5}, out.cN().shape());
  }

  /**
   * H = 2, P = 1, two steps, by hand from the equations (zero biases): gates = W_ih x + W_hh h', i, f, o sigmoid,
   * g tanh, c = f c' + i g, h = W_hr (o tanh c). Every operation is within a few ulps in every kernel set and the
   * values are O(1), so 64 ulps of 1 covers the two steps.
   */
  @Test
  void knownAnswer() {
    LSTM lstm = new LSTM(new RecurrentOptions(1, 2).projSize(1).dtype(DType.FLOAT64));
    double[] wih = {0.5, -0.25, 0.75, 0.1, -0.6, 0.3, 0.2, 0.9};
    double[] whh = {-0.4, 0.8, 0.35, -0.7, 0.15, 0.6, -0.2, 0.45};
    double[] whr = {1.5, -0.75};
    set(lstm, "weight_ih_l0", wih);
    set(lstm, "weight_hh_l0", whh);
    set(lstm, "weight_hr_l0", whr);
    set(lstm, "bias_ih_l0", new double[8]);
    set(lstm, "bias_hh_l0", new double[8]);
    double[] x = {1, -2};
    double h = 0.3;
    double[] c = {-0.2, 0.5};
    double[] outs = new double[2];
    for (int t = 0; t < 2; t++) {
      double m0 = 0;
      double m1 = 0;
      double[] cNew = new double[2];
      for (int j = 0; j < 2; j++) {
        double i = sigmoid(wih[j] * x[t] + whh[j] * h);
        double f = sigmoid(wih[2 + j] * x[t] + whh[2 + j] * h);
        double g = Math.tanh(wih[4 + j] * x[t] + whh[4 + j] * h);
        double o = sigmoid(wih[6 + j] * x[t] + whh[6 + j] * h);
        cNew[j] = f * c[j] + i * g;
        double m = o * Math.tanh(cNew[j]);
        if (j == 0) {
          m0 = m;
        } else {
          m1 = m;
        }
      }
      c = cNew;
      h = whr[0] * m0 + whr[1] * m1;
      outs[t] = h;
    }
    RecurrentOutput out = lstm.forward(Tensor.fromArray(x, 2, 1, 1), Tensor.fromArray(new double[] {0.3}, 1, 1, 1),
        Tensor.fromArray(new double[] {-0.2, 0.5}, 1, 1, 2), null);
    double tol = 64 * Math.ulp(1.0);
    assertArrayEquals(outs, out.output().toDoubleArray(), tol);
    assertArrayEquals(new double[] {h}, out.hN().toDoubleArray(), tol);
    assertArrayEquals(c, out.cN().toDoubleArray(), tol);
  }

  @Test
  void badProjectionsAreRejectedNamingTheLayer() {
    String m = assertThrows(IllegalArgumentException.class,
        () -> new LSTM(new RecurrentOptions(3, 4).projSize(4))).getMessage();
    assertTrue(m.contains("LSTM") && m.contains("projSize") && m.contains("hiddenSize = 4") && m.contains("4"), m);
    m = assertThrows(IllegalArgumentException.class, () -> new GRU(new RecurrentOptions(3, 4).projSize(2)))
        .getMessage();
    assertTrue(m.contains("GRU") && m.contains("projSize(2)") && m.contains("LSTM only"), m);
    m = assertThrows(IllegalArgumentException.class, () -> new LSTMCell(new RecurrentOptions(3, 4).projSize(2)))
        .getMessage();
    assertTrue(m.contains("LSTMCell") && m.contains("LSTM only"), m);
    m = assertThrows(IllegalArgumentException.class, () -> new RecurrentOptions(3, 4).projSize(-1)).getMessage();
    assertTrue(m.contains("projSize") && m.contains("-1"), m);
    LSTM lstm = new LSTM(new RecurrentOptions(3, 4).projSize(2).dtype(DType.FLOAT64));
    m = assertThrows(IllegalArgumentException.class, () -> lstm.forward(Tensor.zeros(DType.FLOAT64, 2, 1, 3),
        Tensor.zeros(DType.FLOAT64, 1, 1, 4), null, null)).getMessage();
    assertTrue(m.contains("h0") && m.contains("[1, 1, 2]") && m.contains("P]"), m);
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
