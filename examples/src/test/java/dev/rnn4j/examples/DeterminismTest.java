package dev.rnn4j.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rnn4j.examples.data.TextCorpus;
import dev.rnn4j.examples.support.TrainingProgress;
import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.tensor.KernelScope;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Same seed, same kernels: the same training run, bit for bit. */
class DeterminismTest {

  private static final String TEXT = TextCorpus.generated(6000, 5).text();
  private static final CharLanguageModel.Config CONFIG = new CharLanguageModel.Config(8, 24, 1, 16, 8, 25, 1e-2, 1.0, 11);

  private static long[] lossBits() {
    double[] losses = CharLanguageModel.train(TEXT, CONFIG, TrainingProgress.Listener.SILENT).losses();
    return Arrays.stream(losses).mapToLong(Double::doubleToRawLongBits).toArray();
  }

  @Test
  void sameSeedSameSelectedKernelsGiveBitwiseIdenticalLosses() {
    long[] first = lossBits();
    long[] second = lossBits();
    assertArrayEquals(first, second);
  }

  @Test
  void sameSeedScalarKernelsGiveBitwiseIdenticalLosses() {
    long[][] runs = new long[2][];
    for (int i = 0; i < 2; i++) {
      int k = i;
      KernelScope.run(Kernels.scalar(), () -> runs[k] = lossBits());
    }
    assertArrayEquals(runs[0], runs[1]);
  }

  @Test
  void aDifferentSeedGivesADifferentRun() {
    // Guards the two tests above against a run that ignores its inputs (e.g. constant losses).
    long[] a = lossBits();
    double[] other = CharLanguageModel.train(TEXT, new CharLanguageModel.Config(8, 24, 1, 16, 8, 25, 1e-2, 1.0, 12),
        TrainingProgress.Listener.SILENT).losses();
    assertEquals(false, Double.doubleToRawLongBits(other[other.length - 1]) == a[a.length - 1]);
  }
}
