package dev.rnn4j.nn.recurrent;

/** The recurrent-layer properties for the RNN family (see {@link RecurrentLayerProperties}). */
class RnnProperties extends RecurrentLayerProperties {

  @Override
  CellKind[] kinds() {
    return new CellKind[] {CellKind.RNN_TANH, CellKind.RNN_RELU};
  }
}
