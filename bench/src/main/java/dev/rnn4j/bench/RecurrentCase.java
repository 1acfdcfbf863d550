package dev.rnn4j.bench;

import dev.rnn4j.autograd.NoGrad;
import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.nn.recurrent.GRU;
import dev.rnn4j.nn.recurrent.LSTM;
import dev.rnn4j.nn.recurrent.RNN;
import dev.rnn4j.nn.recurrent.RecurrentLayer;
import dev.rnn4j.nn.recurrent.RecurrentOptions;
import dev.rnn4j.nn.recurrent.StreamState;
import dev.rnn4j.nn.recurrent.internal.FloatStackRunner;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.Tensor;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One float32, one-layer, unidirectional recurrent layer at a {@link RecurrentConfig}, with seeded inputs and
 * initial states, measured two ways:
 *
 * <ul>
 *   <li>through the public API, as a user runs it: {@link #forward()} is inference ({@link NoGrad}),
 *       {@link #forwardBackward()} clears the gradients, runs the layer with autograd on and back-propagates an
 *       output gradient of ones (the gradient of the sum of the outputs), giving the gradients of the input, both
 *       weight matrices, both biases and the initial states (full BPTT);
 *   <li>on the array-level engine the layer itself runs ({@link FloatStackRunner}), without tensors and autograd:
 *       {@link #engineForward()} and {@link #engineForwardBackward()} compute the same values into preallocated
 *       arrays. The difference between the two is the cost of the tensor and autograd layer.
 * </ul>
 *
 * Every operation runs on the kernels of the benchmark's {@code impl} parameter ({@link KernelScope} for the public
 * API, the runner's constructor argument for the engine).
 */
final class RecurrentCase {

  private final Kernels kernels;
  private final RecurrentLayer layer;
  private final RecurrentConfig config;
  private final Tensor x;
  private final Tensor h0;
  private final Tensor c0; // LSTM only, else null
  private final Tensor dOut;

  // The serving path on caller arrays (RecurrentLayer.steps), created on first use.
  private StreamState stream;
  private float[] xArray;
  private float[] stepsOut;

  // The array-level engine, created on first use.
  private FloatStackRunner runner;
  private FloatStackRunner forwardOnlyRunner; // engineForwardOnly's
  private float[] out;
  private float[] hN;
  private float[] cN;
  private float[] dOutArray;
  private float[] dx;
  private float[] dh0;
  private float[] dc0;
  private float[][] weightGrads;

  private RecurrentCase(Kernels kernels, RecurrentLayer layer, RecurrentConfig config) {
    this.kernels = kernels;
    this.layer = layer;
    this.config = config;
    SplittableRandom rng = new SplittableRandom(42);
    int t = config.steps();
    int b = config.batch();
    x = Tensor.uniform(DType.FLOAT32, rng, -1, 1, t, b, config.input()).requiresGrad(true);
    h0 = Tensor.uniform(DType.FLOAT32, rng, -0.5, 0.5, 1, b, config.hidden()).requiresGrad(true);
    c0 = layer instanceof LSTM
        ? Tensor.uniform(DType.FLOAT32, rng, -0.5, 0.5, 1, b, config.hidden()).requiresGrad(true)
        : null;
    dOut = Tensor.ones(DType.FLOAT32, t, b, config.hidden());
  }

  /**
   * A case for {@code cell} ("lstm", "gru" or "rnn" (tanh)) on the kernels {@code impl} at the configuration named
   * {@code config}. Parameters are the layer's default initialisation from seed 7.
   */
  static RecurrentCase create(String cell, String impl, String config) {
    RecurrentConfig c = RecurrentConfig.named(config);
    RecurrentOptions o = new RecurrentOptions(c.input(), c.hidden()).seed(7);
    RecurrentLayer layer = switch (cell) {
      case "lstm" -> new LSTM(o);
      case "gru" -> new GRU(o);
      case "rnn" -> new RNN(o);
      default -> throw new IllegalArgumentException("recurrent benchmark: unknown cell '" + cell
          + "'; expected lstm, gru or rnn");
    };
    return new RecurrentCase(BenchKernels.forName(impl), layer, c);
  }

  /** Inference over the sequence through the public API; returns the output sequence [T, B, H]. */
  Tensor forward() {
    return KernelScope.get(kernels, () -> NoGrad.get(() -> layer.forward(x, h0, c0, null).output()));
  }

  /**
   * One training pass through the public API: zero the gradients, forward with autograd, backward from an output
   * gradient of ones. Returns the input gradient; the weight, bias and initial-state gradients are in the layer's
   * parameters and in {@code h0}, {@code c0}.
   */
  Tensor forwardBackward() {
    return KernelScope.get(kernels, () -> {
      layer.zeroGrad();
      x.zeroGrad();
      h0.zeroGrad();
      if (c0 != null) {
        c0.zeroGrad();
      }
      layer.forward(x, h0, c0, null).output().backward(dOut);
      return x.grad();
    });
  }

  /**
   * Inference over the sequence on caller arrays through the public API ({@link RecurrentLayer#steps}): the stream
   * state is reset to zeros, then all T steps run in one call. Returns the output array [T, B, H].
   */
  float[] steps() {
    if (stream == null) {
      stream = KernelScope.get(kernels, () -> layer.newStreamState(config.batch()));
      xArray = x.toFloatArray();
      stepsOut = new float[config.steps() * config.batch() * config.hidden()];
    }
    stream.reset();
    layer.steps(xArray, 0, config.steps(), stream, stepsOut, 0);
    return stepsOut;
  }

  /** The forward pass on the array-level engine; returns the output array [T, B, H]. */
  float[] engineForward() {
    FloatStackRunner r = runner();
    r.forward(x.floatData(), x.offset(), config.steps(), config.batch(), null,
        h0.floatData(), h0.offset(), c0 == null ? null : c0.floatData(), c0 == null ? 0 : c0.offset(),
        false, 0L, out, 0, hN, 0, cN, 0);
    return out;
  }

  /**
   * The forward pass the public API runs under {@link NoGrad}, on the array-level engine: a runner told that no
   * backward pass follows ({@link FloatStackRunner#forwardOnly}) and multiplying with packed weights it keeps between
   * calls, as the layer does; into the same preallocated arrays as {@link #engineForward}. What the public API adds
   * to it is the tensors (the new outputs) and the call's bookkeeping.
   */
  float[] engineForwardOnly() {
    FloatStackRunner r = forwardOnlyRunner;
    if (r == null) {
      runner();
      r = newRunner();
      r.forwardOnly(true);
      r.weights(0, 0).usePacked(r.pack(0));
      forwardOnlyRunner = r;
    }
    r.forward(x.floatData(), x.offset(), config.steps(), config.batch(), null,
        h0.floatData(), h0.offset(), c0 == null ? null : c0.floatData(), c0 == null ? 0 : c0.offset(),
        false, 0L, out, 0, hN, 0, cN, 0);
    return out;
  }

  /**
   * Forward and backward on the array-level engine with the same output gradient of ones; the weight gradients are
   * cleared first (the engine accumulates into them). Returns the input gradient.
   */
  float[] engineForwardBackward() {
    engineForward();
    for (float[] g : weightGrads) {
      Arrays.fill(g, 0f);
    }
    runner.backward(dOutArray, 0, null, 0, null, 0, dx, 0, dh0, 0, dc0, 0, true);
    return dx;
  }

  /** A runner for the layer's configuration pointed at its weights. */
  private FloatStackRunner newRunner() {
    FloatStackRunner r = new FloatStackRunner(kernels.f32(), layer.config());
    Map<String, Tensor> p = layer.namedParameters();
    Tensor wih = p.get("weight_ih_l0");
    Tensor whh = p.get("weight_hh_l0");
    Tensor bih = p.get("bias_ih_l0");
    Tensor bhh = p.get("bias_hh_l0");
    r.weights(0, 0).set(wih.floatData(), wih.offset(), whh.floatData(), whh.offset(),
        bih.floatData(), bih.offset(), bhh.floatData(), bhh.offset());
    return r;
  }

  private FloatStackRunner runner() {
    if (runner != null) {
      return runner;
    }
    FloatStackRunner r = newRunner();
    Map<String, Tensor> p = layer.namedParameters();
    Tensor wih = p.get("weight_ih_l0");
    Tensor whh = p.get("weight_hh_l0");
    Tensor bih = p.get("bias_ih_l0");
    Tensor bhh = p.get("bias_hh_l0");
    weightGrads = new float[][] {
        new float[wih.numel()], new float[whh.numel()], new float[bih.numel()], new float[bhh.numel()]};
    r.gradients(0, 0).set(weightGrads[0], 0, weightGrads[1], 0, weightGrads[2], 0, weightGrads[3], 0);
    int bh = config.batch() * config.hidden();
    out = new float[config.steps() * bh];
    hN = new float[bh];
    cN = c0 == null ? null : new float[bh];
    dOutArray = dOut.toFloatArray();
    dx = new float[x.numel()];
    dh0 = new float[bh];
    dc0 = c0 == null ? null : new float[bh];
    runner = r;
    return r;
  }

  /**
   * Checks once, before measuring, that the engine computes what the public API computes on the same kernels, so
   * that the two rows measure the same work: outputs and input gradients must agree to {@code 1e-4 * max(1, max|v|)}.
   * A wiring mistake (other weights, a missing initial state, a wrong layout) gives differences of the order of the
   * values themselves. The two are not compared bit for bit, although the layer runs this very engine: the SIMD
   * kernels' results move by an ulp or two while C2 compiles them (observed: up to 4.5e-8 on the LSTM outputs between
   * the first call and later calls on the same input), and this check runs during that time.
   *
   * @throws IllegalStateException if they differ by more
   */
  void checkEngineMatchesLayer() {
    compare("output", forward().toFloatArray(), engineForward());
    compare("input gradient", forwardBackward().toFloatArray(), engineForwardBackward());
  }

  private static void compare(String what, float[] viaLayer, float[] viaEngine) {
    double maxAbs = 1;
    double maxDiff = 0;
    for (int i = 0; i < viaLayer.length; i++) {
      maxAbs = Math.max(maxAbs, Math.abs(viaLayer[i]));
      maxDiff = Math.max(maxDiff, Math.abs((double) viaLayer[i] - viaEngine[i]));
    }
    if (viaLayer.length != viaEngine.length || !(maxDiff <= 1e-4 * maxAbs)) {
      throw new IllegalStateException("recurrent benchmark: the engine's " + what + " differs from the layer's by "
          + maxDiff + " (values up to " + maxAbs + ")");
    }
  }
}
