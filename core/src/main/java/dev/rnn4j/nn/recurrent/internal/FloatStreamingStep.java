package dev.rnn4j.nn.recurrent.internal;

// Generated from DoubleStreamingStep.java by PrecisionGenerator. Edit that file and regenerate; do not edit this one.

import dev.rnn4j.kernels.FloatKernels;

/**
 * Streaming through one engine: time steps with no saved trace and nothing allocated, over scratch for batches of up
 * to a fixed size. A step does the arithmetic of one step of {@link FloatRecurrentEngine#forward}: the input
 * projection (with the folded bias), then the cell's {@link FloatCell#forwardStep}. With packed matrices
 * ({@link FloatEngineWeights#usePacked}) it multiplies exactly as the forward pass does, so stepping
 * through a sequence gives the forward pass's outputs bit for bit with any kernels; without, it multiplies with the
 * weight arrays by {@link FloatKernels#gemm}, which may round differently.
 *
 * <p>Not thread-safe: one per stream state and layer.
 */
final class FloatStreamingStep {

  private final FloatRecurrentEngine engine;
  private final int maxBatch;
  private final FloatCell.Step step = new FloatCell.Step();
  /** The gate rows of one step, [maxBatch, G*H]. */
  private final float[] gates;

  /** Scratch for batches of up to {@code maxBatch} rows of {@code engine}'s cell. */
  FloatStreamingStep(FloatRecurrentEngine engine, int maxBatch) {
    FloatCell cell = engine.cell();
    this.engine = engine;
    this.maxBatch = maxBatch;
    gates = new float[maxBatch * engine.gateWidth()];
    step.ghs = new float[maxBatch * cell.recurrentProjectionWidth()];
    step.aux = new float[maxBatch * cell.auxWidth()];
    step.tmp = new float[engine.hidden()];
  }

  /**
   * One time step for a batch of {@code batch} rows.
   *
   * @param x not modified, [batch, I] at xOff
   * @param hPrev not modified, [batch, state]
   * @param h written, [batch, state]; must not overlap hPrev
   * @param c the cell state (LSTM; ignored otherwise), [batch, H]: read, then written with the new one
   */
  void step(int batch, float[] x, int xOff, FloatEngineWeights w, float[] hPrev, float[] h,
            float[] c) {
    steps(1, batch, x, xOff, w, hPrev, 0, h, 0, c, gates);
  }

  /**
   * {@code steps} time steps for a batch of {@code batch} rows, bit for bit as {@code steps} calls of {@link #step},
   * with the input projections of all steps in one product (as the forward pass does them; a packed product's rows do
   * not depend on how many rows one call multiplies).
   *
   * @param x not modified, [steps, batch, I] at xOff, time-major
   * @param h0 not modified, [batch, state] at h0Off: the state before the first step
   * @param out written, [steps, batch, state] at outOff: the state after every step; must not overlap h0 or x
   * @param c the cell state (LSTM; ignored otherwise), [batch, H]: read, then written with the last one
   * @param stepGates scratch of at least {@code steps * batch * G * H} elements
   */
  void steps(int steps, int batch, float[] x, int xOff, FloatEngineWeights w, float[] h0, int h0Off,
             float[] out, int outOff, float[] c, float[] stepGates) {
    int gh = engine.gateWidth();
    assert batch <= maxBatch && stepGates.length >= (long) steps * batch * gh;
    engine.prepare(w);
    engine.project(x, xOff, steps * batch, w, w.stepPacked, stepGates, 0);
    int bs = batch * engine.hidden(); // the state width (P with a projection)
    FloatCell.Step s = step;
    s.n = batch;
    s.gates = stepGates;
    s.cPrev = c;
    s.cp = 0;
    s.c = c;
    s.co = 0;
    s.h = out;
    for (int t = 0; t < steps; t++) {
      s.g = t * batch * gh;
      s.hPrev = t == 0 ? h0 : out;
      s.hp = t == 0 ? h0Off : outOff + (t - 1) * bs;
      s.ho = outOff + t * bs;
      engine.cell().forwardStep(s, w, w.stepPacked);
    }
  }
}
