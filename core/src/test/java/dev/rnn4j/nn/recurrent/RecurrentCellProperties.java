package dev.rnn4j.nn.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rnn4j.autograd.Ops;
import dev.rnn4j.check.GradientChecker;
import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.nn.recurrent.internal.FaultyDoubleCell;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The single-step cells ({@link RNNCell} tanh and relu, {@link LSTMCell}, {@link GRUCell} reset-after and
 * reset-before) over random B 1..8, I 1..40, H 1..40, with or without biases and a given state:
 *
 * <ol>
 *   <li>a cell's step equals the layer of the same cell and weights run over T = 1, bit for bit, outputs and every
 *       gradient, float32 and float64, scalar and SIMD kernels: both run the same cell class through the same node;
 *   <li>it matches the composed step of primitive ops ({@link CellMath}), float64: forward within the rigorous bound of
 *       {@link ReferenceRecurrent}, gradients within {@link RecurrentLayerProperties#gradientTolerance};
 *   <li>its gradients (x, h, c, every weight and bias) pass the project's {@link GradientChecker}, float64;
 *   <li>float32 on the SIMD kernels and on the scalar spec agree within the bounds the layers' properties use (forward
 *       each within the reference's bound; gradients within the gradient form, and each against float64).
 * </ol>
 *
 * The tolerances are those of {@link RecurrentLayerProperties}, derived there, at T = 1, L = D = 1. The examples at
 * the end show each check failing on a deliberately broken cell ({@link FaultyDoubleCell}, given to the cell through
 * its runner pools), so that none of them passes vacuously.
 */
class RecurrentCellProperties {

  static final double U64 = RecurrentLayerProperties.U64;
  static final double U32 = RecurrentLayerProperties.U32;
  static final Kernels SCALAR = RecurrentLayerProperties.SCALAR;
  static final Kernels SIMD = RecurrentLayerProperties.SIMD;

  @Provide
  Arbitrary<RecurrentCase> cases() {
    return cases(8, 40, 40);
  }

  @Provide
  Arbitrary<RecurrentCase> smallCases() {
    return cases(3, 3, 3);
  }

  private static Arbitrary<RecurrentCase> cases(int maxB, int maxI, int maxH) {
    Arbitrary<int[]> dims = Combinators.combine(Arbitraries.integers().between(1, maxB),
        Arbitraries.integers().between(1, maxI), Arbitraries.integers().between(1, maxH))
        .as((b, i, h) -> new int[] {b, i, h});
    // flags: bias (mostly on), a given state (else the cell's zeros)
    Arbitrary<Integer> flags = Arbitraries.integers().between(0, 7);
    return Combinators.combine(Arbitraries.of(CellKind.values()), dims, flags, Arbitraries.longs())
        .as((kind, d, f, seed) -> CellHarness.stepCase(kind, d[0], d[1], d[2], (f & 3) != 0, (f & 4) != 0, seed));
  }

  // (1) ------------------------------------------------------------------------------------------------------------

  /** The cell's step and the layer over one step give the same bits, outputs and every gradient. */
  @Property(tries = 15)
  void stepEqualsLayerOverOneStep(@ForAll("cases") RecurrentCase c) {
    checkEqualsLayer(c, CellFault.NONE);
  }

  /** With {@code fault} in the cell's runners only (the layer stays correct). */
  static void checkEqualsLayer(RecurrentCase c, CellFault cellFault) {
    for (DType dtype : DType.values()) {
      for (Kernels k : List.of(SCALAR, SIMD)) {
        RunnerResult layer = LayerHarness.fused(c, dtype, k, CellFault.NONE);
        RunnerResult cell = CellHarness.step(c, dtype, k, cellFault);
        String what = dtype + " " + k.name() + " " + c;
        assertArrayEquals(layer.out, cell.out, "h: " + what);
        assertArrayEquals(layer.hN, cell.hN, "h_n: " + what);
        assertArrayEquals(layer.cN, cell.cN, "c: " + what);
        List<RunnerResult.Named> gl = layer.gradients();
        List<RunnerResult.Named> gc = cell.gradients();
        for (int i = 0; i < gl.size(); i++) {
          assertArrayEquals(gl.get(i).values(), gc.get(i).values(), "gradient of " + gl.get(i).name() + ": " + what);
        }
      }
    }
  }

  // (2) ------------------------------------------------------------------------------------------------------------

  /** The cell's step against CellMath's composed step, float64. */
  @Property(tries = 15)
  void stepMatchesComposedStep(@ForAll("cases") RecurrentCase c) {
    checkComposed(c, CellFault.NONE);
  }

  static void checkComposed(RecurrentCase c, CellFault fault) {
    RunnerResult fused = CellHarness.step(c, DType.FLOAT64, SCALAR, fault);
    RunnerResult composed = CellHarness.composed(c, DType.FLOAT64, SCALAR);
    // Each within e of the exact step (e: ReferenceRecurrent's running bound for u = 2^-53), so within 2e of the
    // float64 reference and of each other.
    StackRunnerProperties.assertWithinReference(c, fused, composed, U64, "cell step");
    StackRunnerProperties.assertWithinReference(c, composed, U64, "composed step");
    RecurrentLayerProperties.assertGradientsClose(c, fused, composed, MagnitudeStack.gradients(c, SCALAR), U64,
        "cell step vs composed");
  }

  // (3) ------------------------------------------------------------------------------------------------------------

  /** Central differences of the step with respect to x, h, c and every parameter, float64 (gradcheck defaults). */
  @Property(tries = 10)
  void stepPassesGradientCheck(@ForAll("smallCases") RecurrentCase c) {
    checkGradients(c, CellFault.NONE);
  }

  static void checkGradients(RecurrentCase c, CellFault fault) {
    RecurrentCell cell = CellHarness.faultyCell(c, DType.FLOAT64, fault);
    int hd = c.cfg.hiddenSize();
    boolean lstm = c.cfg.kind().hasCellState();
    List<Tensor> inputs = new ArrayList<>();
    inputs.add(LayerHarness.tensor(c.x, DType.FLOAT64, c.batch, c.cfg.inputSize()));
    // the parameters, in registration order: weight_ih, weight_hh[, bias_ih, bias_hh]
    Map<String, Tensor> p = cell.namedParameters();
    int params = p.size();
    inputs.addAll(p.values());
    boolean hasState = c.h0 != null;
    if (hasState) {
      inputs.add(LayerHarness.tensor(c.h0, DType.FLOAT64, c.batch, hd));
      if (lstm) {
        inputs.add(LayerHarness.tensor(c.c0, DType.FLOAT64, c.batch, hd));
      }
    }
    GradientChecker.builder().kernels(SCALAR).build().assertGradients(in -> {
      CellState state = hasState ? new CellState(in[1 + params], lstm ? in[2 + params] : null) : null;
      CellState s = cell.step(in[0], state, in[1], in[2], params > 2 ? in[3] : null, params > 2 ? in[4] : null);
      return lstm ? Ops.concat(1, s.h(), s.c()) : s.h();
    }, inputs.toArray(new Tensor[0]));
  }

  // (4) ------------------------------------------------------------------------------------------------------------

  /** Float32, SIMD vs scalar: forward each within the reference's bound; gradients within the form, and vs float64. */
  @Property(tries = 15)
  void simdAndScalarStepsAgree(@ForAll("cases") RecurrentCase c) {
    checkSimdVsScalar(c, CellFault.NONE);
  }

  static void checkSimdVsScalar(RecurrentCase c, CellFault simdFault) {
    RunnerResult ref = CellHarness.step(c, DType.FLOAT64, SCALAR, CellFault.NONE);
    RunnerResult scalar = CellHarness.step(c, DType.FLOAT32, SCALAR, CellFault.NONE);
    RunnerResult simd = CellHarness.step(c, DType.FLOAT32, SIMD, simdFault);
    StackRunnerProperties.assertWithinReference(c, scalar, U32, "scalar float32 step");
    StackRunnerProperties.assertWithinReference(c, simd, scalar, U32, "simd float32 step");
    RunnerResult magnitude = MagnitudeStack.gradients(c, SCALAR); // the step's loss is the layer's over T = 1
    RecurrentLayerProperties.assertGradientsClose(c, simd, scalar, magnitude, U32, "simd vs scalar step");
    RecurrentLayerProperties.assertGradientsClose(c, scalar, ref, magnitude, U32, "scalar float32 vs float64 step");
  }

  // Broken cells ----------------------------------------------------------------------------------------------------

  /** A small case where the forward bound is sharp: B = 2, I = 3, H = 4, biases, a given state. */
  static RecurrentCase smallCase(CellKind kind) {
    return CellHarness.stepCase(kind, 2, 3, 4, true, true, 2468 + kind.ordinal());
  }

  /** Two gates swapped (the RNN: two units' pre-activations) fails every check. */
  @Example
  void swappedGatesFailEveryCheck() {
    for (CellKind kind : CellKind.values()) {
      RecurrentCase c = smallCase(kind);
      assertThrows(AssertionError.class, () -> checkEqualsLayer(c, CellFault.SWAP_GATES), kind::name);
      assertThrows(AssertionError.class, () -> checkComposed(c, CellFault.SWAP_GATES), kind::name);
      assertThrows(AssertionError.class, () -> checkGradients(c, CellFault.SWAP_GATES), kind::name);
      assertThrows(AssertionError.class, () -> checkSimdVsScalar(c, CellFault.SWAP_GATES), kind::name);
    }
  }

  /**
   * The recurrent weight gradient taken against the new state instead of the previous one, and the bias_hh gradient
   * dropped: backward-only defects, which every check of the gradients catches.
   */
  @Example
  void backwardDefectsFailEveryGradientCheck() {
    for (CellFault fault : List.of(CellFault.TIME_OFF_BY_ONE, CellFault.DROP_BIAS_GRAD)) {
      for (CellKind kind : CellKind.values()) {
        RecurrentCase c = smallCase(kind);
        String what = fault + " " + kind;
        assertThrows(AssertionError.class, () -> checkEqualsLayer(c, fault), what);
        assertThrows(AssertionError.class, () -> checkComposed(c, fault), what);
        assertThrows(AssertionError.class, () -> checkGradients(c, fault), what);
        assertThrows(AssertionError.class, () -> checkSimdVsScalar(c, fault), what);
      }
    }
  }

  /** The correct cell passes every check on the same small cases (so the failures above are the faults'). */
  @Example
  void correctCellPassesTheSmallCases() {
    for (CellKind kind : CellKind.values()) {
      RecurrentCase c = smallCase(kind);
      checkEqualsLayer(c, CellFault.NONE);
      checkComposed(c, CellFault.NONE);
      checkGradients(c, CellFault.NONE);
      checkSimdVsScalar(c, CellFault.NONE);
    }
  }
}
