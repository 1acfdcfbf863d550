package dev.rnn4j.kernels.testing;

// rnn4j:generate-float

import static dev.rnn4j.kernels.testing.DoubleKernelTestSupport.EB;
import static dev.rnn4j.kernels.testing.DoubleKernelTestSupport.GUARD;
import static dev.rnn4j.kernels.testing.DoubleKernelTestSupport.REF;
import static dev.rnn4j.kernels.testing.DoubleKernelTestSupport.array;
import static dev.rnn4j.kernels.testing.DoubleKernelTestSupport.guarded;
import static dev.rnn4j.kernels.testing.KernelSweeps.WIDTH_INDEPENDENT;
import static dev.rnn4j.kernels.testing.TestValues.mixed;
import static dev.rnn4j.kernels.testing.TestValues.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.kernels.DoubleKernels;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract tests of the fused recurrent pointwise kernels of {@link DoubleKernels}: the LSTM and GRU cells'
 * forward and backward. A link of the contract suite's chain of family classes; implementations subclass
 * {@link DoubleKernelsContract}, which runs every family.
 */
@SuppressWarnings("cast")
public abstract class DoubleRecurrentContract extends DoubleReductionContract {

  // ===============================================================================================================
  // LSTM
  // ===============================================================================================================

  @Test
  @Tag(WIDTH_INDEPENDENT)
  void lstmForwardHandComputed() {
    // All pre-activations 0: i = f = o = sigmoid(0) = 1/2, g = tanh(0) = 0; c = 1/2 cPrev + 1/2 * 0 = cPrev / 2;
    // with cPrev = 0: c = 0, h = 1/2 tanh(0) = 0.
    double[] gates = new double[8];
    double[] cPrev = {0, 4};
    double[] c = new double[2];
    double[] h = new double[2];
    kernels().lstmForward(1, 2, gates, 0, cPrev, 0, c, 0, h, 0);
    assertTrue(Arrays.equals(new double[] {0.5, 0.5, 0.5, 0.5, 0, 0, 0.5, 0.5}, gates), Arrays.toString(gates));
    assertEquals(0, c[0]);
    assertEquals(0, h[0]);
    assertEquals(2, c[1]); // cPrev / 2 = 2
    Checks.closeToExact("h = tanh(2) / 2", Exact.tanh(2) / 2, h[1], EB.lstmForward(0.5, 0.5, 0, 0.5, 4, 2)[1]);
  }

  @ParameterizedTest(name = "hidden={0}")
  @MethodSource("dev.rnn4j.kernels.testing.KernelSweeps#hiddenSizes")
  void lstmForwardMatchesEquations(int hidden) {
    Random rnd = new Random(hidden + 5);
    int batch = 3;
    int state = batch * hidden;
    double[] gatesIn = guarded(rnd, 4 * state, mixed(3));
    double[] cPrevIn = guarded(rnd, state, mixed(2));
    gatesIn[GUARD] = 1e4; // saturated gates must stay finite
    gatesIn[GUARD + 1] = -1e4;
    // Expected activations, c and h from the equations (computed once for both calls below).
    var want = new double /*f32:double*/[state][];
    for (int b = 0; b < batch; b++) {
      for (int j = 0; j < hidden; j++) {
        int g = GUARD + b * 4 * hidden + j;
        want[b * hidden + j] = Formulas.lstmForward(gatesIn[g], gatesIn[g + hidden], gatesIn[g + 2 * hidden],
            gatesIn[g + 3 * hidden], cPrevIn[GUARD + b * hidden + j]);
      }
    }
    for (boolean alias : new boolean[] {false, true}) {
      double[] gates = gatesIn.clone();
      double[] cPrev = cPrevIn.clone();
      double[] c = alias ? cPrev : guarded(rnd, state, mixed(1));
      double[] c0 = c.clone();
      double[] h = guarded(rnd, state, mixed(1));
      double[] h0 = h.clone();
      kernels().lstmForward(batch, hidden, gates, GUARD, cPrev, GUARD, c, GUARD, h, GUARD);
      String op = "lstmForward hidden=" + hidden + " c=cPrev: " + alias;
      if (!alias) {
        Checks.unchanged(op + ": cPrev", cPrevIn, cPrev);
      }
      Checks.unchangedOutside(op + ": gates", gatesIn, gates, GUARD, GUARD + 4 * state);
      Checks.unchangedOutside(op + ": c", c0, c, GUARD, GUARD + state);
      Checks.unchangedOutside(op + ": h", h0, h, GUARD, GUARD + state);
      for (int b = 0; b < batch; b++) {
        for (int j = 0; j < hidden; j++) {
          int g = GUARD + b * 4 * hidden + j;
          int s = GUARD + b * hidden + j;
          var w = want[b * hidden + j];
          String at = op + " [" + b + ", " + j + "] ";
          for (int q = 0; q < 4; q++) {
            Checks.closeToExact(at + "gate " + "ifgo".charAt(q), w[q], gates[g + q * hidden],
                q == 2 ? EB.tanh(w[q]) : EB.sigmoid(w[q]));
          }
          // The expected c and h are evaluated in float64 from correctly rounded activations: their own error is
          // within REF's bound for the same formula.
          var bc = EB.lstmForward(w[0], w[1], w[2], w[3], cPrevIn[s], w[4]);
          var rc = REF.lstmForward(w[0], w[1], w[2], w[3], cPrevIn[s], w[4]);
          Checks.closeToExact(at + "c", w[4], c[s], bc[0] + rc[0]);
          Checks.closeToExact(at + "h", w[5], h[s], bc[1] + rc[1]);
        }
      }
    }
  }

