package dev.rnn4j.nn.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rnn4j.kernels.Kernels;
import java.util.Arrays;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The array-level engine against the independent per-sequence reference ({@link ReferenceRecurrent}), variable-length
 * batches against their sequences alone, and the engine's gradients against central differences.
 */
class StackRunnerProperties {

  static final double U64 = 0x1p-53;
  static final double U32 = 0x1p-24;

  @Provide
  Arbitrary<RecurrentCase> mid() {
    return net.jqwik.api.Arbitraries.of(CellKind.values())
        .flatMap(k -> CaseSpec.cases(k, 8, 20, 40, 40, 3));
  }

  @Provide
  Arbitrary<RecurrentCase> small() {
    return net.jqwik.api.Arbitraries.of(CellKind.values())
        .flatMap(k -> CaseSpec.cases(k, 3, 4, 3, 3, 2));
  }

  /** Forward outputs and final states equal the reference within twice the error bound (float64 and float32). */
  @Property(tries = 25)
  void forwardMatchesReference(@ForAll("mid") RecurrentCase c) {
    RunnerResult r64 = DoubleRunnerHarness.run(Kernels.scalar().f64(), c, CellFault.NONE, false);
    RunnerResult r32 = FloatRunnerHarness.run(Kernels.scalar().f32(), c, CellFault.NONE, false);
    assertWithinReference(c, r64, U64, "float64");
    assertWithinReference(c, r32, U32, "float32");
  }

  /**
   * Checks every output and final state against the reference run of each sequence alone: |impl - ref| <= 2 e
   * (impl and the float64 reference are each within e of the exact value; e computed with the impl's u is the larger).
   */
  static void assertWithinReference(RecurrentCase c, RunnerResult r, double u, String what) {
    assertWithinReference(c, r, null, u, what);
  }

