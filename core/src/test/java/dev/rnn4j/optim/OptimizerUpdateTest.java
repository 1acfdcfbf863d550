package dev.rnn4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.Tensor;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One and two steps of each optimizer against PyTorch's documented update rules, worked out by hand in the comments.
 * The numbers are chosen so that most results are exact binary fractions (then float32 and float64 must match
 * exactly); where a square root makes them irrational the bound is stated.
 */
class OptimizerUpdateTest {

  static Stream<Arguments> configs() {
    return Stream.of(Kernels.scalar(), Kernels.get()).distinct()
        .flatMap(k -> Stream.of(DType.FLOAT32, DType.FLOAT64).map(d -> Arguments.of(k, d)));
  }

  /** A one-element parameter holding {@code value}. */
  private static Tensor param(DType dtype, double value) {
    return Tensor.full(dtype, value, 1).requiresGrad(true);
  }

  /** Runs backward of {@code loss(p)} and one optimizer step. */
  private static void step(Optimizer opt, Tensor p, Function<Tensor, Tensor> loss) {
    opt.zeroGrad();
    loss.apply(p).sum().backward();
    opt.step();
  }

  /** loss = 2 p: constant gradient 2. */
  private static Tensor linear(Tensor p) {
    return p.mul(2);
  }

  /** loss = p^2: gradient 2 p. */
  private static Tensor square(Tensor p) {
    return p.mul(p);
  }

  /**
   * lr 0.5, momentum 0.5, dampening 0.25, weight decay 0.25, gradient 2, p0 = 1.
   * Step 1: g = 2 + 0.25 * 1 = 2.25; v = g = 2.25 (first step: no dampening); p1 = 1 - 0.5 * 2.25 = -0.125.
   * Step 2: g = 2 + 0.25 * (-0.125) = 1.96875; v = 0.5 * 2.25 + 0.75 * 1.96875 = 2.6015625;
   *         p2 = -0.125 - 0.5 * 2.6015625 = -1.42578125.
   */
  @ParameterizedTest
  @MethodSource("configs")
  void sgdMomentumDampeningWeightDecay(Kernels kernels, DType dtype) {
    KernelScope.run(kernels, () -> {
      Tensor p = param(dtype, 1);
      SGD sgd = new SGD(List.of(p), 0.5, 0.5, 0.25, 0.25, false);
      step(sgd, p, OptimizerUpdateTest::linear);
      assertEquals(-0.125, p.item());
      step(sgd, p, OptimizerUpdateTest::linear);
      assertEquals(-1.42578125, p.item());
    });
  }

  /**
   * Nesterov: lr 0.5, momentum 0.5, gradient 2, p0 = 1.
   * Step 1: v = 2; g = 2 + 0.5 * 2 = 3; p1 = 1 - 1.5 = -0.5.
   * Step 2: v = 0.5 * 2 + 2 = 3; g = 2 + 0.5 * 3 = 3.5; p2 = -0.5 - 1.75 = -2.25.
   */
  @ParameterizedTest
  @MethodSource("configs")
  void sgdNesterov(Kernels kernels, DType dtype) {
    KernelScope.run(kernels, () -> {
      Tensor p = param(dtype, 1);
      SGD sgd = new SGD(List.of(p), 0.5, 0.5, 0, 0, true);
      step(sgd, p, OptimizerUpdateTest::linear);
      assertEquals(-0.5, p.item());
      step(sgd, p, OptimizerUpdateTest::linear);
      assertEquals(-2.25, p.item());
    });
  }

  /** Plain SGD on p^2, lr 0.25, p0 = 1: p <- p - 0.25 * 2p = p / 2: 0.5, 0.25. */
  @ParameterizedTest
  @MethodSource("configs")
  void sgdPlain(Kernels kernels, DType dtype) {
    KernelScope.run(kernels, () -> {
      Tensor p = param(dtype, 1);
      SGD sgd = new SGD(List.of(p), 0.25);
      step(sgd, p, OptimizerUpdateTest::square);
      assertEquals(0.5, p.item());
      step(sgd, p, OptimizerUpdateTest::square);
      assertEquals(0.25, p.item());
    });
  }

  /**
   * Adam on p^2, lr 0.5, betas (0.5, 0.75), eps 0, p0 = 1.
   * Step 1: g = 2; m = 0.5 * 2 = 1; v = 0.25 * 4 = 1; m^ = 1 / (1 - 0.5) = 2; v^ = 1 / (1 - 0.75) = 4;
   *         p1 = 1 - 0.5 * 2 / sqrt(4) = 0.5.
   * Step 2: g = 1; m = 0.5 * 1 + 0.5 * 1 = 1; v = 0.75 * 1 + 0.25 * 1 = 1; m^ = 1 / (1 - 0.25) = 4/3;
   *         v^ = 1 / (1 - 0.5625) = 16/7; p2 = 0.5 - 0.5 * (4/3) / (4 / sqrt 7) = 0.5 - sqrt(7) / 6.
   * Step 2 is not exact: about ten roundings of relative size u each act on the update (0.44), so
   * |error| <= 0.5 u + 16 u * 0.45, which 8u bounds (u = 2^-24 for float32, 2^-53 for float64).
   */
  @ParameterizedTest
  @MethodSource("configs")
  void adamTwoSteps(Kernels kernels, DType dtype) {
    KernelScope.run(kernels, () -> {
      Tensor p = param(dtype, 1);
      Adam adam = new Adam(List.of(p), 0.5, 0.5, 0.75, 0, 0);
      step(adam, p, OptimizerUpdateTest::square);
      assertEquals(0.5, p.item());
      step(adam, p, OptimizerUpdateTest::square);
      double u = dtype == DType.FLOAT32 ? 0x1p-24 : 0x1p-53;
      assertEquals(0.5 - Math.sqrt(7) / 6, p.item(), 8 * u);
      assertEquals(2, adam.stepCount(0));
    });
  }