  @ParameterizedTest(name = "hidden={0}")
  @MethodSource("dev.rnn4j.kernels.testing.KernelSweeps#hiddenSizes")
  void lstmBackwardMatchesEquations(int hidden) {
    Random rnd = new Random(hidden + 9);
    int batch = 2;
    int state = batch * hidden;
    double[] gates = guarded(rnd, 4 * state, uniform(0, 1));
    for (int b = 0; b < batch; b++) {
      for (int j = 0; j < hidden; j++) {
        gates[GUARD + b * 4 * hidden + 2 * hidden + j] = (double) uniform(-1, 1).next(rnd);
      }
    }
    double[] cPrev = guarded(rnd, state, mixed(2));
    double[] c = guarded(rnd, state, mixed(2));
    double[] dh = guarded(rnd, state, mixed(3));
    double[] dc = guarded(rnd, state, mixed(3));
    double[] dGates = guarded(rnd, 4 * state, mixed(1));
    double[] gates0 = gates.clone();
    double[] cPrev0 = cPrev.clone();
    double[] c0 = c.clone();
    double[] dh0 = dh.clone();
    double[] dc0 = dc.clone();
    double[] dGates0 = dGates.clone();
    kernels().lstmBackward(batch, hidden, gates, GUARD, cPrev, GUARD, c, GUARD, dh, GUARD, dc, GUARD, dGates, GUARD);
    String op = "lstmBackward hidden=" + hidden;
    Checks.unchanged(op + ": gates", gates0, gates);
    Checks.unchanged(op + ": cPrev", cPrev0, cPrev);
    Checks.unchanged(op + ": c", c0, c);
    Checks.unchanged(op + ": dh", dh0, dh);
    Checks.unchangedOutside(op + ": dc", dc0, dc, GUARD, GUARD + state);
    Checks.unchangedOutside(op + ": dGates", dGates0, dGates, GUARD, GUARD + 4 * state);
    for (int b = 0; b < batch; b++) {
      for (int j = 0; j < hidden; j++) {
        int g = GUARD + b * 4 * hidden + j;
        int s = GUARD + b * hidden + j;
        double i = gates0[g];
        double f = gates0[g + hidden];
        double gg = gates0[g + 2 * hidden];
        double o = gates0[g + 3 * hidden];
        var want = Formulas.lstmBackward(i, f, gg, o, cPrev0[s], c0[s], dh0[s], dc0[s]);
        var bound = EB.lstmBackward(i, f, gg, o, cPrev0[s], c0[s], dh0[s], dc0[s]);
        var ref = REF.lstmBackward(i, f, gg, o, cPrev0[s], c0[s], dh0[s], dc0[s]);
        String at = op + " [" + b + ", " + j + "] ";
        for (int q = 0; q < 4; q++) {
          Checks.closeToExact(at + "d" + "ifgo".charAt(q), want[q], dGates[g + q * hidden], bound[q] + ref[q]);
        }
        Checks.closeToExact(at + "dcPrev", want[4], dc[s], bound[4] + ref[4]);
      }
    }
  }