  /**
   * With {@code other} non-null, also checks {@code |r - other| <= 2 e} element by element: both implementations are
   * within e of the exact value.
   */
  static void assertWithinReference(RecurrentCase c, RunnerResult r, RunnerResult other, double u, String what) {
    ReferenceRecurrent ref = c.reference(u);
    int outW = c.cfg.outputSize();
    int hd = c.cfg.hiddenSize();
    int n = c.cfg.numLayers() * c.cfg.directions();
    for (int b = 0; b < c.batch; b++) {
      ReferenceRecurrent.Result e = ref.run(c.inputOf(b), c.length(b), c.stateOf(c.h0, b), c.stateOf(c.c0, b));
      for (int t = 0; t < c.steps; t++) {
        for (int j = 0; j < outW; j++) {
          double got = r.out[c.row(t, b, outW) + j];
          if (t >= c.length(b)) {
            if (got != 0) {
              fail(what + " " + c + ": output past the end not zero at t=" + t + " b=" + b);
            }
            continue;
          }
          check(what + " output t=" + t + " b=" + b + " j=" + j, got, e.out[t * outW + j],
              2 * e.outErr[t * outW + j], c);
          if (other != null) {
            check(what + " vs other, output t=" + t + " b=" + b + " j=" + j, got, other.out[c.row(t, b, outW) + j],
                2 * e.outErr[t * outW + j], c);
          }
        }
      }
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < hd; j++) {
          int at = (i * c.batch + b) * hd + j;
          check(what + " h_n[" + i + "] b=" + b + " j=" + j, r.hN[at], e.hN[i * hd + j], 2 * e.hNErr[i * hd + j], c);
          if (other != null) {
            check(what + " vs other, h_n[" + i + "] b=" + b + " j=" + j, r.hN[at], other.hN[at],
                2 * e.hNErr[i * hd + j], c);
            if (r.cN != null) {
              check(what + " vs other, c_n[" + i + "] b=" + b + " j=" + j, r.cN[at], other.cN[at],
                  2 * e.cNErr[i * hd + j], c);
            }
          }
          if (r.cN != null) {
            check(what + " c_n[" + i + "] b=" + b + " j=" + j, r.cN[at], e.cN[i * hd + j], 2 * e.cNErr[i * hd + j],
                c);
          }
        }
      }
    }
  }

  static void check(String what, double got, double want, double bound, Object c) {
    if (!(Math.abs(got - want) <= bound)) {
      fail(what + ": got " + got + ", reference " + want + ", |diff| " + Math.abs(got - want) + " > bound " + bound
          + " in " + c);
    }
  }

  /**
   * A variable-length batch equals its sequences run alone, bit for bit on the scalar kernels (each row's arithmetic
   * is the same sequence of operations; only which rows run together differs): outputs, final states, and the
   * gradients of the input and the initial states. Weight gradients are sums over rows, whose order differs; they
   * are covered by the finite-difference and composed-reference properties, which use variable lengths too.
   */
  @Property(tries = 20)
  void variableLengthBatchEqualsSequencesAlone(@ForAll("mid") RecurrentCase c) {
    RunnerResult all = DoubleRunnerHarness.run(Kernels.scalar().f64(), c, CellFault.NONE, true);
    int outW = c.cfg.outputSize();
    int in = c.cfg.inputSize();
    int hd = c.cfg.hiddenSize();
    int n = c.cfg.numLayers() * c.cfg.directions();
    for (int b = 0; b < c.batch; b++) {
      RecurrentCase alone = c.single(b);
      RunnerResult one = DoubleRunnerHarness.run(Kernels.scalar().f64(), alone, CellFault.NONE,
          true);
      for (int t = 0; t < alone.steps; t++) {
        assertArrayEquals(Arrays.copyOfRange(one.out, t * outW, (t + 1) * outW),
            Arrays.copyOfRange(all.out, c.row(t, b, outW), c.row(t, b, outW) + outW), "output t=" + t + " b=" + b);
        assertArrayEquals(Arrays.copyOfRange(one.dx, t * in, (t + 1) * in),
            Arrays.copyOfRange(all.dx, c.row(t, b, in), c.row(t, b, in) + in), "d input t=" + t + " b=" + b);
      }
      for (int i = 0; i < n; i++) {
        int at = (i * c.batch + b) * hd;
        assertArrayEquals(Arrays.copyOfRange(one.hN, i * hd, (i + 1) * hd),
            Arrays.copyOfRange(all.hN, at, at + hd), "h_n b=" + b);
        assertArrayEquals(Arrays.copyOfRange(one.dh0, i * hd, (i + 1) * hd),
            Arrays.copyOfRange(all.dh0, at, at + hd), "d h0 b=" + b);
        if (all.cN != null) {
          assertArrayEquals(Arrays.copyOfRange(one.cN, i * hd, (i + 1) * hd),
              Arrays.copyOfRange(all.cN, at, at + hd), "c_n b=" + b);
          assertArrayEquals(Arrays.copyOfRange(one.dc0, i * hd, (i + 1) * hd),
              Arrays.copyOfRange(all.dc0, at, at + hd), "d c0 b=" + b);
        }
      }
    }
  }

  /**
   * Float64 gradients against central differences of the scalar loss
   * {@code L = sum dOut * out + sum dhN * h_n + sum dcN * c_n}, with PyTorch gradcheck's tolerances
   * (eps 1e-6, |analytic - numeric| <= 1e-5 + 1e-3 |numeric|): truncation error O(eps^2) and rounding error
   * O(u |L| / eps) ~ 1e-10 are far below them.
   */
  @Property(tries = 20)
  void gradientsMatchCentralDifferences(@ForAll("small") RecurrentCase c) {
    assertGradientsMatchFiniteDifferences(c, CellFault.NONE);
  }

  static void assertGradientsMatchFiniteDifferences(RecurrentCase c, CellFault fault) {
    RunnerResult r = DoubleRunnerHarness.run(Kernels.scalar().f64(), c, fault, true);
    for (RunnerResult.Named g : r.gradients()) {
      double[] param = c.parameter(g.name());
      if (param == null) {
        continue;
      }
      for (int i = 0; i < param.length; i++) {
        double keep = param[i];
        double eps = 1e-6;
        param[i] = keep + eps;
        double up = c.loss(DoubleRunnerHarness.run(Kernels.scalar().f64(), c, fault, false));
        param[i] = keep - eps;
        double down = c.loss(DoubleRunnerHarness.run(Kernels.scalar().f64(), c, fault, false));
        param[i] = keep;
        double numeric = (up - down) / (2 * eps);
        double analytic = g.values()[i];
        int at = i;
        assertTrue(Math.abs(analytic - numeric) <= 1e-5 + 1e-3 * Math.abs(numeric),
            () -> "gradient of " + g.name() + "[" + at + "] analytic " + analytic + " numeric " + numeric + " in " + c);
      }
    }
  }
}
