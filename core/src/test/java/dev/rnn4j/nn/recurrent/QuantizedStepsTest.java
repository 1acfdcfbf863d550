package dev.rnn4j.nn.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.kernels.FloatKernels;
import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.kernels.QuantizedKernelSelector;
import dev.rnn4j.kernels.QuantizedKernels;
import dev.rnn4j.nn.WeightFormat;
import dev.rnn4j.nn.recurrent.internal.QuantizedCell;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.Tensor;
import dev.rnn4j.testing.RandomArrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link QuantizedRecurrentLayer#steps}: T steps on caller arrays give the bits of T single steps, of {@code forward}
 * from the same states and of the whole-sequence loop that projects all T*B rows in one product (the forward pass as
 * it was before it ran in chunks), however the steps are split over calls and chunks; and bad arguments are rejected
 * naming the op, the argument and the sizes. (Allocation: {@link QuantizedRecurrentLayerTest}.)
 */
class QuantizedStepsTest {

  private static final int I = 5;
  private static final int H = 7;
  /** More than one default chunk at B = 1 (64 steps) and at B = 3 (21 steps). */
  private static final int T = 70;

  static Stream<Kernels> kernels() {
    return Stream.of(Kernels.scalar(), Kernels.get()).distinct();
  }

  private static float[] random(int n, long seed) {
    return RandomArrays.uniform(n, seed);
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void stepsGiveTheBitsOfSingleStepsOfForwardAndOfOneWholeProduct(Kernels kernels) {
    KernelScope.run(kernels, () -> {
      for (CellKind kind : CellKind.values()) {
        for (WeightFormat format : WeightFormat.values()) {
          for (int batch : new int[] {1, 3}) {
            for (int layers : new int[] {1, 2}) {
              check(kernels, kind, format, batch, layers);
            }
          }
        }
      }
    });
  }

  private static void check(Kernels kernels, CellKind kind, WeightFormat format, int batch, int layers) {
    String what = kind + " " + format + " " + kernels.name() + " B=" + batch + " L=" + layers;
    QuantizedRecurrentLayer q = RecurrentLayer.create(kind, new RecurrentOptions(I, H).numLayers(layers)
        .seed(kind.ordinal() + 11)).quantize(format);
    int bh = batch * H;
    float[] x = random(T * batch * I, 5);
    float[] h0 = random(layers * bh, 6);
    float[] c0 = kind.hasCellState() ? random(layers * bh, 7) : null;
    float[][] whole = wholeSequence(q, kernels, batch, x, h0, c0);
    RecurrentOutput fwd = q.forward(Tensor.fromArray(x, T, batch, I), Tensor.fromArray(h0, layers, batch, H),
        c0 == null ? null : Tensor.fromArray(c0, layers, batch, H));
    assertArrayEquals(whole[0], fwd.output().toFloatArray(), what + ": forward");
    assertArrayEquals(whole[1], fwd.hN().toFloatArray(), what + ": forward hN");

    QuantizedStreamState single = loaded(q.newStreamState(batch), h0, c0);
    float[] stepped = new float[T * bh];
    for (int t = 0; t < T; t++) {
      q.step(x, t * batch * I, single, stepped, t * bh);
    }
    assertArrayEquals(whole[0], stepped, what + ": single steps");

    // two calls, the first ending inside a chunk, the output at an offset
    QuantizedStreamState two = loaded(q.newStreamState(batch), h0, c0);
    float[] out = new float[3 + T * bh];
    int first = 13;
    q.steps(x, 0, first, two, out, 3);
    q.steps(x, first * batch * I, T - first, two, out, 3 + first * bh);
    assertArrayEquals(whole[0], java.util.Arrays.copyOfRange(out, 3, out.length), what + ": steps in two calls");
    assertStates(whole, two, layers, what + ": steps in two calls");

    // chunks of 3 rows (3 steps at B = 1, 1 step at B = 3) in one call
    FloatKernels f = kernels.f32();
    QuantizedKernels qk = QuantizedKernelSelector.matching(kernels);
    QuantizedStreamState small = loaded(new QuantizedStreamState(q, new QuantizedStreamEngine(q, f, qk, batch, 3),
        batch), h0, c0);
    float[] out3 = new float[T * bh];
    q.steps(x, 0, T, small, out3, 0);
    assertArrayEquals(whole[0], out3, what + ": chunks of 3 rows");
    assertStates(whole, small, layers, what + ": chunks of 3 rows");
  }

  private static QuantizedStreamState loaded(QuantizedStreamState s, float[] h0, float[] c0) {
    int bh = s.batch() * H;
    for (int l = 0; l < h0.length / bh; l++) {
      s.hidden(l).copyFrom(h0, l * bh);
      if (c0 != null) {
        s.cell(l).copyFrom(c0, l * bh);
      }
    }
    return s;
  }

  private static void assertStates(float[][] whole, QuantizedStreamState s, int layers, String what) {
    int bh = s.batch() * H;
    for (int l = 0; l < layers; l++) {
      assertArrayEquals(java.util.Arrays.copyOfRange(whole[1], l * bh, (l + 1) * bh), s.hidden(l).toFloatArray(),
          what + " h of layer " + l);
      if (whole[2] != null) {
        assertArrayEquals(java.util.Arrays.copyOfRange(whole[2], l * bh, (l + 1) * bh), s.cell(l).toFloatArray(),
            what + " c of layer " + l);
      }
    }
  }

  /**
   * The reference: per layer one input product of all T*B rows, then T recurrent steps (the loop of the forward pass
   * before it ran in chunks). Returns {output, hN, cN}.
   */
  private static float[][] wholeSequence(QuantizedRecurrentLayer q, Kernels kernels, int batch, float[] x,
                                         float[] h0, float[] c0) {
    FloatKernels f = kernels.f32();
    QuantizedKernels qk = QuantizedKernelSelector.matching(kernels);
    RecurrentConfig cfg = q.config();
    int layers = cfg.numLayers();
    int gw = cfg.gateWidth();
    int bh = batch * H;
    float[] gates = new float[T * batch * gw];
    float[] hN = new float[layers * bh];
    float[] cN = c0 == null ? null : c0.clone();
    QuantizedCell.Scratch scratch = new QuantizedCell.Scratch(cfg.kind(), H, batch);
    float[] in = x;
    float[] out = null;
    for (int l = 0; l < layers; l++) {
      out = new float[T * bh];
      QuantizedCell cell = q.cell(l);
      cell.project(f, qk, T * batch, in, 0, gates, 0);
      float[] c = cN == null ? new float[0] : cN;
      float[] hPrev = h0;
      int hp = l * bh;
      for (int t = 0; t < T; t++) {
        cell.step(f, qk, batch, gates, t * batch * gw, scratch, hPrev, hp, c, l * bh, out, t * bh, c, l * bh);
        hPrev = out;
        hp = t * bh;
      }
      System.arraycopy(out, (T - 1) * bh, hN, l * bh, bh);
      in = out;
    }
    return new float[][] {out, hN, cN};
  }

  /**
   * forward borrows its scratch and states from the layer's spare engines: threads calling one layer at once, with
   * batches of 1 and 3 in turn (a spare of 3 serves a call of 1), get the bits of calls on a fresh layer each.
   */
  @Test
  void concurrentForwardsOfMixedBatchesGiveTheBitsOfFreshLayers() throws Exception {
    RecurrentLayer lstm = new LSTM(new RecurrentOptions(I, H).numLayers(2).seed(4));
    QuantizedRecurrentLayer shared = lstm.quantize(WeightFormat.INT8);
    int inputs = 6;
    Tensor[] x = new Tensor[inputs];
    float[][] want = new float[inputs][];
    for (int i = 0; i < inputs; i++) {
      int batch = i % 2 == 0 ? 1 : 3;
      x[i] = Tensor.fromArray(random(T * batch * I, 40 + i), T, batch, I);
      RecurrentOutput o = lstm.quantize(WeightFormat.INT8).forward(x[i]);
      want[i] = concat(o.output().toFloatArray(), o.cN().toFloatArray());
    }
    int threads = 4;
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      java.util.List<java.util.concurrent.Future<String>> results = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int first = t;
        results.add(pool.submit(() -> {
          for (int k = 0; k < 60; k++) {
            int i = (first + k) % inputs;
            RecurrentOutput o = shared.forward(x[i]);
            if (!java.util.Arrays.equals(want[i], concat(o.output().toFloatArray(), o.cN().toFloatArray()))) {
              return "thread " + first + " call " + k + " input " + i + " differs";
            }
          }
          return "";
        }));
      }
      for (java.util.concurrent.Future<String> r : results) {
        assertEquals("", r.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static float[] concat(float[] a, float[] b) {
    float[] c = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Bad arguments
  // ---------------------------------------------------------------------------------------------------------------

  private static void assertRejected(Runnable call, String... fragments) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
    for (String s : fragments) {
      assertTrue(e.getMessage().contains(s), "message '" + e.getMessage() + "' lacks '" + s + "'");
    }
  }

  @Test
  void badArgumentsAreRejectedNamingTheOpTheArgumentAndTheSizes() {
    QuantizedRecurrentLayer q = new LSTM(new RecurrentOptions(I, H).numLayers(2).seed(1)).quantize(WeightFormat.INT8);
    QuantizedRecurrentLayer other = new LSTM(new RecurrentOptions(I, H).numLayers(2).seed(1))
        .quantize(WeightFormat.INT8);
    int b = 2;
    QuantizedStreamState s = q.newStreamState(b);
    float[] x = new float[4 * b * I];
    float[] out = new float[4 * b * H];
    assertRejected(() -> q.steps(null, 0, 4, s, out, 0), "LSTM (INT8): steps input", "null float[]");
    assertRejected(() -> q.steps(x, 0, 4, s, null, 0), "LSTM (INT8): steps output", "null float[]");
    assertRejected(() -> q.steps(x, 1, 4, s, out, 0), "steps input", "offset 1 + [4, 2, 5] = 40", "length 40");
    assertRejected(() -> q.steps(x, -1, 4, s, out, 0), "steps input", "offset -1");
    assertRejected(() -> q.steps(x, 0, 4, s, new float[4 * b * H - 1], 0), "steps output",
        "offset 0 + [4, 2, 7] = 56", "length 55");
    assertRejected(() -> q.steps(x, 0, 4, s, out, -3), "steps output", "offset -3");
    assertRejected(() -> q.steps(x, 0, 0, s, out, 0), "LSTM (INT8): steps", "steps must be >= 1, got 0");
    assertRejected(() -> q.steps(x, 0, -2, s, out, 0), "steps must be >= 1, got -2");
    assertRejected(() -> q.steps(x, 0, 4, null, out, 0), "steps", "state is null");
    assertRejected(() -> other.steps(x, 0, 4, s, out, 0), "steps", "another layer");
    float[] both = new float[100];
    assertRejected(() -> q.steps(both, 0, 2, s, both, 10), "steps", "output range [10, 38)",
        "input range [0, 20)");
    assertRejected(() -> q.steps(x, 0, Integer.MAX_VALUE, s, out, 0), "steps", "steps 2147483647");
    // nothing was stepped by the rejected calls
    assertArrayEquals(new float[b * H], s.hidden(0).toFloatArray());
    assertEquals(b, s.batch());
  }
}
