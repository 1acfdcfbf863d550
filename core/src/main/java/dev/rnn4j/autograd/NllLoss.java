package dev.rnn4j.autograd;

import dev.rnn4j.tensor.Tensor;

/**
 * Negative log-likelihood with mean reduction over log-probabilities {@code logp [N, C]}: with the picked entries
 * {@code p_i = logp[i, t_i]} and weights {@code w_i = weight[t_i]} (1 without class weights) over the rows whose target
 * is not the ignore index, {@code loss = -sum_i w_i p_i / sum_i w_i} (PyTorch's weighted mean). When
 * {@code sum_i w_i = 0} (every row ignored, no rows, or only rows of zero-weight classes) the loss is 0 with a zero
 * gradient, where PyTorch gives NaN: see {@link Ops#crossEntropy(Tensor, int[], int, Tensor)} for why.
 * d loss / d logp[i, t_i] = -w_i / sum_j w_j, zero elsewhere. Targets and weights are checked in {@link Ops}.
 */
final class NllLoss extends Function {

  private final int[] targets;
  private final Tensor classWeights;
  private final int ignoreIndex;
  private int[] rows;
  private Tensor weights;
  private double weightSum;
  private int classes;

  NllLoss(int[] targets, Tensor classWeights, int ignoreIndex) {
    this.targets = targets;
    this.classWeights = classWeights;
    this.ignoreIndex = ignoreIndex;
  }

  @Override
  protected Tensor[] forward(Tensor... in) {
    Tensor logp = in[0];
    classes = logp.size(1);
    int kept = 0;
    for (int t : targets) {
      kept += t == ignoreIndex ? 0 : 1;
    }
    rows = new int[kept];
    weights = Tensor.zeros(logp.dtype(), kept);
    Tensor picked = Tensor.zeros(logp.dtype(), kept);
    for (int i = 0, j = 0; i < targets.length; i++) {
      if (targets[i] != ignoreIndex) {
        rows[j] = i;
        weights.setFlat(j, classWeights == null ? 1 : classWeights.getFlat(targets[i]));
        picked.setFlat(j, logp.getFlat(i * classes + targets[i]));
        j++;
      }
    }
    StorageOps ops = StorageOps.of(logp);
    weightSum = ops.sum(weights, 0, kept);
    double weighted = ops.dot(weights, 0, picked, 0, kept);
    // Class weights are >= 0 (checked in Ops), so a zero total weight means every picked term has weight 0.
    return new Tensor[] {Tensor.scalar(logp.dtype(), weightSum == 0 ? 0 : -weighted / weightSum)};
  }

  @Override
  protected Tensor[] backward(Tensor... g) {
    int n = targets.length;
    Tensor gx = Tensor.zeros(g[0].dtype(), n, classes);
    Tensor coef = Tensor.zerosLike(weights);
    if (weightSum == 0) {
      return new Tensor[] {gx};
    }
    StorageOps.of(coef).scale(-g[0].item() / weightSum, weights, coef);
    for (int j = 0; j < rows.length; j++) {
      gx.setFlat(rows[j] * classes + targets[rows[j]], coef.getFlat(j));
    }
    return new Tensor[] {gx};
  }

  @Override
  protected void releaseSaved() {
    weights = null;
  }
}
