package dev.rnn4j.kernels;

import java.util.SplittableRandom;

/**
 * One round of the float32 kernels a recurrent layer runs, on private arrays: what {@link AdaptiveKernels} repeats
 * in the background until the JIT has compiled them. A round mirrors a small LSTM, GRU and RNN forward and backward
 * pass (input projection through a packed product with bias, per-step recurrent products and fused pointwise steps at
 * batch 1 and at a larger batch, weight gradients as transposed products) plus the maps, reductions and optimizer
 * updates the layers and optimizers call, so that each kernel method runs with loop trip counts like a layer's.
 *
 * <p>The data are private and meaningless (bounded random values, reset each round so that nothing overflows); only
 * the code paths matter. Not thread-safe.
 */
final class KernelExercise {

  // The sizes of the stream configuration (I = 64, H = 128), small enough that a round of the
  // compiled scalar spec takes about 10 ms and of the compiled SIMD kernels well under 1 ms.
  private static final int INPUT = 64;
  private static final int HIDDEN = 128;
  private static final int STEPS = 4;
  private static final int[] BATCHES = {1, 4};
  private static final int MAX_BATCH = 4;

  private final FloatKernels k;
  private final float[] wih;
  private final float[] whh;
  private final float[] bias;
  private final float[] x;
  private final float[] h;
  private final float[] c;
  private final float[] gates;
  private final float[] gh;
  private final float[] dh;
  private final float[] dc;
  private final float[] dGates;
  private final float[] dgh;
  private final float[] dWih;
  private final float[] dWhh;
  private final float[] dBias;
  private final float[] dx;
  private final float[] m;
  private final float[] v;
  private final float[] seedValues;
  private FloatPackedMatrix packedIh;
  private FloatPackedMatrix packedHh;
  private int step;

  KernelExercise(FloatKernels kernels) {
    this.k = kernels;
    int g = 4 * HIDDEN;
    int rows = STEPS * MAX_BATCH;
    wih = new float[g * INPUT];
    whh = new float[g * HIDDEN];
    bias = new float[g];
    x = new float[rows * INPUT];
    h = new float[(STEPS + 1) * MAX_BATCH * HIDDEN];
    c = new float[(STEPS + 1) * MAX_BATCH * HIDDEN];
    gates = new float[rows * g];
    gh = new float[MAX_BATCH * g];
    dh = new float[MAX_BATCH * HIDDEN];
    dc = new float[MAX_BATCH * HIDDEN];
    dGates = new float[rows * g];
    dgh = new float[MAX_BATCH * g];
    dWih = new float[g * INPUT];
    dWhh = new float[g * HIDDEN];
    dBias = new float[g];
    dx = new float[rows * INPUT];
    m = new float[g * INPUT];
    v = new float[g * INPUT];
    seedValues = new float[Math.max(wih.length, whh.length)];
    SplittableRandom r = new SplittableRandom(19);
    for (int i = 0; i < seedValues.length; i++) {
      seedValues[i] = (float) (r.nextDouble() - 0.5) * 0.2f;
    }
  }

  /** Runs one round; returns a value derived from the results, so that the work cannot be optimised away. */
  float round() {
    k.copy(wih.length, seedValues, 0, wih, 0);
    k.copy(whh.length, seedValues, 0, whh, 0);
    k.copy(bias.length, seedValues, 0, bias, 0);
    k.copy(x.length, seedValues, 0, x, 0);
    packedIh = k.packB(true, INPUT, 4 * HIDDEN, wih, 0, INPUT, packedIh);
    packedHh = k.packB(true, HIDDEN, 4 * HIDDEN, whh, 0, HIDDEN, packedHh);
    float acc = 0;
    for (int batch : BATCHES) {
      acc += lstm(batch);
      acc += gru(batch);
      acc += rnn(batch);
    }
    acc += mapsAndUpdates();
    return acc;
  }

  private float lstm(int batch) {
    int g = 4 * HIDDEN;
    int bh = batch * HIDDEN;
    k.fill(bh, 0, h, 0);
    k.fill(bh, 0, c, 0);
    k.gemmPackedBias(false, STEPS * batch, 1, x, 0, INPUT, packedIh, bias, 0, gates, 0, g);
    for (int t = 0; t < STEPS; t++) {
      int gOff = t * batch * g;
      k.gemmPacked(false, batch, 1, h, t * bh, HIDDEN, packedHh, 1, gates, gOff, g);
      k.lstmForward(batch, HIDDEN, gates, gOff, c, t * bh, c, (t + 1) * bh, h, (t + 1) * bh);
    }
    k.fill(bh, 0.01f, dh, 0);
    k.fill(bh, 0, dc, 0);
    for (int t = STEPS - 1; t >= 0; t--) {
      int gOff = t * batch * g;
      k.lstmBackward(batch, HIDDEN, gates, gOff, c, t * bh, c, (t + 1) * bh, dh, 0, dc, 0, dGates, gOff);
      k.gemm(false, false, batch, HIDDEN, g, 1, dGates, gOff, g, whh, 0, HIDDEN, 0, dh, 0, HIDDEN);
    }
    weightGradients(batch, g);
    return h[STEPS * bh - 1] + dx[0];
  }

