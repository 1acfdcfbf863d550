package dev.rnn4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Known answers for the non-finite policies and for resetState, per optimizer. The first-step values are those of
 * {@link OptimizerUpdateTest} (exact binary fractions): an update that was skipped must leave the next clean step
 * a first step with exactly that result.
 */
class NonFinitePolicyTest {

  /** An optimizer over p and its exact value after one first step on loss = 2 p (gradient 2) from p = 1. */
  record Kind(String name, Function<List<Tensor>, Optimizer> make, double firstStep) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final List<Kind> KINDS = List.of(
      // v = 2; p = 1 - 0.5 * 2 = 0
      new Kind("SGD momentum", ps -> new SGD(ps, 0.5, 0.5), 0),
      // v = 2; g = 2 + 0.5 * 2 = 3; p = 1 - 1.5 = -0.5
      new Kind("SGD Nesterov", ps -> new SGD(ps, 0.5, 0.5, 0, 0, true), -0.5),
      // m = 1, v = 1; m^ = 2, v^ = 4; p = 1 - 0.5 * 2 / 2 = 0.5
      new Kind("Adam", ps -> new Adam(ps, 0.5, 0.5, 0.75, 0, 0), 0.5),
      // p = 1 * (1 - 0.5 * 0.5) = 0.75, then as Adam: 0.75 - 0.5 = 0.25
      new Kind("AdamW", ps -> new AdamW(ps, 0.5, 0.5, 0.75, 0, 0.5), 0.25));

  static Stream<Arguments> cases() {
    return Stream.of(Kernels.scalar(), Kernels.get()).distinct()
        .flatMap(k -> Stream.of(DType.FLOAT32, DType.FLOAT64)
            .flatMap(d -> KINDS.stream().map(o -> Arguments.of(k, d, o))));
  }

  private static Tensor param(DType dtype, double value) {
    return Tensor.full(dtype, value, 1).requiresGrad(true);
  }

  /** Backward of sum(p * scale) for each p: gradient {@code scale} everywhere (NaN or Inf when asked). */
  private static void gradients(Optimizer opt, double... scales) {
    opt.zeroGrad();
    for (int i = 0; i < scales.length; i++) {
      opt.parameters().get(i).mul(scales[i]).sum().backward();
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void throwChangesNothingAndNamesTheParameter(Kernels kernels, DType dtype, Kind kind) {
    KernelScope.run(kernels, () -> {
      Tensor a = param(dtype, 1);
      Tensor b = param(dtype, 1);
      Optimizer opt = kind.make().apply(List.of(a, b));
      assertEquals(NonFinitePolicy.THROW, opt.nonFinitePolicy());
      gradients(opt, 2, Double.NaN);
      IllegalStateException e = assertThrows(IllegalStateException.class, opt::step);
      assertTrue(e.getMessage().contains(kind.name().split(" ")[0] + ".step")
          && e.getMessage().contains("parameter 1 [1]") && e.getMessage().contains("NaN")
          && e.getMessage().contains("nothing was changed"), e.getMessage());
      // the finite parameter a was not updated either: no partial step
      assertEquals(1.0, a.item());
      assertEquals(1.0, b.item());
      assertEquals(0, opt.stepCount(0));
      assertEquals(0, opt.stepCount(1));
      assertTrue(opt.state().parameters().stream().allMatch(s -> s.buffers().isEmpty()));
      gradients(opt, 2, 2);
      assertTrue(opt.step().applied());
      assertEquals(kind.firstStep(), a.item());
      assertEquals(kind.firstStep(), b.item());
    });
  }

  @ParameterizedTest
  @MethodSource("cases")
  void skipCountsReportsAndLeavesTheNextStepAFirstStep(Kernels kernels, DType dtype, Kind kind) {
    KernelScope.run(kernels, () -> {
      Tensor a = param(dtype, 1);
      Tensor b = param(dtype, 1);
      Optimizer opt = kind.make().apply(List.of(a, b)).nonFinitePolicy(NonFinitePolicy.SKIP);
      for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
        gradients(opt, 2, bad);
        assertEquals(new StepResult(false, 1), opt.step());
      }
      gradients(opt, Double.NaN, 2);
      assertEquals(new StepResult(false, 0), opt.step());
      assertEquals(4, opt.skippedSteps());
      assertEquals(1.0, a.item());
      assertEquals(1.0, b.item());
      assertEquals(0, opt.stepCount(0));
      gradients(opt, 2, 2);
      assertEquals(new StepResult(true, -1), opt.step());
      assertEquals(kind.firstStep(), a.item());
      assertEquals(kind.firstStep(), b.item());
      assertEquals(1, opt.stepCount(1));
      assertEquals(4, opt.skippedSteps());
    });
  }

  @ParameterizedTest
  @MethodSource("cases")
  void uncheckedPoisonsAndResetStateRecovers(Kernels kernels, DType dtype, Kind kind) {
    KernelScope.run(kernels, () -> {
      Tensor p = param(dtype, 1);
      Optimizer opt = kind.make().apply(List.of(p)).nonFinitePolicy(NonFinitePolicy.UNCHECKED);
      gradients(opt, Double.NaN);
      assertTrue(opt.step().applied());
      assertTrue(Double.isNaN(p.item()));
      p.copyFrom(Tensor.full(dtype, 1, 1));
      gradients(opt, 2);
      opt.step();
      assertTrue(Double.isNaN(p.item()), "the state holds the NaN: " + p.item());
      p.copyFrom(Tensor.full(dtype, 1, 1));
      opt.resetState();
      assertEquals(0, opt.stepCount(0));
      assertEquals(Map.of(), opt.state().parameters().get(0).buffers());
      gradients(opt, 2);
      opt.step();
      assertEquals(kind.firstStep(), p.item());
    });
  }

  @ParameterizedTest
  @MethodSource("cases")
  void resetOneParameterLeavesTheOthers(Kernels kernels, DType dtype, Kind kind) {
    KernelScope.run(kernels, () -> {
      Tensor a = param(dtype, 1);
      Tensor b = param(dtype, 1);
      Optimizer opt = kind.make().apply(List.of(a, b));
      gradients(opt, 2, 2);
      opt.step();
      OptimizerState.ParameterState bBefore = opt.state().parameters().get(1);
      a.copyFrom(Tensor.full(dtype, 1, 1));
      opt.resetState(a);
      assertEquals(0, opt.stepCount(0));
      assertEquals(1, opt.stepCount(1));
      assertEquals(bBefore.buffers().keySet(), opt.state().parameters().get(1).buffers().keySet());
      gradients(opt, 2, 0);
      opt.step();
      assertEquals(kind.firstStep(), a.item());
      Tensor stranger = param(dtype, 1);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> opt.resetState(stranger));
      assertTrue(e.getMessage().contains("resetState") && e.getMessage().contains("not a parameter"),
          e.getMessage());
    });
  }

