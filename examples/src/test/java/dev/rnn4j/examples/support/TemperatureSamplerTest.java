package dev.rnn4j.examples.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rnn4j.tensor.Tensor;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** Known answers: the draw u = nextDouble() * sum(weights) inverted over the cumulative weights. */
class TemperatureSamplerTest {

  /** A generator whose nextDouble() is fixed, so that the inverted draw can be worked out by hand. */
  private static RandomGenerator fixed(double u) {
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        throw new UnsupportedOperationException();
      }

      @Override
      public double nextDouble() {
        return u;
      }
    };
  }

  @Test
  void invertsTheCumulativeWeightsOfTheChosenRow() {
    // Row 1 holds [0, ln 3]: weights exp(x - max) = [1/3, 1], sum 4/3, so P = [1/4, 3/4].
    double ln3 = Math.log(3);
    Tensor f64 = Tensor.fromArray(new double[] {9, 9, 0, ln3}, 2, 2);
    Tensor f32 = Tensor.fromArray(new float[] {9, 9, 0, (float) ln3}, 2, 2);
    for (Tensor logits : new Tensor[] {f64, f32}) {
      double[] w = new double[2];
      assertEquals(0, TemperatureSampler.sample(logits, 1, 1.0, fixed(0.24), w), "u = 0.32 < 1/3");
      assertEquals(1, TemperatureSampler.sample(logits, 1, 1.0, fixed(0.26), w), "u = 0.347 > 1/3");
      // Temperature 0.5 squares the odds: weights [1/9, 1], P = [0.1, 0.9].
      assertEquals(0, TemperatureSampler.sample(logits, 1, 0.5, fixed(0.09), w));
      assertEquals(1, TemperatureSampler.sample(logits, 1, 0.5, fixed(0.11), w));
      // Row 0 is uniform.
      assertEquals(0, TemperatureSampler.sample(logits, 0, 1.0, fixed(0.49), w));
      assertEquals(1, TemperatureSampler.sample(logits, 0, 1.0, fixed(0.51), w));
    }
  }

  @Test
  void scratchShorterThanTheRowIsRejected() {
    assertThrows(IllegalArgumentException.class,
        () -> TemperatureSampler.sample(Tensor.zeros(dev.rnn4j.tensor.DType.FLOAT32, 1, 5), 0, 1, fixed(0.5),
            new double[4]));
  }
}
