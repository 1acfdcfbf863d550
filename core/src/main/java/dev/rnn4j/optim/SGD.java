package dev.rnn4j.optim;

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with momentum, dampening, Nesterov momentum and L2 weight decay, as PyTorch's
 * {@code torch.optim.SGD}. Per parameter p with gradient g:
 * <pre>
 *   g = g + weightDecay * p
 *   if momentum != 0:
 *     v = (first step) ? g : momentum * v + (1 - dampening) * g
 *     g = nesterov ? g + momentum * v : v
 *   p = p - lr * g
 * </pre>
 * computed by the kernels' fused {@code sgdUpdate}. The momentum buffer v is per parameter, created at the
 * parameter's first update; its state name is {@value #MOMENTUM_BUFFER}. Non-finite gradients, state and reset:
 * {@link Optimizer}.
 */
public final class SGD extends Optimizer {

  private final double momentum;
  private final double dampening;
  private final double weightDecay;
  private final boolean nesterov;
  /** Name of the momentum buffer in {@link OptimizerState}, as PyTorch's SGD state. */
  public static final String MOMENTUM_BUFFER = "momentum_buffer";

  // Momentum buffers, index-aligned with parameters(); null until the parameter's first update (and after a reset);
  // an empty array without momentum.
  private final Object[] velocity;

  /** Plain SGD: {@code p -= lr * g}. */
  public SGD(Iterable<Tensor> parameters, double learningRate) {
    this(parameters, learningRate, 0, 0, 0, false);
  }

  /** SGD with momentum (no dampening, no weight decay, no Nesterov). */
  public SGD(Iterable<Tensor> parameters, double learningRate, double momentum) {
    this(parameters, learningRate, momentum, 0, 0, false);
  }

  /**
   * @param momentum >= 0
   * @param dampening >= 0; must be 0 with Nesterov
   * @param weightDecay L2 coefficient, >= 0
   * @param nesterov Nesterov momentum; needs momentum > 0 and dampening 0 (as PyTorch)
   */
  public SGD(Iterable<Tensor> parameters, double learningRate, double momentum, double dampening,
             double weightDecay, boolean nesterov) {
    super("SGD", parameters, learningRate);
    checkNonNegative("SGD", "momentum", momentum);
    checkNonNegative("SGD", "dampening", dampening);
    checkNonNegative("SGD", "weightDecay", weightDecay);
    if (nesterov && (momentum <= 0 || dampening != 0)) {
      throw new IllegalArgumentException("SGD: Nesterov momentum requires momentum > 0 and dampening 0, got momentum "
          + momentum + ", dampening " + dampening);
    }
    this.momentum = momentum;
    this.dampening = dampening;
    this.weightDecay = weightDecay;
    this.nesterov = nesterov;
    this.velocity = new Object[parameters().size()];
  }

  @Override
  protected void update(Kernels k, int i, Tensor p, Tensor g, int step, double lr) {
    boolean first = step == 1;
    UpdateOps ops = UpdateOps.of(p);
    if (first) {
      velocity[i] = ops.newBuffer(momentum != 0 ? p.numel() : 0);
    }
    ops.sgdUpdate(k, lr, momentum, dampening, weightDecay, nesterov, first, p, g, velocity[i]);
  }

  @Override
  protected void clearBuffers(int i) {
    velocity[i] = null;
  }

  @Override
  protected LinkedHashMap<String, String> hyperparameters() {
    LinkedHashMap<String, String> h = new LinkedHashMap<>();
    h.put("momentum", Double.toString(momentum));
    h.put("dampening", Double.toString(dampening));
    h.put("weight_decay", Double.toString(weightDecay));
    h.put("nesterov", Boolean.toString(nesterov));
    return h;
  }

  @Override
  protected List<String> expectedBuffers(int step) {
    return momentum != 0 && step > 0 ? List.of(MOMENTUM_BUFFER) : List.of();
  }

  @Override
  protected Map<String, Tensor> copyBuffers(int i) {
    if (momentum == 0 || velocity[i] == null) {
      return Map.of();
    }
    return Map.of(MOMENTUM_BUFFER, copyOf(parameters().get(i), velocity[i]));
  }

  @Override
  protected void setBuffers(int i, Map<String, Tensor> buffers) {
    velocity[i] = arrayOf(buffers.get(MOMENTUM_BUFFER));
  }

  public double momentum() {
    return momentum;
  }

  public double dampening() {
    return dampening;
  }

  public double weightDecay() {
    return weightDecay;
  }

  public boolean nesterov() {
    return nesterov;
  }
}
