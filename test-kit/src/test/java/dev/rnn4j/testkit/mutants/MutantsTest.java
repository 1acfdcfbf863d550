package dev.rnn4j.testkit.mutants;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.kernels.testing.BrokenDoubleKernels;
import dev.rnn4j.nn.recurrent.RNN;
import dev.rnn4j.nn.recurrent.RecurrentOptions;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** What {@link Mutants#assertDetects} reports, and what the mutants break (and what they leave alone). */
class MutantsTest {

  @Test
  void aDetectionReturnsTheChecksError() {
    AssertionError e = Mutants.assertDetects(Mutants.timeIndexOffByOne(), () -> {
      throw new AssertionError("found it");
    });
    assertEquals("found it", e.getMessage());
  }

  @Test
  void aSurvivorIsReportedWithTheBug() {
    String m = assertThrows(AssertionFailedError.class,
        () -> Mutants.assertDetects(Mutants.gateOffByOneUnit(), () -> { })).getMessage();
    assertEquals("mutant 'gate off by one unit' survived: the check passed although the LSTM forget gate and the GRU "
        + "update gate of unit j read the input projection of unit j + 1. A real bug of this kind would go unnoticed "
        + "by this check.", m);
  }

  @Test
  void aCrashIsNotADetection() {
    String m = assertThrows(AssertionFailedError.class, () -> Mutants.assertDetects(Mutants.missingBiasGradient(),
        () -> {
          throw new IllegalStateException("boom");
        })).getMessage();
    assertEquals("mutant 'missing bias gradient' (addColumnSums adds nothing, so bias gradients (recurrent and "
        + "Linear) stay zero) made the check throw java.lang.IllegalStateException instead of failing an assertion: "
        + "boom", m);
  }

  @Test
  void allSurvivorsAreListed() {
    String m = assertThrows(AssertionFailedError.class,
        () -> Mutants.assertDetectsAll(Mutants.recurrent(), () -> { })).getMessage();
    assertTrue(m.startsWith("4 of 4 mutants not detected:\n  mutant 'gate off by one unit' survived"), m);
  }

  @Test
  void theScopeIsRestoredAndTheMutantCurrentInside() {
    Kernels before = KernelScope.current();
    Mutant mutant = Mutants.swappedGateBlocks();
    Mutants.assertDetects(mutant, () -> {
      assertSame(mutant.kernels(), KernelScope.current());
      throw new AssertionError("seen");
    });
    assertSame(before, KernelScope.current());
  }

  @Test
  void theKernelMutantsAreTheLibrarysInBothPrecisions() {
    List<Mutant> all = Mutants.kernels();
    assertEquals(BrokenDoubleKernels.all().size(), all.size());
    for (Mutant m : all) {
      assertTrue(m.kernels().name().startsWith("mutant: "), m.kernels().name());
    }
  }

  /** The gate, swap and time mutants change only the fused LSTM and GRU kernels: an RNN layer is bitwise the same. */
  @Test
  void theFusedCellMutantsLeaveThePlainRnnAlone() {
    double[][] reference = rnnRun(Kernels.scalar());
    for (Mutant m : List.of(Mutants.gateOffByOneUnit(), Mutants.swappedGateBlocks(), Mutants.timeIndexOffByOne())) {
      double[][] run = rnnRun(m.kernels());
      for (int i = 0; i < reference.length; i++) {
        assertArrayEquals(reference[i], run[i], m.name() + ", tensor " + i);
      }
    }
  }

  @SuppressWarnings("try")
  private static double[][] rnnRun(Kernels kernels) {
    try (KernelScope s = KernelScope.use(kernels)) {
      RNN rnn = new RNN(new RecurrentOptions(2, 3).dtype(DType.FLOAT64).seed(4));
      Tensor x = Tensor.normal(DType.FLOAT64, new SplittableRandom(2), 0, 1, 4, 2, 2);
      Tensor y = rnn.forward(x).output();
      y.sum().backward();
      return new double[][] {y.toDoubleArray(), rnn.namedParameters().get("weight_hh_l0").grad().toDoubleArray()};
    }
  }
}
