package dev.rnn4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Optimizer and schedule state: copies out, checked loads, and a loaded copy continues exactly as the original. */
class OptimizerStateTest {

  static final List<Function<List<Tensor>, Optimizer>> OPTIMIZERS = List.of(
      ps -> new SGD(ps, 0.1),
      ps -> new SGD(ps, 0.1, 0.9, 0.1, 0.01, false),
      ps -> new SGD(ps, 0.1, 0.9, 0, 0.01, true),
      ps -> new Adam(ps, 0.05, 0.8, 0.9, 1e-6, 0.01),
      ps -> new AdamW(ps, 0.05));

  static Stream<Arguments> cases() {
    return Stream.of(Kernels.scalar(), Kernels.get()).distinct()
        .flatMap(k -> Stream.of(DType.FLOAT32, DType.FLOAT64)
            .flatMap(d -> OPTIMIZERS.stream().map(o -> Arguments.of(k, d, o))));
  }

  private static List<Tensor> params(DType dtype) {
    return List.of(Tensor.fromArray(new double[] {0.5, -1.5, 2}, 3).to(dtype).requiresGrad(true),
        Tensor.fromArray(new double[] {3, -0.25}, 2).to(dtype).requiresGrad(true),
        Tensor.fromArray(new double[] {1}, 1).to(dtype).requiresGrad(true));
  }

  /** loss = sum(p^3) over the first two parameters; the third gets no gradient (its state stays empty). */
  private static void step(Optimizer opt) {
    opt.zeroGrad();
    List<Tensor> ps = opt.parameters();
    ps.get(0).mul(ps.get(0)).mul(ps.get(0)).sum().add(ps.get(1).mul(ps.get(1)).mul(ps.get(1)).sum()).backward();
    opt.step();
  }

  @ParameterizedTest
  @MethodSource("cases")
  void loadedCopyContinuesBitwise(Kernels kernels, DType dtype, Function<List<Tensor>, Optimizer> make) {
    KernelScope.run(kernels, () -> {
      Optimizer a = make.apply(params(dtype));
      for (int i = 0; i < 3; i++) {
        step(a);
      }
      a.setLearningRate(a.learningRate() / 2);
      List<Tensor> copies = a.parameters().stream()
          .map(p -> Tensor.zeros(dtype, p.shape()).copyFrom(p).requiresGrad(true)).toList();
      Optimizer b = make.apply(copies);
      b.loadState(a.state());
      assertEquals(a.learningRate(), b.learningRate());
      assertEquals(3, b.stepCount(0));
      assertEquals(0, b.stepCount(2));
      assertEquals(Map.of(), b.state().parameters().get(2).buffers());
      for (int i = 0; i < 2; i++) {
        step(a);
        step(b);
      }
      for (int i = 0; i < 3; i++) {
        assertArrayEquals(a.parameters().get(i).toDoubleArray(), b.parameters().get(i).toDoubleArray());
      }
    });
  }

  @Test
  void stateIsACopyBothWays() {
    Optimizer a = new Adam(params(DType.FLOAT64), 0.1);
    step(a);
    OptimizerState s = a.state();
    double m0 = s.parameters().get(0).buffers().get(AdamFamily.EXP_AVG).getFlat(0);
    s.parameters().get(0).buffers().get(AdamFamily.EXP_AVG).setFlat(0, 99);
    assertEquals(m0, a.state().parameters().get(0).buffers().get(AdamFamily.EXP_AVG).getFlat(0));
    Optimizer b = new Adam(params(DType.FLOAT64), 0.1);
    OptimizerState loaded = a.state();
    b.loadState(loaded);
    loaded.parameters().get(0).buffers().get(AdamFamily.EXP_AVG).setFlat(0, 99);
    assertEquals(m0, b.state().parameters().get(0).buffers().get(AdamFamily.EXP_AVG).getFlat(0));
  }

  @Test
  void mismatchedStatesAreRejectedAndChangeNothing() {
    Optimizer adam = new Adam(params(DType.FLOAT32), 0.1);
    step(adam);
    OptimizerState good = adam.state();

    Optimizer other = new Adam(params(DType.FLOAT32), 0.1, 0.9, 0.99, 1e-8, 0);
    OptimizerState before = other.state();
    assertRejected(other, good, "Adam.loadState: hyperparameters differ: beta2 0.999 in the state but 0.99 here");
    assertRejected(new SGD(params(DType.FLOAT32), 0.1), good,
        "SGD.loadState: the state is of a Adam optimizer, this is a SGD");
    assertRejected(new Adam(params(DType.FLOAT32).subList(0, 2), 0.1), good,
        "Adam.loadState: the state has 3 parameters, this optimizer 2");
    assertRejected(new Adam(params(DType.FLOAT64), 0.1), good.withParameterNames(List.of("a", "b", "c")),
        "Adam.loadState: parameter 0 ('a') buffer exp_avg is [3] float32 in the state but the parameter is [3]"
            + " float64");
    OptimizerState negativeLr = new OptimizerState("Adam", good.hyperparameters(), -1, 0, good.parameters(),
        List.of());
    assertRejected(new Adam(params(DType.FLOAT32), 0.1), negativeLr, "learning rate must be finite and >= 0");
    assertEquals(before.learningRate(), other.state().learningRate());
    assertEquals(0, other.stepCount(0));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> other.loadState(null));
    assertEquals("Adam.loadState: state must not be null", e.getMessage());
  }

  private static void assertRejected(Optimizer target, OptimizerState state, String message) {
    OptimizerState before = target.state();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> target.loadState(state));
    assertTrue(e.getMessage().contains(message), e.getMessage());
    assertEquals(before.parameters().stream().map(OptimizerState.ParameterState::step).toList(),
        target.state().parameters().stream().map(OptimizerState.ParameterState::step).toList());
    assertEquals(before.learningRate(), target.learningRate());
  }

  /** StepLR(2, 0.5) from 0.8 at epoch 5: 0.8 * 0.5^2 = 0.2; the next epoch (6) gives 0.8 * 0.5^3 = 0.1. */
  @Test
  void scheduleStateRoundTrip() {
    Optimizer o1 = new SGD(params(DType.FLOAT32), 0.8);
    StepLR s1 = new StepLR(o1, 2, 0.5);
    for (int i = 0; i < 5; i++) {
      s1.step();
    }
    assertEquals(0.2, o1.learningRate());
    ScheduleState state = s1.state();
    assertEquals(new ScheduleState("StepLR", 5, Map.of("base_lr", "0.8", "step_size", "2", "gamma", "0.5")), state);
    Optimizer o2 = new SGD(params(DType.FLOAT32), 0.8);
    StepLR s2 = new StepLR(o2, 2, 0.5);
    s2.loadState(state);
    assertEquals(5, s2.epoch());
    s2.step();
    assertEquals(0.1, o2.learningRate());

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new StepLR(new SGD(params(DType.FLOAT32), 0.4), 2, 0.5).loadState(state));
    assertTrue(e.getMessage().startsWith("StepLR.loadState: settings differ") && e.getMessage().contains("0.4"),
        e.getMessage());
    CosineAnnealingLR cosine = new CosineAnnealingLR(o2, 10, 0);
    e = assertThrows(IllegalArgumentException.class, () -> cosine.loadState(state));
    assertEquals("CosineAnnealingLR.loadState: the state is of a StepLR schedule, this is a CosineAnnealingLR",
        e.getMessage());
    assertEquals(0, cosine.epoch());
  }
}
