package dev.rnn4j.testkit.arbitraries;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.nn.recurrent.CellKind;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Tensor;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Predicate;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Shrinkable;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

/** The arbitraries produce what their options say, keep special values opt-in, and shrink to small cases. */
class RnnArbitrariesProperties {

  @Provide
  Arbitrary<Tensor> matrices() {
    return RnnArbitraries.tensors(DType.FLOAT32).rank(2, 2).dims(1, 5).values(-3, 3);
  }

  @Property(tries = 50)
  void tensorsFollowTheirOptions(@ForAll("matrices") Tensor t) {
    assertEquals(DType.FLOAT32, t.dtype());
    assertEquals(2, t.rank());
    for (int d : t.shape()) {
      assertTrue(d >= 1 && d <= 5, t.toString());
    }
    for (double v : t.toDoubleArray()) {
      assertTrue(v >= -3 && v <= 3, "value " + v);
    }
  }

  @Example
  void theDefaultsAreWellConditioned() {
    List<Tensor> samples = RnnArbitraries.tensors(DType.FLOAT64).sampleStream().limit(300).toList();
    for (Tensor t : samples) {
      assertTrue(t.rank() >= 1 && t.rank() <= 3, t.toString());
      for (double v : t.toDoubleArray()) {
        assertTrue(Math.abs(v) <= 1 && (v == 0 || Math.abs(v) >= Double.MIN_NORMAL), "value " + v);
      }
    }
  }

  @Example
  void specialValuesAppearWhenAskedFor() {
    TensorArbitrary base = RnnArbitraries.tensors(DType.FLOAT32).dims(4, 8);
    assertTrue(appears(base.withNaN(), v -> Double.isNaN(v)), "NaN");
    assertTrue(appears(base.withInfinities(), v -> Double.isInfinite(v)), "infinity");
    assertTrue(appears(base.withHuge(), v -> Math.abs(v) >= Float.MAX_VALUE / 2), "huge");
    assertTrue(appears(base.withSubnormals(), v -> v != 0 && Math.abs(v) < Float.MIN_NORMAL), "subnormal");
  }

  private static boolean appears(TensorArbitrary a, java.util.function.DoublePredicate special) {
    return a.sampleStream().limit(300).anyMatch(t -> {
      for (double v : t.toDoubleArray()) {
        if (special.test(v)) {
          return true;
        }
      }
      return false;
    });
  }

  /** Shrinks greedily, as jqwik does after a failure: the first smaller candidate that still fails, until none. */
  private static <T> T shrink(Arbitrary<T> a, long seed, Predicate<T> fails) {
    Shrinkable<T> current = a.generator(1000).next(new Random(seed));
    for (int step = 0; step < 10_000; step++) {
      Optional<Shrinkable<T>> smaller = current.shrink().filter(c -> fails.test(c.value())).findFirst();
      if (smaller.isEmpty()) {
        return current.value();
      }
      current = smaller.get();
    }
    throw new AssertionError("no shrinking fixpoint after 10000 steps");
  }

  @Example
  void tensorsShrinkToTheSmallestShape() {
    Tensor any = shrink(RnnArbitraries.tensors(DType.FLOAT32).dims(2, 9), 42, t -> true);
    assertArrayEquals(new int[] {2}, any.shape());
    assertArrayEquals(new double[] {0, 0}, any.toDoubleArray());
    Tensor large = shrink(RnnArbitraries.tensors(DType.FLOAT64), 7, t -> maxOf(t) > 0.5);
    assertArrayEquals(new int[] {1}, large.shape());
  }

  private static double maxOf(Tensor t) {
    double m = Double.NEGATIVE_INFINITY;
    for (double v : t.toDoubleArray()) {
      m = Math.max(m, v);
    }
    return m;
  }

  @Provide
  Arbitrary<SequenceBatch> batches() {
    return RnnArbitraries.sequences(DType.FLOAT64).features(3).maxSteps(5).maxBatch(4);
  }

  @Property(tries = 50)
  void sequenceBatchesHaveValidLengths(@ForAll("batches") SequenceBatch b) {
    assertEquals(3, b.features());
    assertTrue(b.steps() >= 1 && b.steps() <= 5 && b.batch() >= 1 && b.batch() <= 4, b.toString());
    assertArrayEquals(new int[] {b.steps(), b.batch(), 3}, b.input().shape());
    for (int len : b.lengths()) {
      assertTrue(len >= 1 && len <= b.steps(), b.toString());
    }
  }

  @Example
  void sequenceBatchesShrinkToOneStepOfOneSequence() {
    SequenceBatch b = shrink(RnnArbitraries.sequences(DType.FLOAT32), 3, x -> true);
    assertEquals("SequenceBatch(T=1, B=1, I=1, lengths=[1], float32)", b.toString());
  }

  @Property(tries = 50)
  void tokenBatchesStayInTheVocabulary(@ForAll("tokens") TokenBatch b) {
    for (int t : b.tokens()) {
      assertTrue(t >= 0 && t < 7, b.toString());
    }
    for (int len : b.lengths()) {
      assertTrue(len >= 1 && len <= b.steps(), b.toString());
    }
  }

  @Provide
  Arbitrary<TokenBatch> tokens() {
    return RnnArbitraries.tokenBatches(7, 5, 3);
  }

  @Provide
  Arbitrary<Tuple2<RecurrentSpec, SequenceBatch>> layersWithInputs() {
    return RnnArbitraries.recurrentSpecs(4, 4, 2).flatMap(spec -> RnnArbitraries.sequences(DType.FLOAT64)
        .features(spec.inputSize()).maxSteps(4).maxBatch(3).map(b -> Tuple.of(spec, b)));
  }

  @Property(tries = 25)
  void recurrentSpecsBuildLayersThatRunTheirBatches(@ForAll("layersWithInputs") Tuple2<RecurrentSpec,
      SequenceBatch> c) {
    RecurrentSpec spec = c.get1();
    SequenceBatch b = c.get2();
    Tensor out = spec.build(DType.FLOAT64, 3).forward(b.input(), null, null, b.lengths()).output();
    assertArrayEquals(new int[] {b.steps(), b.batch(), spec.outputSize()}, out.shape());
  }

  @Example
  void recurrentSpecsShrinkToTheSimplestLayer() {
    RecurrentSpec s = shrink(RnnArbitraries.recurrentSpecs(), 11, x -> true);
    assertEquals(new RecurrentSpec(CellKind.RNN_TANH, 1, 1, 1, false, true), s);
  }
}
