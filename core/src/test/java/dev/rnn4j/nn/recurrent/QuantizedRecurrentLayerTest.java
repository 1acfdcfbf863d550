package dev.rnn4j.nn.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.nn.Linear;
import dev.rnn4j.nn.QuantizedLinear;
import dev.rnn4j.nn.WeightFormat;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.Tensor;
import dev.rnn4j.testing.RandomArrays;
import dev.rnn4j.testing.QuietWindows;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The quantized layers' forward, streaming step and array overloads agree with each other bit for bit, keep the
 * caller's layouts and initial states, allocate nothing per step, and reject bad input with messages that name the op
 * and the argument. (Their accuracy against the float32 layers is {@link QuantizedStepBoundTest}'s.)
 */
class QuantizedRecurrentLayerTest {

  private static final int I = 6;
  private static final int H = 9;
  private static final int B = 2;
  private static final int T = 7;

  static Stream<Kernels> kernels() {
    return Stream.of(Kernels.scalar(), Kernels.get()).distinct();
  }

  private static RecurrentOptions options() {
    return new RecurrentOptions(I, H).numLayers(2).seed(3);
  }

  private static float[] random(int n, long seed) {
    return RandomArrays.uniform(n, seed);
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void steppingThroughASequenceGivesTheForwardPassBits(Kernels kernels) {
    KernelScope.run(kernels, () -> {
      for (CellKind kind : CellKind.values()) {
        for (WeightFormat format : WeightFormat.values()) {
          QuantizedRecurrentLayer q = RecurrentLayer.create(kind, options()).quantize(format);
          float[] x = random(T * B * I, 5);
          float[] h0 = random(2 * B * H, 6);
          float[] c0 = random(2 * B * H, 7);
          RecurrentOutput out = q.forward(Tensor.fromArray(x, T, B, I), Tensor.fromArray(h0, 2, B, H),
              kind.hasCellState() ? Tensor.fromArray(c0, 2, B, H) : null);
          QuantizedStreamState s = q.newStreamState(B);
          for (int l = 0; l < 2; l++) {
            s.hidden(l).copyFrom(h0, l * B * H);
            if (kind.hasCellState()) {
              s.cell(l).copyFrom(c0, l * B * H);
            }
          }
          float[] stepped = new float[T * B * H];
          for (int t = 0; t < T; t++) {
            q.step(x, t * B * I, s, stepped, t * B * H);
          }
          String what = kind + " " + format + " " + kernels.name();
          assertArrayEquals(out.output().toFloatArray(), stepped, what);
          assertArrayEquals(out.hN().toFloatArray(), concat(s.hidden(0), s.hidden(1)), what + " hN");
          if (kind.hasCellState()) {
            assertArrayEquals(out.cN().toFloatArray(), concat(s.cell(0), s.cell(1)), what + " cN");
          }
        }
      }
    });
  }

  private static float[] concat(Tensor a, Tensor b) {
    float[] x = a.toFloatArray();
    float[] y = b.toFloatArray();
    float[] z = new float[x.length + y.length];
    System.arraycopy(x, 0, z, 0, x.length);
    System.arraycopy(y, 0, z, x.length, y.length);
    return z;
  }

  @Test
  void batchFirstIsTheTransposeOfTimeMajor() {
    QuantizedRecurrentLayer timeMajor = new LSTM(options()).quantize(WeightFormat.INT8);
    QuantizedRecurrentLayer batchFirst = new LSTM(options().batchFirst(true)).quantize(WeightFormat.INT8);
    float[] x = random(T * B * I, 8);
    float[] xb = new float[x.length];
    for (int t = 0; t < T; t++) {
      for (int b = 0; b < B; b++) {
        System.arraycopy(x, (t * B + b) * I, xb, (b * T + t) * I, I);
      }
    }
    float[] y = timeMajor.forward(Tensor.fromArray(x, T, B, I)).output().toFloatArray();
    RecurrentOutput ob = batchFirst.forward(Tensor.fromArray(xb, B, T, I));
    assertArrayEquals(new int[] {B, T, H}, ob.output().shape());
    float[] yb = ob.output().toFloatArray();
    for (int t = 0; t < T; t++) {
      for (int b = 0; b < B; b++) {
        for (int u = 0; u < H; u++) {
          assertEquals(y[(t * B + b) * H + u], yb[(b * T + t) * H + u]);
        }
      }
    }
  }

  @Test
  void theTensorStepAndTheArrayStepGiveTheSameBits() {
    QuantizedRecurrentLayer q = new GRU(options()).quantize(WeightFormat.BFLOAT16);
    QuantizedStreamState a = q.newStreamState(B);
    QuantizedStreamState b = q.newStreamState(B);
    float[] x = random(3 + T * B * I, 9);
    float[] h = new float[5 + B * H];
    for (int t = 0; t < T; t++) {
      Tensor y = q.step(Tensor.wrap(x, 3 + t * B * I, B, I), a);
      q.step(x, 3 + t * B * I, b, h, 5);
      float[] got = new float[B * H];
      System.arraycopy(h, 5, got, 0, got.length);
      assertArrayEquals(y.toFloatArray(), got);
    }
    a.reset();
    assertArrayEquals(new float[B * H], a.hidden(1).toFloatArray());
  }

  @Test
  void aStepAllocatesNothing() {
    // On the selected kernels (SIMD where the JVM runs them: the scalar loops hold no vectors that could be boxed), at
    // sizes past the SIMD kernels' unrolled loops (2 x 16 lanes at 512 bits): a vector that a helper method boxes
    // shows up here as bytes per step.
    Kernels kernels = Kernels.get();
    for (WeightFormat format : WeightFormat.values()) {
      QuantizedRecurrentLayer q = new LSTM(new RecurrentOptions(64, 96).numLayers(2).seed(3)).quantize(format);
      QuantizedStreamState s = KernelScope.get(kernels, () -> q.newStreamState(B));
      float[] x = random(B * 64, 10);
      float[] h = new float[B * 96];
      Tensor xt = Tensor.fromArray(x, B, 64);
      int steps = 40; // a chunk at B = 2 (32 steps) and a part of a second
      float[] xs = random(steps * B * 64, 11);
      float[] out = new float[steps * B * 96];
      // steps runs the kernels of the single steps, which the step calls warm: every 20th call is enough for its own
      // loop (a call of 40 steps each time took 20 s of test time on a loaded machine)
      int[] n = {0};
      Runnable call = () -> {
        q.step(x, 0, s, h, 0);
        q.step(xt, s);
        if (++n[0] % 20 == 0) {
          q.steps(xs, 0, steps, s, out, 0);
        }
      };
      for (int i = 0; i < 3_000; i++) { // until C2 has compiled the kernels
        call.run();
      }
      long quietest = QuietWindows.quietestBytes(() -> { // until C2's code runs, on a busy machine too
        for (int i = 0; i < 200; i++) {
          call.run();
        }
      }, 1);
      assertEquals(0, quietest, format + " on " + kernels.name()
          + ": bytes allocated by 200 x (array step + tensor step) + 10 x 40 steps, quietest window");
    }
  }

  /**
   * forward allocates its outputs (output [T, B, H], hN, cN [L, B, H]) and a few small objects (three tensors with
   * their shapes and the result: 968 bytes measured here, allowed 2 KB), nothing in proportion to T * B * G * H: the
   * gates, the lower layer's output and the scratch come from the layer's spare engine. Before, at this
   * configuration (time-major): 364,296 bytes per call, and this test failed; after: 54,264 (batch-first 53,880).
   */
  @Test
  void forwardAllocatesItsOutputsOnly() {
    int steps = 100;
    int hidden = 128;
    for (boolean batchFirst : new boolean[] {false, true}) {
      QuantizedRecurrentLayer q = new LSTM(new RecurrentOptions(64, hidden).numLayers(2).batchFirst(batchFirst)
          .seed(3)).quantize(WeightFormat.INT8);
      Tensor x = batchFirst ? Tensor.fromArray(random(steps * 64, 12), 1, steps, 64)
          : Tensor.fromArray(random(steps * 64, 12), steps, 1, 64);
      for (int i = 0; i < 200; i++) {
        q.forward(x);
      }
      long outputs = 4L * (steps * hidden + 2 * 2 * hidden) + 3 * 16;
      // the quietest of windows of 20 calls, until one is within the bound (QuietWindows: C2 may come late)
      long quietest = dev.rnn4j.testing.QuietWindows.quietestBytes(() -> {
        for (int i = 0; i < 20; i++) {
          q.forward(x);
        }
      }, 1, 20 * (outputs + 2048)) / 20;
      assertTrue(quietest <= outputs + 2048, (batchFirst ? "batch-first" : "time-major") + ": " + quietest
          + " bytes per forward, outputs " + outputs + " bytes");
    }
  }

  @Test
  void storageShrinksByTheFormatsFactor() {
    LSTM lstm = new LSTM(new RecurrentOptions(64, 128).seed(1));
    long weights = 4L * 128 * (64 + 128);
    long biases = 4L * 128;
    // int8: one byte a weight, 4 bytes a row scale (two matrices of 4H rows), the folded bias in float32
    assertEquals(weights + 2 * 4 * 4L * 128 + 4 * biases, lstm.quantize(WeightFormat.INT8).storageBytes());
    assertEquals(2 * weights + 4 * biases, lstm.quantize(WeightFormat.BFLOAT16).storageBytes());
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Bad input
  // ---------------------------------------------------------------------------------------------------------------

  private static void assertRejected(Executable call, String... fragments) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' lacks '" + f + "'");
    }
  }

  @FunctionalInterface
  interface Executable {
    void run() throws Exception;
  }

  @Test
  void quantizingRejectsFloat64NullAndNonFiniteWeights() {
    assertRejected(() -> new LSTM(options().dtype(DType.FLOAT64)).quantize(WeightFormat.INT8),
        "LSTM.quantize", "float64");
    assertRejected(() -> new RNN(options()).quantize(null), "RNN.quantize", "format is null");
    LSTM nan = new LSTM(options());
    nan.namedParameters().get("weight_hh_l1").set(Float.NaN, 3, 4);
    assertRejected(() -> nan.quantize(WeightFormat.INT8), "LSTM.quantize", "weight_hh_l1", "[3, 4]", "NaN");
    assertRejected(() -> new Linear(4, 3, true, DType.FLOAT64, new SplittableRandom(1)).quantize(WeightFormat.INT8),
        "Linear.quantize", "weight", "float64");
  }

  @Test
  void forwardAndStepRejectWrongDtypesShapesAndStates() {
    QuantizedRecurrentLayer q = new LSTM(options()).quantize(WeightFormat.INT8);
    assertRejected(() -> q.forward(null), "LSTM (INT8)", "input is null");
    assertRejected(() -> q.forward(Tensor.zeros(DType.FLOAT64, T, B, I)), "LSTM (INT8)", "input", "float64",
        "[7, 2, 6]");
    assertRejected(() -> q.forward(Tensor.zeros(DType.FLOAT32, T, B, I + 1)), "input", "[7, 2, 7]");
    assertRejected(() -> q.forward(Tensor.zeros(DType.FLOAT32, T, B, I), Tensor.zeros(DType.FLOAT32, 1, B, H), null),
        "h0", "[2, 2, 9]", "[1, 2, 9]");
    QuantizedRecurrentLayer gru = new GRU(options()).quantize(WeightFormat.INT8);
    assertRejected(() -> gru.forward(Tensor.zeros(DType.FLOAT32, T, B, I), null,
        Tensor.zeros(DType.FLOAT32, 2, B, H)), "c0", "only an LSTM");
    QuantizedStreamState s = q.newStreamState(B);
    assertRejected(() -> q.step(Tensor.zeros(DType.FLOAT32, B + 1, I), s), "step input", "[2, 6]", "[3, 6]");
    assertRejected(() -> q.step(new float[B * I - 1], 0, s, new float[B * H], 0), "step input", "length 11");
    assertRejected(() -> q.step(new float[B * I], 0, s, new float[B * H], 1), "step output", "offset 1");
    assertRejected(() -> q.step(new float[B * I], 0, null, new float[B * H], 0), "state is null");
    assertRejected(() -> gru.step(Tensor.zeros(DType.FLOAT32, B, I), s), "another layer");
    assertRejected(() -> q.newStreamState(0), "newStreamState", "batch must be >= 1");
    assertRejected(() -> s.hidden(2), "hidden", "layer 2");
    assertThrows(IllegalStateException.class, () -> gru.newStreamState(1).cell(0));
  }

  @Test
  void linearRejectsWrongInputs() {
    QuantizedLinear q = new Linear(5, 3, new SplittableRandom(2)).quantize(WeightFormat.BFLOAT16);
    assertRejected(() -> q.forward(Tensor.zeros(DType.FLOAT32, 2, 4)), "QuantizedLinear", "[..., 5]", "[2, 4]");
    assertRejected(() -> q.forward(Tensor.zeros(DType.FLOAT64, 2, 5)), "QuantizedLinear", "float64");
    assertRejected(() -> q.forward(new float[9], 0, 2, new float[6], 0), "QuantizedLinear.forward", "length 9");
    assertRejected(() -> new Linear(5, 3, new SplittableRandom(2)).quantize(null), "Linear.quantize", "format");
  }
}
