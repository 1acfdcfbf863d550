package dev.rnn4j.nn.recurrent;

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.tensor.Checks;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.Shapes;
import dev.rnn4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Gradient clipping over a list of parameters, as PyTorch's {@code clip_grad_norm_} and {@code clip_grad_value_}.
 * Gradients are modified in place; parameters without a gradient are skipped.
 *
 * <h2>The norm never overflows</h2>
 * {@link #clipByNorm} works for every finite gradient, including the exploding ones clipping exists for (float32
 * elements of 1e19, whose squares sum past {@link Float#MAX_VALUE}; float64 elements of 1e200) and tiny ones whose
 * squares underflow (float32 1e-30, subnormals). Per parameter it first takes the plain sum of squares with the
 * kernels (fast, as before), and only when that sum is infinite, NaN, or below the normal range (zero or subnormal: the
 * squares of tiny elements were flushed) it makes a second, safe pass over that parameter: float32 elements are
 * squared and summed in float64 (every float32 square is exact in float64 and far from its overflow and underflow
 * thresholds), float64 elements go through the scaled update of LAPACK's {@code dlassq} (reference BLAS
 * {@code dnrm2}). The parameters' sums are combined the same scaled way, in float64. A plain sum that is normal and
 * finite had no overflow (all terms are non-negative, so no partial sum exceeded it) and lost at most
 * {@code n · 2^-150} (float32) or {@code n · 2^-1075} (float64) to underflowed squares, at most n units of roundoff of
 * the sum: the same order as its ordinary rounding error, so the fast path is kept.
 *
 * <h2>Non-finite gradients</h2>
 * A NaN or infinite gradient element is handled by the {@link NonFiniteNorm} the caller passes: throw (naming the
 * parameter, index and value), skip (leave the gradients alone and report), or zero every gradient.
 * {@link ClipResult#finite()} tells whether the optimizer step should be taken.
 *
 * <h2>Threads</h2>
 * Clipping reads and writes the gradients in place: do not run it while a backward pass on another thread may still
 * add into the same parameters (see {@code docs/concurrency.md}).
 */
public final class GradientClipping {

  private GradientClipping() {}

  /**
   * {@link #clipByNorm(List, double, NonFiniteNorm)} with {@link NonFiniteNorm#SKIP}, returning the norm only.
   *
   * <p>SKIP is the default because it is what this method has always done with a non-finite norm (nothing is scaled)
   * and what PyTorch's {@code clip_grad_norm_} does by default ({@code error_if_nonfinite=False}: it does not throw),
   * so a training loop that ignores the return value keeps running; the non-finite gradients then reach the
   * optimizer, which must be told to skip the step. Pass {@link NonFiniteNorm#THROW} to fail fast instead.
   *
   * @return the global L2 norm before clipping: NaN or +Infinity if some gradient element is (nothing is scaled
   *     then), else the norm of the finite gradients (see {@link ClipResult#norm()})
   * @throws IllegalArgumentException if maxNorm is not positive, or the list or one of its elements is null
   */
  public static double clipByNorm(List<Tensor> parameters, double maxNorm) {
    return clipByNorm(parameters, maxNorm, NonFiniteNorm.SKIP).norm();
  }

  /**
   * Scales all gradients by {@code maxNorm / (norm + 1e-6)} when the global L2 norm over all of them exceeds
   * {@code maxNorm} (PyTorch's formula, so that the clipped norm is just below maxNorm), after handling non-finite
   * gradients by {@code policy}. Parameters are named {@code "parameter #i"} (position i in the list) in reports; use
   * {@link #clipByNorm(Map, double, NonFiniteNorm)} with {@code Module.namedParameters()} for real names.
   *
   * @throws IllegalArgumentException if maxNorm is not positive, or an argument or a list element is null
   * @throws IllegalStateException under {@link NonFiniteNorm#THROW} when a gradient element is NaN or infinite
   *     (no gradient is changed then)
   */
  public static ClipResult clipByNorm(List<Tensor> parameters, double maxNorm, NonFiniteNorm policy) {
    if (parameters == null) {
      throw new IllegalArgumentException("clipByNorm: parameters is null");
    }
    return clip(parameters, null, maxNorm, policy);
  }

  /**
   * {@link #clipByNorm(List, double, NonFiniteNorm)} over named parameters (for example
   * {@code model.namedParameters()}), which reports and throws with the parameter's name.
   */
  public static ClipResult clipByNorm(Map<String, Tensor> parameters, double maxNorm, NonFiniteNorm policy) {
    if (parameters == null) {
      throw new IllegalArgumentException("clipByNorm: parameters is null");
    }
    return clip(new ArrayList<>(parameters.values()), new ArrayList<>(parameters.keySet()), maxNorm, policy);
  }

  private static ClipResult clip(List<Tensor> params, List<String> names, double maxNorm, NonFiniteNorm policy) {
    if (!(maxNorm > 0)) {
      throw new IllegalArgumentException("clipByNorm: maxNorm must be > 0, got " + maxNorm);
    }
    if (policy == null) {
      throw new IllegalArgumentException("clipByNorm: policy is null (THROW, SKIP or ZERO)");
    }
    Tensor[] grads = new Tensor[params.size()];
    for (int i = 0; i < grads.length; i++) {
      Tensor p = params.get(i);
      if (p == null) {
        throw new IllegalArgumentException("clipByNorm: " + name(names, i) + " is null");
      }
      grads[i] = gradOf(p);
    }
    Kernels k = KernelScope.current();
    ScaledSumOfSquares total = new ScaledSumOfSquares();
    ClipResult.NonFiniteGradient first = null;
    boolean anyNaN = false;
    for (int i = 0; i < grads.length; i++) {
      Tensor g = grads[i];
      if (g == null) {
        continue;
      }
      int bad = g.dtype() == DType.FLOAT64 ? addFloat64(k, g, total) : addFloat32(k, g, total);
      if (bad >= 0) {
        double value = g.getFlat(bad);
        if (policy == NonFiniteNorm.THROW) {
          throw new IllegalStateException("clipByNorm: the gradient of " + name(names, i) + " " + Shapes.format(
              g.shape()) + " has the non-finite value " + value + " at index " + bad + "; no gradient was changed "
              + "(NonFiniteNorm.THROW; SKIP leaves the gradients and reports, ZERO zeroes them)");
        }
        if (first == null) {
          first = new ClipResult.NonFiniteGradient(name(names, i), bad, value);
        }
        anyNaN |= hasNaN(g);
      }
    }
    if (first != null) {
      double norm = anyNaN ? Double.NaN : Double.POSITIVE_INFINITY;
      if (policy == NonFiniteNorm.ZERO) {
        for (Tensor g : grads) {
          if (g != null) {
            fill(k, g, 0);
          }
        }
        return new ClipResult(norm, 0, first);
      }
      return new ClipResult(norm, 1, first);
    }
    double norm = total.norm();
    // PyTorch's coefficient; when the norm itself overflows (float64 only) it is taken from the scaled form, where
    // the 1e-6 would not count anyway.
    double coef = Double.isFinite(norm) ? maxNorm / (norm + 1e-6)
        : maxNorm / total.scale() / Math.sqrt(total.scaledSum());
    if (!(coef < 1)) {
      return new ClipResult(norm, 1, null);
    }
    for (Tensor g : grads) {
      if (g == null) {
        continue;
      }
      if (g.dtype() == DType.FLOAT64) {
        k.f64().scal(g.numel(), coef, g.doubleData(), g.offset());
      } else if (coef >= Float.MIN_NORMAL) {
        k.f32().scal(g.numel(), (float) coef, g.floatData(), g.offset());
      } else {
        // The coefficient itself is below float32's normal range (maxNorm / norm < 2^-126): cast to float32 it would
        // lose its digits or become 0. Multiplied in float64, each element is rounded once.
        float[] a = g.floatData();
        for (int i = g.offset(); i < g.offset() + g.numel(); i++) {
          a[i] = (float) (a[i] * coef);
        }
      }
    }
    return new ClipResult(norm, coef, null);
  }

  /**
   * Adds the squares of a float64 gradient to {@code total}.
   *
   * @return the index of the first non-finite element, or -1
   */
  private static int addFloat64(Kernels k, Tensor g, ScaledSumOfSquares total) {
    int n = g.numel();
    double[] a = g.doubleData();
    int off = g.offset();
    double plain = k.f64().sumOfSquares(n, a, off);
    if (plain >= Double.MIN_NORMAL && plain <= Double.MAX_VALUE) {
      total.addSumOfSquares(plain); // normal and finite: no overflow, underflow loss within n ulps (class comment)
      return -1;
    }
    int bad = -1;
    for (int i = 0; i < n; i++) {
      double x = a[off + i];
      if (Double.isFinite(x)) {
        total.add(x);
      } else if (bad < 0) {
        bad = i;
      }
    }
    return bad;
  }

  /** {@link #addFloat64} for float32: the safe pass sums the exact float64 squares plainly. */
  private static int addFloat32(Kernels k, Tensor g, ScaledSumOfSquares total) {
    int n = g.numel();
    float[] a = g.floatData();
    int off = g.offset();
    float plain = k.f32().sumOfSquares(n, a, off);
    if (plain >= Float.MIN_NORMAL && plain <= Float.MAX_VALUE) {
      total.addSumOfSquares(plain);
      return -1;
    }
    // A float32 square is exact in float64 and lies in [2^-298, 2^256]; n < 2^31 of them sum below 2^287.
    double sum = 0;
    int bad = -1;
    for (int i = 0; i < n; i++) {
      double x = a[off + i];
      if (Double.isFinite(x)) {
        sum += x * x;
      } else if (bad < 0) {
        bad = i;
      }
    }
    total.addSumOfSquares(sum);
    return bad;
  }

  private static boolean hasNaN(Tensor g) {
    int n = g.numel();
    int off = g.offset();
    if (g.dtype() == DType.FLOAT64) {
      double[] a = g.doubleData();
      for (int i = off; i < off + n; i++) {
        if (Double.isNaN(a[i])) {
          return true;
        }
      }
    } else {
      float[] a = g.floatData();
      for (int i = off; i < off + n; i++) {
        if (Float.isNaN(a[i])) {
          return true;
        }
      }
    }
    return false;
  }

  private static void fill(Kernels k, Tensor g, double value) {
    if (g.dtype() == DType.FLOAT64) {
      k.f64().fill(g.numel(), value, g.doubleData(), g.offset());
    } else {
      k.f32().fill(g.numel(), (float) value, g.floatData(), g.offset());
    }
  }

  private static String name(List<String> names, int i) {
    return names == null ? "parameter #" + i : names.get(i);
  }

  /**
   * Clamps every gradient element into {@code [-clipValue, clipValue]}; NaN stays NaN.
   *
   * @throws IllegalArgumentException if clipValue is not positive
   */
  public static void clipByValue(List<Tensor> parameters, double clipValue) {
    checkParameters("clipByValue", parameters);
    if (!(clipValue > 0)) {
      throw new IllegalArgumentException("clipByValue: clipValue must be > 0, got " + clipValue);
    }
    // A clamp is two comparisons per element, no arithmetic, and the kernel contract has no clamp: a plain loop.
    for (Tensor p : parameters) {
      Tensor g = gradOf(p);
      if (g == null) {
        continue;
      }
      int n = g.numel();
      int off = g.offset();
      if (g.dtype() == DType.FLOAT64) {
        double[] a = g.doubleData();
        for (int i = off; i < off + n; i++) {
          a[i] = a[i] > clipValue ? clipValue : a[i] < -clipValue ? -clipValue : a[i];
        }
      } else {
        float[] a = g.floatData();
        float v = (float) clipValue;
        for (int i = off; i < off + n; i++) {
          a[i] = a[i] > v ? v : a[i] < -v ? -v : a[i];
        }
      }
    }
  }

  private static void checkParameters(String op, List<Tensor> parameters) {
    Checks.notNull(parameters, op, "parameters");
    for (int i = 0; i < parameters.size(); i++) {
      Checks.notNull(parameters.get(i), op, "parameters[" + i + "]");
    }
  }

  private static Tensor gradOf(Tensor p) {
    return p.requiresGrad() ? p.grad() : null;
  }
}
