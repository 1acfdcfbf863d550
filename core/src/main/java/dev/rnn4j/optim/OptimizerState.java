package dev.rnn4j.optim;

import dev.rnn4j.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A copy of an optimizer's state: what {@link Optimizer#state()} returns and {@link Optimizer#loadState} takes.
 * Holding it does not tie it to the optimizer (every buffer is a copy both ways).
 *
 * <p>Per parameter (index-aligned with {@link Optimizer#parameters()}): the number of updates it received and its
 * buffers, named as in PyTorch's {@code optimizer.state_dict()["state"][i]}: {@code momentum_buffer} (SGD with
 * momentum), {@code exp_avg} and {@code exp_avg_sq} (Adam, AdamW). A parameter that was never updated (or was
 * reset) has step 0 and no buffers.
 *
 * @param type the optimizer's name: {@code SGD}, {@code Adam}, {@code AdamW}, or the one a subclass passes
 * @param hyperparameters every fixed setting as text ({@link Double#toString}, exact), e.g. {@code beta2 -> 0.999};
 *     {@link Optimizer#loadState} requires them to equal the target optimizer's
 * @param learningRate the current rate (schedules change it, so it is state, not a fixed setting)
 * @param skippedSteps {@link Optimizer#skippedSteps()}
 * @param parameters one entry per parameter
 * @param parameterNames names of the parameters for messages (e.g. {@code fc.weight}), or empty
 */
public record OptimizerState(String type, Map<String, String> hyperparameters, double learningRate,
                             long skippedSteps, List<ParameterState> parameters, List<String> parameterNames) {

  public OptimizerState {
    if (type == null || hyperparameters == null || parameters == null || parameterNames == null
        || parameters.stream().anyMatch(Objects::isNull) || parameterNames.stream().anyMatch(Objects::isNull)) {
      throw new IllegalArgumentException("OptimizerState: type, hyperparameters, parameters and parameterNames (and"
          + " their elements) must not be null");
    }
    hyperparameters = Collections.unmodifiableMap(new LinkedHashMap<>(hyperparameters));
    parameters = List.copyOf(parameters);
    parameterNames = List.copyOf(parameterNames);
    if (!parameterNames.isEmpty() && parameterNames.size() != parameters.size()) {
      throw new IllegalArgumentException("OptimizerState: " + parameterNames.size() + " parameter names for "
          + parameters.size() + " parameters");
    }
  }

  /** The same state with names for the parameters (used in messages). */
  public OptimizerState withParameterNames(List<String> names) {
    return new OptimizerState(type, hyperparameters, learningRate, skippedSteps, parameters, names);
  }

  /** How parameter {@code i} appears in messages: {@code parameter 2 ('fc.bias')} or {@code parameter 2}. */
  String label(int i) {
    return "parameter " + i + (parameterNames.isEmpty() ? "" : " ('" + parameterNames.get(i) + "')");
  }

  /**
   * The state of one parameter.
   *
   * @param step updates this parameter received (Adam's bias-correction exponent), >= 0
   * @param buffers by PyTorch name; each has the parameter's shape and dtype
   */
  public record ParameterState(int step, Map<String, Tensor> buffers) {

    public ParameterState {
      if (step < 0) {
        throw new IllegalArgumentException("OptimizerState.ParameterState: step must be >= 0, got " + step);
      }
      if (buffers == null) {
        throw new IllegalArgumentException("OptimizerState.ParameterState: buffers must not be null");
      }
      Map<String, Tensor> copy = new LinkedHashMap<>();
      for (Map.Entry<String, Tensor> e : buffers.entrySet()) {
        if (e.getKey() == null || e.getValue() == null) {
          throw new IllegalArgumentException("OptimizerState.ParameterState: null buffer name or tensor: " + e);
        }
        copy.put(e.getKey(), e.getValue());
      }
      buffers = Collections.unmodifiableMap(copy);
    }

    /** Step 0, no buffers: a parameter the optimizer has not touched. */
    public static ParameterState empty() {
      return new ParameterState(0, Map.of());
    }
  }
}
