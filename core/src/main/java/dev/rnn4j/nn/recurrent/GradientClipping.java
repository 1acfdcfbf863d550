package dev.rnn4j.nn.recurrent;

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.tensor.Checks;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.Tensor;
import java.util.List;

/**
 * Gradient clipping over a list of parameters, as PyTorch's {@code clip_grad_norm_} and {@code clip_grad_value_}.
 * Gradients are modified in place; parameters without a gradient are skipped.
 */
public final class GradientClipping {

  private GradientClipping() {}

  /**
   * Scales all gradients by {@code maxNorm / (norm + 1e-6)} when the global L2 norm over all of them exceeds
   * {@code maxNorm} (PyTorch's formula, so that the clipped norm is just below maxNorm).
   *
   * @return the global L2 norm before clipping; if it is NaN or infinite nothing is scaled
   * @throws IllegalArgumentException if maxNorm is not positive
   */
  public static double clipByNorm(List<Tensor> parameters, double maxNorm) {
    checkParameters("clipByNorm", parameters);
    if (!(maxNorm > 0)) {
      throw new IllegalArgumentException("clipByNorm: maxNorm must be > 0, got " + maxNorm);
    }
    Kernels k = KernelScope.current();
    double sumSq = 0;
    for (Tensor p : parameters) {
      Tensor g = gradOf(p);
      if (g != null) {
        sumSq += g.dtype() == DType.FLOAT64 ? k.f64().sumOfSquares(g.numel(), g.doubleData(), g.offset())
            : k.f32().sumOfSquares(g.numel(), g.floatData(), g.offset());
      }
    }
    double norm = Math.sqrt(sumSq);
    double coef = maxNorm / (norm + 1e-6);
    if (Double.isFinite(norm) && coef < 1) {
      for (Tensor p : parameters) {
        Tensor g = gradOf(p);
        if (g == null) {
          continue;
        }
        if (g.dtype() == DType.FLOAT64) {
          k.f64().scal(g.numel(), coef, g.doubleData(), g.offset());
        } else {
          k.f32().scal(g.numel(), (float) coef, g.floatData(), g.offset());
        }
      }
    }
    return norm;
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
