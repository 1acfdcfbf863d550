package dev.rnn4j.optim;

import java.util.Map;

/**
 * Step decay, PyTorch's {@code StepLR}: {@code lr(epoch) = base * gamma^floor(epoch / stepSize)}.
 */
public final class StepLR extends LearningRateSchedule {

  private final int stepSize;
  private final double gamma;

  /**
   * @param stepSize epochs between decays, >= 1
   * @param gamma multiplicative factor per decay, finite and >= 0 (PyTorch's default is 0.1)
   */
  public StepLR(Optimizer optimizer, int stepSize, double gamma) {
    super(optimizer);
    if (stepSize < 1) {
      throw new IllegalArgumentException("StepLR: stepSize must be >= 1, got " + stepSize);
    }
    if (!(gamma >= 0) || Double.isInfinite(gamma)) {
      throw new IllegalArgumentException("StepLR: gamma must be finite and >= 0, got " + gamma);
    }
    this.stepSize = stepSize;
    this.gamma = gamma;
  }

  @Override
  public double learningRateAt(int epoch) {
    if (epoch < 0) {
      throw new IllegalArgumentException("StepLR: epoch must be >= 0, got " + epoch);
    }
    return baseLearningRate() * Math.pow(gamma, epoch / stepSize);
  }

  @Override
  protected Map<String, String> hyperparameters() {
    return ordered("step_size", Integer.toString(stepSize), "gamma", Double.toString(gamma));
  }
}
