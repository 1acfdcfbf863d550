package dev.rnn4j.check;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.autograd.Function;
import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.kernels.testing.ForwardingDoubleKernels;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GradientCheckerTest {

  /** y = x^3 elementwise with a backward that is right ({@code 3x^2}) or deliberately wrong ({@code 2x^2}). */
  static final class Cube extends Function {
    private final double factor;

    Cube(double factor) {
      this.factor = factor;
    }

    @Override
    protected Tensor[] forward(Tensor... in) {
      saveForBackward(in[0]);
      return new Tensor[] {in[0].mul(in[0]).mul(in[0])};
    }

    @Override
    protected Tensor[] backward(Tensor... g) {
      Tensor x = savedTensors()[0];
      return new Tensor[] {g[0].mul(x).mul(x).mul(factor)};
    }
  }

  @Test
  void passesForCorrectGradients() {
    Tensor x = Tensor.normal(DType.FLOAT64, new SplittableRandom(1), 0, 1, 3, 4).requiresGrad(true);
    Tensor w = Tensor.normal(DType.FLOAT64, new SplittableRandom(2), 0, 1, 4, 2).requiresGrad(true);
    GradientChecker.Result r = GradientChecker.defaults()
        .assertGradients(in -> in[0].matmul(in[1]).tanh(), x, w);
    assertTrue(r.passed());
    // Jacobian of a [3, 2] output over 12 + 8 input elements
    assertEquals(6 * 20, r.entries());
    assertEquals(0, r.failures());
    assertTrue(r.message().startsWith("gradient check passed: 120 Jacobian entries"), r.message());
    // the caller's tensors are untouched: no gradient was accumulated into them
    assertEquals(null, x.grad());
    GradientChecker.defaults().assertGradients(in -> new Cube(3).apply1(in[0]), x);
  }

  @Test
  void failsOnDeliberatelyWrongBackwardAndReportsTheWorstEntry() {
    // d/dx x^3 = 3x^2 at x = [1, 2] is [3, 12]; the wrong backward gives 2x^2 = [2, 8]. Diagonal Jacobian: 2 of 4
    // entries fail. Ratio |difference| / (atol + rtol |numerical|): 1 / 0.00301 = 332.2 at x_0, 4 / 0.01201 = 333.1
    // at x_1, so the worst entry is output 1 / input 0 element 1.
    Tensor x = Tensor.fromArray(new double[] {1, 2}, 2).requiresGrad(true);
    GradientChecker checker = GradientChecker.defaults();
    GradientChecker.Result r = checker.check(in -> new Cube(2).apply1(in[0]), x);
    assertFalse(r.passed());
    assertEquals(4, r.entries());
    assertEquals(2, r.failures());
    assertEquals(1, r.outputIndex());
    assertEquals(0, r.inputIndex());
    assertEquals(1, r.elementIndex());
    assertEquals(12, r.numerical(), 1e-6); // central difference of x^3: error eps^2 = 1e-12 plus rounding ~1e-9
    assertEquals(8, r.analytical(), 0);
    AssertionError e = assertThrows(AssertionError.class, () -> checker.assertGradients(
        in -> new Cube(2).apply1(in[0]), x));
    assertTrue(e.getMessage().startsWith("gradient check failed: 2 of 4 Jacobian entries out of tolerance; worst at "
        + "d output[1] at [1] of [2] / d input 0[1] at [1] of [2]: numerical 12.0"), e.getMessage());
    assertTrue(e.getMessage().contains("analytical 8.0"), e.getMessage());
  }

  /** y = a * b with a backward that forgets b's gradient (returns zeros; null would be rejected by the engine). */
  static final class DropsSecondGradient extends Function {
    @Override
    protected Tensor[] forward(Tensor... in) {
      saveForBackward(in[1]);
      return new Tensor[] {in[0].mul(in[1])};
    }

    @Override
    protected Tensor[] backward(Tensor... g) {
      return new Tensor[] {g[0].mul(savedTensors()[0]), Tensor.zerosLike(savedTensors()[0])};
    }
  }

  @Test
  void failsWhenABackwardDropsAnInputGradient() {
    // d(ab)/db = a = 1.5 numerically; the broken backward delivers zeros, so the analytical entry is 0.
    Tensor a = Tensor.fromArray(new double[] {1.5}, 1).requiresGrad(true);
    Tensor b = Tensor.fromArray(new double[] {2.5}, 1).requiresGrad(true);
    GradientChecker.Result r = GradientChecker.defaults().check(in -> new DropsSecondGradient().apply1(in), a, b);
    assertFalse(r.passed());
    assertEquals(1, r.failures());
    assertEquals(1, r.inputIndex());
    assertEquals(0, r.analytical(), 0);
    assertEquals(1.5, r.numerical(), 1e-8);
  }

  @Test
  void refusesFloat32UnlessOptedIn() {
    Tensor x = Tensor.fromArray(new float[] {0.5f, -1f}, 2).requiresGrad(true);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GradientChecker.defaults().check(in -> in[0].mul(in[0]).sum(), x));
    assertTrue(e.getMessage().startsWith("GradientChecker: input 0 [2] is float32"), e.getMessage());
    // Opted in, with a step suited to float32: for x^2 the central difference is exact up to rounding,
    // (x+h)^2 - (x-h)^2 = 4xh, so only float32 rounding of the sums (~1e-7 relative to 1/h) remains.
    GradientChecker.builder().allowFloat32().eps(1e-2).atol(1e-3).rtol(1e-2).build()
        .assertGradients(in -> in[0].mul(in[0]).sum(), x);
  }

  @Test
  void requiresAnInputToDifferentiate() {
    Tensor c = Tensor.ones(DType.FLOAT64, 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GradientChecker.defaults().check(in -> in[0].sum(), c));
    assertTrue(e.getMessage().contains("no input requires a gradient"), e.getMessage());
  }

  @Test
  void runsOnTheGivenKernelsAndCatchesABrokenKernel() {
    // tanhBackward that forgets the square, dx = dy * (1 - y): the autograd gradient is wrong, finite differences
    // (which only use the forward kernel) are right, so the checker fails on these kernels and passes on the spec.
    Kernels spec = Kernels.scalar();
    Kernels broken = new Kernels("broken-tanh-backward", 32, spec.f32(), new ForwardingDoubleKernels(spec.f64()) {
      @Override
      public void tanhBackward(int n, double[] y, int yOff, double[] dy, int dyOff, double[] dx, int dxOff) {
        for (int i = 0; i < n; i++) {
          dx[dxOff + i] = dy[dyOff + i] * (1 - y[yOff + i]);
        }
      }
    });
    Tensor x = Tensor.fromArray(new double[] {0.3, -0.7, 1.1}, 3).requiresGrad(true);
    java.util.function.Function<Tensor[], Tensor> f = in -> in[0].tanh();
    assertTrue(GradientChecker.builder().kernels(spec).build().check(f, x).passed());
    GradientChecker.Result r = GradientChecker.builder().kernels(broken).build().check(f, x);
    assertFalse(r.passed());
    assertEquals(3, r.failures());
  }

  @Test
  void coordinatesInTheMessage() {
    Tensor x = Tensor.fromArray(new double[] {1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad(true);
    GradientChecker.Result r = GradientChecker.defaults().check(in -> new Cube(2).apply1(in[0]), x);
    // worst entry is the largest x (x = 6, element 5 at [1, 2])
    assertArrayEquals(new int[] {2, 3}, r.inputShape());
    assertEquals(5, r.elementIndex());
    assertTrue(r.message().contains("d output[5] at [1, 2] of [2, 3] / d input 0[5] at [1, 2] of [2, 3]"),
        r.message());
  }
}
