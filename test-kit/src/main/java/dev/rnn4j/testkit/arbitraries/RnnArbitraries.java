package dev.rnn4j.testkit.arbitraries;

import dev.rnn4j.nn.recurrent.CellKind;
import dev.rnn4j.tensor.DType;
import java.util.List;
import java.util.Objects;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * jqwik arbitraries for rnn4j tests: tensors, batches of variable-length sequences, recurrent-layer configurations.
 * All shrink to small cases, so that a failing property is reported on the smallest input that still fails.
 *
 * <pre>{@code
 * @Provide Arbitrary<Tensor> matrices() { return RnnArbitraries.tensors(DType.FLOAT32).rank(2, 2).dims(1, 16); }
 * @Provide Arbitrary<SequenceBatch> batches() { return RnnArbitraries.sequences(DType.FLOAT64).features(3); }
 * }</pre>
 */
public final class RnnArbitraries {

  private RnnArbitraries() {}

  /** Tensors of {@code dtype}; see {@link TensorArbitrary} for the defaults and options. */
  public static TensorArbitrary tensors(DType dtype) {
    return new TensorArbitrary(dtype, null, 1, 3, 1, 8, -1, 1, List.of());
  }

  /** Batches of variable-length sequences of {@code dtype}; see {@link SequenceBatchArbitrary}. */
  public static SequenceBatchArbitrary sequences(DType dtype) {
    Objects.requireNonNull(dtype, "dtype");
    return new SequenceBatchArbitrary(dtype, 6, 4, 1, 5, tensors(dtype));
  }

  /**
   * Batches of token sequences over a vocabulary of {@code vocabulary} tokens: T 1 to {@code maxSteps}, B 1 to
   * {@code maxBatch}, each sequence with its own length in [1, T]. Shrinks towards T = B = 1, token 0, length 1.
   */
  public static Arbitrary<TokenBatch> tokenBatches(int vocabulary, int maxSteps, int maxBatch) {
    if (vocabulary < 1 || maxSteps < 1 || maxBatch < 1) {
      throw new IllegalArgumentException("RnnArbitraries.tokenBatches: vocabulary, maxSteps and maxBatch must be "
          + ">= 1, got " + vocabulary + ", " + maxSteps + ", " + maxBatch);
    }
    return Combinators.combine(Arbitraries.integers().between(1, maxSteps), Arbitraries.integers().between(1,
            maxBatch))
        .flatAs((t, b) -> Combinators.combine(
                Arbitraries.integers().between(0, vocabulary - 1).array(int[].class).ofSize(t * b),
                Arbitraries.integers().between(1, t).array(int[].class).ofSize(b))
            .as((tokens, lengths) -> new TokenBatch(tokens, t, b, lengths)));
  }

  /**
   * Recurrent-layer configurations: every cell, input size 1 to 6, hidden size 1 to 8, 1 or 2 layers, one or two
   * directions, with or without bias. Shrinks towards an RNN (tanh) with I = H = 1, one layer, one direction.
   */
  public static Arbitrary<RecurrentSpec> recurrentSpecs() {
    return recurrentSpecs(6, 8, 2);
  }

  /** {@link #recurrentSpecs()} with the given upper bounds (each >= 1). */
  public static Arbitrary<RecurrentSpec> recurrentSpecs(int maxInput, int maxHidden, int maxLayers) {
    if (maxInput < 1 || maxHidden < 1 || maxLayers < 1) {
      throw new IllegalArgumentException("RnnArbitraries.recurrentSpecs: bounds must be >= 1, got " + maxInput
          + ", " + maxHidden + ", " + maxLayers);
    }
    return Combinators.combine(Arbitraries.of(CellKind.class), Arbitraries.integers().between(1, maxInput),
            Arbitraries.integers().between(1, maxHidden), Arbitraries.integers().between(1, maxLayers),
            Arbitraries.of(false, true), Arbitraries.of(true, false))
        .as(RecurrentSpec::new);
  }
}
