package dev.rnn4j.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Graph semantics: retention, freeing, errors, no-grad scopes, detach, retainGrad and custom functions. */
class AutogradSemanticsTest {

  private static Tensor leaf(double... v) {
    return Tensor.fromArray(v, v.length).requiresGrad(true);
  }

  @Test
  void secondBackwardThroughFreedGraphThrows() {
    Tensor x = leaf(1, 2);
    Tensor y = x.mul(x).sum();
    y.backward();
    IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
    assertTrue(e.getMessage().contains("already freed"), e.getMessage());
    assertTrue(e.getMessage().contains("retainGraph"), e.getMessage());
  }

  @Test
  void retainGraphAllowsSecondBackwardAndAccumulates() {
    // d/dx sum(x^2) = 2x, twice: 4x
    Tensor x = leaf(1, 2);
    Tensor y = x.mul(x).sum();
    y.backward(null, true);
    y.backward();
    assertArrayEquals(new double[] {4, 8}, x.grad().toDoubleArray(), 0);
    assertThrows(IllegalStateException.class, y::backward);
  }

  @Test
  void backwardFromNonScalarNeedsOutputGradient() {
    Tensor x = leaf(1, 2);
    Tensor y = x.mul(2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, y::backward);
    assertEquals("backward: tensor of shape [2] is not a scalar; pass the gradient of the output: "
        + "backward(outputGrad)", e.getMessage());
    IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
        () -> y.backward(Tensor.ones(DType.FLOAT64, 3)));
    assertTrue(shape.getMessage().contains("[3] float64 does not match the output [2] float64"),
        shape.getMessage());
    y.backward(Tensor.fromArray(new double[] {1, 10}, 2));
    assertArrayEquals(new double[] {2, 20}, x.grad().toDoubleArray(), 0);
  }

  @Test
  void gradOfTensorWithoutRequiresGradThrows() {
    Tensor c = Tensor.ones(DType.FLOAT64, 2);
    IllegalStateException e = assertThrows(IllegalStateException.class, c::grad);
    assertTrue(e.getMessage().startsWith("grad: tensor [2] float64 does not require a gradient"), e.getMessage());
    IllegalStateException b = assertThrows(IllegalStateException.class, () -> c.sum().backward());
    assertTrue(b.getMessage().contains("does not require a gradient"), b.getMessage());
  }

  @Test
  void gradIsNullBeforeBackwardAndForNonLeavesNeedsRetainGrad() {
    Tensor x = leaf(3);
    assertNull(x.grad());
    Tensor h = x.mul(2);
    Tensor h2 = x.mul(4).retainGrad();
    IllegalStateException e = assertThrows(IllegalStateException.class, h::grad);
    assertTrue(e.getMessage().contains("not a leaf"), e.getMessage());
    // y = h^2 + 3 h2: dy/dh2 = 3
    h.mul(h).add(h2.mul(3)).sum().backward();
    assertEquals(3, h2.grad().item(), 0);
  }

  @Test
  void noGradScopeRecordsNothing() {
    Tensor x = leaf(1);
    Tensor y;
    try (NoGrad g = NoGrad.enter()) {
      assertFalse(GradMode.isEnabled());
      y = x.mul(2);
      try (NoGrad inner = NoGrad.enter()) {
        assertFalse(GradMode.isEnabled());
        assertFalse(inner == g);
      }
      assertFalse(GradMode.isEnabled());
    }
    assertTrue(GradMode.isEnabled());
    assertFalse(y.requiresGrad());
    assertTrue(y.isLeaf());
    assertFalse(NoGrad.get(() -> x.mul(3)).requiresGrad());
    assertTrue(x.mul(3).requiresGrad());
  }

  @Test
  void detachStopsGradientAndSharesStorage() {
    // y = x * detach(x): dy/dx = detach(x) only (the detached factor is a constant) = x
    Tensor x = leaf(3);
    Tensor d = x.detach();
    assertTrue(d.sharesStorageWith(x));
    assertFalse(d.requiresGrad());
    x.mul(d).sum().backward();
    assertEquals(3, x.grad().item(), 0);
  }

  @Test
  void requiresGradOnlyOnLeaves() {
    Tensor x = leaf(1);
    Tensor y = x.mul(2);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.requiresGrad(false));
    assertTrue(e.getMessage().contains("not a leaf"), e.getMessage());
  }

  /** y0 = a * b, y1 = a + b with a hand-written backward. */
  static final class ProductAndSum extends Function {
    @Override
    protected Tensor[] forward(Tensor... in) {
      saveForBackward(in[0], in[1]);
      return new Tensor[] {in[0].mul(in[1]), in[0].add(in[1])};
    }

    @Override
    protected Tensor[] backward(Tensor... g) {
      Tensor a = savedTensors()[0];
      Tensor b = savedTensors()[1];
      // d(a b)/da = b, d(a + b)/da = 1; symmetric for b
      return new Tensor[] {
          needsInputGrad(0) ? g[0].mul(b).add(g[1]) : null,
          needsInputGrad(1) ? g[0].mul(a).add(g[1]) : null};
    }
  }

  /** The example of docs/autograd.md. */
  static final class ScaledSquare extends Function {
    private final double k;

    ScaledSquare(double k) {
      this.k = k;
    }

    @Override
    protected Tensor[] forward(Tensor... in) {
      saveForBackward(in[0]);
      return new Tensor[] {in[0].mul(in[0]).mul(k)};
    }

    @Override
    protected Tensor[] backward(Tensor... gradOut) {
      Tensor x = savedTensors()[0];
      return new Tensor[] {gradOut[0].mul(x).mul(2 * k)};
    }
  }

  @Test
  void documentedFunctionExample() {
    // y = 3 x^2: dy/dx = 6x
    Tensor x = leaf(1, -2);
    Tensor y = new ScaledSquare(3).apply1(x);
    assertArrayEquals(new double[] {3, 12}, y.toDoubleArray(), 0);
    y.sum().backward();
    assertArrayEquals(new double[] {6, -12}, x.grad().toDoubleArray(), 0);
  }

  @Test
  void customFunctionWithTwoOutputs() {
    Tensor a = leaf(2);
    Tensor b = Tensor.fromArray(new double[] {5}, 1); // constant: no gradient requested
    Tensor[] out = new ProductAndSum().apply(a, b);
    assertEquals(10, out[0].item(), 0);
    assertEquals(7, out[1].item(), 0);
    assertTrue(out[0].gradFn() instanceof ProductAndSum);
    // L = 3 y0 + y1: dL/da = 3 b + 1 = 16
    out[0].mul(3).add(out[1]).sum().backward();
    assertEquals(16, a.grad().item(), 0);
  }

  @Test
  void outputWithoutGradientGetsZerosInCustomBackward() {
    // Only y1 = a + b is used: the engine passes zeros for y0, so dL/da = 1
    Tensor a = leaf(2);
    Tensor b = leaf(5);
    Tensor[] out = new ProductAndSum().apply(a, b);
    out[1].sum().backward();
    assertEquals(1, a.grad().item(), 0);
    assertEquals(1, b.grad().item(), 0);
  }

  @Test
  void customBackwardWithWrongShapeIsReported() {
    Function bad = new Function() {
      @Override
      protected Tensor[] forward(Tensor... in) {
        return new Tensor[] {in[0].mul(2)};
      }

      @Override
      protected Tensor[] backward(Tensor... g) {
        return new Tensor[] {Tensor.ones(DType.FLOAT64, 5)};
      }

      @Override
      public String name() {
        return "Bad";
      }
    };
    Tensor x = leaf(1, 2);
    Tensor y = bad.apply1(x);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.sum().backward());
    assertEquals("Bad: backward returned a gradient of [5] float64 for input 0 of [2] float64", e.getMessage());
  }

  @Test
  void functionInstanceIsSingleUse() {
    ProductAndSum f = new ProductAndSum();
    f.apply(leaf(1), leaf(2));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> f.apply(leaf(1), leaf(2)));
    assertTrue(e.getMessage().contains("only once"), e.getMessage());
  }

  @Test
  void forwardReturningItsInputGetsAFreshTensor() {
    Function identity = new Function() {
      @Override
      protected Tensor[] forward(Tensor... in) {
        return new Tensor[] {in[0]};
      }

      @Override
      protected Tensor[] backward(Tensor... g) {
        return new Tensor[] {g[0]};
      }
    };
    Tensor x = leaf(4);
    Tensor y = identity.apply1(x);
    assertNotSame(x, y);
    assertTrue(x.isLeaf());
    assertTrue(y.sharesStorageWith(x));
    y.sum().backward();
    assertEquals(1, x.grad().item(), 0);
  }

  @Test
  void savedTensorsAreReleasedAfterBackward() {
    Tensor x = leaf(1, 2);
    Tensor y = x.mul(x);
    Function fn = y.gradFn();
    assertFalse(fn.isReleased());
    y.sum().backward();
    assertTrue(fn.isReleased());
  }

  @Test
  void longChainsDoNotOverflowTheStack() {
    // y = x + 1 + 1 + ... (100000 times): dy/dx = 1; the graph walk is iterative, not recursive
    Tensor x = leaf(0);
    Tensor y = x;
    for (int i = 0; i < 100_000; i++) {
      y = y.add(1);
    }
    y.sum().backward();
    assertEquals(100_000, y.item(), 0);
    assertEquals(1, x.grad().item(), 0);
  }

  @Test
  void noRecordingWhenNoInputRequiresGrad() {
    Tensor a = Tensor.ones(DType.FLOAT64, 2);
    Tensor y = a.mul(a);
    assertTrue(y.isLeaf());
    assertFalse(y.requiresGrad());
  }
}
