package dev.rnn4j.nn.recurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.autograd.NoGrad;
import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.Tensor;
import dev.rnn4j.testing.TestKernels;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@link RecurrentLayer#steps(float[], int, int, StreamState, float[], int)} (and float64): several steps on caller
 * arrays give, bit for bit, the array step called once per step and the whole-sequence forward pass started from the
 * state's states, for every cell, both dtypes, both kernel sets, one and three streams, one and two layers.
 */
class StreamStepsTest {

  private static final int STEPS = 7;

  /** Every cell variant, as a function of the options' common part. */
  private static List<Function<DType, RecurrentLayer>> layers(int numLayers) {
    Function<DType, RecurrentOptions> o = dt -> new RecurrentOptions(5, 6).numLayers(numLayers).dtype(dt).seed(17);
    return List.of(
        dt -> new LSTM(o.apply(dt)),
        dt -> new LSTM(o.apply(dt).projSize(4)),
        dt -> new LSTM(o.apply(dt).peephole(true)),
        dt -> new GRU(o.apply(dt)),
        dt -> new GRU(o.apply(dt).resetAfter(false)),
        dt -> new RNN(o.apply(dt)),
        dt -> new RNN(o.apply(dt).nonlinearity(RecurrentOptions.Nonlinearity.RELU)));
  }

  private static List<Kernels> kernelSets() {
    List<Kernels> all = new ArrayList<>(List.of(Kernels.scalar()));
    TestKernels.simd().ifPresent(all::add);
    return all;
  }

  @Test
  @SuppressWarnings("try") // the scope is never named: entering it is the point
  void stepsGiveTheBitsOfSingleStepsAndOfTheForwardPass() {
    for (Kernels kernels : kernelSets()) {
      try (var scope = KernelScope.use(kernels)) {
        for (int numLayers = 1; numLayers <= 2; numLayers++) {
          for (var make : layers(numLayers)) {
            for (DType dt : DType.values()) {
              for (int batch : new int[] {1, 3}) {
                check(make.apply(dt), batch, kernels + " " + numLayers + " layer(s) batch " + batch + " ");
              }
            }
          }
        }
      }
    }
  }

