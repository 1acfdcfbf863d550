package dev.rnn4j.spark;

/** What scoring appends to each row. */
public enum ScoreOutput {
  /** The final state, {@code array<float>} of {@link ModelSpec#stateWidth()} (see {@link FinalStateModel}). */
  FINAL_STATE,
  /** The top layer's output at every step of the row's own length, {@code array<array<float>>}. */
  PER_STEP,
  /** The head's outputs on the final state, {@code array<float>} of {@link ModelSpec#headOutputs()}. */
  HEAD
}
