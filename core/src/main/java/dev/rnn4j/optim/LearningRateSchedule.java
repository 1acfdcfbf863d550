package dev.rnn4j.optim;

import java.util.Objects;

/**
 * A learning-rate schedule over epochs (or steps: whatever the caller counts), as PyTorch's
 * {@code torch.optim.lr_scheduler}: created at epoch 0 with the optimizer's current learning rate as the base rate,
 * and each {@link #step()} advances one epoch and sets the optimizer's rate to {@link #learningRateAt} of it.
 *
 * <p>Rates come from the closed-form formula of each schedule (PyTorch's {@code _get_closed_form_lr}); PyTorch's
 * default chained update computes the same values up to rounding.
 */
public abstract class LearningRateSchedule {

  private final Optimizer optimizer;
  private final double baseLearningRate;
  private int epoch;

  protected LearningRateSchedule(Optimizer optimizer) {
    this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
    this.baseLearningRate = optimizer.learningRate();
  }

  /** Advances one epoch and sets the optimizer's learning rate for it. */
  public final void step() {
    epoch++;
    optimizer.setLearningRate(learningRateAt(epoch));
  }

  /** Epochs stepped so far (0 after construction). */
  public final int epoch() {
    return epoch;
  }

  /** The optimizer's learning rate when the schedule was created. */
  public final double baseLearningRate() {
    return baseLearningRate;
  }

  /** The learning rate of epoch {@code epoch} >= 0. */
  public abstract double learningRateAt(int epoch);
}
