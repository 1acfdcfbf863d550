package dev.rnn4j.optim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A copy of a learning-rate schedule's state: what {@link LearningRateSchedule#state()} returns and
 * {@link LearningRateSchedule#loadState} takes.
 *
 * @param type the schedule class's simple name: {@code StepLR} or {@code CosineAnnealingLR}
 * @param epoch its position, {@link LearningRateSchedule#epoch()} (PyTorch's {@code last_epoch}), >= 0
 * @param hyperparameters every fixed setting as exact text, including {@code base_lr}; a loaded state must match
 */
public record ScheduleState(String type, int epoch, Map<String, String> hyperparameters) {

  public ScheduleState {
    if (type == null || hyperparameters == null) {
      throw new IllegalArgumentException("ScheduleState: type and hyperparameters must not be null");
    }
    if (epoch < 0) {
      throw new IllegalArgumentException("ScheduleState: epoch must be >= 0, got " + epoch);
    }
    hyperparameters = Collections.unmodifiableMap(new LinkedHashMap<>(hyperparameters));
  }
}
