package dev.rnn4j.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Seeded regression examples for the training tests: random sequences, the target a fixed function of them. */
final class TrainingData {

  private TrainingData() {}

  /**
   * {@code rows} sequences of {@code inputSize} floats per step, lengths in [minLen, maxLen], target the mean of the
   * last step's values (one float).
   */
  static List<SequenceExample> regression(int rows, int inputSize, int minLen, int maxLen, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<SequenceExample> out = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      int len = minLen + rng.nextInt(maxLen - minLen + 1);
      float[] x = new float[len * inputSize];
      for (int j = 0; j < x.length; j++) {
        x[j] = (float) rng.nextGaussian();
      }
      float t = 0;
      for (int k = 0; k < inputSize; k++) {
        t += x[(len - 1) * inputSize + k];
      }
      out.add(SequenceExample.regression(x, len, new float[] {t / inputSize}));
    }
    return out;
  }
}