  /**
   * Finite gradients whose squares overflow (sumOfSquares = +Inf) are applied, not mistaken for non-finite ones:
   * 2^100 in float32 (square 2^200 > 2^128), 2^600 in float64 (square 2^1200 > 2^1024). Plain SGD with lr = 1 / (2 g)
   * gives p = 1 - 0.5 = 0.5 exactly.
   */
  @ParameterizedTest
  @MethodSource("cases")
  void hugeFiniteGradientsAreApplied(Kernels kernels, DType dtype, Kind unused) {
    KernelScope.run(kernels, () -> {
      double g = dtype == DType.FLOAT32 ? 0x1p100 : 0x1p600;
      Tensor p = param(dtype, 1);
      Optimizer opt = new SGD(List.of(p), 0.5 / g);
      gradients(opt, g);
      assertEquals(new StepResult(true, -1), opt.step());
      assertEquals(0.5, p.item());
    });
  }

  /** One NaN or infinity anywhere (first, last, SIMD tail) of odd-sized gradients is found, by both kernel sets. */
  @Test
  void scanFindsEveryPosition() {
    for (Kernels k : Stream.of(Kernels.scalar(), Kernels.get()).distinct().toList()) {
      for (DType dtype : DType.values()) {
        for (int n : new int[] {1, 7, 33, 67}) {
          Tensor clean = Tensor.full(dtype, 1.5, n);
          assertEquals(-1, NonFiniteScan.firstNonFinite(k, clean));
          double huge = dtype == DType.FLOAT32 ? 0x1p100 : 0x1p600;
          assertEquals(-1, NonFiniteScan.firstNonFinite(k, Tensor.full(dtype, huge, n)), "overflow only");
          for (int at = 0; at < n; at++) {
            for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
              Tensor t = Tensor.full(dtype, 1.5, n);
              t.setFlat(at, bad);
              assertEquals(at, NonFiniteScan.firstNonFinite(k, t), k.name() + " " + dtype + " n=" + n + " " + bad);
            }
          }
        }
      }
    }
  }

  @Test
  void skipLogsAWarning() {
    Logger jul = Logger.getLogger(Optimizer.class.getName());
    List<LogRecord> records = new ArrayList<>();
    Handler h = new Handler() {
      @Override
      public void publish(LogRecord r) {
        records.add(r);
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
      }
    };
    jul.addHandler(h);
    try {
      Tensor p = param(DType.FLOAT32, 1);
      Optimizer opt = new Adam(List.of(p), 0.1).nonFinitePolicy(NonFinitePolicy.SKIP);
      gradients(opt, Double.NaN);
      opt.step();
    } finally {
      jul.removeHandler(h);
    }
    assertEquals(1, records.size());
    assertEquals(Level.WARNING, records.get(0).getLevel());
    assertTrue(records.get(0).getMessage().contains("step skipped"), records.get(0).getMessage());
  }

  @Test
  void nullPolicyIsRejected() {
    Optimizer opt = new SGD(List.of(param(DType.FLOAT32, 1)), 0.1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> opt.nonFinitePolicy(null));
    assertEquals("SGD.nonFinitePolicy: policy must not be null", e.getMessage());
  }
}
