package dev.rnn4j.testkit;

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.kernels.testing.ErrorBounds;
import dev.rnn4j.kernels.testing.KernelSets;
import dev.rnn4j.nn.Module;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.Shapes;
import dev.rnn4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * Asserts that a user's computation, its forward output and the gradients of every parameter of its model, comes
 * out the same on two kernel sets (the scalar spec and the SIMD kernels) within a bound derived from the
 * computation's size, not a tolerance tuned until green.
 *
 * <pre>{@code
 * KernelAgreement.of(() -> new Classifier(DType.FLOAT32, 7), m -> m.logits(tokens))
 *     .size(ComputationSize.of(48, 8, 18))
 *     .assertAgree();
 * }</pre>
 *
 * <p>Each kernel set gets its own model from the supplier (built under the scalar spec, so both start from the same
 * bits); the forward runs, then a backward pass with a fixed, seeded random output gradient (a random
 * vector-Jacobian product reaches every parameter that the output depends on).
 *
 * <h2>The bound</h2>
 * Element i of a compared tensor may differ by {@code 2 * gamma(N) * amplification * max_j |t_j|}, with u the unit
 * roundoff of the dtype ({@link ErrorBounds}), {@code gamma(N) = N u / (1 - N u)}, N the roundings on a path
 * ({@link ComputationSize#forwardRoundings()} for the output, {@link ComputationSize#backwardRoundings()} for
 * gradients) and the maximum over the tensor's elements in both runs. The running error bound puts each
 * implementation within {@code gamma(N) * A_i} of the exact value, A_i being the computation evaluated on absolute
 * values; two implementations are within twice that ({@link ErrorBounds#agreement}). The kit replaces A_i by the
 * tensor's largest magnitude: this is exact for sums of same-sign terms and stages that do not amplify errors (tanh
 * and sigmoid are 1-Lipschitz, recurrent weights of norm below 1), and it is the stated limit of the bound: a model
 * whose outputs are small differences of large terms, or whose recurrence amplifies perturbations, can exceed it
 * with correct kernels. Declare that with {@link #amplification(double)} (an estimate of the condition number) and a
 * comment saying why.
 */
@SuppressWarnings("try") // kernel scopes are used for their effect only
public final class KernelAgreement<M extends Module> {

  private final Supplier<M> model;
  private final Function<M, Tensor> forward;
  private ComputationSize size;
  private double amplification = 1;
  private long seed = 1;

  private KernelAgreement(Supplier<M> model, Function<M, Tensor> forward) {
    this.model = Objects.requireNonNull(model, "model");
    this.forward = Objects.requireNonNull(forward, "forward");
  }

  /**
   * A check of {@code forward} on models from {@code model}.
   *
   * @param model a fresh, identically initialised model on every call (seed its random initialisation)
   * @param forward the computation: the model's output (any shape) for fixed inputs
   */
  public static <M extends Module> KernelAgreement<M> of(Supplier<M> model, Function<M, Tensor> forward) {
    return new KernelAgreement<>(model, forward);
  }

  /** The computation's size (required). */
  public KernelAgreement<M> size(ComputationSize size) {
    this.size = Objects.requireNonNull(size, "size");
    return this;
  }

  /** A factor (>= 1) on the bound for ill-conditioned computations: see the class Javadoc. Default 1. */
  public KernelAgreement<M> amplification(double factor) {
    if (!(factor >= 1) || Double.isInfinite(factor)) {
      throw new IllegalArgumentException("KernelAgreement: amplification must be finite and >= 1, got " + factor);
    }
    this.amplification = factor;
    return this;
  }

  /** Seed of the random output gradient (default 1). */
  public KernelAgreement<M> seed(long seed) {
    this.seed = seed;
    return this;
  }

  /**
   * Compares the scalar spec with the kernels current on this thread, or with the SIMD kernels when the current ones
   * are the scalar spec (as in the scalar run of {@link ForEachKernelSet}, or outside any scope on a JVM that
   * selected scalar). Under {@link dev.rnn4j.testkit.mutants.Mutants#assertDetects} the current kernels are the
   * mutant's.
   *
   * @throws TestAbortedException when the comparison would be the scalar spec against itself and SIMD is unavailable
   */
  public void assertAgree() {
    Kernels candidate = KernelScope.current();
    if (candidate.equals(KernelSets.scalar())) {
      candidate = KernelSets.simd().orElseThrow(() -> new TestAbortedException(
          "KernelAgreement: SIMD kernels unavailable, nothing to compare the scalar spec with: "
              + KernelSets.simdUnavailableReason()));
    }
    assertAgree(KernelSets.scalar(), candidate);
  }

  /**
   * Compares {@code reference} with {@code candidate}.
   *
   * @throws AssertionFailedError naming the first tensor (output, then parameters in registration order) that differs
   *     beyond the bound, with the mismatch report and the bound's terms
   * @throws IllegalStateException when the size was not given, or the model or output changes between runs
   */
  public void assertAgree(Kernels reference, Kernels candidate) {
    if (size == null) {
      throw new IllegalStateException("KernelAgreement: call size(ComputationSize) first: the bound is derived "
          + "from it");
    }
    M referenceModel = build();
    M candidateModel = build();
    for (Map.Entry<String, Tensor> p : referenceModel.namedParameters().entrySet()) {
      Tensor other = candidateModel.namedParameters().get(p.getKey());
      if (other == null || !Arrays.equals(p.getValue().toDoubleArray(), other.toDoubleArray())) {
        throw new IllegalStateException("KernelAgreement: the model supplier built two different models (parameter "
            + p.getKey() + " differs); it must build the same model on every call (seed its initialisation)");
      }
    }
    Run r = run(referenceModel, reference);
    Run c = run(candidateModel, candidate);
    if (!Arrays.equals(r.shapes.get("output"), c.shapes.get("output"))
        || !r.values.keySet().equals(c.values.keySet())) {
      throw new IllegalStateException("KernelAgreement: the two runs differ in structure: outputs "
          + Shapes.format(r.shapes.get("output")) + " and " + Shapes.format(c.shapes.get("output")) + ", tensors "
          + r.values.keySet() + " and " + c.values.keySet() + "; the model supplier must build the same model");
    }
    ErrorBounds eb = r.dtype == DType.FLOAT32 ? ErrorBounds.F32 : ErrorBounds.F64;
    List<String> problems = new ArrayList<>();
    for (String name : r.values.keySet()) {
      double[] a = c.values.get(name);
      double[] e = r.values.get(name);
      int n = name.equals("output") ? size.forwardRoundings() : size.backwardRoundings();
      double scale = Math.max(maxAbs(a), maxAbs(e));
      double bound = ErrorBounds.agreement(eb.gamma(n) * amplification * scale) + n * eb.eta();
      Mismatches.report(a, e, r.shapes.get(name), bound, 0, true, false).ifPresent(rep -> problems.add(
          (name.equals("output") ? "output" : "gradient of " + name) + ": " + rep + "; bound 2 gamma(" + n + ") * "
              + (amplification == 1 ? "" : Numbers.format(amplification) + " * ") + "max |value| "
              + Numbers.format(scale) + " = " + Numbers.format(bound) + " (" + r.dtype + ", u = 2^"
              + Math.getExponent(eb.u()) + ")"));
    }
    if (!problems.isEmpty()) {
      throw new AssertionFailedError(candidate.name() + " and " + reference.name() + " kernels disagree beyond "
          + "the bound derived from " + size + " on " + problems.size() + " tensor(s):\n  "
          + String.join("\n  ", problems));
    }
  }

  private record Run(DType dtype, Map<String, double[]> values, Map<String, int[]> shapes) {}

  /** A model from the supplier, built under the scalar spec so that every call can give the same bits. */
  private M build() {
    return Objects.requireNonNull(KernelScope.get(KernelSets.scalar(), model),
        "KernelAgreement: the model supplier returned null");
  }

  private Run run(M m, Kernels kernels) {
    try (KernelScope s = KernelScope.use(kernels)) {
      m.zeroGrad();
      Tensor y = forward.apply(m);
      Objects.requireNonNull(y, "KernelAgreement: the forward function returned null");
      Map<String, double[]> values = new LinkedHashMap<>();
      Map<String, int[]> shapes = new LinkedHashMap<>();
      values.put("output", y.toDoubleArray());
      shapes.put("output", y.shape());
      if (y.requiresGrad()) {
        y.backward(Tensor.normal(y.dtype(), new SplittableRandom(seed), 0, 1, y.shape()));
      }
      for (Map.Entry<String, Tensor> p : m.namedParameters().entrySet()) {
        Tensor g = p.getValue().grad();
        values.put(p.getKey(), g == null ? new double[p.getValue().numel()] : g.toDoubleArray());
        shapes.put(p.getKey(), p.getValue().shape());
      }
      return new Run(y.dtype(), values, shapes);
    }
  }

  private static double maxAbs(double[] x) {
    double m = 0;
    for (double v : x) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }
}
