package dev.rnn4j.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A learning-rate schedule over epochs (or steps: whatever the caller counts), as PyTorch's
 * {@code torch.optim.lr_scheduler}: created at epoch 0 with the optimizer's current learning rate as the base rate,
 * and each {@link #step()} advances one epoch and sets the optimizer's rate to {@link #learningRateAt} of it.
 *
 * <p>Rates come from the closed-form formula of each schedule (PyTorch's {@code _get_closed_form_lr}); PyTorch's
 * default chained update computes the same values up to rounding.
 *
 * <p>State: {@link #state()} copies the position and the settings out; {@link #loadState} checks that the settings
 * (and the base rate) equal this schedule's and then sets the position. Loading does not touch the optimizer's rate:
 * the optimizer's own state carries it ({@code dev.rnn4j.io.Checkpoint} restores both).
 */
public abstract class LearningRateSchedule {

  private final Optimizer optimizer;
  private final double baseLearningRate;
  private int epoch;

  /** A schedule that starts at epoch 0 from {@code optimizer}'s current learning rate. */
  protected LearningRateSchedule(Optimizer optimizer) {
    if (optimizer == null) {
      throw new IllegalArgumentException(getClass().getSimpleName() + ": optimizer is null");
    }
    this.optimizer = optimizer;
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

  /** The optimizer whose learning rate this schedule sets. */
  public final Optimizer optimizer() {
    return optimizer;
  }

  /** The optimizer's learning rate when the schedule was created. */
  public final double baseLearningRate() {
    return baseLearningRate;
  }

  /** The learning rate of epoch {@code epoch} >= 0. */
  public abstract double learningRateAt(int epoch);

  /** A copy of the state: position and settings. */
  public final ScheduleState state() {
    return new ScheduleState(getClass().getSimpleName(), epoch, allHyperparameters());
  }

  /**
   * Throws unless {@code state} can be loaded: same schedule type, same settings and base rate. Changes nothing.
   *
   * @throws IllegalArgumentException naming the setting and both values
   */
  public final void checkState(ScheduleState state) {
    String name = getClass().getSimpleName();
    String where = name + ".loadState: ";
    if (state == null) {
      throw new IllegalArgumentException(where + "state must not be null");
    }
    if (!state.type().equals(name)) {
      throw new IllegalArgumentException(where + "the state is of a " + state.type() + " schedule, this is a " + name);
    }
    Map<String, String> mine = allHyperparameters();
    if (!mine.equals(state.hyperparameters())) {
      throw new IllegalArgumentException(where + "settings differ: " + state.hyperparameters()
          + " in the state, " + mine + " here");
    }
  }

  /** Moves this schedule to the position of {@code state} after {@link #checkState} accepted it. */
  public final void loadState(ScheduleState state) {
    checkState(state);
    epoch = state.epoch();
  }

  private Map<String, String> allHyperparameters() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("base_lr", Double.toString(baseLearningRate));
    h.putAll(hyperparameters());
    return h;
  }

  /** The schedule's fixed settings as exact text, in a fixed order (PyTorch's argument names). */
  protected abstract Map<String, String> hyperparameters();

  static Map<String, String> ordered(String k1, String v1, String k2, String v2) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(k1, v1);
    m.put(k2, v2);
    return m;
  }
}
