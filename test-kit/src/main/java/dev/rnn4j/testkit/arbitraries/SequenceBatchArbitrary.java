package dev.rnn4j.testkit.arbitraries;

import dev.rnn4j.tensor.DType;
import java.util.Objects;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.arbitraries.ArbitraryDecorator;

/**
 * Batches of variable-length sequences ({@link SequenceBatch}): T steps, B sequences of I features, each sequence
 * with its own length in [1, T]. Defaults: T 1 to 6, B 1 to 4, I 1 to 5, values from {@link TensorArbitrary}'s
 * defaults. Shrinks towards T = B = I = 1 and lengths of 1. Start from {@link RnnArbitraries#sequences(DType)}.
 */
public final class SequenceBatchArbitrary extends ArbitraryDecorator<SequenceBatch> {

  private final DType dtype;
  private final int maxSteps;
  private final int maxBatch;
  private final int minFeatures;
  private final int maxFeatures;
  private final TensorArbitrary values;

  SequenceBatchArbitrary(DType dtype, int maxSteps, int maxBatch, int minFeatures, int maxFeatures,
                         TensorArbitrary values) {
    this.dtype = Objects.requireNonNull(dtype, "dtype");
    this.maxSteps = maxSteps;
    this.maxBatch = maxBatch;
    this.minFeatures = minFeatures;
    this.maxFeatures = maxFeatures;
    this.values = values;
  }

  private static void atLeastOne(String what, int value) {
    if (value < 1) {
      throw new IllegalArgumentException("SequenceBatchArbitrary: " + what + " must be >= 1, got " + value);
    }
  }

  /** At most this many steps (>= 1). */
  public SequenceBatchArbitrary maxSteps(int max) {
    atLeastOne("maxSteps", max);
    return new SequenceBatchArbitrary(dtype, max, maxBatch, minFeatures, maxFeatures, values);
  }

  /** At most this many sequences (>= 1). */
  public SequenceBatchArbitrary maxBatch(int max) {
    atLeastOne("maxBatch", max);
    return new SequenceBatchArbitrary(dtype, maxSteps, max, minFeatures, maxFeatures, values);
  }

  /** Exactly this many features per step (>= 1), e.g. a layer's input size. */
  public SequenceBatchArbitrary features(int features) {
    atLeastOne("features", features);
    return new SequenceBatchArbitrary(dtype, maxSteps, maxBatch, features, features, values);
  }

  /** Values in [low, high]. */
  public SequenceBatchArbitrary values(double low, double high) {
    return new SequenceBatchArbitrary(dtype, maxSteps, maxBatch, minFeatures, maxFeatures, values.values(low, high));
  }

  @Override
  protected Arbitrary<SequenceBatch> arbitrary() {
    return Combinators.combine(Arbitraries.integers().between(1, maxSteps), Arbitraries.integers().between(1,
            maxBatch), Arbitraries.integers().between(minFeatures, maxFeatures))
        .flatAs((t, b, i) -> Combinators.combine(
                Arbitraries.integers().between(1, t).array(int[].class).ofSize(b), values.elements(t * b * i))
            .as((lengths, v) -> new SequenceBatch(TensorArbitrary.tensor(dtype, v, t, b, i), lengths)));
  }
}
