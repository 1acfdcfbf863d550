package dev.rnn4j.nn.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Tensor;
import dev.rnn4j.testing.QuietWindows;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The serving overloads: {@link RecurrentLayer#step(float[], int, StreamState, float[], int)} (and float64) against the
 * tensor step, and {@link Tensor#copyFrom(float[], int)}; with {@link RecurrentLayer#steps}, they allocate nothing.
 */
class StreamStepArraysTest {

  private static final int BATCH = 2;
  private static final int STEPS = 9;

  private static RecurrentOptions options(DType dtype) {
    return new RecurrentOptions(5, 7).numLayers(2).dtype(dtype).seed(11);
  }

  @Test
  void arrayStepGivesTheTensorStepsBitsForEveryCellAndDtype() {
    for (DType dtype : DType.values()) {
      RecurrentOptions o = options(dtype);
      assertSameBits("LSTM " + dtype, () -> new LSTM(o));
      assertSameBits("LSTM projSize 3 " + dtype, () -> new LSTM(options(dtype).projSize(3)));
      assertSameBits("GRU " + dtype, () -> new GRU(o));
      assertSameBits("GRU reset-before " + dtype, () -> new GRU(options(dtype).resetAfter(false)));
      assertSameBits("RNN relu " + dtype, () -> new RNN(options(dtype).nonlinearity(RecurrentOptions.Nonlinearity.RELU)));
    }
  }

  /** Steps one layer through a random sequence twice, through tensors and through arrays at odd offsets. */
  private static void assertSameBits(String what, Supplier<RecurrentLayer> make) {
    RecurrentLayer layer = make.get();
    int in = BATCH * layer.config().inputSize();
    int out = BATCH * layer.config().stateSize();
    SplittableRandom rng = new SplittableRandom(3);
    double[] xs = new double[3 + STEPS * in];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = rng.nextDouble(-2, 2);
    }
    StreamState byTensor = layer.newStreamState(BATCH);
    StreamState byArray = layer.newStreamState(BATCH);
    Tensor x = Tensor.zeros(layer.dtype(), BATCH, layer.config().inputSize());
    for (int t = 0; t < STEPS; t++) {
      int xOff = 3 + t * in;
      double[] expected;
      double[] actual;
      if (layer.dtype() == DType.FLOAT32) {
        float[] xf = new float[xs.length];
        for (int i = 0; i < xs.length; i++) {
          xf[i] = (float) xs[i];
        }
        x.copyFrom(xf, xOff);
        expected = layer.step(x, byTensor).toDoubleArray();
        float[] h = new float[out + 4];
        layer.step(xf, xOff, byArray, h, 4);
        actual = new double[out];
        for (int i = 0; i < out; i++) {
          actual[i] = h[4 + i];
        }
      } else {
        x.copyFrom(xs, xOff);
        expected = layer.step(x, byTensor).toDoubleArray();
        double[] h = new double[out + 4];
        layer.step(xs, xOff, byArray, h, 4);
        actual = java.util.Arrays.copyOfRange(h, 4, 4 + out);
      }
      // Same kernels, same order of operations: bitwise equal, no tolerance.
      for (int i = 0; i < out; i++) {
        assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(actual[i]),
            what + ": step " + t + " element " + i + ": tensor " + expected[i] + ", arrays " + actual[i]);
      }
    }
  }

  @Test
  void copyFromArrayCopiesTheRangeAndCountsAWrite() {
    Tensor t = Tensor.zeros(DType.FLOAT32, 2, 3);
    long v = t.version();
    t.copyFrom(new float[] {9, 1, 2, 3, 4, 5, 6, 9}, 1);
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, t.toFloatArray());
    assertTrue(t.version() > v, "copyFrom(float[]) must count as a write so packed weights are rebuilt");
    Tensor d = Tensor.zeros(DType.FLOAT64, 3);
    d.copyFrom(new double[] {7, 8, 9}, 0);
    assertArrayEquals(new double[] {7, 8, 9}, d.toDoubleArray());
  }

  @Test
  void copyFromArrayRejectsBadArguments() {
    Tensor t = Tensor.zeros(DType.FLOAT32, 2, 3);
    String m = assertThrows(IllegalArgumentException.class, () -> t.copyFrom(new float[6], 1)).getMessage();
    assertTrue(m.contains("copyFrom") && m.contains("offset 1") && m.contains("[2, 3]") && m.contains("length 6"), m);
    m = assertThrows(IllegalArgumentException.class, () -> t.copyFrom(new float[6], -1)).getMessage();
    assertTrue(m.contains("offset -1"), m);
    m = assertThrows(IllegalArgumentException.class, () -> t.copyFrom(new double[6], 0)).getMessage();
    assertTrue(m.contains("double[]") && m.contains("float32"), m);
    m = assertThrows(IllegalArgumentException.class, () -> t.copyFrom((float[]) null, 0)).getMessage();
    assertTrue(m.contains("null"), m);
  }

  @Test
  void arrayStepRejectsBadArguments() {
    LSTM lstm = new LSTM(options(DType.FLOAT32));
    StreamState s = lstm.newStreamState(BATCH);
    float[] x = new float[BATCH * 5];
    float[] h = new float[BATCH * 7];
    String m = assertThrows(IllegalArgumentException.class, () -> lstm.step(x, 1, s, h, 0)).getMessage();
    assertTrue(m.contains("LSTM: step input") && m.contains("offset 1") && m.contains("[2, 5]")
        && m.contains("length 10"), m);
    m = assertThrows(IllegalArgumentException.class, () -> lstm.step(x, 0, s, h, 3)).getMessage();
    assertTrue(m.contains("LSTM: step output") && m.contains("[2, 7]") && m.contains("length 14"), m);
    m = assertThrows(IllegalArgumentException.class, () -> lstm.step(null, 0, s, h, 0)).getMessage();
    assertTrue(m.contains("null float[]"), m);
    m = assertThrows(IllegalArgumentException.class,
        () -> lstm.step(new double[10], 0, s, new double[14], 0)).getMessage();
    assertTrue(m.contains("double[]") && m.contains("float32"), m);
    StreamState other = new LSTM(options(DType.FLOAT32)).newStreamState(BATCH);
    m = assertThrows(IllegalArgumentException.class, () -> lstm.step(x, 0, other, h, 0)).getMessage();
    assertTrue(m.contains("another layer"), m);
    m = assertThrows(IllegalArgumentException.class, () -> lstm.step(x, 0, null, h, 0)).getMessage();
    assertTrue(m.contains("state is null"), m);
  }

  /**
   * One serving call: fill a reused input tensor from a caller buffer, step the layer on caller arrays, and step a
   * {@link SequenceModel} stream (embedding row copy, layer step, head). Everything is created under the kernels
   * current at the time, as a service would.
   */
  private static Runnable servingCall() {
    LSTM lstm = new LSTM(new RecurrentOptions(16, 32).numLayers(2).seed(5));
    StreamState s = lstm.newStreamState(1);
    Tensor input = Tensor.zeros(DType.FLOAT32, 1, 16);
    float[] x = new float[16 * 4];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) Math.sin(i);
    }
    float[] h = new float[32];
    float[] hs = new float[4 * 32];
    LSTM projected = new LSTM(new RecurrentOptions(16, 32).projSize(8).seed(6));
    StreamState ps = projected.newStreamState(1);
    float[] hp = new float[8];
    SplittableRandom rng = new SplittableRandom(2);
    SequenceModel model = new SequenceModel(new dev.rnn4j.nn.Embedding(10, 16, rng), new GRU(16, 32),
        new dev.rnn4j.nn.Linear(32, 10, rng));
    SequenceModel.Stream stream = model.newStream(1);
    int[] token = new int[1];
    return () -> {
      for (int t = 0; t < 4; t++) {
        input.copyFrom(x, t * 16);
        lstm.step(x, t * 16, s, h, 0);
        projected.step(x, t * 16, ps, hp, 0);
        token[0] = t;
        stream.step(token);
      }
      lstm.steps(x, 0, 4, s, hs, 0);
    };
  }

  /**
   * The fewest bytes the current thread allocated in one window of {@code calls} runs of {@code call}, over at least
   * {@code windows} windows after {@code warmup} runs and then until one allocates nothing ({@link QuietWindows}). A
   * call that allocates never gives a window of 0 bytes; code that allocates only until the JIT has compiled it does.
   */
  private static long quietestBytes(Runnable call, int warmup, int calls, int windows) {
    for (int i = 0; i < warmup; i++) { // class loading, the first packing of the weights, JIT
      call.run();
    }
    return QuietWindows.quietestBytes(() -> {
      for (int i = 0; i < calls; i++) {
        call.run();
      }
    }, windows);
  }

  // Any allocation per call would show as at least 16 bytes (an object header) times the number of calls.

  @Test
  @SuppressWarnings("try") // the scope is never named: entering it is the point
  void servingCallsAllocateNothingOnTheScalarKernels() {
    // Mostly interpreted or C1-compiled here, so no escape analysis hides an allocation of the code around the kernels.
    try (var scope = dev.rnn4j.tensor.KernelScope.use(dev.rnn4j.kernels.Kernels.scalar())) {
      assertEquals(0, quietestBytes(servingCall(), 50, 100, 3),
          "bytes allocated by 100 x (4 copyFrom + 4 array steps + 4 stream steps + one call of 4 steps), "
              + "quietest of three windows");
    }
  }

  @Test
  void servingCallsAllocateNothingOnTheSelectedKernelsOnceCompiled() {
    // The Vector API allocates its vectors until C2 has compiled each kernel at each call site, which on a busy
    // machine takes a varying time (measured here: 10,000 to 40,000 steps, and more than 20,000 calls when another
    // build shared the cores); so look for the first quiet window after a warm-up, for up to QuietWindows' deadline.
    assertEquals(0, quietestBytes(servingCall(), 1000, 200, 1),
        "bytes allocated by 200 x (4 copyFrom + 4 array steps + 4 stream steps + one call of 4 steps), "
            + "quietest window");
  }
}
