package dev.rnn4j.optim;

import dev.rnn4j.tensor.Tensor;

/**
 * Adam, as PyTorch's {@code torch.optim.Adam} (without amsgrad). Per parameter p with gradient g, at its step t:
 * <pre>
 *   g = g + weightDecay * p                      (L2 penalty through the gradient)
 *   m = beta1 * m + (1 - beta1) * g
 *   v = beta2 * v + (1 - beta2) * g^2
 *   p = p - lr * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps)
 * </pre>
 * computed by the kernels' fused {@code adamUpdate}. Moments and t are per parameter.
 */
public final class Adam extends AdamFamily {

  /** PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, no weight decay. */
  public Adam(Iterable<Tensor> parameters, double learningRate) {
    this(parameters, learningRate, 0.9, 0.999, 1e-8, 0);
  }

  /**
   * @param beta1 first-moment decay in [0, 1)
   * @param beta2 second-moment decay in [0, 1)
   * @param eps added to the denominator, >= 0
   * @param weightDecay L2 coefficient added to the gradient, >= 0
   */
  public Adam(Iterable<Tensor> parameters, double learningRate, double beta1, double beta2, double eps,
              double weightDecay) {
    super("Adam", parameters, learningRate, beta1, beta2, eps, weightDecay, false);
  }
}