  /**
   * The backward kernel is the gradient of the forward: with the loss {@code L = dh . h + dc . c}, dGates must be
   * dL/d(pre-activations) and the new dc must be dL/dcPrev, checked by central differences of the LSTM equations in
   * float64 ({@link Formulas#derivative}). The kernel receives the activations its own forward produced. Tolerance:
   * the finite-difference error ({@link Formulas#FD_TOLERANCE}) plus 128u times the gradient's absolute-value form
   * (each of at most five factors carries the forward's error of at most 16u relative to its absolute-value form, plus
   * the backward's own roundings, 5 * 16 + 16 + 8 < 128).
   */
  @Test
  @Tag(WIDTH_INDEPENDENT)
  void lstmBackwardIsTheGradientOfTheForward() {
    Random rnd = new Random(3);
    int batch = 2;
    int hidden = 7;
    int state = batch * hidden;
    double[] pre = array(rnd, 4 * state, uniform(-3, 3));
    double[] cPrev = array(rnd, state, uniform(-2, 2));
    double[] dh = array(rnd, state, uniform(-2, 2));
    double[] dcIn = array(rnd, state, uniform(-2, 2));
    double[] gates = pre.clone();
    double[] c = new double[state];
    double[] h = new double[state];
    kernels().lstmForward(batch, hidden, gates, 0, cPrev, 0, c, 0, h, 0);
    double[] dc = dcIn.clone();
    double[] dGates = new double[4 * state];
    kernels().lstmBackward(batch, hidden, gates, 0, cPrev, 0, c, 0, dh, 0, dc, 0, dGates, 0);
    for (int b = 0; b < batch; b++) {
      for (int j = 0; j < hidden; j++) {
        int g = b * 4 * hidden + j;
        int s = b * hidden + j;
        double[] p = {pre[g], pre[g + hidden], pre[g + 2 * hidden], pre[g + 3 * hidden], cPrev[s]};
        double dhs = dh[s];
        double dcs = dcIn[s];
        for (int q = 0; q < 5; q++) {
          final int which = q;
          var fd = Formulas.derivative(t -> {
            var v = Checks.widen(p);
            v[which] = t;
            return Formulas.lstmLoss(v[0], v[1], v[2], v[3], v[4], dhs, dcs);
          }, p[q]);
          // Upper bound of the absolute-value forms of all five gradients (o, i, f <= 1, |g|, |tc| <= 1, so
          // |dcTotal| <= |dc| + 2|dh| in absolute-value form, and i (1 + i) <= 2 etc.).
          var scale = 2 * (Math.abs(dcs) + 2 * Math.abs(dhs)) * (1 + Math.abs(p[4])) + 2 * Math.abs(dhs);
          double got = q < 4 ? dGates[g + q * hidden] : dc[s];
          Checks.close("lstm gradient [" + b + ", " + j + "] of " + (q < 4 ? "gate " + "ifgo".charAt(q) : "cPrev"),
              fd, got, Formulas.FD_TOLERANCE * (1 + scale) + 128 * EB.u() * scale);
        }
      }
    }
  }

  /**
   * dGates written over gates (the contract allows the same range) gives the same bits as a separate dGates: the
   * kernel must read a unit's activations before it writes that unit's gradients, and keep no scratch in dGates
   * that it reads after writing the gradients of other units.
   */
  @ParameterizedTest(name = "hidden={0}")
  @MethodSource("dev.rnn4j.kernels.testing.KernelSweeps#hiddenSizes")
  void lstmBackwardInPlaceGivesTheSameBits(int hidden) {
    Random rnd = new Random(hidden + 29);
    int batch = 3;
    int state = batch * hidden;
    double[] gates = guarded(rnd, 4 * state, uniform(0, 1));
    double[] cPrev = guarded(rnd, state, mixed(2));
    double[] c = guarded(rnd, state, mixed(2));
    double[] dh = guarded(rnd, state, mixed(3));
    double[] dc = guarded(rnd, state, mixed(3));
    double[] separate = guarded(rnd, 4 * state, mixed(1));
    double[] dcSeparate = dc.clone();
    kernels().lstmBackward(batch, hidden, gates, GUARD, cPrev, GUARD, c, GUARD, dh, GUARD, dcSeparate, GUARD,
        separate, GUARD);
    double[] inPlace = gates.clone();
    double[] dcInPlace = dc.clone();
    kernels().lstmBackward(batch, hidden, inPlace, GUARD, cPrev, GUARD, c, GUARD, dh, GUARD, dcInPlace, GUARD,
        inPlace, GUARD);
    String op = "lstmBackward in place hidden=" + hidden;
    Checks.unchangedOutside(op + ": gates", gates, inPlace, GUARD, GUARD + 4 * state);
    Checks.unchanged(op + ": dGates", Arrays.copyOfRange(separate, GUARD, GUARD + 4 * state),
        Arrays.copyOfRange(inPlace, GUARD, GUARD + 4 * state));
    Checks.unchanged(op + ": dc", dcSeparate, dcInPlace);
  }

