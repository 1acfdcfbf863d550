package dev.rnn4j.testkit.arbitraries;

import dev.rnn4j.tensor.Tensor;
import java.util.Arrays;

/**
 * A batch of sequences in the layout recurrent layers take: {@code input} is [T, B, I] (time-major), and
 * {@code lengths[b]} in [1, T] is how many leading steps of sequence b are real (the rest is padding).
 */
public record SequenceBatch(Tensor input, int[] lengths) {

  /** T, the padded length. */
  public int steps() {
    return input.size(0);
  }

  /** B, the number of sequences. */
  public int batch() {
    return input.size(1);
  }

  /** I, the features per step. */
  public int features() {
    return input.size(2);
  }

  @Override
  public String toString() {
    return "SequenceBatch(T=" + steps() + ", B=" + batch() + ", I=" + features() + ", lengths="
        + Arrays.toString(lengths) + ", " + input.dtype() + ")";
  }
}