  private float gru(int batch) {
    int g = 3 * HIDDEN;
    int bh = batch * HIDDEN;
    k.fill(bh, 0, h, 0);
    k.gemm(false, true, STEPS * batch, g, INPUT, 1, x, 0, INPUT, wih, 0, INPUT, 0, gates, 0, g);
    for (int t = 0; t < STEPS; t++) {
      int gOff = t * batch * g;
      k.gemv(false, g, HIDDEN, 1, whh, 0, HIDDEN, h, t * bh, 0, gh, 0);
      k.gemm(false, true, batch, g, HIDDEN, 1, h, t * bh, HIDDEN, whh, 0, HIDDEN, 0, gh, 0, g);
      k.gruForward(batch, HIDDEN, gates, gOff, gh, 0, h, t * bh, h, (t + 1) * bh);
    }
    k.fill(bh, 0.01f, dh, 0);
    for (int t = STEPS - 1; t >= 0; t--) {
      int gOff = t * batch * g;
      k.gruBackward(batch, HIDDEN, gates, gOff, gh, 0, h, t * bh, dh, 0, dGates, gOff, dgh, 0, dc, 0);
      k.copy(bh, dc, 0, dh, 0);
    }
    weightGradients(batch, g);
    return h[STEPS * bh - 1];
  }

  private float rnn(int batch) {
    int bh = batch * HIDDEN;
    k.fill(bh, 0, h, 0);
    for (int t = 0; t < STEPS; t++) {
      k.gemmPacked(false, batch, 1, h, t * bh, HIDDEN, packedHh, 0, gh, 0, 4 * HIDDEN);
      for (int r = 0; r < batch; r++) {
        k.add(HIDDEN, gh, r * 4 * HIDDEN, bias, 0, gates, r * HIDDEN);
      }
      k.tanh(bh, gates, 0, h, (t + 1) * bh);
      k.relu(bh, gates, 0, c, 0);
    }
    k.tanhBackward(bh, h, bh, dh, 0, dGates, 0);
    k.reluBackward(bh, c, 0, dh, 0, dGates, bh);
    return h[STEPS * bh - 1];
  }

  private void weightGradients(int batch, int g) {
    int rows = STEPS * batch;
    k.fill(dWhh.length, 0, dWhh, 0); // the products below accumulate (beta = 1), as a layer's weight gradients do
    k.fill(dWih.length, 0, dWih, 0);
    k.fill(dBias.length, 0, dBias, 0);
    k.gemm(true, false, g, INPUT, rows, 1, dGates, 0, g, x, 0, INPUT, 1, dWih, 0, INPUT);
    k.gemm(true, false, g, HIDDEN, rows, 1, dGates, 0, g, h, 0, HIDDEN, 1, dWhh, 0, HIDDEN);
    k.addColumnSums(rows, g, dGates, 0, g, dBias, 0);
    k.gemm(false, false, rows, INPUT, g, 1, dGates, 0, g, wih, 0, INPUT, 0, dx, 0, INPUT);
  }

  private float mapsAndUpdates() {
    int n = 4 * HIDDEN;
    int rows = MAX_BATCH;
    int cols = n;
    float[] a = gates;
    float[] b = dGates;
    k.copy(rows * cols, seedValues, 0, a, 0);
    k.sigmoid(n, a, 0, b, 0);
    k.sigmoidBackward(n, b, 0, a, 0, b, n);
    k.exp(n, a, 0, b, 0);
    k.expBackward(n, b, 0, a, 0, b, n);
    k.log(n, b, 0, b, 2 * n);
    k.logBackward(n, b, 0, a, 0, b, 3 * n);
    k.sub(n, a, 0, b, 0, b, 4 * n);
    k.mul(n, a, 0, b, 0, b, 5 * n);
    k.div(n, a, 0, b, 0, b, 6 * n);
    k.scale(n, 0.5f, a, 0, b, 7 * n);
    k.addScalar(n, 0.5f, a, 0, b, 7 * n);
    k.axpy(n, 0.5f, a, 0, b, 0);
    k.scal(n, 0.5f, b, 0);
    float r = k.dot(n, a, 0, b, 0) + k.sum(n, a, 0) + k.max(n, a, 0) + k.sumOfSquares(n, a, 0);
    int block = rows * cols; // y and dx in separate blocks: dx may alias dy, not y
    k.softmax(rows, cols, a, 0, cols, b, 0, cols);
    k.softmaxBackward(rows, cols, b, 0, a, 0, b, block);
    k.logSoftmax(rows, cols, a, 0, cols, b, 2 * block, cols);
    k.logSoftmaxBackward(rows, cols, b, 2 * block, a, 0, b, 3 * block);
    step++;
    if (step > 1000) {
      step = 1; // keeps Adam's bias corrections away from the extremes
    }
    k.copy(wih.length, seedValues, 0, dWih, 0);
    k.fill(m.length, 0, m, 0);
    k.fill(v.length, 0, v, 0);
    k.adamUpdate(wih.length, 1e-3f, 0.9f, 0.999f, 1e-8f, 0, false, step, wih, 0, dWih, 0, m, 0, v, 0);
    k.sgdUpdate(wih.length, 1e-3f, 0.9f, 0, 0, false, false, wih, 0, dWih, 0, m, 0);
    return r + wih[0];
  }
}