  // ===============================================================================================================
  // GRU
  // ===============================================================================================================

  @Test
  @Tag(WIDTH_INDEPENDENT)
  void gruForwardHandComputed() {
    // gi = gh = 0: r = z = 1/2, n = tanh(0 + 1/2 * 0) = 0, h = (1 - 1/2) * 0 + 1/2 * hPrev = hPrev / 2.
    double[] gi = new double[3];
    double[] gh = new double[3];
    double[] h = new double[1];
    kernels().gruForward(1, 1, gi, 0, gh, 0, new double[] {3}, 0, h, 0);
    assertTrue(Arrays.equals(new double[] {0.5, 0.5, 0}, gi), Arrays.toString(gi));
    assertEquals(1.5, h[0]);
  }

  @ParameterizedTest(name = "hidden={0}")
  @MethodSource("dev.rnn4j.kernels.testing.KernelSweeps#hiddenSizes")
  void gruForwardMatchesEquations(int hidden) {
    Random rnd = new Random(hidden + 11);
    int batch = 3;
    int state = batch * hidden;
    double[] gi = guarded(rnd, 3 * state, mixed(3));
    double[] gh = guarded(rnd, 3 * state, mixed(3));
    double[] hPrev = guarded(rnd, state, mixed(1));
    double[] h = guarded(rnd, state, mixed(1));
    if (state > 0) {
      gi[GUARD] = 1e4;
      gh[GUARD + hidden] = -1e4;
    }
    double[] gi0 = gi.clone();
    double[] gh0 = gh.clone();
    double[] hPrev0 = hPrev.clone();
    double[] h0 = h.clone();
    kernels().gruForward(batch, hidden, gi, GUARD, gh, GUARD, hPrev, GUARD, h, GUARD);
    String op = "gruForward hidden=" + hidden;
    Checks.unchanged(op + ": gh", gh0, gh);
    Checks.unchanged(op + ": hPrev", hPrev0, hPrev);
    Checks.unchangedOutside(op + ": gi", gi0, gi, GUARD, GUARD + 3 * state);
    Checks.unchangedOutside(op + ": h", h0, h, GUARD, GUARD + state);
    for (int b = 0; b < batch; b++) {
      for (int j = 0; j < hidden; j++) {
        int x = GUARD + b * 3 * hidden + j;
        int s = GUARD + b * hidden + j;
        var want = Formulas.gruForward(gi0[x], gh0[x], gi0[x + hidden], gh0[x + hidden], gi0[x + 2 * hidden],
            gh0[x + 2 * hidden], hPrev0[s]);
        var bound = EB.gruForward(gi0[x], gh0[x], gi0[x + hidden], gh0[x + hidden], gi0[x + 2 * hidden],
            gh0[x + 2 * hidden], hPrev0[s]);
        var ref = REF.gruForward(gi0[x], gh0[x], gi0[x + hidden], gh0[x + hidden], gi0[x + 2 * hidden],
            gh0[x + 2 * hidden], hPrev0[s]);
        String at = op + " [" + b + ", " + j + "] ";
        for (int q = 0; q < 3; q++) {
          Checks.closeToExact(at + "rzn".charAt(q), want[q], gi[x + q * hidden], bound[q] + ref[q]);
        }
        Checks.closeToExact(at + "h", want[3], h[s], bound[3] + ref[3]);
      }
    }
  }

