package dev.rnn4j.nn.recurrent;

/**
 * The outcome of {@link GradientClipping#clipByNorm(java.util.Map, double, NonFiniteNorm)}.
 *
 * @param norm the global L2 norm of all gradients before clipping: NaN if some element is NaN, else +Infinity if
 *     some element is infinite; for finite gradients the norm computed without overflow or underflow, which is
 *     +Infinity only when it exceeds {@link Double#MAX_VALUE} (float64 gradients within a factor sqrt(n) of the
 *     largest double; they are still clipped)
 * @param scale the factor every gradient was multiplied by: 1 when nothing was scaled (the norm was within
 *     {@code maxNorm}, or a non-finite gradient was left alone under {@link NonFiniteNorm#SKIP}), 0 when the
 *     gradients were zeroed under {@link NonFiniteNorm#ZERO}
 * @param nonFinite the first non-finite gradient element found (parameters in order, elements in row-major order),
 *     or null when every gradient is finite
 */
public record ClipResult(double norm, double scale, NonFiniteGradient nonFinite) {

  /**
   * The first non-finite element of the gradients.
   *
   * @param parameter the parameter's name (the map key), or {@code "parameter #i"} for position i of a list
   * @param index the element's row-major index within that gradient
   * @param value NaN, +Infinity or -Infinity
   */
  public record NonFiniteGradient(String parameter, int index, double value) {

    @Override
    public String toString() {
      return parameter + "[" + index + "] = " + value;
    }
  }

  /**
   * Whether every gradient was finite. False means the optimizer step should be skipped: the gradients are the
   * non-finite ones ({@link NonFiniteNorm#SKIP}) or zeros ({@link NonFiniteNorm#ZERO}).
   */
  public boolean finite() {
    return nonFinite == null;
  }

  /** Whether the gradients were scaled down to {@code maxNorm} (finite gradients whose norm exceeded it). */
  public boolean clipped() {
    return nonFinite == null && scale < 1;
  }
}
