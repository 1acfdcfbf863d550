package dev.rnn4j.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.check.GradientChecker;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The README's usage example, as written there, so that it keeps compiling and running. */
class ReadmeExampleTest {

  @Test
  void readmeExample() {
    var rng = new SplittableRandom(42);
    Tensor w = Tensor.uniform(DType.FLOAT32, rng, -0.1, 0.1, 4, 3).requiresGrad(true);
    Tensor b = Tensor.zeros(DType.FLOAT32, 4).requiresGrad(true);
    Tensor x = Tensor.normal(DType.FLOAT32, rng, 0, 1, 8, 3);

    Tensor logits = Ops.linear(x, w, b);
    Tensor loss = Ops.crossEntropy(logits, new int[] {0, 1, 2, 3, 0, 1, 2, 3});
    loss.backward();
    assertArrayEquals(new int[] {4, 3}, w.grad().shape());
    assertTrue(w.grad().toString().startsWith("Tensor(shape=[4, 3], dtype=float32, values=["));
    // The bias gradient of a mean cross-entropy sums to zero over the classes: each row's softmax minus its one-hot
    // sums to zero. Within float32 rounding of 8 rows of 4 terms of magnitude <= 1/8.
    double s = 0;
    for (double v : b.grad().toDoubleArray()) {
      s += v;
    }
    assertEquals(0, s, 1e-6);

    try (var g = NoGrad.enter()) {
      Tensor probabilities = Ops.linear(x, w, b).softmax();
      assertFalse(probabilities.requiresGrad());
      assertFalse(GradMode.isEnabled() && g != null);
    }

    Tensor a = Tensor.normal(DType.FLOAT64, rng, 0, 1, 3, 4).requiresGrad(true);
    GradientChecker.defaults().assertGradients(in -> in[0].tanh().mul(in[0]).sum(), a);
  }
}
