package dev.rnn4j.optim;

/**
 * The outcome of one {@link Optimizer#step()}.
 *
 * @param applied whether the parameters and the optimizer state were updated
 * @param nonFiniteParameter the index (in {@link Optimizer#parameters()}) of the first parameter whose gradient held
 *     a non-finite value when the step was skipped, otherwise -1
 */
public record StepResult(boolean applied, int nonFiniteParameter) {

  static final StepResult APPLIED = new StepResult(true, -1);

  public StepResult {
    if (applied != (nonFiniteParameter == -1) || nonFiniteParameter < -1) {
      throw new IllegalArgumentException("StepResult: an applied step has nonFiniteParameter -1, a skipped one an"
          + " index >= 0; got applied " + applied + ", nonFiniteParameter " + nonFiniteParameter);
    }
  }

  /** Whether the step was skipped ({@link NonFinitePolicy#SKIP}); nothing changed then. */
  public boolean skipped() {
    return !applied;
  }
}
