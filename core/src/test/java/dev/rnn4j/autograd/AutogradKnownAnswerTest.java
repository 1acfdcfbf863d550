package dev.rnn4j.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Gradients of small expressions, each derived by hand in a comment. float64 throughout: exact or within 1 ulp. */
class AutogradKnownAnswerTest {

  private static Tensor leaf(double... v) {
    return Tensor.fromArray(v, v.length).requiresGrad(true);
  }

  @Test
  void polynomial() {
    // y = sum(x^2 + 5x); d/dx (x^2 + 5x) = 2x + 5
    Tensor x = leaf(1, -2, 0.5);
    Tensor y = x.mul(x).add(x.mul(5)).sum();
    y.backward();
    assertArrayEquals(new double[] {7, 1, 6}, x.grad().toDoubleArray(), 0);
    // y = 1 + 5 + 4 - 10 + 0.25 + 2.5
    assertEquals(2.75, y.item(), 1e-15);
  }

  @Test
  void matmulGradients() {
    // C = A B, L = sum(C): dL/dA = 1 B^T (row sums of B), dL/dB = A^T 1 (column sums of A, repeated per column)
    Tensor a = Tensor.fromArray(new double[] {1, 2, 3, 4}, 2, 2).requiresGrad(true);
    Tensor b = Tensor.fromArray(new double[] {5, 6, 7, 8}, 2, 2).requiresGrad(true);
    Tensor c = a.matmul(b);
    assertArrayEquals(new double[] {19, 22, 43, 50}, c.toDoubleArray(), 0);
    c.sum().backward();
    assertArrayEquals(new double[] {11, 15, 11, 15}, a.grad().toDoubleArray(), 0);
    assertArrayEquals(new double[] {4, 4, 6, 6}, b.grad().toDoubleArray(), 0);
  }

  @Test
  void broadcastRowVectorGradientSumsOverRows() {
    // y = sum(M + b) with b a row vector over 3 rows: dL/db_j = 3 (one per row), dL/dM = 1
    Tensor m = Tensor.zeros(DType.FLOAT64, 3, 2).requiresGrad(true);
    Tensor b = leaf(1, 2);
    m.add(b).sum().backward();
    assertArrayEquals(new double[] {3, 3}, b.grad().toDoubleArray(), 0);
    assertArrayEquals(new double[] {1, 1, 1, 1, 1, 1}, m.grad().toDoubleArray(), 0);
  }

  @Test
  void gradientsAccumulateAcrossBackwardCalls() {
    // d/dx (3x) = 3, twice: 6; after zeroGrad, once more: 3
    Tensor x = leaf(2);
    x.mul(3).sum().backward();
    x.mul(3).sum().backward();
    assertEquals(6, x.grad().item());
    x.zeroGrad();
    x.mul(3).sum().backward();
    assertEquals(3, x.grad().item());
  }
}
