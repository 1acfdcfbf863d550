package dev.rnn4j.nn.recurrent;

/** The recurrent-layer properties for the LSTM family (see {@link RecurrentLayerProperties}). */
class LstmProperties extends RecurrentLayerProperties {

  @Override
  CellKind[] kinds() {
    return new CellKind[] {CellKind.LSTM};
  }
}
