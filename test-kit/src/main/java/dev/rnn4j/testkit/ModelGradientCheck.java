package dev.rnn4j.testkit;

import dev.rnn4j.autograd.NoGrad;
import dev.rnn4j.check.GradientChecker;
import dev.rnn4j.nn.Module;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.opentest4j.AssertionFailedError;

/**
 * Checks the gradients of a whole model, every parameter (and any float input), against central finite differences,
 * as {@code torch.autograd.gradcheck} does for a function.
 *
 * <pre>{@code
 * ModelGradientCheck.of(dtype -> new Classifier(dtype, 7), m -> m.loss(tokens, labels))
 *     .assertGradients(model);   // model may be float32: the check runs on its float64 twin
 * }</pre>
 *
 * <h2>The float64 twin</h2>
 * Central differences in float32 are dominated by rounding (gradcheck's documentation advises float64), so the check
 * never perturbs the model it is given: it asks the factory for a float64 model of the same architecture, copies the
 * given model's parameters into it by name, sets its training mode to the model's, and checks that twin. The factory
 * is the user's constructor with the dtype as its argument. Everything else about the computation (inputs, loss) is
 * the loss function's business; it must be deterministic (no dropout unless re-seeded inside) and smooth near the
 * parameters (keep away from relu's kink).
 *
 * <h2>What is compared</h2>
 * A loss with more than one element is reduced to {@code sum(r * loss)} with a fixed, seeded random r: a random
 * vector-Jacobian product, which a wrong Jacobian entry changes with probability 1. Entry by entry, with gradcheck's
 * defaults {@code eps 1e-6, atol 1e-5, rtol 1e-3}: {@code |analytical - numerical| <= atol + rtol * |numerical|}.
 *
 * <h2>Sampling</h2>
 * A tensor of at most {@link #DEFAULT_SAMPLES} = 200 elements is checked entirely. A larger one is checked on 200
 * distinct entries: 100 drawn among the entries whose analytical gradient is non-zero (where a wrong backward that
 * computes something shows), 100 among all entries (where a backward that forgets to write shows: its analytical
 * gradient is zero, the numerical one is not). If a backward is wrong on a fraction f of a tensor's entries, 100
 * uniform draws all miss them with probability {@code (1 - f)^100}: 0.6% for f = 5%, 0.0027% for f = 10%, 0.16%
 * for f = 1/16 (one wrong hidden unit of 16). The bugs that matter in practice are wrong on far larger fractions: a
 * missing bias gradient on all of the bias, a swapped gate block on 1/4 to 1/2 of a weight, a time index off by one
 * on nearly all of W_hh. Each sampled entry costs two forward passes, so the whole check costs at most
 * {@code 2 * 200} forward passes per tensor.
 */
@SuppressWarnings("try") // the no-grad scope is used for its effect only
public final class ModelGradientCheck<M extends Module> {

  /** Entries checked per tensor when it is larger (see the class Javadoc). */
  public static final int DEFAULT_SAMPLES = 200;

  /** Builds the model in a given dtype (the same architecture and parameter names for every dtype). */
  @FunctionalInterface
  public interface ModelFactory<M extends Module> {
    M create(DType dtype);
  }

  /** The loss of a model on float64 copies of the check's inputs. */
  @FunctionalInterface
  public interface Loss<M extends Module> {
    Tensor apply(M model, Tensor[] inputs);
  }

  private final ModelFactory<M> factory;
  private final Loss<M> loss;
  private Tensor[] inputs = new Tensor[0];
  private double eps = GradientChecker.DEFAULT_EPS;
  private double atol = GradientChecker.DEFAULT_ATOL;
  private double rtol = GradientChecker.DEFAULT_RTOL;
  private int samples = DEFAULT_SAMPLES;
  private long seed = 1;

  private ModelGradientCheck(ModelFactory<M> factory, Loss<M> loss) {
    this.factory = Objects.requireNonNull(factory, "factory");
    this.loss = Objects.requireNonNull(loss, "loss");
  }

  /** A check of {@code loss}, a function of the model only (its inputs captured). */
  public static <M extends Module> ModelGradientCheck<M> of(ModelFactory<M> factory, Function<M, Tensor> loss) {
    Objects.requireNonNull(loss, "loss");
    return new ModelGradientCheck<>(factory, (m, in) -> loss.apply(m));
  }

  /** A check of {@code loss}, a function of the model and the tensors given to {@link #inputs}. */
  public static <M extends Module> ModelGradientCheck<M> of(ModelFactory<M> factory, Loss<M> loss) {
    return new ModelGradientCheck<>(factory, loss);
  }

  /**
   * Float inputs of the loss: passed to it as float64 copies, and checked as well where they require a gradient
   * (named "input 0", "input 1" ... in messages).
   */
  public ModelGradientCheck<M> inputs(Tensor... inputs) {
    for (int i = 0; i < inputs.length; i++) {
      if (inputs[i] == null) {
        throw new IllegalArgumentException("ModelGradientCheck: input " + i + " is null");
      }
    }
    this.inputs = inputs.clone();
    return this;
  }

