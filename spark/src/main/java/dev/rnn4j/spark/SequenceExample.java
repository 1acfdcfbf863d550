package dev.rnn4j.spark;

import java.io.Serializable;

/**
 * One training example: a sequence and what the head should output for it.
 *
 * @param input {@code length * inputSize} floats or more (padding), step after step
 * @param length steps, >= 1
 * @param target the regression target ({@link Objective#MSE}: {@code headOutputs} floats), or null
 * @param label the class ({@link Objective#CROSS_ENTROPY}: in [0, headOutputs)), or -1
 */
public record SequenceExample(float[] input, int length, float[] target, int label) implements Serializable {

  private static final long serialVersionUID = 1L;

  /** A regression example. */
  public static SequenceExample regression(float[] input, int length, float[] target) {
    return new SequenceExample(input, length, target, -1);
  }

  /** A classification example. */
  public static SequenceExample classification(float[] input, int length, int label) {
    return new SequenceExample(input, length, null, label);
  }
}