  /**
   * Warms a state up with 3 array steps, then runs STEPS steps three ways from there: one call of steps (at odd
   * offsets), STEPS array steps, and forward with the state's states as h0 (c0). Then two more calls of steps (2 and
   * STEPS - 2 steps) continue from where the first left and must equal the single steps that continue too.
   */
  @SuppressWarnings("try") // the no-grad scope is never named: entering it is the point
  private static void check(RecurrentLayer layer, int batch, String what) {
    RecurrentConfig cfg = layer.config();
    String name = what + cfg.name() + " proj " + cfg.projSize() + " peephole " + cfg.peephole() + " "
        + layer.dtype() + ": ";
    int in = batch * cfg.inputSize();
    int sw = batch * cfg.stateSize();
    SplittableRandom rng = new SplittableRandom(7);
    double[] xs = new double[(3 + 2 * STEPS) * in];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = rng.nextDouble(-2, 2);
    }
    StreamState single = layer.newStreamState(batch);
    StreamState several = layer.newStreamState(batch);
    for (int t = 0; t < 3; t++) {
      stepArrays(layer, xs(layer, xs), t * in, single, out(layer, sw));
      stepArrays(layer, xs(layer, xs), t * in, several, out(layer, sw));
    }
    // the forward pass's initial states: the warmed-up states
    int n = cfg.numLayers();
    Tensor h0 = Tensor.zeros(layer.dtype(), n, batch, cfg.stateSize());
    Tensor c0 = cfg.kind().hasCellState() ? Tensor.zeros(layer.dtype(), n, batch, cfg.hiddenSize()) : null;
    for (int l = 0; l < n; l++) {
      h0.narrow(0, l, 1).copyFrom(several.hidden(l).reshape(1, batch, cfg.stateSize()));
      if (c0 != null) {
        c0.narrow(0, l, 1).copyFrom(several.cell(l).reshape(1, batch, cfg.hiddenSize()));
      }
    }
    // one call of steps, input and output at odd offsets
    Object x = xs(layer, xs);
    Object byCall = out(layer, 5 + STEPS * sw);
    steps(layer, x, 3 * in, STEPS, several, byCall, 5);
    double[] bySteps = new double[STEPS * sw];
    for (int t = 0; t < STEPS; t++) {
      Object h = out(layer, sw);
      stepArrays(layer, x, (3 + t) * in, single, h);
      System.arraycopy(doubles(h), 0, bySteps, t * sw, sw);
    }
    double[] call = java.util.Arrays.copyOfRange(doubles(byCall), 5, 5 + STEPS * sw);
    // Same kernels, same order of operations: bitwise equal, no tolerance.
    assertBits(name + "steps against single steps", bySteps, call);
    Tensor seq = Tensor.wrap(java.util.Arrays.copyOfRange(xs, 3 * in, (3 + STEPS) * in), 0, STEPS, batch,
        cfg.inputSize()).to(layer.dtype());
    try (NoGrad g = NoGrad.enter()) {
      RecurrentOutput full = layer.forward(seq, h0, c0, null);
      assertBits(name + "steps against forward", full.output().toDoubleArray(), call);
    }
    // continuing: 2 steps, then the rest, against the single steps continuing from the same states
    Object more = out(layer, STEPS * sw);
    steps(layer, x, (3 + STEPS) * in, 2, several, more, 0);
    Object rest = out(layer, STEPS * sw);
    steps(layer, x, (5 + STEPS) * in, STEPS - 2, several, rest, 2 * sw);
    for (int t = 0; t < STEPS; t++) {
      Object h = out(layer, sw);
      stepArrays(layer, x, (3 + STEPS + t) * in, single, h);
      double[] got = java.util.Arrays.copyOfRange(doubles(t < 2 ? more : rest), t * sw, (t + 1) * sw);
      assertBits(name + "continued step " + t, doubles(h), got);
    }
    // the state left behind is the single steps' state (h, and c for the LSTM)
    for (int l = 0; l < n; l++) {
      assertBits(name + "final h of layer " + l, single.hidden(l).toDoubleArray(), several.hidden(l).toDoubleArray());
      if (c0 != null) {
        assertBits(name + "final c of layer " + l, single.cell(l).toDoubleArray(), several.cell(l).toDoubleArray());
      }
    }
  }

  private static Object xs(RecurrentLayer layer, double[] xs) {
    if (layer.dtype() == DType.FLOAT64) {
      return xs;
    }
    float[] f = new float[xs.length];
    for (int i = 0; i < xs.length; i++) {
      f[i] = (float) xs[i];
    }
    return f;
  }

  private static Object out(RecurrentLayer layer, int n) {
    return layer.dtype() == DType.FLOAT64 ? new double[n] : new float[n];
  }

  private static double[] doubles(Object a) {
    if (a instanceof double[] d) {
      return d;
    }
    float[] f = (float[]) a;
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  private static void steps(RecurrentLayer layer, Object x, int xOff, int steps, StreamState s, Object out, int off) {
    if (x instanceof double[] d) {
      layer.steps(d, xOff, steps, s, (double[]) out, off);
    } else {
      layer.steps((float[]) x, xOff, steps, s, (float[]) out, off);
    }
  }

  private static void stepArrays(RecurrentLayer layer, Object x, int xOff, StreamState s, Object h) {
    if (x instanceof double[] d) {
      layer.step(d, xOff, s, (double[]) h, 0);
    } else {
      layer.step((float[]) x, xOff, s, (float[]) h, 0);
    }
  }

  private static void assertBits(String what, double[] expected, double[] actual) {
    assertEquals(expected.length, actual.length, what + ": length");
    for (int i = 0; i < expected.length; i++) {
      if (Double.doubleToRawLongBits(expected[i]) != Double.doubleToRawLongBits(actual[i])) {
        throw new AssertionError(what + ": element " + i + ": expected " + expected[i] + ", got " + actual[i]);
      }
    }
  }

  @Test
  void stepsRejectBadArguments() {
    LSTM lstm = new LSTM(new RecurrentOptions(5, 7).seed(1));
    StreamState s = lstm.newStreamState(2);
    float[] x = new float[3 * 2 * 5];
    float[] out = new float[3 * 2 * 7];
    String m = assertThrows(IllegalArgumentException.class, () -> lstm.steps(x, 1, 3, s, out, 0)).getMessage();
    assertTrue(m.contains("LSTM: steps input") && m.contains("offset 1") && m.contains("[3, 2, 5]")
        && m.contains("length 30"), m);
    m = assertThrows(IllegalArgumentException.class, () -> lstm.steps(x, 0, 3, s, out, 1)).getMessage();
    assertTrue(m.contains("LSTM: steps output") && m.contains("[3, 2, 7]") && m.contains("length 42"), m);
    m = assertThrows(IllegalArgumentException.class, () -> lstm.steps(x, 0, 0, s, out, 0)).getMessage();
    assertTrue(m.contains("steps must be >= 1, got 0"), m);
    m = assertThrows(IllegalArgumentException.class, () -> lstm.steps(null, 0, 3, s, out, 0)).getMessage();
    assertTrue(m.contains("null float[]"), m);
    m = assertThrows(IllegalArgumentException.class, () -> lstm.steps(x, 0, 3, s, null, 0)).getMessage();
    assertTrue(m.contains("steps output") && m.contains("null float[]"), m);
    m = assertThrows(IllegalArgumentException.class,
        () -> lstm.steps(new double[30], 0, 3, s, new double[42], 0)).getMessage();
    assertTrue(m.contains("double[]") && m.contains("float32"), m);
    m = assertThrows(IllegalArgumentException.class,
        () -> lstm.steps(x, 0, 3, new LSTM(new RecurrentOptions(5, 7)).newStreamState(2), out, 0)).getMessage();
    assertTrue(m.contains("another layer"), m);
    m = assertThrows(IllegalArgumentException.class, () -> lstm.steps(x, 0, 3, null, out, 0)).getMessage();
    assertTrue(m.contains("state is null"), m);
    float[] shared = new float[80];
    m = assertThrows(IllegalArgumentException.class, () -> lstm.steps(shared, 0, 3, s, shared, 20)).getMessage();
    assertTrue(m.contains("overlaps") && m.contains("[20, 62)") && m.contains("[0, 30)"), m);
    lstm.steps(shared, 0, 3, s, shared, 30); // adjacent ranges are fine
    m = assertThrows(IllegalArgumentException.class,
        () -> lstm.steps(x, 0, Integer.MAX_VALUE / 4, s, out, 0)).getMessage();
    assertTrue(m.contains("too large"), m);
  }
}
