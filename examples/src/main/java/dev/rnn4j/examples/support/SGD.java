package dev.rnn4j.examples.support;

import dev.rnn4j.tensor.Tensor;
import java.util.List;

/** Plain stochastic gradient descent, {@code p -= lr * grad}. */
public final class SGD {
  private final List<Tensor> params;
  private final double lr;

  public SGD(List<Tensor> params, double lr) {
    this.params = List.copyOf(params);
    this.lr = lr;
  }

  public void step() {
    for (Tensor p : params) {
      Tensor g = p.grad();
      if (g != null) {
        for (int j = 0; j < p.numel(); j++) {
          p.setFlat(j, p.getFlat(j) - lr * g.getFlat(j));
        }
      }
    }
  }
}
