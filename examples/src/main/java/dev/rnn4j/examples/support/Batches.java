package dev.rnn4j.examples.support;

import java.util.List;

/** Turns variable-length token sequences into one padded, time-major batch. */
public final class Batches {
  private Batches() {}

  /**
   * A batch of {@code batch} sequences padded to {@code steps}: token of sequence b at time t is
   * {@code tokens[t * batch + b]}, 0 past the sequence's end; {@code lengths[b]} is its true length.
   */
  public record Padded(int[] tokens, int steps, int batch, int[] lengths) {}

  /** Pads with index 0. Every sequence needs at least one token. */
  public static Padded pad(List<int[]> sequences) {
    if (sequences.isEmpty()) {
      throw new IllegalArgumentException("Batches.pad: no sequences");
    }
    int batch = sequences.size();
    int steps = 0;
    int[] lengths = new int[batch];
    for (int b = 0; b < batch; b++) {
      lengths[b] = sequences.get(b).length;
      if (lengths[b] < 1) {
        throw new IllegalArgumentException("Batches.pad: sequence " + b + " is empty");
      }
      steps = Math.max(steps, lengths[b]);
    }
    int[] tokens = new int[steps * batch];
    for (int b = 0; b < batch; b++) {
      int[] s = sequences.get(b);
      for (int t = 0; t < s.length; t++) {
        tokens[t * batch + b] = s[t];
      }
    }
    return new Padded(tokens, steps, batch, lengths);
  }
}