  @ParameterizedTest(name = "hidden={0}")
  @MethodSource("dev.rnn4j.kernels.testing.KernelSweeps#hiddenSizes")
  void gruBackwardMatchesEquations(int hidden) {
    Random rnd = new Random(hidden + 13);
    int batch = 2;
    int state = batch * hidden;
    for (boolean alias : new boolean[] {false, true}) {
      double[] gi = guarded(rnd, 3 * state, uniform(0, 1));
      for (int b = 0; b < batch; b++) {
        for (int j = 0; j < hidden; j++) {
          gi[GUARD + b * 3 * hidden + 2 * hidden + j] = (double) uniform(-1, 1).next(rnd);
        }
      }
      double[] gh = guarded(rnd, 3 * state, mixed(3));
      double[] hPrev = guarded(rnd, state, mixed(1));
      double[] dh = guarded(rnd, state, mixed(3));
      double[] dgi = guarded(rnd, 3 * state, mixed(1));
      double[] dgh = guarded(rnd, 3 * state, mixed(1));
      double[] dhPrev = alias ? dh : guarded(rnd, state, mixed(1));
      double[] gi0 = gi.clone();
      double[] gh0 = gh.clone();
      double[] hPrev0 = hPrev.clone();
      double[] dh0 = dh.clone();
      double[] dgi0 = dgi.clone();
      double[] dgh0 = dgh.clone();
      double[] dhPrev0 = dhPrev.clone();
      kernels().gruBackward(batch, hidden, gi, GUARD, gh, GUARD, hPrev, GUARD, dh, GUARD, dgi, GUARD, dgh, GUARD,
          dhPrev, GUARD);
      String op = "gruBackward hidden=" + hidden + " dhPrev=dh: " + alias;
      Checks.unchanged(op + ": gi", gi0, gi);
      Checks.unchanged(op + ": gh", gh0, gh);
      Checks.unchanged(op + ": hPrev", hPrev0, hPrev);
      if (!alias) {
        Checks.unchanged(op + ": dh", dh0, dh);
      }
      Checks.unchangedOutside(op + ": dgi", dgi0, dgi, GUARD, GUARD + 3 * state);
      Checks.unchangedOutside(op + ": dgh", dgh0, dgh, GUARD, GUARD + 3 * state);
      Checks.unchangedOutside(op + ": dhPrev", dhPrev0, dhPrev, GUARD, GUARD + state);
      for (int b = 0; b < batch; b++) {
        for (int j = 0; j < hidden; j++) {
          int x = GUARD + b * 3 * hidden + j;
          int s = GUARD + b * hidden + j;
          var want = Formulas.gruBackward(gi0[x], gi0[x + hidden], gi0[x + 2 * hidden], gh0[x + 2 * hidden],
              hPrev0[s], dh0[s]);
          var bound = EB.gruBackward(gi0[x], gi0[x + hidden], gi0[x + 2 * hidden], gh0[x + 2 * hidden], hPrev0[s],
              dh0[s]);
          var ref = REF.gruBackward(gi0[x], gi0[x + hidden], gi0[x + 2 * hidden], gh0[x + 2 * hidden], hPrev0[s],
              dh0[s]);
          String at = op + " [" + b + ", " + j + "] ";
          for (int q = 0; q < 3; q++) {
            Checks.closeToExact(at + "dgi " + "rzn".charAt(q), want[q], dgi[x + q * hidden], bound[q] + ref[q]);
            int w = q == 2 ? 3 : q;
            Checks.closeToExact(at + "dgh " + "rzn".charAt(q), want[w], dgh[x + q * hidden], bound[w] + ref[w]);
          }
          Checks.closeToExact(at + "dhPrev", want[4], dhPrev[s], bound[4] + ref[4]);
        }
      }
    }
  }

