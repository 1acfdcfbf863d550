package dev.rnn4j.nn.recurrent;

import net.jqwik.api.Example;

/** The recurrent-layer properties for the RNN family (see {@link RecurrentLayerProperties}). */
class RnnProperties extends RecurrentLayerProperties {

  @Override
  CellKind[] kinds() {
    return new CellKind[] {CellKind.RNN_TANH, CellKind.RNN_RELU};
  }

  /**
   * Regression: the case that {@link #fusedMatchesComposedReference} with jqwik seed 1151931016582623173 found
   * (bias_ih[4]: |diff| 2.2e-16 > 7.0e-17) and shrank to (bias_ih[5]: |diff| 2.6e-16 > 1.8e-16). With H = 1 each bias
   * gradient is one entry, a sum over t and b that cancels heavily: the gradient is right to 13 digits, but the
   * tolerance taken from max|g| instead of the sum of |path products| was far below its rounding error.
   */
  @Example
  void cancellingBiasGradientsOfBidirectionalStack() {
    RecurrentConfig cfg = new RecurrentConfig("RNN_TANH", CellKind.RNN_TANH, 2, 1, 3, true, false, 0, true,
        MergeMode.CONCAT);
    for (long seed : new long[] {-3022090936L, -21L}) {
      checkFusedVsComposed(new RecurrentCase(cfg, 7, 2, null, seed, false), CellFault.NONE);
    }
  }
}
