package dev.rnn4j.nn.recurrent;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The checks of properties 1-4 catch a deliberately broken cell: two gates swapped (for the one-gate RNN, two units'
 * pre-activations), the recurrent weight gradient taken against h_t instead of h_(t-1) (time index off by one), and
 * the bias_hh gradient dropped. The fault is injected into the fused engine only (for 1 and 2, on the SIMD side
 * only), so the comparison has a correct side. A forward-only property cannot see a backward-only fault, so each
 * fault is shown failing the properties that observe what it breaks.
 */
class BrokenCellTest {

  /** A small case where the forward bound is sharp: T = 3, two sequences of lengths 3 and 2, H = 4, one layer. */
  static RecurrentCase smallCase(CellKind kind, boolean bidirectional) {
    RecurrentConfig cfg = new RecurrentConfig(kind.name(), kind, 3, 4, 1, true, false, 0, bidirectional,
        MergeMode.CONCAT);
    return new RecurrentCase(cfg, 3, 2, new int[] {3, 2}, 1234 + kind.ordinal(), true);
  }

  /** The small case with a projection: an LSTM with H = 4, P = 3 (bidirectional or not). */
  static RecurrentCase projectedCase(boolean bidirectional) {
    RecurrentConfig cfg = new RecurrentConfig("LSTM", CellKind.LSTM, 3, 4, 1, true, false, 0, bidirectional,
        MergeMode.CONCAT, 3);
    return new RecurrentCase(cfg, 3, 2, new int[] {3, 2}, 4321, true);
  }

  /** The same faults in the projection cell, and one of its own: the gradient of weight_hr dropped. */
  @ParameterizedTest
  @EnumSource(value = CellFault.class, names = {"NONE", "PEEPHOLE_ONNX_ORDER", "DROP_PEEPHOLE_GRAD"},
      mode = EnumSource.Mode.EXCLUDE)
  void projectionCellFaultsFailTheProperties(CellFault fault) {
    RecurrentCase c = projectedCase(fault == CellFault.TIME_OFF_BY_ONE);
    if (fault == CellFault.SWAP_GATES) {
      assertThrows(AssertionError.class, () -> RecurrentLayerProperties.checkSimdVsScalarForward(c, fault));
    }
    assertThrows(AssertionError.class, () -> RecurrentLayerProperties.checkSimdVsScalarGradients(c, fault));
    assertThrows(AssertionError.class, () -> RecurrentLayerProperties.checkFusedVsComposed(c, fault));
    assertThrows(AssertionError.class, () -> RecurrentLayerProperties.checkGradients(c, fault));
  }

  /** The small case with peepholes: an LSTM with H = 4 (bidirectional or not). */
  static RecurrentCase peepholeCase(boolean bidirectional) {
    RecurrentConfig cfg = new RecurrentConfig("LSTM", CellKind.LSTM, 3, 4, 1, true, false, 0, bidirectional,
        MergeMode.CONCAT, 0, true);
    return new RecurrentCase(cfg, 3, 2, new int[] {3, 2}, 5678, true);
  }

  /**
   * The faults of every cell in the peephole cell, and two of its own: the peephole rows read in ONNX's order
   * (i, o, f) in the forward step, and the gradient of weight_peephole dropped.
   */
  @ParameterizedTest
  @EnumSource(value = CellFault.class, names = {"NONE", "DROP_PROJECTION_GRAD"}, mode = EnumSource.Mode.EXCLUDE)
  void peepholeCellFaultsFailTheProperties(CellFault fault) {
    RecurrentCase c = peepholeCase(fault == CellFault.TIME_OFF_BY_ONE);
    if (fault == CellFault.SWAP_GATES || fault == CellFault.PEEPHOLE_ONNX_ORDER) {
      assertThrows(AssertionError.class, () -> RecurrentLayerProperties.checkSimdVsScalarForward(c, fault));
    }
    assertThrows(AssertionError.class, () -> RecurrentLayerProperties.checkSimdVsScalarGradients(c, fault));
    assertThrows(AssertionError.class, () -> RecurrentLayerProperties.checkFusedVsComposed(c, fault));
    assertThrows(AssertionError.class, () -> RecurrentLayerProperties.checkGradients(c, fault));
  }

  @ParameterizedTest
  @EnumSource(CellKind.class)
  void swappedGatesFailForwardGradientsComposedAndGradientCheck(CellKind kind) {
    RecurrentCase c = smallCase(kind, false);
    assertThrows(AssertionError.class, () -> RecurrentLayerProperties.checkSimdVsScalarForward(c, CellFault.SWAP_GATES));
    assertThrows(AssertionError.class,
        () -> RecurrentLayerProperties.checkSimdVsScalarGradients(c, CellFault.SWAP_GATES));
    assertThrows(AssertionError.class, () -> RecurrentLayerProperties.checkFusedVsComposed(c, CellFault.SWAP_GATES));
    assertThrows(AssertionError.class, () -> RecurrentLayerProperties.checkGradients(c, CellFault.SWAP_GATES));
  }

  @ParameterizedTest
  @EnumSource(CellKind.class)
  void timeIndexOffByOneFailsGradientProperties(CellKind kind) {
    RecurrentCase c = smallCase(kind, true);
    assertThrows(AssertionError.class,
        () -> RecurrentLayerProperties.checkSimdVsScalarGradients(c, CellFault.TIME_OFF_BY_ONE));
    assertThrows(AssertionError.class, () -> RecurrentLayerProperties.checkFusedVsComposed(c, CellFault.TIME_OFF_BY_ONE));
    assertThrows(AssertionError.class, () -> RecurrentLayerProperties.checkGradients(c, CellFault.TIME_OFF_BY_ONE));
    assertThrows(AssertionError.class,
        () -> StackRunnerProperties.assertGradientsMatchFiniteDifferences(c, CellFault.TIME_OFF_BY_ONE));
  }

  @ParameterizedTest
  @EnumSource(CellKind.class)
  void droppedBiasGradientFailsGradientProperties(CellKind kind) {
    RecurrentCase c = smallCase(kind, false);
    assertThrows(AssertionError.class,
        () -> RecurrentLayerProperties.checkSimdVsScalarGradients(c, CellFault.DROP_BIAS_GRAD));
    assertThrows(AssertionError.class, () -> RecurrentLayerProperties.checkFusedVsComposed(c, CellFault.DROP_BIAS_GRAD));
    assertThrows(AssertionError.class, () -> RecurrentLayerProperties.checkGradients(c, CellFault.DROP_BIAS_GRAD));
    assertThrows(AssertionError.class,
        () -> StackRunnerProperties.assertGradientsMatchFiniteDifferences(c, CellFault.DROP_BIAS_GRAD));
  }
}
