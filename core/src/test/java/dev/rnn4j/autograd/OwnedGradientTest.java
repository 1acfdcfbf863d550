package dev.rnn4j.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The two hooks by which a function spares the engine allocations: {@link Function#returnsOwnedGradients()} (a
 * gradient the function made is kept as a leaf's {@code grad()} instead of copied) and
 * {@link Function#acceptsMissingOutputGradients()} (null instead of zeros for an output no gradient reached). Each
 * case checks the saving (object identity, null) and that the values are what copying would have given.
 */
class OwnedGradientTest {

  private static Tensor leaf(double... v) {
    return Tensor.fromArray(v, v.length).requiresGrad(true);
  }

  /** y = (2 a, 3 b); backward returns new tensors, or (misbehaving) the received gradient for both inputs. */
  private static final class Scale2 extends Function {
    private final boolean owned;
    private final boolean returnReceived;
    Tensor lastA;

    Scale2(boolean owned, boolean returnReceived) {
      this.owned = owned;
      this.returnReceived = returnReceived;
    }

    @Override
    protected boolean returnsOwnedGradients() {
      return owned;
    }

    @Override
    protected Tensor[] forward(Tensor... in) {
      return new Tensor[] {in[0].mul(2), in[1].mul(3)};
    }

    @Override
    protected Tensor[] backward(Tensor... g) {
      if (returnReceived) {
        return new Tensor[] {g[0], g[0]}; // breaks the promise: the engine must copy anyway
      }
      lastA = g[0].mul(2);
      return new Tensor[] {lastA, g[1].mul(3)};
    }
  }

  @Test
  void ownedGradientBecomesTheLeafsGradWithoutCopy() {
    Tensor a = leaf(1, 2);
    Tensor b = leaf(3, 4);
    Scale2 f = new Scale2(true, false);
    Tensor[] y = f.apply(a, b);
    y[0].sum().add(y[1].sum()).backward();
    assertSame(f.lastA, a.grad());
    assertArrayEquals(new double[] {2, 2}, a.grad().toDoubleArray(), 0);
    assertArrayEquals(new double[] {3, 3}, b.grad().toDoubleArray(), 0);
    // a second pass adds into the kept tensor, as into a copy
    Tensor[] y2 = new Scale2(true, false).apply(a, b);
    y2[0].sum().add(y2[1].sum()).backward();
    assertArrayEquals(new double[] {4, 4}, a.grad().toDoubleArray(), 0);
    assertArrayEquals(new double[] {6, 6}, b.grad().toDoubleArray(), 0);
  }

  @Test
  void gradientOfAFunctionWithoutThePromiseIsCopied() {
    Tensor a = leaf(1, 2);
    Tensor b = leaf(3, 4);
    Scale2 f = new Scale2(false, false);
    Tensor[] y = f.apply(a, b);
    y[0].sum().add(y[1].sum()).backward();
    assertNotSame(f.lastA, a.grad());
    assertArrayEquals(new double[] {2, 2}, a.grad().toDoubleArray(), 0);
  }

  @Test
  void receivedOrSharedGradientIsCopiedDespiteThePromise() {
    Tensor a = leaf(1, 2);
    Tensor b = leaf(3, 4);
    Tensor seed = Tensor.fromArray(new double[] {5, 7}, 2);
    Tensor[] y = new Scale2(true, true).apply(a, b);
    y[0].backward(seed);
    // both leaves got the seed itself: keeping it would make the two gradients (and the caller's seed) one tensor
    assertNotSame(seed, a.grad());
    assertNotSame(seed, b.grad());
    assertNotSame(a.grad(), b.grad());
    a.grad().setFlat(0, 100);
    assertArrayEquals(new double[] {5, 7}, seed.toDoubleArray(), 0);
    assertArrayEquals(new double[] {5, 7}, b.grad().toDoubleArray(), 0);
  }

  /** y = (a, a + 1); records which output gradients it received. */
  private static final class TwoOutputs extends Function {
    private final boolean acceptsMissing;
    Tensor[] received;

    TwoOutputs(boolean acceptsMissing) {
      this.acceptsMissing = acceptsMissing;
    }

    @Override
    protected boolean acceptsMissingOutputGradients() {
      return acceptsMissing;
    }

    @Override
    protected Tensor[] forward(Tensor... in) {
      return new Tensor[] {in[0].mul(1), in[0].add(1)};
    }

    @Override
    protected Tensor[] backward(Tensor... g) {
      received = g.clone();
      Tensor d = g[0] == null ? Tensor.zeros(DType.FLOAT64, 2) : g[0].mul(1);
      return new Tensor[] {g[1] == null ? d : d.add(g[1])};
    }
  }

  @Test
  void missingOutputGradientIsNullOnlyWhenAccepted() {
    Tensor a = leaf(1, 2);
    TwoOutputs f = new TwoOutputs(true);
    f.apply(a)[0].sum().backward();
    assertNull(f.received[1]);
    assertArrayEquals(new double[] {1, 1}, a.grad().toDoubleArray(), 0);

    Tensor b = leaf(1, 2);
    TwoOutputs g = new TwoOutputs(false);
    g.apply(b)[0].sum().backward();
    assertArrayEquals(new double[] {0, 0}, g.received[1].toDoubleArray(), 0);
    assertArrayEquals(new double[] {1, 1}, b.grad().toDoubleArray(), 0);
  }

  @Test
  void missingGradientOfARetainedOutputIsStillZeros() {
    // retainGrad on an output makes its gradient observable: it must be zeros, not absent, even when the function
    // itself accepts null
    Tensor a = leaf(1, 2);
    TwoOutputs f = new TwoOutputs(true);
    Tensor[] y = f.apply(a);
    y[1].retainGrad();
    y[0].sum().backward();
    assertArrayEquals(new double[] {0, 0}, y[1].grad().toDoubleArray(), 0);
  }
}
