package dev.rnn4j.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Values and gradients of small expressions, each derived by hand in a comment. float64 throughout; tolerances are a
 * few units of 2^-53 relative where a transcendental is involved (Math's functions are within 1 to 2.5 ulps), zero
 * where every operation is exact.
 */
class AutogradKnownAnswerTest {

  private static final double TIGHT = 1e-15;

  private static Tensor leaf(double... v) {
    return Tensor.fromArray(v, v.length).requiresGrad(true);
  }

  private static Tensor leaf(double[] v, int... shape) {
    return Tensor.fromArray(v, shape).requiresGrad(true);
  }

  @Test
  void polynomial() {
    // y = sum(x^2 + 5x); d/dx (x^2 + 5x) = 2x + 5
    Tensor x = leaf(1, -2, 0.5);
    Tensor y = x.mul(x).add(x.mul(5)).sum();
    y.backward();
    assertArrayEquals(new double[] {7, 1, 6}, x.grad().toDoubleArray(), 0);
    // y = (1 + 5) + (4 - 10) + (0.25 + 2.5)
    assertEquals(2.75, y.item(), 0);
  }

  @Test
  void subtractionAndDivision() {
    // y = sum((a - b) / b); d/da = 1/b; d/db = -1/b - (a - b)/b^2 = -a/b^2
    Tensor a = leaf(3, 1);
    Tensor b = leaf(2, 4);
    Tensor y = a.sub(b).div(b).sum();
    // (3-2)/2 + (1-4)/4 = 0.5 - 0.75
    assertEquals(-0.25, y.item(), 0);
    y.backward();
    assertArrayEquals(new double[] {0.5, 0.25}, a.grad().toDoubleArray(), 0);
    assertArrayEquals(new double[] {-0.75, -0.0625}, b.grad().toDoubleArray(), 0);
  }

  @Test
  void negAndScalarOps() {
    // y = sum(-(x + 1) * 0.5); dy/dx = -0.5
    Tensor x = leaf(1, 2);
    Tensor y = x.add(1).neg().mul(0.5).sum();
    assertEquals(-2.5, y.item(), 0);
    y.backward();
    assertArrayEquals(new double[] {-0.5, -0.5}, x.grad().toDoubleArray(), 0);
  }

  @Test
  void matmulGradients() {
    // C = A B, L = sum(C): dL/dA = 1 B^T (row sums of B), dL/dB = A^T 1 (column sums of A, repeated per column)
    Tensor a = leaf(new double[] {1, 2, 3, 4}, 2, 2);
    Tensor b = leaf(new double[] {5, 6, 7, 8}, 2, 2);
    Tensor c = a.matmul(b);
    assertArrayEquals(new double[] {19, 22, 43, 50}, c.toDoubleArray(), 0);
    c.sum().backward();
    assertArrayEquals(new double[] {11, 15, 11, 15}, a.grad().toDoubleArray(), 0);
    assertArrayEquals(new double[] {4, 4, 6, 6}, b.grad().toDoubleArray(), 0);
  }

  @Test
  void batchedMatmulAndSharedRightOperand() {
    // Batch 0: [1 2] x [[1],[1]] = 3; batch 1: [3 4] x [[2],[0]] = 6. L = 1*c0 + 10*c1:
    // dL/dA_0 = 1 * B_0^T = [1 1], dL/dA_1 = 10 * B_1^T = [20 0]; dL/dB_0 = 1 * A_0^T, dL/dB_1 = 10 * A_1^T
    Tensor a = leaf(new double[] {1, 2, 3, 4}, 2, 1, 2);
    Tensor b = leaf(new double[] {1, 1, 2, 0}, 2, 2, 1);
    Tensor c = a.matmul(b);
    assertArrayEquals(new int[] {2, 1, 1}, c.shape());
    assertArrayEquals(new double[] {3, 6}, c.toDoubleArray(), 0);
    c.backward(Tensor.fromArray(new double[] {1, 10}, 2, 1, 1));
    assertArrayEquals(new double[] {1, 1, 20, 0}, a.grad().toDoubleArray(), 0);
    assertArrayEquals(new double[] {1, 2, 30, 40}, b.grad().toDoubleArray(), 0);

    // [2, 1, 2] x [2, 1] shares W across the batch: dL/dW = sum_b A_b^T dC_b = [1 2]^T * 1 + [3 4]^T * 10
    Tensor w = leaf(new double[] {1, 1}, 2, 1);
    Tensor x = Tensor.fromArray(new double[] {1, 2, 3, 4}, 2, 1, 2);
    x.matmul(w).backward(Tensor.fromArray(new double[] {1, 10}, 2, 1, 1));
    assertArrayEquals(new double[] {31, 42}, w.grad().toDoubleArray(), 0);
  }

  @Test
  void linearLayerMap() {
    // y = x W^T + b for x = [[1, 2]], W = [[1, 0], [2, 3], [0, 1]], b = [10, 20, 30]: y = [11, 28, 32].
    // L = sum(y * G), G = [[1, 2, 3]]: dL/dx = G W = [5, 9]; dL/dW = G^T x = [[1,2],[2,4],[3,6]]; dL/db = G.
    Tensor x = leaf(new double[] {1, 2}, 1, 2);
    Tensor w = leaf(new double[] {1, 0, 2, 3, 0, 1}, 3, 2);
    Tensor b = leaf(10, 20, 30);
    Tensor y = Ops.linear(x, w, b);
    assertArrayEquals(new double[] {11, 28, 32}, y.toDoubleArray(), 0);
    y.backward(Tensor.fromArray(new double[] {1, 2, 3}, 1, 3));
    assertArrayEquals(new double[] {5, 9}, x.grad().toDoubleArray(), 0);
    assertArrayEquals(new double[] {1, 2, 2, 4, 3, 6}, w.grad().toDoubleArray(), 0);
    assertArrayEquals(new double[] {1, 2, 3}, b.grad().toDoubleArray(), 0);
    // without the bias: x W^T = [1*1 + 2*0, 1*2 + 2*3, 1*0 + 2*1]
    assertArrayEquals(new double[] {1, 8, 2}, Ops.linear(x, w, null).toDoubleArray(), 0);
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
  void broadcastColumnTimesRowAndScalar() {
    // [2,1] * [1,3] -> outer product; L = sum: dL/dc_i = sum_j r_j, dL/dr_j = sum_i c_i.
    // s * X with s of shape []: dL/ds = sum(X).
    Tensor c = leaf(new double[] {1, 2}, 2, 1);
    Tensor r = leaf(new double[] {1, 2, 3}, 1, 3);
    Tensor outer = c.mul(r);
    assertArrayEquals(new double[] {1, 2, 3, 2, 4, 6}, outer.toDoubleArray(), 0);
    Tensor s = Tensor.scalar(DType.FLOAT64, 2).requiresGrad(true);
    s.mul(outer).sum().backward();
    // dL/d outer = s = 2, so dL/dc_i = 2 * 6, dL/dr_j = 2 * 3; dL/ds = 18
    assertArrayEquals(new double[] {12, 12}, c.grad().toDoubleArray(), 0);
    assertArrayEquals(new double[] {6, 6, 6}, r.grad().toDoubleArray(), 0);
    assertEquals(18, s.grad().item(), 0);
  }

  @Test
  void sumAndMeanAlongAxes() {
    // X = [[1,2,3],[4,5,6]]; sum over axis 0 = [5,7,9]; mean over axis 1 = [2,5].
    // L = sum(w * sum0(X)) with w = [1,2,3]: dL/dX_ij = w_j. L2 = sum(mean1(X)): dL2/dX_ij = 1/3.
    Tensor x = leaf(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
    Tensor s0 = x.sum(0, false);
    assertArrayEquals(new int[] {3}, s0.shape());
    assertArrayEquals(new double[] {5, 7, 9}, s0.toDoubleArray(), 0);
    s0.mul(Tensor.fromArray(new double[] {1, 2, 3}, 3)).sum().backward();
    assertArrayEquals(new double[] {1, 2, 3, 1, 2, 3}, x.grad().toDoubleArray(), 0);
    x.zeroGrad();
    Tensor m1 = x.mean(-1, true);
    assertArrayEquals(new int[] {2, 1}, m1.shape());
    assertArrayEquals(new double[] {2, 5}, m1.toDoubleArray(), TIGHT);
    m1.sum().backward();
    for (double g : x.grad().toDoubleArray()) {
      assertEquals(1.0 / 3, g, TIGHT);
    }
    // mean of all: 21/6; d/dx = 1/6
    Tensor x2 = leaf(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
    Tensor m = x2.mean();
    assertEquals(3.5, m.item(), TIGHT);
    m.backward();
    assertEquals(1.0 / 6, x2.grad().getFlat(4), TIGHT);
  }

  @Test
  void maps() {
    double x0 = 0.3;
    // sigmoid: s = 1/(1+e^-x), ds/dx = s (1 - s)
    Tensor x = leaf(x0);
    x.sigmoid().sum().backward();
    double s = 1 / (1 + Math.exp(-x0));
    assertEquals(s * (1 - s), x.grad().item(), 4e-16);
    // tanh: d/dx tanh x = 1 - tanh^2 x
    x = leaf(x0);
    x.tanh().sum().backward();
    assertEquals(1 - Math.tanh(x0) * Math.tanh(x0), x.grad().item(), 4e-16);
    // relu: derivative 1 for x > 0, 0 for x < 0 and (by convention, as PyTorch) at 0
    x = leaf(-1, 0, 2);
    Tensor r = x.relu();
    assertArrayEquals(new double[] {0, 0, 2}, r.toDoubleArray(), 0);
    r.sum().backward();
    assertArrayEquals(new double[] {0, 0, 1}, x.grad().toDoubleArray(), 0);
    // exp: d/dx e^x = e^x
    x = leaf(x0);
    x.exp().sum().backward();
    assertEquals(Math.exp(x0), x.grad().item(), 4e-16);
    // log: d/dx ln x = 1/x
    x = leaf(4);
    x.log().sum().backward();
    assertEquals(0.25, x.grad().item(), 0);
  }

  @Test
  void softmaxAndLogSoftmax() {
    // softmax([0, ln 3]) = [1/4, 3/4]. L = y_1: dL/dx_j = y_1 (delta_1j - y_j) = [-3/16, 3/16]
    Tensor x = leaf(new double[] {0, Math.log(3)}, 1, 2);
    Tensor y = x.softmax();
    assertArrayEquals(new double[] {0.25, 0.75}, y.toDoubleArray(), 1e-15);
    y.backward(Tensor.fromArray(new double[] {0, 1}, 1, 2));
    assertArrayEquals(new double[] {-3.0 / 16, 3.0 / 16}, x.grad().toDoubleArray(), 1e-15);
    // logSoftmax: L = z_0 = x_0 - log sum e^x: dL/dx_j = delta_0j - softmax_j = [3/4, -3/4]
    Tensor x2 = leaf(new double[] {0, Math.log(3)}, 1, 2);
    Tensor z = x2.logSoftmax();
    assertArrayEquals(new double[] {Math.log(0.25), Math.log(0.75)}, z.toDoubleArray(), 1e-15);
    z.backward(Tensor.fromArray(new double[] {1, 0}, 1, 2));
    assertArrayEquals(new double[] {0.75, -0.75}, x2.grad().toDoubleArray(), 1e-15);
  }

  @Test
  void crossEntropyPlainWeightedAndIgnored() {
    // Zero logits over C = 4 classes: every log-probability is -ln 4, so the loss is ln 4 for any targets.
    // dL/dlogits_ij = (softmax_ij - [j == t_i]) / N = (1/4 - [j == t_i]) / 2 for N = 2.
    Tensor logits = Tensor.zeros(DType.FLOAT64, 2, 4).requiresGrad(true);
    Tensor loss = Ops.crossEntropy(logits, new int[] {1, 3});
    assertEquals(Math.log(4), loss.item(), 1e-15);
    loss.backward();
    assertArrayEquals(new double[] {0.125, -0.375, 0.125, 0.125, 0.125, 0.125, 0.125, -0.375},
        logits.grad().toDoubleArray(), 1e-16);

    // Row 1 ignored: the mean is over row 0 alone, whose gradient is softmax - onehot; row 1 gets none.
    Tensor l2 = Tensor.zeros(DType.FLOAT64, 2, 4).requiresGrad(true);
    Ops.crossEntropy(l2, new int[] {0, -1}, -1).backward();
    assertArrayEquals(new double[] {-0.75, 0.25, 0.25, 0.25, 0, 0, 0, 0}, l2.grad().toDoubleArray(), 1e-16);

    // Class weights w = [1, 3]; logits row 0 = [ln 3, 0] (p = [3/4, 1/4]), row 1 = [0, 0] (p = [1/2, 1/2]);
    // targets [0, 1]: loss = (1 * -ln(3/4) + 3 * -ln(1/2)) / (1 + 3).
    // dL/dlogits_i = w_{t_i} (p_i - onehot_i) / 4: row 0 = [-1/4, 1/4] / 4, row 1 = 3 [1/2, -1/2] / 4.
    Tensor l3 = Tensor.fromArray(new double[] {Math.log(3), 0, 0, 0}, 2, 2).requiresGrad(true);
    Tensor w = Tensor.fromArray(new double[] {1, 3}, 2);
    Tensor loss3 = Ops.crossEntropy(l3, new int[] {0, 1}, Ops.DEFAULT_IGNORE_INDEX, w);
    assertEquals((-Math.log(0.75) - 3 * Math.log(0.5)) / 4, loss3.item(), 1e-15);
    loss3.backward();
    assertArrayEquals(new double[] {-1.0 / 16, 1.0 / 16, 3.0 / 8, -3.0 / 8}, l3.grad().toDoubleArray(), 1e-15);
  }

  @Test
  void meanSquaredError() {
    // mse = mean((p - t)^2) = ((1-0)^2 + (3-1)^2) / 2 = 2.5; d/dp = 2 (p - t) / N = [1, 2]
    Tensor p = leaf(1, 3);
    Tensor t = Tensor.fromArray(new double[] {0, 1}, 2);
    Tensor l = Ops.mse(p, t);
    assertEquals(2.5, l.item(), 0);
    l.backward();
    assertArrayEquals(new double[] {1, 2}, p.grad().toDoubleArray(), 0);
  }

  @Test
  void dropoutScalesSurvivorsAndIsIdentityInEval() {
    Tensor x = Tensor.ones(DType.FLOAT64, 1000).requiresGrad(true);
    assertSame(x, Ops.dropout(x, 0.3, false, new SplittableRandom(1)));
    assertSame(x, Ops.dropout(x, 0, true, new SplittableRandom(1)));
    Tensor y = Ops.dropout(x, 0.5, true, new SplittableRandom(7));
    // Each element is either dropped (0) or scaled by 1 / (1 - 0.5) = 2; the gradient is the same mask.
    y.sum().backward();
    double[] v = y.toDoubleArray();
    double[] g = x.grad().toDoubleArray();
    int kept = 0;
    for (int i = 0; i < v.length; i++) {
      assertEquals(v[i] == 0 ? 0 : 2, v[i], 0);
      assertEquals(v[i], g[i], 0);
      kept += v[i] == 0 ? 0 : 1;
    }
    // Same seed, same mask: the draw order is row-major, rng.nextDouble() < p drops.
    SplittableRandom rng = new SplittableRandom(7);
    int expectKept = 0;
    for (int i = 0; i < 1000; i++) {
      expectKept += rng.nextDouble() >= 0.5 ? 1 : 0;
    }
    assertEquals(expectKept, kept);
  }

  @Test
  void embeddingScatterAddsRepeatedIndices() {
    // Rows 2, 0, 2 of a [3, 2] table; L = sum(out * G): row 2 receives the sum of the gradients of positions 0 and 2.
    Tensor w = leaf(new double[] {0, 1, 10, 11, 20, 21}, 3, 2);
    Tensor e = Ops.embedding(w, new int[] {2, 0, 2}, 3);
    assertArrayEquals(new int[] {3, 2}, e.shape());
    assertArrayEquals(new double[] {20, 21, 0, 1, 20, 21}, e.toDoubleArray(), 0);
    e.backward(Tensor.fromArray(new double[] {1, 2, 3, 4, 5, 6}, 3, 2));
    assertArrayEquals(new double[] {3, 4, 0, 0, 6, 8}, w.grad().toDoubleArray(), 0);
    // Index shape [2, 2] gives [2, 2, E]
    assertArrayEquals(new int[] {2, 2, 2}, Ops.embedding(w, new int[] {0, 1, 2, 0}, 2, 2).shape());
  }

  @Test
  void concatSliceStackSplitTransposeBackward() {
    Tensor a = leaf(new double[] {1, 2}, 1, 2);
    Tensor b = leaf(new double[] {3, 4, 5, 6}, 2, 2);
    Tensor c = Ops.concat(0, a, b);
    assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, c.toDoubleArray(), 0);
    // L = sum(c * G): each input receives its rows of G
    c.backward(Tensor.fromArray(new double[] {10, 20, 30, 40, 50, 60}, 3, 2));
    assertArrayEquals(new double[] {10, 20}, a.grad().toDoubleArray(), 0);
    assertArrayEquals(new double[] {30, 40, 50, 60}, b.grad().toDoubleArray(), 0);

    // concat along dim 1 and narrow back
    Tensor p = leaf(new double[] {1, 2}, 2, 1);
    Tensor q = leaf(new double[] {3, 4, 5, 6}, 2, 2);
    Tensor pq = Ops.concat(1, p, q);
    assertArrayEquals(new double[] {1, 3, 4, 2, 5, 6}, pq.toDoubleArray(), 0);
    Tensor middle = pq.narrow(1, 1, 1); // [[3], [5]]
    assertArrayEquals(new double[] {3, 5}, middle.toDoubleArray(), 0);
    middle.sum().backward();
    assertArrayEquals(new double[] {0, 0}, p.grad().toDoubleArray(), 0);
    assertArrayEquals(new double[] {1, 0, 1, 0}, q.grad().toDoubleArray(), 0);

    // slice is a view; its gradient lands in its rows only
    Tensor x = leaf(new double[] {1, 2, 3, 4, 5, 6}, 3, 2);
    Tensor rows = x.slice(1, 3);
    assertArrayEquals(new double[] {3, 4, 5, 6}, rows.toDoubleArray(), 0);
    rows.mul(2).sum().backward();
    assertArrayEquals(new double[] {0, 0, 2, 2, 2, 2}, x.grad().toDoubleArray(), 0);

    // stack along a new dim 1: [2] and [2] -> [2, 2]; split it back and weight the pieces
    Tensor u = leaf(1, 2);
    Tensor v = leaf(3, 4);
    Tensor st = Ops.stack(1, u, v);
    assertArrayEquals(new double[] {1, 3, 2, 4}, st.toDoubleArray(), 0);
    Tensor[] parts = Ops.split(st, 1, 1, 1);
    parts[0].mul(5).add(parts[1].mul(7)).sum().backward();
    assertArrayEquals(new double[] {5, 5}, u.grad().toDoubleArray(), 0);
    assertArrayEquals(new double[] {7, 7}, v.grad().toDoubleArray(), 0);

    // transpose: L = sum(X^T * G) -> dL/dX = G^T
    Tensor m = leaf(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
    Tensor mt = m.transpose();
    assertArrayEquals(new double[] {1, 4, 2, 5, 3, 6}, mt.toDoubleArray(), 0);
    mt.backward(Tensor.fromArray(new double[] {1, 2, 3, 4, 5, 6}, 3, 2));
    assertArrayEquals(new double[] {1, 3, 5, 2, 4, 6}, m.grad().toDoubleArray(), 0);
  }

  @Test
  void dtypeConversionIsDifferentiable() {
    // y = sum(to32(x) * 2) back in float64: dy/dx = 2, delivered in float64
    Tensor x = leaf(0.5, 1.5);
    Tensor y = x.to(DType.FLOAT32).mul(2).sum();
    assertEquals(DType.FLOAT32, y.dtype());
    y.backward();
    assertEquals(DType.FLOAT64, x.grad().dtype());
    assertArrayEquals(new double[] {2, 2}, x.grad().toDoubleArray(), 0);
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

  @Test
  void sharedSubexpressionReceivesBothGradients() {
    // h = 2x used twice: y = h * h + h; dy/dh = 2h + 1, dh/dx = 2: dy/dx = 2 (4x + 1) = 8x + 2
    Tensor x = leaf(3);
    Tensor h = x.mul(2);
    h.mul(h).add(h).sum().backward();
    assertEquals(26, x.grad().item(), 0);
  }
}
