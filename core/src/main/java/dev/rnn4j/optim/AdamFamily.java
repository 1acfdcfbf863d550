package dev.rnn4j.optim;

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam and AdamW: the same moments and bias correction, differing only in how weight decay enters. The moments' state
 * names are PyTorch's: {@value #EXP_AVG} (first moment m) and {@value #EXP_AVG_SQ} (second moment v).
 */
public abstract sealed class AdamFamily extends Optimizer permits Adam, AdamW {

  /** State name of the first moment m, as PyTorch's. */
  public static final String EXP_AVG = "exp_avg";
  /** State name of the second moment v, as PyTorch's. */
  public static final String EXP_AVG_SQ = "exp_avg_sq";

  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;
  private final boolean decoupled;
  // Per parameter, index-aligned with parameters(): first and second moments (float[] or double[]), null until the
  // parameter's first update and after a reset. The step counts live in Optimizer.
  private final Object[] m;
  private final Object[] v;

  AdamFamily(String name, Iterable<Tensor> parameters, double learningRate, double beta1, double beta2, double eps,
             double weightDecay, boolean decoupled) {
    super(name, parameters, learningRate);
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException(name + ": betas must be in [0, 1), got (" + beta1 + ", " + beta2 + ")");
    }
    checkNonNegative(name, "eps", eps);
    checkNonNegative(name, "weightDecay", weightDecay);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
    this.decoupled = decoupled;
    int n = parameters().size();
    this.m = new Object[n];
    this.v = new Object[n];
  }

  @Override
  protected final void update(Kernels k, int i, Tensor p, Tensor g, int t, double lr) {
    UpdateOps ops = UpdateOps.of(p);
    if (m[i] == null) {
      m[i] = ops.newBuffer(p.numel());
      v[i] = ops.newBuffer(p.numel());
    }
    ops.adamUpdate(k, lr, beta1, beta2, eps, weightDecay, decoupled, t, p, g, m[i], v[i]);
  }

  @Override
  protected final void clearBuffers(int i) {
    m[i] = null;
    v[i] = null;
  }

  @Override
  protected final LinkedHashMap<String, String> hyperparameters() {
    LinkedHashMap<String, String> h = new LinkedHashMap<>();
    h.put("beta1", Double.toString(beta1));
    h.put("beta2", Double.toString(beta2));
    h.put("eps", Double.toString(eps));
    h.put("weight_decay", Double.toString(weightDecay));
    return h;
  }

  @Override
  protected final List<String> expectedBuffers(int step) {
    return step > 0 ? List.of(EXP_AVG, EXP_AVG_SQ) : List.of();
  }

  @Override
  protected final Map<String, Tensor> copyBuffers(int i) {
    if (m[i] == null) {
      return Map.of();
    }
    Tensor p = parameters().get(i);
    Map<String, Tensor> out = new LinkedHashMap<>();
    out.put(EXP_AVG, copyOf(p, m[i]));
    out.put(EXP_AVG_SQ, copyOf(p, v[i]));
    return out;
  }

  @Override
  protected final void setBuffers(int i, Map<String, Tensor> buffers) {
    m[i] = arrayOf(buffers.get(EXP_AVG));
    v[i] = arrayOf(buffers.get(EXP_AVG_SQ));
  }

  public final double beta1() {
    return beta1;
  }

  public final double beta2() {
    return beta2;
  }

  public final double eps() {
    return eps;
  }

  public final double weightDecay() {
    return weightDecay;
  }

}
