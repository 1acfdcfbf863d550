package dev.rnn4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EmbeddingDropoutTest {

  @Test
  void embeddingHasPyTorchNameAndSeededNormalInit() {
    Embedding e = new Embedding(10, 4, DType.FLOAT64, new SplittableRandom(5));
    assertEquals(List.of("weight"), List.copyOf(e.namedParameters().keySet()));
    assertArrayEquals(new int[] {10, 4}, e.weight().shape());
    Tensor expected = Tensor.normal(DType.FLOAT64, new SplittableRandom(5), 0, 1, 10, 4);
    assertArrayEquals(expected.toDoubleArray(), e.weight().toDoubleArray());
  }

  /** Rows are looked up by index; the gradient of sum(rows) adds 1 per use, so a repeated index gets 2. */
  @Test
  void embeddingLookupAndScatterAddGradient() {
    Embedding e = new Embedding(4, 2, DType.FLOAT64, new SplittableRandom(1));
    e.weight().copyFrom(Tensor.fromArray(new double[] {0, 1, 10, 11, 20, 21, 30, 31}, 4, 2));
    Tensor y = e.forward(new int[] {3, 1, 3, 0}, 2, 2);
    assertArrayEquals(new int[] {2, 2, 2}, y.shape());
    assertArrayEquals(new double[] {30, 31, 10, 11, 30, 31, 0, 1}, y.toDoubleArray());
    y.sum().backward();
    assertArrayEquals(new double[] {1, 1, 1, 1, 0, 0, 2, 2}, e.weight().grad().toDoubleArray());
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> e.forward(new int[] {4}));
    assertTrue(ex.getMessage().contains("index 4"), ex.getMessage());
  }

  @Test
  void dropoutIsIdentityInEvalAndForZero() {
    Tensor x = Tensor.ones(DType.FLOAT32, 3, 5);
    Dropout d = new Dropout(0.5, new SplittableRandom(1));
    d.eval();
    assertSame(x, d.forward(x));
    assertSame(x, new Dropout(0, new SplittableRandom(1)).forward(x));
    assertTrue(d.namedParameters().isEmpty());
  }

  /**
   * Training with p = 0.25: every output is 0 or 1 / (1 - 0.25) = 4/3, and the number dropped out of 4000 is
   * Binomial(4000, 0.25): mean 1000, sd sqrt(4000 * 0.25 * 0.75) = 27.4; 6 sd = 164 (a failure chance of about 2e-9).
   */
  @Test
  void dropoutInTrainingZeroesAndRescales() {
    Dropout d = new Dropout(0.25, new SplittableRandom(9));
    Tensor y = d.forward(Tensor.ones(DType.FLOAT64, 4000));
    int dropped = 0;
    for (double v : y.toDoubleArray()) {
      if (v == 0) {
        dropped++;
      } else {
        assertEquals(4.0 / 3.0, v, 1e-15);
      }
    }
    assertTrue(Math.abs(dropped - 1000) <= 164, "dropped " + dropped);
    // Seeded: the same generator state gives the same mask.
    Tensor again = new Dropout(0.25, new SplittableRandom(9)).forward(Tensor.ones(DType.FLOAT64, 4000));
    assertArrayEquals(y.toDoubleArray(), again.toDoubleArray());
  }

  @Test
  void badArguments() {
    assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5, new SplittableRandom(1)));
    assertThrows(IllegalArgumentException.class, () -> new Dropout(Double.NaN, new SplittableRandom(1)));
    assertThrows(IllegalArgumentException.class, () -> new Embedding(0, 3, new SplittableRandom(1)));
  }
}
