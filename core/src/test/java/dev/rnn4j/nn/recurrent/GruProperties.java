package dev.rnn4j.nn.recurrent;

/** The recurrent-layer properties for the GRU family (see {@link RecurrentLayerProperties}). */
class GruProperties extends RecurrentLayerProperties {

  @Override
  CellKind[] kinds() {
    return new CellKind[] {CellKind.GRU, CellKind.GRU_RESET_BEFORE};
  }
}
