package dev.rnn4j.testkit.arbitraries;

import java.util.Arrays;

/**
 * A batch of token sequences for an embedding: {@code tokens} is [T, B] row-major (time-major, as
 * {@code Embedding.forward(tokens, T, B)} takes it), each in [0, vocabulary), and {@code lengths[b]} in [1, T] is how
 * many leading steps of sequence b are real.
 */
public record TokenBatch(int[] tokens, int steps, int batch, int[] lengths) {

  public TokenBatch {
    if (tokens.length != steps * batch || lengths.length != batch) {
      throw new IllegalArgumentException("TokenBatch: " + tokens.length + " tokens and " + lengths.length
          + " lengths for T = " + steps + ", B = " + batch);
    }
  }

  /** The token of sequence {@code b} at step {@code t}. */
  public int token(int t, int b) {
    return tokens[t * batch + b];
  }

  @Override
  public String toString() {
    return "TokenBatch(T=" + steps + ", B=" + batch + ", lengths=" + Arrays.toString(lengths) + ", tokens="
        + Arrays.toString(tokens) + ")";
  }
}
