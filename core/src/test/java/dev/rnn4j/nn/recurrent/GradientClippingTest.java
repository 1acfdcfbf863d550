package dev.rnn4j.nn.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class GradientClippingTest {

  /** Leaf tensors whose gradient is g (via backward of sum(p * g)). */
  static Tensor withGrad(DType dtype, double... g) {
    Tensor p = Tensor.zeros(dtype, g.length).requiresGrad(true);
    Tensor gt = Tensor.zeros(dtype, g.length);
    for (int i = 0; i < g.length; i++) {
      gt.setFlat(i, g[i]);
    }
    p.mul(gt).sum().backward(); // d/dp sum(p * g) = g
    return p;
  }

  @Test
  void clipByNormReturnsNormBeforeClippingAndScales() {
    for (DType dtype : DType.values()) {
      Tensor a = withGrad(dtype, 3, 0);
      Tensor b = withGrad(dtype, 0, 4);
      // global norm sqrt(3^2 + 4^2) = 5; coef = 1 / (5 + 1e-6)
      double norm = GradientClipping.clipByNorm(List.of(a, b), 1);
      assertEquals(5, norm, 0);
      double coef = 1 / (5 + 1e-6);
      double tol = dtype == DType.FLOAT32 ? 2 * 0x1p-24 * 4 : 2 * 0x1p-53 * 4; // one rounding of coef, one of g*coef
      assertArrayEquals(new double[] {3 * coef, 0}, a.grad().toDoubleArray(), tol);
      assertArrayEquals(new double[] {0, 4 * coef}, b.grad().toDoubleArray(), tol);
    }
  }

  @Test
  void clipByNormLeavesSmallGradientsAlone() {
    Tensor a = withGrad(DType.FLOAT64, 0.3, -0.4);
    assertEquals(0.5, GradientClipping.clipByNorm(List.of(a), 1), 1e-16);
    assertArrayEquals(new double[] {0.3, -0.4}, a.grad().toDoubleArray(), 0);
  }

  @Test
  void clipByValueClampsEachElement() {
    Tensor a = withGrad(DType.FLOAT32, -3, -0.5, 0.25, 7);
    GradientClipping.clipByValue(List.of(a), 1);
    assertArrayEquals(new double[] {-1, -0.5, 0.25, 1}, a.grad().toDoubleArray(), 0);
  }

  @Test
  void badArgumentsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> GradientClipping.clipByNorm(List.of(), 0));
    assertThrows(IllegalArgumentException.class, () -> GradientClipping.clipByValue(List.of(), -1));
  }
}
