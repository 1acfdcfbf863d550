package dev.rnn4j.optim;

import java.util.Map;

/**
 * Cosine annealing, PyTorch's {@code CosineAnnealingLR} (SGDR without restarts):
 * {@code lr(epoch) = etaMin + (base - etaMin) * (1 + cos(pi * epoch / tMax)) / 2}. The rate falls from the base rate
 * at epoch 0 to {@code etaMin} at epoch {@code tMax}; past {@code tMax} the formula continues (rising again), as in
 * PyTorch.
 */
public final class CosineAnnealingLR extends LearningRateSchedule {

  private final int tMax;
  private final double etaMin;

  /**
   * @param tMax epochs to reach the minimum, >= 1
   * @param etaMin the minimum learning rate, finite and >= 0 (PyTorch's default is 0)
   */
  public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
    super(optimizer);
    if (tMax < 1) {
      throw new IllegalArgumentException("CosineAnnealingLR: tMax must be >= 1, got " + tMax);
    }
    if (!(etaMin >= 0) || Double.isInfinite(etaMin)) {
      throw new IllegalArgumentException("CosineAnnealingLR: etaMin must be finite and >= 0, got " + etaMin);
    }
    this.tMax = tMax;
    this.etaMin = etaMin;
  }

  @Override
  public double learningRateAt(int epoch) {
    if (epoch < 0) {
      throw new IllegalArgumentException("CosineAnnealingLR: epoch must be >= 0, got " + epoch);
    }
    return etaMin + (baseLearningRate() - etaMin) * (1 + Math.cos(Math.PI * epoch / tMax)) / 2;
  }

  @Override
  protected Map<String, String> hyperparameters() {
    return ordered("T_max", Integer.toString(tMax), "eta_min", Double.toString(etaMin));
  }
}