  /**
   * Adam's L2 weight decay goes through the gradient: weight decay 0.5, otherwise as above.
   * Step 1: g = 2 + 0.5 * 1 = 2.5; m = 1.25; v = 0.25 * 6.25 = 1.5625; m^ = 2.5; v^ = 6.25; p1 = 1 - 0.5 * 2.5/2.5
   * = 0.5.
   * AdamW decays the weight instead: p = 1 * (1 - 0.5 * 0.5) = 0.75; g = 2 (from p0); m = 1; v = 1; m^ = 2; v^ = 4;
   * p1 = 0.75 - 0.5 = 0.25.
   * AdamW step 2: g = 2 * 0.25 = 0.5; p = 0.25 * 0.75 = 0.1875; m = 0.5 + 0.25 = 0.75; v = 0.75 + 0.0625 = 0.8125;
   * m^ = 0.75 / 0.75 = 1; v^ = 0.8125 / 0.4375 = 13/7; p2 = 0.1875 - 0.5 / sqrt(13/7) = 0.1875 - 0.5 sqrt(7/13);
   * bound as in adamTwoSteps, 8u.
   */
  @ParameterizedTest
  @MethodSource("configs")
  void adamL2VersusAdamWDecoupledDecay(Kernels kernels, DType dtype) {
    KernelScope.run(kernels, () -> {
      Tensor a = param(dtype, 1);
      Adam adam = new Adam(List.of(a), 0.5, 0.5, 0.75, 0, 0.5);
      step(adam, a, OptimizerUpdateTest::square);
      assertEquals(0.5, a.item());

      Tensor w = param(dtype, 1);
      AdamW adamW = new AdamW(List.of(w), 0.5, 0.5, 0.75, 0, 0.5);
      step(adamW, w, OptimizerUpdateTest::square);
      assertEquals(0.25, w.item());
      step(adamW, w, OptimizerUpdateTest::square);
      double u = dtype == DType.FLOAT32 ? 0x1p-24 : 0x1p-53;
      assertEquals(0.1875 - 0.5 * Math.sqrt(7.0 / 13.0), w.item(), 8 * u);
    });
  }

  /**
   * eps enters the denominator: the first Adam step with gradient g moves p by lr * g / (|g| + eps). With g = 2,
   * eps = 2, lr = 1: the step is 2 / 4 = 0.5 (exact), so p = 1 - 0.5 = 0.5 (loss 2p, betas (0.5, 0.75) as above).
   */
  @ParameterizedTest
  @MethodSource("configs")
  void adamEpsilon(Kernels kernels, DType dtype) {
    KernelScope.run(kernels, () -> {
      Tensor p = param(dtype, 1);
      Adam adam = new Adam(List.of(p), 1, 0.5, 0.75, 2, 0);
      step(adam, p, OptimizerUpdateTest::linear);
      assertEquals(0.5, p.item());
    });
  }

  /** Parameters no backward pass reached keep their value and state; zeroGrad drops every gradient. */
  @ParameterizedTest
  @MethodSource("configs")
  void parametersWithoutGradientAreSkipped(Kernels kernels, DType dtype) {
    KernelScope.run(kernels, () -> {
      Tensor used = param(dtype, 1);
      Tensor unused = param(dtype, 3);
      Adam adam = new Adam(List.of(used, unused), 0.5, 0.5, 0.75, 0, 0);
      step(adam, used, OptimizerUpdateTest::square);
      assertEquals(0.5, used.item());
      assertEquals(3, unused.item());
      assertEquals(1, adam.stepCount(0));
      assertEquals(0, adam.stepCount(1));
      adam.zeroGrad();
      assertNull(used.grad());
    });
  }

  /** A multi-element parameter updates every element (the kernels see the whole range with the right offsets). */
  @ParameterizedTest
  @MethodSource("configs")
  void everyElementOfAViewIsUpdated(Kernels kernels, DType dtype) {
    KernelScope.run(kernels, () -> {
      double[] backing = {99, 1, 2, 3, 4, 5, 6, 7, 8, 99};
      Tensor storage = Tensor.fromArray(backing, 10).to(dtype);
      Tensor p = storage.viewRange(1, 2, 4).requiresGrad(true);
      SGD sgd = new SGD(List.of(p), 0.25);
      step(sgd, p, OptimizerUpdateTest::square);
      // p <- p - 0.25 * 2p = p / 2, elementwise; the elements around the view stay.
      double[] all = storage.toDoubleArray();
      assertEquals(99, all[0]);
      assertEquals(99, all[9]);
      for (int i = 1; i <= 8; i++) {
        assertEquals(i / 2.0, all[i]);
      }
    });
  }

  @ParameterizedTest
  @MethodSource("configs")
  void invalidHyperparametersAreRejected(Kernels kernels, DType dtype) {
    Tensor p = param(dtype, 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new SGD(List.of(p), 0.1, 0.9, 0.1, 0, true));
    assertEquals("SGD: Nesterov momentum requires momentum > 0 and dampening 0, got momentum 0.9, dampening 0.1",
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(p), -0.1));
    assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(p), 0.1, 1.0, 0.999, 1e-8, 0));
    assertThrows(IllegalArgumentException.class, () -> new AdamW(List.of(p), 0.1, 0.9, 0.999, -1, 0));
    assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(), 0.1));
    assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(p, p), 0.1));
    Tensor frozen = Tensor.zeros(dtype, 2);
    e = assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(frozen), 0.1));
    assertTrue(e.getMessage().contains("does not require a gradient"), e.getMessage());
  }
}
