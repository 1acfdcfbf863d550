package dev.rnn4j.examples.support;

import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Tensor;
import java.util.random.RandomGenerator;

/** Sampling the next token from a row of logits, as the character language model and Generate both do. */
public final class TemperatureSampler {

  private TemperatureSampler() {}

  /**
   * Draws index j of row {@code row} of {@code logits} [N, V] (contiguous rows) with probability
   * softmax(logits[row] / temperature)_j: one uniform draw, inverted over the cumulative weights
   * {@code exp((x_j - max) / temperature)}, so the same generator gives the same draws in both examples. Reads the
   * row's array directly and uses {@code weights} [V] as scratch, so that it allocates nothing (Generate times it).
   */
  public static int sample(Tensor logits, int row, double temperature, RandomGenerator rng, double[] weights) {
    int v = logits.size(1);
    if (weights.length < v) {
      throw new IllegalArgumentException("sample: weights has " + weights.length + " entries, the row " + v);
    }
    boolean single = logits.dtype() == DType.FLOAT32;
    float[] f = single ? logits.floatData() : null;
    double[] d = single ? null : logits.doubleData();
    int off = logits.offset() + row * v;
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < v; j++) {
      max = Math.max(max, single ? f[off + j] : d[off + j]);
    }
    double sum = 0;
    for (int j = 0; j < v; j++) {
      weights[j] = Math.exp(((single ? f[off + j] : d[off + j]) - max) / temperature);
      sum += weights[j];
    }
    double u = rng.nextDouble() * sum;
    for (int j = 0; j < v; j++) {
      u -= weights[j];
      if (u < 0) {
        return j;
      }
    }
    return v - 1;
  }
}
