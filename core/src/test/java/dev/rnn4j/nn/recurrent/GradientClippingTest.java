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

  /**
   * The report: float32 gradients of 1e19 (squares 1e38, four of them sum past Float.MAX_VALUE = 3.4e38)
   * and float64 gradients of 1e200 (squares 1e400) used to give an infinite norm, and nothing was clipped. The norm
   * is sqrt(4 · v²) = 2v exactly (v = the element as stored), and after clipping each element is
   * v · 1 / (2v + 1e-6): 0.5 to within the rounding of the coefficient and of the product (2 u).
   */
  @Test
  void clipByNormClipsFiniteGradientsWhoseSquaresOverflow() {
    for (DType dtype : DType.values()) {
      double v = dtype == DType.FLOAT32 ? 1e19 : 1e200;
      Tensor p = Tensor.zeros(dtype, 4).requiresGrad(true);
      p.mul(Tensor.full(dtype, v, 4)).sum().backward();
      double stored = p.grad().getFlat(0); // 1e19 rounded to float32
      double norm = GradientClipping.clipByNorm(List.of(p), 1.0);
      assertEquals(2 * stored, norm, 2 * stored * 0x1p-52, dtype + " norm"); // sqrt and scale: 2 roundings of float64
      double u = dtype == DType.FLOAT32 ? 0x1p-24 : 0x1p-53;
      assertArrayEquals(new double[] {0.5, 0.5, 0.5, 0.5}, p.grad().toDoubleArray(), 0.5 * 2 * u, dtype + " clipped");
    }
  }

  /** Known answer by hand: [3e19, 4e19] has norm 5e19 (3-4-5), in float32 as in float64; clipped to 1 → [0.6, 0.8]. */
  @Test
  void clipByNormKnownAnswerBeyondFloat32SquareRange() {
    for (DType dtype : DType.values()) {
      Tensor p = withGrad(dtype, 3e19, 4e19);
      double a = p.grad().getFlat(0);
      double b = p.grad().getFlat(1);
      double norm = GradientClipping.clipByNorm(List.of(p), 1.0);
      // the stored elements are 3e19 and 4e19 rounded to the dtype; the norm is within 3 u of 5e19 in float32 (each
      // element off by at most u relative), and within float64 rounding of the exact sqrt(a² + b²) in any case
      assertEquals(Math.hypot(a, b), norm, Math.hypot(a, b) * 4 * 0x1p-53, dtype + " norm");
      assertEquals(5e19, norm, 5e19 * 3 * (dtype == DType.FLOAT32 ? 0x1p-24 : 0x1p-53), dtype + " norm vs 5e19");
      double u = dtype == DType.FLOAT32 ? 0x1p-24 : 0x1p-53;
      assertArrayEquals(new double[] {0.6, 0.8}, p.grad().toDoubleArray(), 0.8 * 5 * u, dtype + " clipped");
    }
  }

  /**
   * Squares of tiny elements underflow (float32 1e-30 squared is 1e-60, below the smallest float32 subnormal), so the
   * plain sum of squares is 0 and the norm came back 0. Known answer: sqrt(4 · v²) = 2v.
   */
  @Test
  void clipByNormOfTinyGradientsDoesNotUnderflow() {
    double[] tiny32 = {1e-30, Float.MIN_VALUE, 0x1p-140}; // normal-but-tiny, the smallest subnormal, a subnormal
    for (double v : tiny32) {
      Tensor p = withGrad(DType.FLOAT32, v, v, -v, v);
      double stored = p.grad().getFlat(0);
      assertEquals(2 * stored, GradientClipping.clipByNorm(List.of(p), 1.0), 2 * stored * 0x1p-52, "float32 " + v);
    }
    double[] tiny64 = {1e-200, Double.MIN_VALUE, 0x1p-1040};
    for (double v : tiny64) {
      Tensor p = withGrad(DType.FLOAT64, v, v, -v, v);
      // the scaled pass: 4 terms, (2n + 2) u = 10 u (ScaledSumOfSquares); exact here, all terms equal
      assertEquals(2 * v, GradientClipping.clipByNorm(List.of(p), 1.0), 2 * v * 10 * 0x1p-53, "float64 " + v);
    }
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
