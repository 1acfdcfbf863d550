package dev.rnn4j.nn.recurrent;

/** How a bidirectional layer combines its two directions' outputs. */
public enum MergeMode {
  /** [forward, reverse] side by side: width 2H (PyTorch's only mode, the default). */
  CONCAT,
  /** forward + reverse: width H (Keras' {@code merge_mode='sum'}). */
  SUM
}
