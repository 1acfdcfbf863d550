package dev.rnn4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.check.GradientChecker;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LinearTest {

  /** W = [[1, 2], [3, 4], [5, 6]] (out 3, in 2), b = [0.5, -1, 2]. */
  private static Linear known(DType dtype) {
    Linear l = new Linear(2, 3, true, dtype, new SplittableRandom(1));
    l.weight().copyFrom(Tensor.fromArray(new double[] {1, 2, 3, 4, 5, 6}, 3, 2).to(dtype));
    l.bias().copyFrom(Tensor.fromArray(new double[] {0.5, -1, 2}, 3).to(dtype));
    return l;
  }

  @Test
  void parametersHavePyTorchNamesAndLayout() {
    Linear l = new Linear(5, 3, new SplittableRandom(7));
    assertEquals(List.of("weight", "bias"), List.copyOf(l.namedParameters().keySet()));
    assertArrayEquals(new int[] {3, 5}, l.weight().shape());
    assertArrayEquals(new int[] {3}, l.bias().shape());
    assertEquals(DType.FLOAT32, l.weight().dtype());
    Linear noBias = new Linear(5, 3, false, DType.FLOAT64, new SplittableRandom(7));
    assertEquals(List.of("weight"), List.copyOf(noBias.namedParameters().keySet()));
    assertNull(noBias.bias());
  }

  /** U(-1/sqrt(in), 1/sqrt(in)) for both, weight drawn first, then bias; the same seed gives the same layer. */
  @Test
  void initialisationIsSeededAndBounded() {
    int in = 16;
    double bound = 1 / Math.sqrt(in); // 0.25
    Linear a = new Linear(in, 8, true, DType.FLOAT64, new SplittableRandom(42));
    Linear b = new Linear(in, 8, true, DType.FLOAT64, new SplittableRandom(42));
    assertArrayEquals(a.weight().toDoubleArray(), b.weight().toDoubleArray());
    assertArrayEquals(a.bias().toDoubleArray(), b.bias().toDoubleArray());
    SplittableRandom rng = new SplittableRandom(42);
    Tensor w = Tensor.uniform(DType.FLOAT64, rng, -bound, bound, 8, in);
    Tensor bias = Tensor.uniform(DType.FLOAT64, rng, -bound, bound, 8);
    assertArrayEquals(w.toDoubleArray(), a.weight().toDoubleArray());
    assertArrayEquals(bias.toDoubleArray(), a.bias().toDoubleArray());
    double max = 0;
    for (double v : a.weight().toDoubleArray()) {
      max = Math.max(max, Math.abs(v));
    }
    assertTrue(max <= bound && max > bound / 2, "max |w| = " + max);
  }

  /**
   * y = x W^T + b for x = [[1, -1], [2, 0.5]]:
   * row 0: [1 - 2 + 0.5, 3 - 4 - 1, 5 - 6 + 2] = [-0.5, -2, 1];
   * row 1: [2 + 1 + 0.5, 6 + 2 - 1, 10 + 3 + 2] = [3.5, 7, 15].
   */
  @Test
  void forwardKnownAnswerAnyLeadingShape() {
    for (DType dtype : DType.values()) {
      Linear l = known(dtype);
      double[] x = {1, -1, 2, 0.5};
      double[] expected = {-0.5, -2, 1, 3.5, 7, 15};
      Tensor y2 = l.forward(Tensor.fromArray(x, 2, 2).to(dtype));
      assertArrayEquals(new int[] {2, 3}, y2.shape());
      assertArrayEquals(expected, y2.toDoubleArray());
      Tensor y3 = l.forward(Tensor.fromArray(x, 2, 1, 2).to(dtype));
      assertArrayEquals(new int[] {2, 1, 3}, y3.shape());
      assertArrayEquals(expected, y3.toDoubleArray());
      Tensor y1 = l.forward(Tensor.fromArray(new double[] {1, -1}, 2).to(dtype));
      assertArrayEquals(new int[] {3}, y1.shape());
      assertArrayEquals(new double[] {-0.5, -2, 1}, y1.toDoubleArray());
    }
  }

  /**
   * loss = sum(y): d loss/d b_o = rows = 2; d loss/d W[o, i] = sum over rows of x[r, i] = [1 + 2, -1 + 0.5];
   * d loss/d x[r, i] = sum over o of W[o, i] = [1 + 3 + 5, 2 + 4 + 6] = [9, 12].
   */
  @Test
  void backwardKnownAnswer() {
    Linear l = known(DType.FLOAT64);
    Tensor x = Tensor.fromArray(new double[] {1, -1, 2, 0.5}, 2, 2).requiresGrad(true);
    l.forward(x).sum().backward();
    assertArrayEquals(new double[] {2, 2, 2}, l.bias().grad().toDoubleArray());
    assertArrayEquals(new double[] {3, -0.5, 3, -0.5, 3, -0.5}, l.weight().grad().toDoubleArray());
    assertArrayEquals(new double[] {9, 12, 9, 12}, x.grad().toDoubleArray());
  }

  @Test
  void gradientCheckInFloat64() {
    Linear l = new Linear(4, 3, true, DType.FLOAT64, new SplittableRandom(3));
    Tensor x = Tensor.uniform(DType.FLOAT64, new SplittableRandom(4), -1, 1, 2, 5, 4).requiresGrad(true);
    GradientChecker.defaults().assertGradients(in -> l.forward(in[0]).tanh().sum(), x, l.weight(), l.bias());
  }

  @Test
  void badInputNamesTheLayerAndShapes() {
    Linear l = new Linear(4, 3, new SplittableRandom(1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> l.forward(Tensor.zeros(DType.FLOAT32, 2, 5)));
    assertEquals("Linear: input must be [..., 4], got [2, 5] (weight [3, 4])", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> l.forward(Tensor.zeros(DType.FLOAT64, 2, 4)));
    assertEquals("Linear: input dtype float64 differs from weight dtype float32", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Linear(0, 3, new SplittableRandom(1)));
  }
}
