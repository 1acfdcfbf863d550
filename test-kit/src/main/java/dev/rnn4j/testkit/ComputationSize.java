package dev.rnn4j.testkit;

import dev.rnn4j.kernels.testing.ErrorBounds;

/**
 * The size of a computation, as the error bound of {@link KernelAgreement} needs it: how many roundings can lie on
 * one path from the inputs to an output or to a gradient.
 *
 * <p>A computation is a chain of {@code stages} (a layer, one time step of a recurrent layer, a loss), each one
 * reduction of at most {@code reductionLength} terms (a GEMM's inner dimension, forward or backward; a row sum)
 * followed by pointwise work. Counting as {@link ErrorBounds} does (Higham's running error bound, a length-k sum is
 * k roundings on a path; exp, log, tanh and sigmoid are within {@code 2 * TRANSCENDENTAL_ULPS * u = 8u}, worth 8
 * roundings; the largest pointwise formula of a stage, the GRU backward, is 8 more) gives
 * <ul>
 *   <li>forward, an output: {@code N_f = stages * (reductionLength + }{@value #POINTWISE_ROUNDINGS}{@code )};</li>
 *   <li>backward, a gradient: the reverse pass through the same stages, times the forward values it multiplies,
 *       then summed over {@code gradientRows} rows (time steps times batch rows for a recurrent weight):
 *       {@code N_b = 2 N_f + gradientRows}.</li>
 * </ul>
 *
 * @param reductionLength the longest reduction of a stage, forward or backward (for a GRU layer of hidden size H on
 *     inputs of size I: {@code max(I, 3H)}, the backward {@code dG W} being over the 3H gate columns)
 * @param stages the number of stages on the longest path (T time steps plus the layers before and after)
 * @param gradientRows the most rows a weight gradient sums over (T times the batch size for a recurrent layer)
 */
public record ComputationSize(int reductionLength, int stages, int gradientRows) {

  /** Roundings of the pointwise work of one stage: one transcendental (8) and the GRU backward's 8 products. */
  public static final int POINTWISE_ROUNDINGS = 2 * ErrorBounds.TRANSCENDENTAL_ULPS + 8;

  public ComputationSize {
    if (reductionLength < 1 || stages < 1 || gradientRows < 1) {
      throw new IllegalArgumentException("ComputationSize: reductionLength, stages and gradientRows must be >= 1, "
          + "got " + reductionLength + ", " + stages + ", " + gradientRows);
    }
  }

  /** {@code new ComputationSize(reductionLength, stages, gradientRows)}. */
  public static ComputationSize of(int reductionLength, int stages, int gradientRows) {
    return new ComputationSize(reductionLength, stages, gradientRows);
  }

  /** Roundings on a path to an output: {@code stages * (reductionLength + POINTWISE_ROUNDINGS)}. */
  public int forwardRoundings() {
    return Math.multiplyExact(stages, reductionLength + POINTWISE_ROUNDINGS);
  }

  /** Roundings on a path to a gradient: {@code 2 * forwardRoundings() + gradientRows}. */
  public int backwardRoundings() {
    return Math.addExact(Math.multiplyExact(2, forwardRoundings()), gradientRows);
  }
}