  /** dgi written over gi and dgh over gh give the same bits as separate outputs (see the LSTM case). */
  @ParameterizedTest(name = "hidden={0}")
  @MethodSource("dev.rnn4j.kernels.testing.KernelSweeps#hiddenSizes")
  void gruBackwardInPlaceGivesTheSameBits(int hidden) {
    Random rnd = new Random(hidden + 31);
    int batch = 3;
    int state = batch * hidden;
    double[] gi = guarded(rnd, 3 * state, uniform(0, 1));
    double[] gh = guarded(rnd, 3 * state, mixed(3));
    double[] hPrev = guarded(rnd, state, mixed(1));
    double[] dh = guarded(rnd, state, mixed(3));
    double[] dgi = guarded(rnd, 3 * state, mixed(1));
    double[] dgh = guarded(rnd, 3 * state, mixed(1));
    double[] dhPrev = guarded(rnd, state, mixed(1));
    double[] dhPrevInPlace = dhPrev.clone();
    kernels().gruBackward(batch, hidden, gi, GUARD, gh, GUARD, hPrev, GUARD, dh, GUARD, dgi, GUARD, dgh, GUARD,
        dhPrev, GUARD);
    double[] giInPlace = gi.clone();
    double[] ghInPlace = gh.clone();
    kernels().gruBackward(batch, hidden, giInPlace, GUARD, ghInPlace, GUARD, hPrev, GUARD, dh, GUARD,
        giInPlace, GUARD, ghInPlace, GUARD, dhPrevInPlace, GUARD);
    String op = "gruBackward in place hidden=" + hidden;
    Checks.unchangedOutside(op + ": gi", gi, giInPlace, GUARD, GUARD + 3 * state);
    Checks.unchangedOutside(op + ": gh", gh, ghInPlace, GUARD, GUARD + 3 * state);
    Checks.unchanged(op + ": dgi", Arrays.copyOfRange(dgi, GUARD, GUARD + 3 * state),
        Arrays.copyOfRange(giInPlace, GUARD, GUARD + 3 * state));
    Checks.unchanged(op + ": dgh", Arrays.copyOfRange(dgh, GUARD, GUARD + 3 * state),
        Arrays.copyOfRange(ghInPlace, GUARD, GUARD + 3 * state));
    Checks.unchanged(op + ": dhPrev", dhPrev, dhPrevInPlace);
  }

  /**
   * With {@code L = dh . h}, dgi and dgh are dL/dgi and dL/dgh and dhPrev is dL/dhPrev with gi and gh held fixed
   * (the part through gh is the caller's GEMM), checked by central differences of the GRU equations in float64.
   * Tolerance as in {@link #lstmBackwardIsTheGradientOfTheForward}.
   */
  @Test
  @Tag(WIDTH_INDEPENDENT)
  void gruBackwardIsTheGradientOfTheForward() {
    Random rnd = new Random(4);
    int batch = 2;
    int hidden = 7;
    int state = batch * hidden;
    double[] giPre = array(rnd, 3 * state, uniform(-3, 3));
    double[] gh = array(rnd, 3 * state, uniform(-3, 3));
    double[] hPrev = array(rnd, state, uniform(-1, 1));
    double[] dh = array(rnd, state, uniform(-2, 2));
    double[] gi = giPre.clone();
    double[] h = new double[state];
    kernels().gruForward(batch, hidden, gi, 0, gh, 0, hPrev, 0, h, 0);
    double[] dgi = new double[3 * state];
    double[] dgh = new double[3 * state];
    double[] dhPrev = new double[state];
    kernels().gruBackward(batch, hidden, gi, 0, gh, 0, hPrev, 0, dh, 0, dgi, 0, dgh, 0, dhPrev, 0);
    for (int b = 0; b < batch; b++) {
      for (int j = 0; j < hidden; j++) {
        int x = b * 3 * hidden + j;
        int s = b * hidden + j;
        // variables: giR, ghR, giZ, ghZ, giN, ghN, hPrev
        double[] p = {giPre[x], gh[x], giPre[x + hidden], gh[x + hidden], giPre[x + 2 * hidden], gh[x + 2 * hidden],
            hPrev[s]};
        double[] got = {dgi[x], dgh[x], dgi[x + hidden], dgh[x + hidden], dgi[x + 2 * hidden], dgh[x + 2 * hidden],
            dhPrev[s]};
        double dhs = dh[s];
        // Upper bound of the absolute-value forms of the gradients: dn <= 4|dh|, dr <= 8|dh||gh_n|,
        // dz <= 2|dh|(|hPrev| + 1), dhPrev <= |dh|.
        var scale = Math.abs(dhs) * (8 * (1 + Math.abs(p[5])) + 2 * (1 + Math.abs(p[6])));
        for (int q = 0; q < 7; q++) {
          final int which = q;
          var fd = Formulas.derivative(t -> {
            var v = Checks.widen(p);
            v[which] = t;
            return Formulas.gruLoss(v[0], v[1], v[2], v[3], v[4], v[5], v[6], dhs);
          }, p[q]);
          Checks.close("gru gradient [" + b + ", " + j + "] variable " + q, fd, got[q],
              Formulas.FD_TOLERANCE * (1 + scale) + 128 * EB.u() * scale);
        }
      }
    }
  }
}
