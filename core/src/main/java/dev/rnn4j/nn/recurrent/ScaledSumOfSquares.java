package dev.rnn4j.nn.recurrent;

/**
 * A sum of squares kept as {@code scale² · ssq} with {@code scale} the largest magnitude added so far and
 * {@code 1 <= ssq}, so that neither overflows nor underflows for any finite terms: the update of LAPACK's
 * {@code dlassq} (the scaled accumulation behind reference BLAS {@code dnrm2}). Each update costs a division, so
 * {@link GradientClipping} feeds it element by element only when a plain sum of squares overflowed or fell below the
 * normal range; a plain sum that is safe enters as one term through {@link #addSumOfSquares}.
 *
 * <p>Error (first order in the unit roundoff u): every term is divided by the scale, squared and added (3 roundings),
 * and each later increase of the scale multiplies the running ssq by {@code (old/new)²} and adds 1 (4 roundings), so
 * a term's relative error is at most {@code (3 + 4 r) u} after r rescalings; with n terms ssq's relative error is at
 * most {@code 4 n u}, and {@link #norm()} (a square root and a product) is within {@code (2 n + 2) u} relative.
 */
final class ScaledSumOfSquares {

  private double scale; // the largest |term| (or sqrt of a block's sum) so far; 0 while everything added was 0
  private double ssq; // the sum divided by scale²: in [1, count] once scale > 0

  /** Adds {@code x²}; x must be finite. */
  void add(double x) {
    addScaled(Math.abs(x), 1);
  }

  /** Adds a sum of squares given as a plain finite number {@code s >= 0} (a block that was safe to sum plainly). */
  void addSumOfSquares(double s) {
    addScaled(Math.sqrt(s), 1);
  }

  /** Adds {@code a² · q} for {@code a >= 0} and {@code q >= 1}. */
  private void addScaled(double a, double q) {
    if (a == 0) {
      return;
    }
    if (scale < a) {
      double r = scale / a;
      ssq = q + ssq * (r * r);
      scale = a;
    } else {
      double r = a / scale;
      ssq += q * (r * r);
    }
  }

  /** The largest magnitude added (0 if nothing nonzero was). */
  double scale() {
    return scale;
  }

  /** The sum divided by {@code scale()²} (0 if nothing nonzero was added). */
  double scaledSum() {
    return ssq;
  }

  /** {@code sqrt(sum)}: finite unless the norm itself exceeds {@link Double#MAX_VALUE}. */
  double norm() {
    return scale * Math.sqrt(ssq);
  }
}
