package dev.rnn4j.optim;

import dev.rnn4j.tensor.Tensor;

/**
 * AdamW, as PyTorch's {@code torch.optim.AdamW}: Adam with decoupled weight decay. Per parameter p with gradient g,
 * at its step t:
 * <pre>
 *   p = p * (1 - lr * weightDecay)               (decay applied to the weights, not through the gradient)
 *   m = beta1 * m + (1 - beta1) * g
 *   v = beta2 * v + (1 - beta2) * g^2
 *   p = p - lr * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps)
 * </pre>
 */
public final class AdamW extends AdamFamily {

  /** PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, weight decay 0.01. */
  public AdamW(Iterable<Tensor> parameters, double learningRate) {
    this(parameters, learningRate, 0.9, 0.999, 1e-8, 0.01);
  }

  /**
   * @param beta1 first-moment decay in [0, 1)
   * @param beta2 second-moment decay in [0, 1)
   * @param eps added to the denominator, >= 0
   * @param weightDecay decoupled decay coefficient, >= 0
   */
  public AdamW(Iterable<Tensor> parameters, double learningRate, double beta1, double beta2, double eps,
               double weightDecay) {
    super("AdamW", parameters, learningRate, beta1, beta2, eps, weightDecay, true);
  }
}
