package dev.rnn4j.nn.recurrent;

import dev.rnn4j.autograd.NoGrad;
import dev.rnn4j.autograd.Ops;
import dev.rnn4j.tensor.Checks;
import dev.rnn4j.tensor.Shapes;
import dev.rnn4j.tensor.Tensor;

/**
 * Truncated back-propagation through time over one long sequence batch, as DL4J's tBPTT forward and backward
 * lengths: the sequence is cut into chunks of {@code k1} steps (the last may be shorter); the state is carried from
 * chunk to chunk detached, so no gradient crosses a chunk boundary; within a chunk, gradients flow through its last
 * {@code k2 <= k1} steps only (the first {@code k1 - k2} steps run without recording).
 *
 * <pre>{@code
 * TruncatedBptt tbptt = new TruncatedBptt(50, 20);
 * double[] losses = tbptt.run(lstm, input,
 *     (out, start) -> Ops.mse(out, targets.slice(start, start + out.size(0))),
 *     chunk -> { GradientClipping.clipByNorm(lstm.parameters(), 1.0); optimizer.step(); lstm.zeroGrad(); });
 * }</pre>
 */
public final class TruncatedBptt {

  /** The loss of one chunk. */
  @FunctionalInterface
  public interface ChunkLoss {
    /**
     * @param output the chunk's outputs, [len, B, *] (or [B, len, *] batch-first); its first {@code len - k2} steps
     *     carry no gradient
     * @param start the time index of the chunk's first step in the whole sequence
     * @return a scalar loss
     */
    Tensor loss(Tensor output, int start);
  }

  /** Called after each chunk's backward pass (clip, optimizer step, zero the gradients). */
  @FunctionalInterface
  public interface AfterBackward {
    void afterBackward(int chunk);
  }

  private final int k1;
  private final int k2;

  /** Chunks of k1 steps, gradients through all of them (k2 = k1). */
  public TruncatedBptt(int k1) {
    this(k1, k1);
  }

  /**
   * @param k1 forward length: steps per chunk, >= 1
   * @param k2 backward length: steps per chunk that gradients flow through, {@code 1 <= k2 <= k1}
   */
  public TruncatedBptt(int k1, int k2) {
    if (k1 < 1 || k2 < 1 || k2 > k1) {
      throw new IllegalArgumentException("TruncatedBptt: need 1 <= k2 <= k1, got k1=" + k1 + ", k2=" + k2);
    }
    this.k1 = k1;
    this.k2 = k2;
  }

  /**
   * Runs the whole sequence chunk by chunk from zero initial states.
   *
   * @param input [T, B, I] (or batch-first), all sequences of full length
   * @param loss must return a one-element tensor that requires a gradient (computed from the chunk's output)
   * @param after may be null
   * @return the loss of every chunk, in order
   * @throws IllegalArgumentException for a null layer, input or loss, an input the layer rejects, or a loss that
   *     returns null, a tensor of more than one element, or one that no gradient flows to (the message names the
   *     chunk)
   */
  public double[] run(RecurrentLayer layer, Tensor input, ChunkLoss loss, AfterBackward after) {
    Checks.notNull(layer, "TruncatedBptt", "layer");
    Checks.notNull(loss, "TruncatedBptt", "loss");
    RecurrentConfig cfg = layer.config();
    int timeDim = cfg.batchFirst() ? 1 : 0;
    if (input == null || input.rank() != 3) {
      throw new IllegalArgumentException(cfg.name() + ": TruncatedBptt input: expected rank 3, got "
          + (input == null ? "null" : Shapes.format(input.shape())));
    }
    int steps = input.size(timeDim);
    int chunks = (steps + k1 - 1) / k1;
    double[] losses = new double[chunks];
    Tensor h = null;
    Tensor c = null;
    for (int ch = 0; ch < chunks; ch++) {
      int start = ch * k1;
      int len = Math.min(k1, steps - start);
      int quiet = Math.max(0, len - k2);
      Tensor quietOut = null;
      if (quiet > 0) {
        Tensor[] carried = {h, c};
        RecurrentOutput q = NoGrad.get(() -> layer.forward(input.narrow(timeDim, start, quiet), carried[0],
            carried[1], null));
        quietOut = q.output();
        h = q.hN();
        c = q.cN();
      }
      RecurrentOutput o = layer.forward(input.narrow(timeDim, start + quiet, len - quiet), h, c, null);
      Tensor out = quietOut == null ? o.output() : Ops.concat(timeDim, quietOut, o.output());
      Tensor l = checkedLoss(loss.loss(out, start), ch, start, len);
      losses[ch] = l.item();
      l.backward();
      if (after != null) {
        after.afterBackward(ch);
      }
      h = o.hN().detach();
      c = o.cN() == null ? null : o.cN().detach();
    }
    return losses;
  }

  private static Tensor checkedLoss(Tensor l, int chunk, int start, int len) {
    if (l != null && l.numel() == 1 && l.requiresGrad()) {
      return l;
    }
    String where = "TruncatedBptt: the loss of chunk " + chunk + " (steps [" + start + ", " + (start + len) + "))";
    if (l == null) {
      throw new IllegalArgumentException(where + " returned null; it must return a scalar tensor");
    }
    if (l.numel() != 1) {
      throw new IllegalArgumentException(where + " returned a tensor of shape " + Shapes.format(l.shape())
          + "; it must return a scalar (reduce it, e.g. with mean())");
    }
    throw new IllegalArgumentException(where + " returned a tensor that no gradient flows to; compute it from "
        + "the chunk's output without detach() or NoGrad");
  }
}
