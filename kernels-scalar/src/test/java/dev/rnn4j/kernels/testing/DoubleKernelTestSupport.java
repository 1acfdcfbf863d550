package dev.rnn4j.kernels.testing;

// rnn4j:generate-float

import static dev.rnn4j.kernels.testing.TestValues.mixed;
import static dev.rnn4j.kernels.testing.TestValues.size;

import dev.rnn4j.kernels.DoubleKernels;
import dev.rnn4j.kernels.ScalarDoubleKernels;
import java.util.Random;

/**
 * What the family classes of the kernel contract suite ({@link DoubleKernelsContract}) and of the agreement
 * properties ({@link DoubleKernelAgreementProperties}) share, written once: the bounds, the scalar spec the candidates
 * are compared with, random arrays (with guard elements for the contract, with offsets and slack for the agreement
 * cases), the vector case of the BLAS-like, elementwise and reduction kernels, and the copies that preserve aliasing.
 */
// Casts around Math calls are redundant in the 64-bit source; the generated 32-bit twin needs them.
@SuppressWarnings("cast")
public final class DoubleKernelTestSupport {

  private DoubleKernelTestSupport() {}

  static final ErrorBounds EB = ErrorBounds.F64;
  /** Error bounds of the float64 evaluation of {@link Formulas}. */
  static final ErrorBounds REF = Formulas.BOUNDS;
  /** Random elements the contract tests put before and after every range a kernel may touch. */
  static final int GUARD = 5;

  static final DoubleKernels SPEC = new ScalarDoubleKernels();

  /** Largest gemm / gemv dimension drawn. */
  static final int MAX_DIM = 24;
  /** Largest vector length drawn. */
  static final int MAX_LEN = 80;

  /** The scalar spec every candidate is compared with. */
  public static DoubleKernels spec() {
    return SPEC;
  }

  /** A random array of {@code length} values from {@code source}. */
  public static double[] array(Random rnd, int length, TestValues.Source source) {
    double[] x = new double[length];
    for (int i = 0; i < length; i++) {
      x[i] = (double) source.next(rnd);
    }
    return x;
  }

  /** A random array with GUARD random elements before and after the n elements used. */
  static double[] guarded(Random rnd, int n, TestValues.Source source) {
    return array(rnd, GUARD + n + GUARD, source);
  }

  /** The source, with one value in 16 replaced by NaN, +-Inf, +-0 or +-huge. */
  public static TestValues.Source withSpecials(TestValues.Source source) {
    double[] specials = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0, 1e4, -1e4};
    return rnd -> rnd.nextInt(16) == 0 ? specials[rnd.nextInt(specials.length)] : source.next(rnd);
  }

  static int offset(Random rnd) {
    return rnd.nextInt(4);
  }

  static int slack(Random rnd) {
    return rnd.nextInt(4);
  }

  static double coefficient(Random rnd) {
    switch (rnd.nextInt(5)) {
      case 0:
        return 1;
      case 1:
        return -1;
      case 2:
        return 0;
      default:
        return (double) mixed(3).next(rnd);
    }
  }

  /** A scalar and two vectors (axpy, dot, scal, scale, addScalar, fill, copy, reductions); y may be x. */
  public record VectorCase(int n, double alpha, double[] x, int xOff, double[] y, int yOff) {
    @Override
    public String toString() {
      return "(n=" + n + ", alpha=" + alpha + ", xOff=" + xOff + ", yOff=" + yOff + ", aliased=" + (x == y) + ")";
    }
  }

  /** Two random vectors of mixed magnitudes; in one case of four y is the same range as x. */
  public static VectorCase vectorCase(Random rnd) {
    int n = size(rnd, MAX_LEN);
    int xOff = offset(rnd);
    double[] x = array(rnd, xOff + n + slack(rnd), mixed(8));
    double alpha = coefficient(rnd);
    if (rnd.nextInt(4) == 0) {
      return new VectorCase(n, alpha, x, xOff, x, xOff);
    }
    int yOff = offset(rnd);
    return new VectorCase(n, alpha, x, xOff, array(rnd, yOff + n + slack(rnd), mixed(8)), yOff);
  }

  /** The value widened to float64 (identity in the float64 suite): bounds are accumulated in float64. */
  static double /*f32:double*/ wide(double x) {
    return x;
  }

  /** Copies of the arrays of one call, preserving aliasing (the same array object maps to the same copy). */
  static final class Copies {
    private final java.util.IdentityHashMap<double[], double[]> map = new java.util.IdentityHashMap<>();

    double[] of(double[] original) {
      return map.computeIfAbsent(original, o -> o.clone());
    }
  }
}
