package dev.rnn4j.nn.recurrent;

import dev.rnn4j.nn.Module;
import dev.rnn4j.tensor.Tensor;
import java.util.List;

/**
 * The gradients of a module's parameters at one moment, to put back after passes that must leave no trace in them
 * ({@link WarmUp}'s training pass): each gradient is copied (or noted as absent) and {@link #restore()} writes the
 * copies back bit for bit, or drops a gradient that did not exist. Parameters that need no gradient are skipped.
 */
final class GradientSnapshot {

  private final List<Tensor> params;
  private final Tensor[] saved;

  private GradientSnapshot(List<Tensor> params) {
    this.params = params;
    this.saved = new Tensor[params.size()];
    for (int i = 0; i < saved.length; i++) {
      Tensor p = params.get(i);
      Tensor g = p.requiresGrad() ? p.grad() : null;
      saved[i] = g == null ? null : g.copy();
    }
  }

  static GradientSnapshot of(Module m) {
    return new GradientSnapshot(m.parameters());
  }

  void restore() {
    for (int i = 0; i < saved.length; i++) {
      Tensor p = params.get(i);
      if (!p.requiresGrad()) {
        continue;
      }
      if (saved[i] == null) {
        p.zeroGrad();
      } else if (p.grad() != null) {
        p.grad().copyFrom(saved[i]);
      }
    }
  }
}
