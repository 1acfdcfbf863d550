package dev.rnn4j.nn.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rnn4j.autograd.Ops;
import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TruncatedBpttTest {

  /** A two-layer float64 LSTM, H = 4, with a projection of P = {@code proj} (0: none). */
  static LSTM lstm(int proj) {
    return new LSTM(new RecurrentOptions(3, 4).numLayers(2).dtype(DType.FLOAT64).seed(5).projSize(proj));
  }

  static Tensor input(int steps) {
    return Tensor.uniform(DType.FLOAT64, new SplittableRandom(9), -1, 1, steps, 2, 3);
  }

  /** Loss of a chunk: sum of squares of its outputs (any smooth function of the outputs would do). */
  static Tensor sumSquares(Tensor out, int start) {
    return Ops.sum(out.mul(out));
  }

  /** One chunk covering the whole sequence is full BPTT: same loss, same gradients (with and without projection). */
  @ParameterizedTest
  @ValueSource(ints = {0, 2})
  void oneChunkIsFullBptt(int proj) {
    LSTM a = lstm(proj);
    LSTM b = lstm(proj);
    Tensor x = input(7);
    double[] losses = new TruncatedBptt(7).run(a, x, TruncatedBpttTest::sumSquares, null);
    Tensor full = sumSquares(b.forward(x).output(), 0);
    full.backward();
    assertArrayEquals(new double[] {full.item()}, losses, 0);
    for (String name : a.namedParameters().keySet()) {
      assertArrayEquals(b.namedParameters().get(name).grad().toDoubleArray(),
          a.namedParameters().get(name).grad().toDoubleArray(), 0, name);
    }
  }

  /**
   * Chunks carry the state exactly (the forward values are those of the whole sequence), and with k2 < k1 the
   * gradient of a chunk is that of its last k2 steps started from the (constant) state reached before them. On the
   * scalar kernels each row's arithmetic does not depend on how the steps are grouped, so all of it is bit for bit.
   */
  @ParameterizedTest
  @ValueSource(ints = {0, 2})
  @SuppressWarnings("try")
  void chunksCarryStateAndTruncateGradients(int proj) {
    try (KernelScope s = KernelScope.use(Kernels.scalar())) {
      chunks(proj);
    }
  }

  private void chunks(int proj) {
    Tensor x = input(10);
    LSTM a = lstm(proj);
    List<double[]> grads = new ArrayList<>();
    double[] losses = new TruncatedBptt(4, 2).run(a, x, TruncatedBpttTest::sumSquares, chunk -> {
      grads.add(a.namedParameters().get("weight_hh_l0").grad().toDoubleArray());
      a.zeroGrad();
    });
    assertEquals(3, losses.length); // chunks [0, 4), [4, 8), [8, 10)
    LSTM b = lstm(proj);
    RecurrentOutput whole = b.forward(x);
    int[][] chunks = {{0, 4}, {4, 8}, {8, 10}};
    for (int i = 0; i < 3; i++) {
      Tensor out = whole.output().narrow(0, chunks[i][0], chunks[i][1] - chunks[i][0]);
      assertEquals(sumSquares(out, 0).item(), losses[i], 0, "chunk " + i);
    }
    // chunk 1 by hand: state after step 5 (constant), then steps 6, 7 with gradients; loss over steps 4..7.
    LSTM c = lstm(proj);
    RecurrentOutput before = c.forward(x.narrow(0, 0, 6));
    Tensor h = before.hN().detach();
    Tensor cc = before.cN().detach();
    c.zeroGrad();
    RecurrentOutput tail = c.forward(x.narrow(0, 6, 2), h, cc, null);
    Tensor quiet = before.output().narrow(0, 4, 2).detach();
    Tensor loss = sumSquares(quiet, 0).add(sumSquares(tail.output(), 0));
    loss.backward();
    assertArrayEquals(c.namedParameters().get("weight_hh_l0").grad().toDoubleArray(), grads.get(1), 0);
  }

  @Test
  void lengthsAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> new TruncatedBptt(3, 4));
    assertThrows(IllegalArgumentException.class, () -> new TruncatedBptt(0));
  }
}
