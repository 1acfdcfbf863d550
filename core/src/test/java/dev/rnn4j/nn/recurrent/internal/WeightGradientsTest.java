package dev.rnn4j.nn.recurrent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rnn4j.kernels.DoubleKernels;
import dev.rnn4j.kernels.DoublePackedMatrix;
import dev.rnn4j.kernels.FloatKernels;
import dev.rnn4j.kernels.FloatPackedMatrix;
import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.testing.TestKernels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The weight gradients' transposed form ({@link FloatWeightGradients}, {@link DoubleWeightGradients}, used from
 * {@link WorkSplit#TRANSPOSED_GRADIENT_ROWS} rows on) gives exactly the bits of the plain form, one
 * {@code gemmPacked(transA = true)} of the gate gradients against the packed b per product, which is what the
 * engine computed before: on the scalar spec, the SIMD kernels and the reassociated reference (whose gemm sums
 * with four interleaved accumulators, so a change of any element's summation order shows). The expected values come
 * from the kernels' own plain product, not from the code under test.
 *
 * <p>Shapes: 1030 rows (above the threshold, not a multiple of any k block), a source of 300 gate columns read from
 * column 7 of rows 311 wide (column blocks [0, 128, 256, 300], the last one not a whole packed panel), two products
 * sharing that source (as the LSTM's dW_ih and dW_hh share the gate gradients) with 70 and 33 columns (row groups of
 * the kernels' tiles with tails), and one product on another source whose rows are not
 * {@link WorkSplit#TRANSPOSED_GRADIENT_STRIDE_RATIO} times as far apart as b's (90 against 50), which therefore runs
 * the plain form in the same schedule.
 * The gradients start from nonzero values (they are accumulated), some of them -0.0.
 */
class WeightGradientsTest {

  private static final int ROWS = 1030;
  private static final int SRC_LD = 311;
  private static final int SRC_COL = 7;
  private static final int OUT_ROWS = 300;
  private static final int[] COLS = {70, 33, 50};
  private static final int OTHER_OUT_ROWS = 90;

  private static List<Kernels> kernels() {
    List<Kernels> all = new ArrayList<>(TestKernels.all());
    all.add(TestKernels.reassociated());
    return all;
  }

  @Test
  void transposedFormHasThePlainFormsBitsFloat() {
    assertTrue(ROWS >= WorkSplit.TRANSPOSED_GRADIENT_ROWS, "the case must run the transposed form");
    for (Kernels ks : kernels()) {
      FloatKernels k = ks.f32();
      Random rnd = new Random(5);
      float[] src = floats(rnd, ROWS * SRC_LD);
      float[] other = floats(rnd, ROWS * OTHER_OUT_ROWS);
      float[][] b = new float[COLS.length][];
      float[][] dW = new float[COLS.length][];
      float[][] expected = new float[COLS.length][];
      for (int i = 0; i < COLS.length; i++) {
        b[i] = floats(rnd, 3 + ROWS * COLS[i]);
        int outRows = i < 2 ? OUT_ROWS : OTHER_OUT_ROWS;
        dW[i] = floats(rnd, 5 + outRows * COLS[i]);
        expected[i] = dW[i].clone();
      }
      // The plain form, straight from the kernels.
      for (int i = 0; i < COLS.length; i++) {
        FloatPackedMatrix pb = k.packB(false, ROWS, COLS[i], b[i], 3, COLS[i], null);
        if (i < 2) {
          k.gemmPacked(true, OUT_ROWS, 1, src, SRC_COL, SRC_LD, pb, 1, expected[i], 5, COLS[i]);
        } else {
          k.gemmPacked(true, OTHER_OUT_ROWS, 1, other, 0, OTHER_OUT_ROWS, pb, 1, expected[i], 5, COLS[i]);
        }
      }
      // Twice through the same object: the second pass reuses its packed blocks and scratch.
      for (int pass = 0; pass < 2; pass++) {
        float[][] got = new float[COLS.length][];
        for (int i = 0; i < COLS.length; i++) {
          got[i] = dW[i].clone();
        }
        FloatWeightGradients products = new FloatWeightGradients(k);
        products.add(0, OUT_ROWS, src, SRC_COL, SRC_LD, b[0], 3, COLS[0], got[0], 5);
        products.add(2, OTHER_OUT_ROWS, other, 0, OTHER_OUT_ROWS, b[2], 3, COLS[2], got[2], 5);
        products.add(1, OUT_ROWS, src, SRC_COL, SRC_LD, b[1], 3, COLS[1], got[1], 5);
        List<Runnable> tasks = new ArrayList<>();
        products.schedule(tasks, ROWS);
        // [0, 128, 256, 300] for the shared source, one block for the other.
        assertEquals(4, tasks.size(), "tasks");
        // Reversed, as another thread might pick them: no task depends on another.
        for (int t = tasks.size() - 1; t >= 0; t--) {
          tasks.get(t).run();
        }
        for (int i = 0; i < COLS.length; i++) {
          assertSameBits(ks.name() + " float product " + i + " pass " + pass, expected[i], got[i]);
        }
      }
    }
  }

  @Test
  void transposedFormHasThePlainFormsBitsDouble() {
    for (Kernels ks : kernels()) {
      DoubleKernels k = ks.f64();
      Random rnd = new Random(6);
      double[] src = doubles(rnd, ROWS * SRC_LD);
      double[][] b = {doubles(rnd, ROWS * COLS[0]), doubles(rnd, ROWS * COLS[1])};
      double[][] dW = {doubles(rnd, OUT_ROWS * COLS[0]), doubles(rnd, OUT_ROWS * COLS[1])};
      double[][] expected = {dW[0].clone(), dW[1].clone()};
      for (int i = 0; i < 2; i++) {
        DoublePackedMatrix pb = k.packB(false, ROWS, COLS[i], b[i], 0, COLS[i], null);
        k.gemmPacked(true, OUT_ROWS, 1, src, SRC_COL, SRC_LD, pb, 1, expected[i], 0, COLS[i]);
      }
      DoubleWeightGradients products = new DoubleWeightGradients(k);
      for (int i = 0; i < 2; i++) {
        products.add(i, OUT_ROWS, src, SRC_COL, SRC_LD, b[i], 0, COLS[i], dW[i], 0);
      }
      List<Runnable> tasks = new ArrayList<>();
      products.schedule(tasks, ROWS);
      tasks.forEach(Runnable::run);
      for (int i = 0; i < 2; i++) {
        for (int j = 0; j < expected[i].length; j++) {
          if (Double.doubleToRawLongBits(expected[i][j]) != Double.doubleToRawLongBits(dW[i][j])) {
            fail(ks.name() + " double product " + i + " [" + j + "]: " + dW[i][j] + ", plain form " + expected[i][j]);
          }
        }
      }
    }
  }

  @Test
  void transposeCopiesEveryElement() {
    // 13 x 70: partial tiles in both directions (tiles of 8 rows by 64 columns), inside larger strided arrays.
    double[] a = new double[2 + 13 * 75];
    for (int i = 0; i < a.length; i++) {
      a[i] = i;
    }
    double[] out = new double[1 + 70 * 20];
    DoubleWeightGradients.transpose(13, 70, a, 2, 75, out, 1, 20);
    for (int i = 0; i < 13; i++) {
      for (int j = 0; j < 70; j++) {
        assertEquals(a[2 + i * 75 + j], out[1 + j * 20 + i], "out[" + j + ", " + i + "]");
      }
    }
  }

  private static void assertSameBits(String what, float[] expected, float[] got) {
    assertEquals(expected.length, got.length, what);
    for (int j = 0; j < expected.length; j++) {
      if (Float.floatToRawIntBits(expected[j]) != Float.floatToRawIntBits(got[j])) {
        fail(what + " [" + j + "]: " + got[j] + ", plain form " + expected[j]);
      }
    }
  }

  private static float[] floats(Random rnd, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = i % 17 == 0 ? -0.0f : (float) rnd.nextGaussian();
    }
    return a;
  }

  private static double[] doubles(Random rnd, int n) {
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = i % 17 == 0 ? -0.0 : rnd.nextGaussian();
    }
    return a;
  }
}
