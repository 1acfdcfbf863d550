package dev.rnn4j.nn.recurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.tensor.DType;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link MagnitudeStack}, the sums of |path products| behind {@link RecurrentLayerProperties#gradientTolerance}: a
 * hand-worked case, equality with |gradient| where no paths cancel, and {@code mag >= |g|} on random cases.
 *
 * <p>Rounding: the composed gradient and the magnitude are each evaluated with at most N = {@link
 * RecurrentLayerProperties#roundings} roundings per path, so each is within {@code N u mag_j} of its exact value
 * (first order); the exact values satisfy {@code |g_j| <= mag_j}, with equality when every path product has the same
 * sign. Hence {@code |g_j| <= mag_j (1 + 2 N u)} always, and {@code |mag_j - g_j| <= 2 N u mag_j} without cancellation.
 */
class MagnitudeStackProperties {

  static final double U64 = RecurrentLayerProperties.U64;
  static final Kernels SCALAR = RecurrentLayerProperties.SCALAR;

  /**
   * A tanh RNN with I = H = 1, T = 2, B = 1, biases and h0, worked by hand: with a_t = w x_t + b_ih + u h_(t-1) +
   * b_hh, h_t = tanh(a_t), s_t = 1 - h_t^2, the loss dOut_1 h_1 + dOut_2 h_2 + dhN h_2 has the paths to h_2 (weight
   * c_2 = |dOut_2| + |dhN|, two uses of h_2) and to h_1 (c_1 = |dOut_1|); a leaf reaches h_2 directly or through h_1
   * (factor |u| s_1). dOut_2 and dhN have opposite signs, so the signed gradients cancel where the magnitudes add.
   */
  @Example
  void handWorkedTanhRnnOfTwoSteps() {
    RecurrentConfig cfg = new RecurrentConfig("RNN_TANH", CellKind.RNN_TANH, 1, 1, 1, true, false, 0, false,
        MergeMode.CONCAT);
    RecurrentCase c = new RecurrentCase(cfg, 2, 1, null, 1L, true);
    double w = 0.5;
    double u = -0.75;
    double bih = 0.25;
    double bhh = -0.125;
    double x1 = 1.0;
    double x2 = -0.5;
    double h0 = 0.5;
    double dOut1 = 1.0;
    double dOut2 = -2.0;
    double dhN = 0.5;
    c.wih[0][0] = w;
    c.whh[0][0] = u;
    c.bih[0][0] = bih;
    c.bhh[0][0] = bhh;
    c.x[0] = x1;
    c.x[1] = x2;
    c.h0[0] = h0;
    c.dOut[0] = dOut1;
    c.dOut[1] = dOut2;
    c.dhN[0] = dhN;
    double h1 = Math.tanh(w * x1 + bih + u * h0 + bhh);
    double s1 = 1 - h1 * h1;
    double h2 = Math.tanh(w * x2 + bih + u * h1 + bhh);
    double s2 = 1 - h2 * h2;
    double c1 = Math.abs(dOut1);
    double c2 = Math.abs(dOut2) + Math.abs(dhN);
    double au = Math.abs(u);
    double aw = Math.abs(w);
    double magW = c1 * s1 * Math.abs(x1) + c2 * s2 * (Math.abs(x2) + au * s1 * Math.abs(x1));
    double magU = c1 * s1 * Math.abs(h0) + c2 * s2 * (Math.abs(h1) + au * s1 * Math.abs(h0));
    double magB = c1 * s1 + c2 * s2 * (1 + au * s1);
    double magX1 = c1 * s1 * aw + c2 * s2 * au * s1 * aw;
    double magX2 = c2 * s2 * aw;
    double magH0 = c1 * s1 * au + c2 * s2 * au * s1 * au;

    RunnerResult m = MagnitudeStack.gradients(c, SCALAR);
    // the hand formulas round differently: a few ulps
    double rel = 1e-14;
    assertEquals(magW, m.dWih[0][0], rel * magW, "weight_ih");
    assertEquals(magU, m.dWhh[0][0], rel * magU, "weight_hh");
    assertEquals(magB, m.dbih[0][0], rel * magB, "bias_ih");
    assertEquals(magB, m.dbhh[0][0], rel * magB, "bias_hh");
    assertEquals(magX1, m.dx[0], rel * magX1, "x_1");
    assertEquals(magX2, m.dx[1], rel * magX2, "x_2");
    assertEquals(magH0, m.dh0[0], rel * magH0, "h0");
    // the signed bias gradient dOut_1 s_1 + (dOut_2 + dhN) s_2 (1 + u s_1) is far smaller: the case cancels
    RunnerResult g = LayerHarness.composed(c, DType.FLOAT64, SCALAR);
    double gB = dOut1 * s1 + (dOut2 + dhN) * s2 * (1 + u * s1);
    assertEquals(gB, g.dbih[0][0], rel * magB, "signed bias_ih gradient");
    assertTrue(Math.abs(gB) < 0.5 * magB, () -> "no cancellation: " + gB + " vs " + magB);
  }

  // the cells (and LSTM variants) the magnitudes are checked on: every CellKind, then LSTM+projection, LSTM+peephole
  @Provide
  Arbitrary<RecurrentCase> cases() {
    int kinds = CellKind.values().length;
    return Arbitraries.integers().between(0, kinds + 1).flatMap(k -> k < kinds
        ? CaseSpec.cases(CellKind.values()[k], 3, 5, 4, 4, 2, false, false)
        : CaseSpec.cases(CellKind.LSTM, 3, 5, 4, 4, 2, k == kinds, k == kinds + 1));
  }

  /** On any case, every magnitude is at least its gradient's absolute value (up to their roundings). */
  @Property(tries = 30)
  void magnitudesBoundTheGradients(@ForAll("cases") RecurrentCase c) {
    double slack = 1 + 2 * RecurrentLayerProperties.roundings(c) * U64;
    compare(c, (g, m) -> Math.abs(g) <= m * slack + Double.MIN_NORMAL, "|g| <= mag (1 + 2Nu)");
  }

  /**
   * With every input, weight, state and output gradient made non-negative, an RNN's or LSTM's (with projection or
   * peepholes too) local derivatives are all non-negative (tanh, sigmoid and relu are increasing; c_t and tanh(c_t)
   * stay positive), so no two paths cancel and the magnitude equals the gradient: a missing or doubled path in the
   * twin shows here. (A GRU's {@code n + z (h - n)} has the path sum 1 + z through n where the derivative is 1 - z,
   * so it is left out.)
   */
  @Property(tries = 20)
  void magnitudesEqualGradientsWithoutCancellation(@ForAll("cases") RecurrentCase any) {
    if (any.cfg.kind() == CellKind.GRU || any.cfg.kind() == CellKind.GRU_RESET_BEFORE) {
      return;
    }
    RecurrentCase c = nonNegative(any);
    double bound = 2 * RecurrentLayerProperties.roundings(c) * U64;
    compare(c, (g, m) -> Math.abs(m - g) <= bound * m + Double.MIN_NORMAL, "|mag - g| <= 2Nu mag");
  }

  interface Check {
    boolean holds(double gradient, double magnitude);
  }

  private static void compare(RecurrentCase c, Check check, String what) {
    List<RunnerResult.Named> g = LayerHarness.composed(c, DType.FLOAT64, SCALAR).gradients();
    List<RunnerResult.Named> m = MagnitudeStack.gradients(c, SCALAR).gradients();
    assertEquals(g.size(), m.size());
    for (int i = 0; i < g.size(); i++) {
      double[] gv = g.get(i).values();
      double[] mv = m.get(i).values();
      assertEquals(gv.length, mv.length, g.get(i).name());
      for (int j = 0; j < gv.length; j++) {
        if (!check.holds(gv[j], mv[j])) {
          fail(what + " fails for " + g.get(i).name() + "[" + j + "]: g " + gv[j] + ", mag " + mv[j] + " in " + c);
        }
      }
    }
  }

  /** The case with |value| in place of every input, weight, initial state and output gradient (in place). */
  private static RecurrentCase nonNegative(RecurrentCase c) {
    for (double[][] arrays : new double[][][] {c.wih, c.whh, c.bih, c.bhh, c.whr, c.peep}) {
      if (arrays != null) {
        for (double[] a : arrays) {
          abs(a);
        }
      }
    }
    for (double[] a : new double[][] {c.x, c.h0, c.c0, c.dOut, c.dhN, c.dcN}) {
      abs(a);
    }
    return c;
  }

  private static void abs(double[] a) {
    if (a != null) {
      for (int i = 0; i < a.length; i++) {
        a[i] = Math.abs(a[i]);
      }
    }
  }
}
