package dev.rnn4j.nn.recurrent;

/**
 * The recurrent-layer properties (see {@link RecurrentLayerProperties}) for the LSTM with peephole connections:
 * random stacks (H 1..40, 1..3 layers), bidirectional, batch-first, with and without biases, initial states and
 * variable lengths, through the public layer. The reference of the forward and gradient checks is the composed one
 * ({@link ComposedStack#peepholeStep}, autograd primitives written from the equations), independent of the fused
 * cell. The forward tolerance is {@link LstmProjectionProperties#forwardTolerance}'s first-order form (the running
 * bound of {@link ReferenceRecurrent} has no peepholes); with P = H its K = max(I, D*H) + 2H + 8 roundings per step
 * covers the peephole terms' few extra roundings per element.
 */
class LstmPeepholeProperties extends RecurrentLayerProperties {

  @Override
  CellKind[] kinds() {
    return new CellKind[] {CellKind.LSTM};
  }

  @Override
  boolean peephole() {
    return true;
  }
}
