package dev.rnn4j.spark;

import dev.rnn4j.autograd.Ops;
import dev.rnn4j.tensor.Tensor;
import java.util.List;

/** The loss a data-parallel run minimises: the mean over a batch of the head's error on each example. */
public enum Objective {
  /** Mean squared error between the head's outputs and {@link SequenceExample#target()}. */
  MSE,
  /** Softmax cross-entropy between the head's outputs (logits) and {@link SequenceExample#label()}. */
  CROSS_ENTROPY;

  /** The loss of {@code output} [B, outputs] against the examples {@code rows[idx[b]]}, a scalar tensor. */
  Tensor loss(Tensor output, List<SequenceExample> rows, int[] idx) {
    int b = idx.length;
    int n = output.size(1);
    if (this == MSE) {
      float[] t = new float[b * n];
      for (int i = 0; i < b; i++) {
        float[] target = rows.get(idx[i]).target();
        if (target == null || target.length != n) {
          throw new IllegalArgumentException("Objective.MSE: example needs a target of " + n + " floats (the head's "
              + "outputs), got " + (target == null ? "none" : target.length));
        }
        System.arraycopy(target, 0, t, i * n, n);
      }
      return Ops.mse(output, Tensor.wrap(t, 0, b, n));
    }
    int[] labels = new int[b];
    for (int i = 0; i < b; i++) {
      int l = rows.get(idx[i]).label();
      if (l < 0 || l >= n) {
        throw new IllegalArgumentException("Objective.CROSS_ENTROPY: label " + l + " is outside [0, " + n + ")");
      }
      labels[i] = l;
    }
    return Ops.crossEntropy(output, labels);
  }
}
