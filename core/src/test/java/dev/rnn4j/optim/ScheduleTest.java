package dev.rnn4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleTest {

  private static SGD optimizer(double lr) {
    return new SGD(List.of(Tensor.zeros(DType.FLOAT64, 1).requiresGrad(true)), lr);
  }

  /** StepLR(stepSize 3, gamma 0.5) from 0.8: epochs 0-2 0.8, 3-5 0.4, 6-8 0.2, 9 0.1 (powers of 2: exact). */
  @Test
  void stepDecay() {
    SGD opt = optimizer(0.8);
    StepLR s = new StepLR(opt, 3, 0.5);
    double[] expected = {0.8, 0.8, 0.8, 0.4, 0.4, 0.4, 0.2, 0.2, 0.2, 0.1};
    assertEquals(0.8, opt.learningRate());
    for (int epoch = 1; epoch < expected.length; epoch++) {
      s.step();
      assertEquals(epoch, s.epoch());
      assertEquals(expected[epoch], opt.learningRate(), "epoch " + epoch);
    }
    assertEquals(0.8, s.baseLearningRate());
  }

  /**
   * CosineAnnealingLR(tMax 4, etaMin 0.1) from 1.1: lr = 0.1 + 1.0 * (1 + cos(pi e / 4)) / 2:
   * e=0: 1.1; e=1: 0.1 + (1 + sqrt(2)/2)/2 = 0.953553...; e=2: 0.1 + 0.5 = 0.6; e=3: 0.1 + (1 - sqrt(2)/2)/2
   * = 0.246446...; e=4: 0.1 (the minimum); e=5: back up as e=3 (PyTorch's closed form continues the cosine).
   * Bound: a few roundings of values below 2, 1e-15.
   */
  @Test
  void cosineAnnealing() {
    SGD opt = optimizer(1.1);
    CosineAnnealingLR s = new CosineAnnealingLR(opt, 4, 0.1);
    double r = Math.sqrt(2) / 2;
    double[] expected = {1.1, 0.1 + (1 + r) / 2, 0.6, 0.1 + (1 - r) / 2, 0.1, 0.1 + (1 - r) / 2};
    for (int epoch = 1; epoch < expected.length; epoch++) {
      s.step();
      assertEquals(expected[epoch], opt.learningRate(), 1e-15, "epoch " + epoch);
    }
    assertEquals(1.1, s.learningRateAt(0), 1e-15);
  }

  @Test
  void badArguments() {
    SGD opt = optimizer(0.1);
    assertThrows(IllegalArgumentException.class, () -> new StepLR(opt, 0, 0.5));
    assertThrows(IllegalArgumentException.class, () -> new StepLR(opt, 1, Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> new CosineAnnealingLR(opt, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new CosineAnnealingLR(opt, 5, -1));
    assertThrows(IllegalArgumentException.class, () -> opt.setLearningRate(Double.POSITIVE_INFINITY));
  }
}
