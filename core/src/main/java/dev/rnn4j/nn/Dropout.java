package dev.rnn4j.nn;

import dev.rnn4j.autograd.Ops;
import dev.rnn4j.tensor.Checks;
import dev.rnn4j.tensor.Tensor;
import java.util.random.RandomGenerator;

/**
 * Inverted dropout as PyTorch's {@code nn.Dropout}: in training mode each element is zeroed with probability p and
 * the survivors are scaled by 1 / (1 - p); in eval mode ({@link Module#eval()}) it is the identity. The masks come
 * from the generator given here, so a seeded generator makes training runs repeatable. No parameters.
 */
public final class Dropout extends Module {

  private final double p;
  private final RandomGenerator rng;

  /** @param p drop probability in [0, 1] */
  public Dropout(double p, RandomGenerator rng) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("Dropout: probability must be in [0, 1], got " + p);
    }
    this.p = p;
    this.rng = Checks.notNull(rng, "Dropout", "rng");
  }

  /** {@code x} with dropout applied in training mode; {@code x} itself in eval mode or for p = 0. */
  public Tensor forward(Tensor x) {
    Checks.notNull(x, "Dropout", "input");
    return Ops.dropout(x, p, isTraining(), rng);
  }

  public double p() {
    return p;
  }

  @Override
  public String toString() {
    return "Dropout(p=" + p + ")";
  }
}
