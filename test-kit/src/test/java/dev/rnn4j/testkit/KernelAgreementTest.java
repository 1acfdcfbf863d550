package dev.rnn4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.kernels.testing.KernelSets;
import dev.rnn4j.nn.Module;
import dev.rnn4j.nn.recurrent.LSTM;
import dev.rnn4j.nn.recurrent.RecurrentOptions;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.Tensor;
import dev.rnn4j.testkit.mutants.Mutants;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * The cross-kernel agreement is neither too tight (a correct implementation that rounds differently passes) nor too
 * loose (a broken one fails), and says which tensor differs and by how much against which bound.
 */
@SuppressWarnings("try") // the kernel scope is used for its effect only
class KernelAgreementTest {

  /** A two-layer LSTM over a fixed sequence: T = 5, B = 2, I = 3, H = 4. */
  static final class Stack extends Module {
    final LSTM lstm;

    Stack(DType dtype) {
      this(dtype, 5);
    }

    Stack(DType dtype, long seed) {
      lstm = registerModule("lstm", new LSTM(new RecurrentOptions(3, 4).numLayers(2).dtype(dtype).seed(seed)));
    }
  }

  private static final Tensor X32 = Tensor.normal(DType.FLOAT32, new SplittableRandom(1), 0, 1, 5, 2, 3);
  private static final Tensor X64 = Tensor.normal(DType.FLOAT64, new SplittableRandom(1), 0, 1, 5, 2, 3);

  // Longest reduction: the LSTM backward dG W_hh over 4H = 16 gate columns; stages: 2 layers x 5 steps; the weight
  // gradients sum T * B = 10 rows.
  private static final ComputationSize SIZE = ComputationSize.of(16, 10, 10);

  private static KernelAgreement<Stack> agreement(DType dtype) {
    Tensor x = dtype == DType.FLOAT32 ? X32 : X64;
    return KernelAgreement.of(() -> new Stack(dtype), m -> m.lstm.forward(x).output()).size(SIZE);
  }

  @Test
  void roundingCountsFollowTheDerivation() {
    assertEquals(10 * (16 + 16), SIZE.forwardRoundings());
    assertEquals(2 * 320 + 10, SIZE.backwardRoundings());
    assertEquals(16, ComputationSize.POINTWISE_ROUNDINGS);
  }

  @Test
  void aCorrectButDifferentlyRoundedImplementationAgrees() {
    for (DType dtype : DType.values()) {
      agreement(dtype).assertAgree(KernelSets.scalar(), KernelSets.reassociated());
      KernelSets.simd().ifPresent(simd -> agreement(dtype).assertAgree(KernelSets.scalar(), simd));
    }
  }

  @Test
  void everyRecurrentMutantDisagreesInBothPrecisions() {
    for (DType dtype : DType.values()) {
      Mutants.assertDetectsAll(Mutants.recurrent(), () -> agreement(dtype).assertAgree());
    }
  }

  @Test
  void theMessageNamesKernelsTensorAndBound() {
    Kernels mutant = Mutants.missingBiasGradient().kernels();
    String m = assertThrows(AssertionFailedError.class,
        () -> agreement(DType.FLOAT64).assertAgree(KernelSets.scalar(), mutant)).getMessage();
    // Only the four bias gradients change (to zero): every element differs, by up to the greatest magnitude.
    assertTrue(m.startsWith("mutant: missing bias gradient and scalar kernels disagree beyond the bound derived from "
        + "ComputationSize[reductionLength=16, stages=10, gradientRows=10] on 4 tensor(s):\n  gradient of "
        + "lstm.bias_ih_l0: Mismatched elements: 16 / 16 (100.0%); greatest absolute difference "), m);
    assertTrue(m.contains("; bound 2 gamma(650) * max |value| "), m);
    assertTrue(m.contains(" (float64, u = 2^-53)"), m);
    for (String p : new String[] {"bias_ih_l0", "bias_hh_l0", "bias_ih_l1", "bias_hh_l1"}) {
      assertTrue(m.contains("gradient of lstm." + p + ": Mismatched elements: 16 / 16 (100.0%)"), m);
    }
  }

  @Test
  void comparesTheCurrentKernelsWithTheSpec() {
    // Under a scope, the current kernels are the candidate (here a correct one).
    try (KernelScope s = KernelScope.use(KernelSets.reassociated())) {
      agreement(DType.FLOAT32).assertAgree();
    }
  }

  @Test
  void anUnseededModelIsAUsageError() {
    long[] calls = {0};
    String m = assertThrows(IllegalStateException.class, () -> KernelAgreement.of(
        () -> new Stack(DType.FLOAT32, 100 + calls[0]++), s -> s.lstm.forward(X32).output()).size(SIZE)
        .assertAgree(KernelSets.scalar(), KernelSets.scalar())).getMessage();
    assertEquals("KernelAgreement: the model supplier built two different models (parameter lstm.weight_ih_l0 "
        + "differs); it must build the same model on every call (seed its initialisation)", m);
  }

  @Test
  void theSizeIsRequiredAndTheAmplificationChecked() {
    assertEquals("KernelAgreement: call size(ComputationSize) first: the bound is derived from it",
        assertThrows(IllegalStateException.class, () -> KernelAgreement.of(() -> new Stack(DType.FLOAT32),
            m -> m.lstm.forward(X32).output()).assertAgree(KernelSets.scalar(), KernelSets.scalar())).getMessage());
    assertEquals("KernelAgreement: amplification must be finite and >= 1, got 0.5", assertThrows(
        IllegalArgumentException.class, () -> agreement(DType.FLOAT32).amplification(0.5)).getMessage());
    assertEquals("ComputationSize: reductionLength, stages and gradientRows must be >= 1, got 0, 1, 1",
        assertThrows(IllegalArgumentException.class, () -> ComputationSize.of(0, 1, 1)).getMessage());
  }
}
