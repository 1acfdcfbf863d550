package dev.rnn4j.spark;

import dev.rnn4j.tensor.Tensor;
import java.util.List;

/**
 * Sequences of different lengths packed for one forward pass: the input [T, B, I] time-major with T the longest
 * length, zero past each sequence's end, and the lengths.
 *
 * @param input [T, B, I]
 * @param lengths B lengths, each in [1, T]
 */
record SequenceBatch(Tensor input, int[] lengths) {

  /**
   * Packs {@code count} sequences starting at {@code from}: {@code values.get(i)} holds at least
   * {@code lengths[i] * inputSize} floats, step after step.
   */
  static SequenceBatch pack(List<float[]> values, int[] lengths, int from, int count, int inputSize) {
    int steps = 0;
    for (int b = 0; b < count; b++) {
      steps = Math.max(steps, lengths[from + b]);
    }
    float[] x = new float[steps * count * inputSize];
    int[] lens = new int[count];
    for (int b = 0; b < count; b++) {
      float[] seq = values.get(from + b);
      int len = lengths[from + b];
      lens[b] = len;
      for (int t = 0; t < len; t++) {
        System.arraycopy(seq, t * inputSize, x, (t * count + b) * inputSize, inputSize);
      }
    }
    return new SequenceBatch(Tensor.wrap(x, 0, steps, count, inputSize), lens);
  }

  int size() {
    return lengths.length;
  }
}