  /** Finite-difference step, finite and > 0 (default 1e-6). */
  public ModelGradientCheck<M> eps(double eps) {
    if (!(eps > 0) || Double.isInfinite(eps)) {
      throw new IllegalArgumentException("ModelGradientCheck: eps must be finite and > 0, got " + eps);
    }
    this.eps = eps;
    return this;
  }

  /** Absolute tolerance, >= 0 (default 1e-5). */
  public ModelGradientCheck<M> atol(double atol) {
    if (!(atol >= 0)) {
      throw new IllegalArgumentException("ModelGradientCheck: atol must be >= 0, got " + atol);
    }
    this.atol = atol;
    return this;
  }

  /** Relative tolerance, >= 0 (default 1e-3). */
  public ModelGradientCheck<M> rtol(double rtol) {
    if (!(rtol >= 0)) {
      throw new IllegalArgumentException("ModelGradientCheck: rtol must be >= 0, got " + rtol);
    }
    this.rtol = rtol;
    return this;
  }

  /** Entries checked per larger tensor, >= 2 (default 200; see the class Javadoc for what that buys). */
  public ModelGradientCheck<M> samplesPerTensor(int samples) {
    if (samples < 2) {
      throw new IllegalArgumentException("ModelGradientCheck: samplesPerTensor must be >= 2, got " + samples);
    }
    this.samples = samples;
    return this;
  }

  /** Seed of the sampling and of the random reduction of a non-scalar loss (default 1). */
  public ModelGradientCheck<M> seed(long seed) {
    this.seed = seed;
    return this;
  }

  /**
   * The outcome. When failed, the worst entry (largest ratio of difference to allowed difference); when passed, the
   * entry with the largest difference.
   *
   * @param failuresByTensor failing entries per tensor name, only tensors with failures, in check order
   */
  public record Result(boolean passed, int checked, int failures, String tensor, int[] shape, String index,
                       double numerical, double analytical, double atol, double rtol, double eps,
                       Map<String, String> failuresByTensor) {

    /** One paragraph describing the result and the reported entry. */
    public String message() {
      if (checked == 0) {
        return "model gradient check: nothing to check (no parameters or differentiable inputs)";
      }
      String entry = tensor + " at index " + index + ": numerical " + Numbers.format(numerical) + ", analytical "
          + Numbers.format(analytical);
      String rule = "atol " + Numbers.format(atol) + " + rtol " + Numbers.format(rtol) + " * |numerical|; float64 "
          + "twin, central differences with eps " + Numbers.format(eps);
      if (passed) {
        return "model gradient check passed: " + checked + " entries (" + rule + "); largest difference at " + entry;
      }
      List<String> per = new ArrayList<>();
      failuresByTensor.forEach((k, v) -> per.add(k + " " + v));
      return "model gradient check failed: " + failures + " of " + checked + " checked entries out of tolerance ("
          + rule + "); worst: " + entry + " (|difference| " + Numbers.format(Math.abs(analytical - numerical))
          + "); failing entries per tensor: " + String.join(", ", per);
    }

    @Override
    public String toString() {
      return message();
    }
  }

