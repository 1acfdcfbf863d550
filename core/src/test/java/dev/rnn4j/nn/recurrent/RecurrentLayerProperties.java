package dev.rnn4j.nn.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rnn4j.autograd.Ops;
import dev.rnn4j.check.GradientChecker;
import dev.rnn4j.kernels.KernelSelector;
import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.nn.recurrent.internal.DoubleStackFunction;
import dev.rnn4j.nn.recurrent.internal.DoubleStackRunner;
import dev.rnn4j.nn.recurrent.internal.FaultyDoubleCell;
import dev.rnn4j.nn.recurrent.internal.RunnerPool;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The properties every recurrent layer holds, run by one subclass per cell family (RNN, LSTM, GRU) over random
 * B 1..8, T 1..20, I 1..40, H 1..40, 1..3 layers, one or two directions, concat or sum merge, batch-first or not,
 * with or without biases, initial states and variable lengths. The checks are static so that {@link BrokenCellTest}
 * can show each of them failing on a deliberately broken cell.
 *
 * <h2>Tolerances</h2>
 * Forward: the rigorous running error bound of {@link ReferenceRecurrent} (per element, propagated over steps and
 * layers through the gates' Lipschitz constants). Gradients: the first-order bound of {@link #gradientTolerance}, on
 * the sums of |path products| that {@link MagnitudeStack} computes.
 */
abstract class RecurrentLayerProperties {

  static final double U64 = 0x1p-53;
  static final double U32 = 0x1p-24;
  static final Kernels SCALAR = Kernels.scalar();
  static final Kernels SIMD = KernelSelector.select("simd").kernels();

  /** The cells of this family. */
  abstract CellKind[] kinds();

  /** Whether the cases are LSTMs with a projection (PyTorch's proj_size). */
  boolean projected() {
    return false;
  }

  /** Whether the cases are LSTMs with peephole connections. */
  boolean peephole() {
    return false;
  }

  @Provide
  Arbitrary<RecurrentCase> cases() {
    return Arbitraries.of(kinds()).flatMap(k -> CaseSpec.cases(k, 8, 20, 40, 40, 3, projected(), peephole()));
  }

  @Provide
  Arbitrary<RecurrentCase> smallCases() {
    return Arbitraries.of(kinds()).flatMap(k -> CaseSpec.cases(k, 3, 4, 3, 3, 2, projected(), peephole()));
  }

  @Provide
  Arbitrary<RecurrentCase> unidirectionalCases() {
    return Arbitraries.of(kinds()).flatMap(k -> CaseSpec.cases(k, 8, 20, 40, 40, 3, projected(), peephole()))
        .filter(c -> !c.cfg.bidirectional() && c.lengths == null);
  }

  // (1) ------------------------------------------------------------------------------------------------------------

  /** Forward outputs and final states, float32, SIMD vs scalar: each within the bound of the reference. */
  @Property(tries = 20)
  void simdAndScalarForwardAgree(@ForAll("cases") RecurrentCase c) {
    checkSimdVsScalarForward(c, CellFault.NONE);
  }

  static void checkSimdVsScalarForward(RecurrentCase c, CellFault simdFault) {
    RunnerResult scalar = LayerHarness.fused(c, DType.FLOAT32, SCALAR, CellFault.NONE);
    RunnerResult simd = LayerHarness.fused(c, DType.FLOAT32, SIMD, simdFault);
    if (c.cfg.projSize() > 0 || c.cfg.peephole()) {
      RunnerResult ref = LayerHarness.composed(c, DType.FLOAT64, SCALAR);
      LstmProjectionProperties.assertForwardClose(c, scalar, ref, U32, "scalar float32 vs composed float64");
      LstmProjectionProperties.assertForwardClose(c, simd, scalar, U32, "simd vs scalar float32");
      return;
    }
    // Both within e of the exact value (e for u = 2^-24; the float64 reference adds at most its own, smaller e):
    // each is within 2e of the reference, and they are within 2e of each other.
    StackRunnerProperties.assertWithinReference(c, scalar, U32, "scalar float32");
    StackRunnerProperties.assertWithinReference(c, simd, scalar, U32, "simd float32");
  }

  // (2) ------------------------------------------------------------------------------------------------------------

  /** Every gradient, float32, SIMD vs scalar, and both against float64. */
  @Property(tries = 15)
  void simdAndScalarGradientsAgree(@ForAll("cases") RecurrentCase c) {
    checkSimdVsScalarGradients(c, CellFault.NONE);
  }

  static void checkSimdVsScalarGradients(RecurrentCase c, CellFault simdFault) {
    RunnerResult ref = LayerHarness.fused(c, DType.FLOAT64, SCALAR, CellFault.NONE);
    RunnerResult scalar = LayerHarness.fused(c, DType.FLOAT32, SCALAR, CellFault.NONE);
    RunnerResult simd = LayerHarness.fused(c, DType.FLOAT32, SIMD, simdFault);
    // the magnitudes at the float64 forward point: the float32 one differs by O(u), a second-order change of the bound
    RunnerResult magnitude = MagnitudeStack.gradients(c, SCALAR);
    assertGradientsClose(c, simd, scalar, magnitude, U32, "simd vs scalar");
    assertGradientsClose(c, scalar, ref, magnitude, U32, "scalar float32 vs float64");
  }

  /**
   * The number N of roundings on a path of a gradient entry: a gradient entry is a sum over paths back through time
   * of products of local derivatives and weights. Each factor is formed with at most K = max(I, D*H) + G*H + 8
   * roundings (its dot product plus the pointwise formula; with a projection H more, with peepholes 8 more), a path
   * crosses at most T*L*D steps, and the final accumulation over rows adds at most T*B roundings, so N = T * (B +
   * L*D*K).
   */
  static long roundings(RecurrentCase c) {
    RecurrentConfig cfg = c.cfg;
    // with a projection one more dot product of length H per step (h = m W_hr^T), and D*P <= D*H
    int k = Math.max(cfg.inputSize(), cfg.directions() * cfg.hiddenSize()) + cfg.gateWidth() + 8
        + (cfg.projSize() > 0 ? cfg.hiddenSize() : 0)
        // peepholes: per element at most 8 more roundings (p c products and sums forward, the extra paths backward)
        + (cfg.peephole() ? 8 : 0);
    return (long) c.steps * (c.batch + (long) cfg.numLayers() * cfg.directions() * k);
  }

  /**
   * The gradient tolerance of one gradient array, a first-order bound: entry j is {@code g_j = sum_p prod_p}, a sum
   * over the paths p from that leaf to the loss of products of local derivatives, each product formed with at most
   * N = {@link #roundings} relative roundings, so an implementation's value is within {@code N u mag_j} of the
   * exact one, with {@code mag_j = sum_p |prod_p|}, and two implementations within
   * <pre>
   *   |g_j - g'_j| <= 2 N u mag_j <= 2 N u max_j mag_j     (+ the smallest normal, for all-zero arrays)
   * </pre>
   * {@code magnitude} is that array's {@code mag} from {@link MagnitudeStack} (the composed reference with every
   * local derivative replaced by its absolute value). Unlike {@code max_j |g_j|}, which it bounds from above
   * ({@code mag_j >= |g_j|}, equal when no paths cancel), it does not shrink when the paths cancel: a bias gradient
   * of H = 1 is a single entry summing T*B contributions of both signs. The array's largest {@code mag_j} (where the
   * earlier form took the largest {@code |g_j|}) is at least every entry's own bound. O(u^2) terms are neglected,
   * harmless while N u is small. A broken cell produces O(1) relative errors and fails it (see
   * {@link BrokenCellTest}).
   */
  static double gradientTolerance(RecurrentCase c, double u, double[] magnitude) {
    double max = 0;
    for (double v : magnitude) {
      max = Math.max(max, Math.abs(v));
    }
    return 2 * roundings(c) * u * max + Double.MIN_NORMAL;
  }

  /**
   * Each gradient of {@code a} within {@link #gradientTolerance} of that of {@code b}; {@code magnitude} holds the
   * path magnitudes of the same gradients ({@link MagnitudeStack#gradients}).
   */
  static void assertGradientsClose(RecurrentCase c, RunnerResult a, RunnerResult b, RunnerResult magnitude, double u,
                                   String what) {
    List<RunnerResult.Named> ga = a.gradients();
    List<RunnerResult.Named> gb = b.gradients();
    List<RunnerResult.Named> gm = magnitude.gradients();
    for (int i = 0; i < ga.size(); i++) {
      double tol = gradientTolerance(c, u, gm.get(i).values());
      double[] x = ga.get(i).values();
      double[] y = gb.get(i).values();
      for (int j = 0; j < x.length; j++) {
        if (!(Math.abs(x[j] - y[j]) <= tol)) {
          fail(what + ": gradient of " + ga.get(i).name() + "[" + j + "]: " + x[j] + " vs " + y[j] + ", |diff| "
              + Math.abs(x[j] - y[j]) + " > " + tol + " in " + c);
        }
      }
    }
  }

  // (3) ------------------------------------------------------------------------------------------------------------

  /** The fused layer against the composed reference, float64: forward within the bound, gradients within the form. */
  @Property(tries = 10)
  void fusedMatchesComposedReference(@ForAll("cases") RecurrentCase c) {
    checkFusedVsComposed(c, CellFault.NONE);
  }

  static void checkFusedVsComposed(RecurrentCase c, CellFault fault) {
    RunnerResult fused = LayerHarness.fused(c, DType.FLOAT64, SCALAR, fault);
    RunnerResult composed = LayerHarness.composed(c, DType.FLOAT64, SCALAR);
    if (c.cfg.projSize() > 0 || c.cfg.peephole()) {
      LstmProjectionProperties.assertForwardClose(c, fused, composed, U64, "fused vs composed");
      assertGradientsClose(c, fused, composed, MagnitudeStack.gradients(c, SCALAR), U64, "fused vs composed");
      return;
    }
    StackRunnerProperties.assertWithinReference(c, fused, composed, U64, "fused");
    StackRunnerProperties.assertWithinReference(c, composed, U64, "composed");
    assertGradientsClose(c, fused, composed, MagnitudeStack.gradients(c, SCALAR), U64, "fused vs composed");
  }

  // (4) ------------------------------------------------------------------------------------------------------------

  /** Float64 finite-difference check of the fused node with the project's gradient checker (gradcheck defaults). */
  @Property(tries = 12)
  void fusedGradientsPassGradientCheck(@ForAll("smallCases") RecurrentCase c) {
    checkGradients(c, CellFault.NONE);
  }

  static void checkGradients(RecurrentCase c, CellFault fault) {
    RecurrentLayer layer = LayerHarness.layer(c, DType.FLOAT64);
    List<Tensor> inputs = new ArrayList<>();
    inputs.add(LayerHarness.tensor(c.x, DType.FLOAT64, LayerHarness.inputShape(c)));
    inputs.addAll(LayerHarness.parameters(layer));
    boolean hasH0 = c.h0 != null;
    boolean hasC0 = c.c0 != null;
    if (hasH0) {
      inputs.add(LayerHarness.tensor(c.h0, DType.FLOAT64, LayerHarness.stateShape(c)));
    }
    if (hasC0) {
      inputs.add(LayerHarness.tensor(c.c0, DType.FLOAT64, LayerHarness.cellStateShape(c)));
    }
    GradientChecker.builder().kernels(SCALAR).build().assertGradients(in -> {
      Tensor[] out = new DoubleStackFunction(c.cfg, SCALAR.f64(), c.lengths, hasH0, hasC0, false, 0,
          new RunnerPool<>(0, k -> new DoubleStackRunner(k, c.cfg, FaultyDoubleCell.with(fault)))).apply(in);
      List<Tensor> flat = new ArrayList<>();
      for (Tensor t : out) {
        flat.add(t.reshape(t.numel()));
      }
      return Ops.concat(0, flat.toArray(new Tensor[0]));
    }, inputs.toArray(new Tensor[0]));
  }

  // (5) ------------------------------------------------------------------------------------------------------------

  /**
   * Streaming step by step equals the whole-sequence forward, bit for bit (same kernels, and the step runs the same
   * operations in the same order as a step of the sequence forward).
   */
  @Property(tries = 12)
  @SuppressWarnings("try")
  void streamingEqualsWholeSequence(@ForAll("unidirectionalCases") RecurrentCase c) {
    for (DType dtype : DType.values()) {
      RecurrentLayer layer = LayerHarness.layer(c, dtype);
      try (KernelScope s = KernelScope.use(SCALAR)) {
        Tensor x = LayerHarness.tensor(c.x, dtype, LayerHarness.inputShape(c)).detach();
        RecurrentOutput whole = layer.forward(x);
        StreamState state = layer.newStreamState(c.batch);
        int hd = c.cfg.stateSize();
        for (int t = 0; t < c.steps; t++) {
          Tensor xt = c.cfg.batchFirst() ? x.narrow(1, t, 1).reshape(c.batch, c.cfg.inputSize()) : x.select(t);
          Tensor y = layer.step(xt, state);
          Tensor want = c.cfg.batchFirst() ? whole.output().narrow(1, t, 1).reshape(c.batch, hd)
              : whole.output().select(t);
          assertArrayEquals(want.toDoubleArray(), y.toDoubleArray(), dtype + " t=" + t + " " + c);
        }
        for (int l = 0; l < c.cfg.numLayers(); l++) {
          assertArrayEquals(whole.hN().select(l).toDoubleArray(), state.hidden(l).toDoubleArray(), "h_n " + l);
        }
      }
    }
  }

  // (6) ------------------------------------------------------------------------------------------------------------

  /**
   * A variable-length batch through the public layer equals each sequence run alone: outputs (zero past the end),
   * final states and the input and initial-state gradients bit for bit (scalar kernels: the same operations per
   * row); weight gradients are sums over the rows in another order and are compared with the gradient tolerance.
   */
  @Property(tries = 12)
  void variableLengthBatchEqualsSequencesAlone(@ForAll("cases") RecurrentCase c) {
    RunnerResult all = LayerHarness.fused(c, DType.FLOAT64, SCALAR, CellFault.NONE);
    int outW = c.cfg.outputSize();
    int in = c.cfg.inputSize();
    int hd = c.cfg.stateSize();
    int cw = c.cfg.hiddenSize();
    int n = c.cfg.numLayers() * c.cfg.directions();
    RunnerResult sum = null;
    for (int b = 0; b < c.batch; b++) {
      RecurrentCase alone = c.single(b);
      RunnerResult one = LayerHarness.fused(alone, DType.FLOAT64, SCALAR, CellFault.NONE);
      for (int t = 0; t < c.steps; t++) {
        double[] got = Arrays.copyOfRange(all.out, c.row(t, b, outW), c.row(t, b, outW) + outW);
        double[] want = t < alone.steps ? Arrays.copyOfRange(one.out, t * outW, (t + 1) * outW) : new double[outW];
        assertArrayEquals(want, got, "output t=" + t + " b=" + b);
        double[] gotDx = Arrays.copyOfRange(all.dx, c.row(t, b, in), c.row(t, b, in) + in);
        double[] wantDx = t < alone.steps ? Arrays.copyOfRange(one.dx, t * in, (t + 1) * in) : new double[in];
        assertArrayEquals(wantDx, gotDx, "d input t=" + t + " b=" + b);
      }
      for (int i = 0; i < n; i++) {
        int at = (i * c.batch + b) * hd;
        assertArrayEquals(Arrays.copyOfRange(one.hN, i * hd, (i + 1) * hd), Arrays.copyOfRange(all.hN, at, at + hd));
        assertArrayEquals(Arrays.copyOfRange(one.dh0, i * hd, (i + 1) * hd),
            Arrays.copyOfRange(all.dh0, at, at + hd));
        if (all.cN != null) {
          int ac = (i * c.batch + b) * cw;
          assertArrayEquals(Arrays.copyOfRange(one.cN, i * cw, (i + 1) * cw),
              Arrays.copyOfRange(all.cN, ac, ac + cw));
          assertArrayEquals(Arrays.copyOfRange(one.dc0, i * cw, (i + 1) * cw),
              Arrays.copyOfRange(all.dc0, ac, ac + cw));
        }
      }
      sum = sum == null ? one : add(sum, one);
    }
    // weight gradients of the batch = sum of the sequences' weight gradients: both sum the same path products
    List<RunnerResult.Named> ga = all.gradients();
    List<RunnerResult.Named> gs = sum.gradients();
    List<RunnerResult.Named> gm = MagnitudeStack.gradients(c, SCALAR).gradients();
    for (int i = 0; i < ga.size(); i++) {
      if (!ga.get(i).name().startsWith("weight") && !ga.get(i).name().startsWith("bias")) {
        continue;
      }
      double tol = gradientTolerance(c, U64, gm.get(i).values());
      double[] x = ga.get(i).values();
      double[] y = gs.get(i).values();
      for (int j = 0; j < x.length; j++) {
        if (!(Math.abs(x[j] - y[j]) <= tol)) {
          fail("batch vs sum of sequences: " + ga.get(i).name() + "[" + j + "] " + x[j] + " vs " + y[j]);
        }
      }
    }
  }

  private static RunnerResult add(RunnerResult a, RunnerResult b) {
    for (int i = 0; i < a.dWih.length; i++) {
      addInto(a.dWih[i], b.dWih[i]);
      addInto(a.dWhh[i], b.dWhh[i]);
      if (a.dbih[i] != null) {
        addInto(a.dbih[i], b.dbih[i]);
        addInto(a.dbhh[i], b.dbhh[i]);
      }
      if (a.dWhr != null) {
        addInto(a.dWhr[i], b.dWhr[i]);
      }
      if (a.dPeep != null) {
        addInto(a.dPeep[i], b.dPeep[i]);
      }
    }
    return a;
  }

  private static void addInto(double[] a, double[] b) {
    for (int i = 0; i < a.length; i++) {
      a[i] += b[i];
    }
  }
}
