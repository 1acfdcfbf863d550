package dev.rnn4j.kernels.simd;

// rnn4j:generate-float

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.rnn4j.kernels.DoubleKernels;
import dev.rnn4j.kernels.ScalarDoubleKernels;
import dev.rnn4j.kernels.testing.DoubleKernelTestSupport;
import dev.rnn4j.kernels.testing.DoubleKernelsContract;
import dev.rnn4j.kernels.testing.TestValues;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The kernel contract suite (known answers, sizes around the vector widths, NaN / Inf / huge inputs) on the SIMD
 * twin. Runs at the preferred vector size, and again at 256 and 128 bits in the narrow surefire runs (see the
 * module's pom).
 */
class PanamaDoubleKernelsTest extends DoubleKernelsContract {

  @Override
  protected DoubleKernels kernels() {
    return new PanamaDoubleKernels();
  }

  /**
   * addColumnSums sums each column from zero in row order and adds the sum to out once, as the spec does: blocking the
   * rows ({@link PanamaDoubleMaps#SUM_ROWS}) must not change that order. So the twin and the spec agree bit for bit,
   * for row counts around the block size and column counts around the strip of four vectors. The values have mixed
   * signs and magnitudes, so that a sum taken in another order (for instance per block, then the blocks added) rounds
   * differently.
   */
  @Test
  void addColumnSumsGivesTheSpecsBits() {
    DoubleKernels spec = new ScalarDoubleKernels();
    PanamaDoubleKernels simd = new PanamaDoubleKernels();
    int block = PanamaDoubleMaps.SUM_ROWS;
    int strip = 4 * simd.species().length();
    Random rnd = new Random(17);
    for (int rows : new int[] {0, 1, block - 1, block, block + 1, 3 * block + 2, 100}) {
      for (int cols : new int[] {1, strip - 1, strip, strip + 1, 3 * strip + 5}) {
        int ldx = cols + 3;
        double[] x = DoubleKernelTestSupport.array(rnd, 2 + rows * ldx, TestValues.mixed(20));
        double[] want = DoubleKernelTestSupport.array(rnd, cols + 1, TestValues.mixed(4));
        double[] got = want.clone();
        spec.addColumnSums(rows, cols, x, 2, ldx, want, 1);
        simd.addColumnSums(rows, cols, x, 2, ldx, got, 1);
        assertArrayEquals(want, got, "rows " + rows + ", cols " + cols);
      }
    }
  }
}