  /** Checks the model (not modified: the check runs on its float64 twin). */
  public Result check(M model) {
    Objects.requireNonNull(model, "ModelGradientCheck: model");
    M twin = twinOf(model);
    Tensor[] xs = new Tensor[inputs.length];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = Tensor.fromArray(inputs[i].toDoubleArray(), inputs[i].shape()).requiresGrad(inputs[i].requiresGrad());
    }
    Map<String, Tensor> targets = new LinkedHashMap<>(twin.namedParameters());
    for (int i = 0; i < xs.length; i++) {
      if (xs[i].requiresGrad()) {
        targets.put("input " + i, xs[i]);
      }
    }
    // Analytical: one backward pass of the (reduced) loss.
    Tensor out;
    try {
      out = loss.apply(twin, xs);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("ModelGradientCheck: the loss failed on the float64 twin: " + e.getMessage()
          + " (float tensors the loss uses must come through inputs(...), which hands it float64 copies, or be "
          + "converted to the model's dtype)", e);
    }
    if (out == null) {
      throw new IllegalArgumentException("ModelGradientCheck: the loss function returned null");
    }
    Tensor weights = out.numel() == 1 ? null
        : Tensor.normal(DType.FLOAT64, new SplittableRandom(seed), 0, 1, out.shape());
    reduce(out, weights).backward();
    Map<String, double[]> analytical = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> t : targets.entrySet()) {
      Tensor g = t.getValue().grad();
      analytical.put(t.getKey(), g == null ? new double[t.getValue().numel()] : g.toDoubleArray());
    }
    Worst w = new Worst();
    try (NoGrad g = NoGrad.enter()) {
      for (Map.Entry<String, Tensor> t : targets.entrySet()) {
        Tensor x = t.getValue();
        double[] a = analytical.get(t.getKey());
        for (int e : entries(t.getKey(), a)) {
          double orig = x.getFlat(e);
          x.setFlat(e, orig + eps);
          double hi = x.getFlat(e);
          double plus = value(twin, xs, weights);
          x.setFlat(e, orig - eps);
          double lo = x.getFlat(e);
          double minus = value(twin, xs, weights);
          x.setFlat(e, orig);
          w.add(t.getKey(), x.shape(), e, (plus - minus) / (hi - lo), a[e]);
        }
      }
    }
    return w.result();
  }

  /** {@link #check}, throwing an {@link AssertionFailedError} with {@link Result#message()} when it fails. */
  public Result assertGradients(M model) {
    Result r = check(model);
    if (!r.passed()) {
      throw new AssertionFailedError(r.message());
    }
    return r;
  }

  private M twinOf(M model) {
    M twin = factory.create(DType.FLOAT64);
    if (twin == null) {
      throw new IllegalArgumentException("ModelGradientCheck: the factory returned null for float64");
    }
    Map<String, Tensor> src = model.namedParameters();
    Map<String, Tensor> dst = twin.namedParameters();
    if (!src.keySet().equals(dst.keySet())) {
      throw new IllegalArgumentException("ModelGradientCheck: the float64 model from the factory has parameters "
          + dst.keySet() + " but the model has " + src.keySet() + "; the factory must build the same architecture");
    }
    for (Map.Entry<String, Tensor> p : src.entrySet()) {
      Tensor d = dst.get(p.getKey());
      if (!Arrays.equals(d.shape(), p.getValue().shape())) {
        throw new IllegalArgumentException("ModelGradientCheck: parameter " + p.getKey() + " is "
            + Arrays.toString(p.getValue().shape()) + " in the model but " + Arrays.toString(d.shape())
            + " in the float64 model from the factory");
      }
      if (d.dtype() != DType.FLOAT64) {
        throw new IllegalArgumentException("ModelGradientCheck: parameter " + p.getKey() + " of the model the "
            + "factory built for float64 is " + d.dtype());
      }
      d.copyFrom(Tensor.fromArray(p.getValue().toDoubleArray(), d.shape()));
    }
    twin.train(model.isTraining());
    return twin;
  }

  private static Tensor reduce(Tensor out, Tensor weights) {
    return weights == null ? out.reshape() : out.mul(weights).sum();
  }

  private double value(M twin, Tensor[] xs, Tensor weights) {
    return reduce(loss.apply(twin, xs), weights).item();
  }

  /** The entries of one tensor to check: all, or the sample of the class Javadoc. */
  private int[] entries(String name, double[] analytical) {
    int n = analytical.length;
    if (n <= samples) {
      int[] all = new int[n];
      Arrays.setAll(all, i -> i);
      return all;
    }
    SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + name.hashCode());
    List<Integer> nonZero = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (analytical[i] != 0) {
        nonZero.add(i);
      }
    }
    boolean[] taken = new boolean[n];
    int[] picked = new int[samples];
    int count = 0;
    int fromNonZero = Math.min(samples / 2, nonZero.size());
    for (int k = 0; k < fromNonZero; k++) { // partial Fisher-Yates: distinct draws
      int j = k + rng.nextInt(nonZero.size() - k);
      int chosen = nonZero.get(j);
      nonZero.set(j, nonZero.get(k));
      nonZero.set(k, chosen);
      taken[chosen] = true;
      picked[count++] = chosen;
    }
    while (count < samples) {
      int e = rng.nextInt(n);
      if (!taken[e]) {
        taken[e] = true;
        picked[count++] = e;
      }
    }
    Arrays.sort(picked);
    return picked;
  }

  /** Tracks the worst entry and the failures per tensor. */
  private final class Worst {
    int checked;
    int failures;
    double score = -1;
    String tensor;
    int[] shape;
    int index;
    double numerical;
    double analytical;
    final Map<String, int[]> perTensor = new LinkedHashMap<>();

    void add(String name, int[] shapeOf, int e, double num, double ana) {
      checked++;
      double diff = Math.abs(ana - num);
      double allowed = atol + rtol * Math.abs(num);
      boolean ok = diff <= allowed; // false for NaN
      int[] counts = perTensor.computeIfAbsent(name, k -> new int[2]);
      counts[1]++;
      if (!ok) {
        failures++;
        counts[0]++;
      }
      double s = Double.isNaN(diff) ? Double.POSITIVE_INFINITY : allowed > 0 ? diff / allowed : diff;
      if (score < 0 || s > score) {
        score = s;
        tensor = name;
        shape = shapeOf;
        index = e;
        numerical = num;
        analytical = ana;
      }
    }

    Result result() {
      Map<String, String> failing = new LinkedHashMap<>();
      perTensor.forEach((k, v) -> {
        if (v[0] > 0) {
          failing.put(k, v[0] + "/" + v[1]);
        }
      });
      return new Result(failures == 0, checked, failures, tensor, shape,
          shape == null ? "[]" : Numbers.index(index, shape), numerical, analytical, atol, rtol, eps, failing);
    }
  }
}
