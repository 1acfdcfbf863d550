package dev.rnn4j.testkit.mutants;

import dev.rnn4j.kernels.Kernels;
import java.util.Objects;

/**
 * A deliberately broken kernel set: the scalar spec with one bug, in both precisions.
 *
 * @param name short name, e.g. "time index off by one"
 * @param bug what exactly is wrong, in one sentence (shown when a check fails to detect it)
 * @param kernels the broken kernels; run code under them with {@link dev.rnn4j.tensor.KernelScope}
 */
public record Mutant(String name, String bug, Kernels kernels) {

  public Mutant {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(bug, "bug");
    Objects.requireNonNull(kernels, "kernels");
  }

  @Override
  public String toString() {
    return name;
  }
}
