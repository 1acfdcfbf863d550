package dev.rnn4j.examples.support;

import dev.rnn4j.autograd.Ops;
import dev.rnn4j.nn.Module;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Tensor;
import java.util.random.RandomGenerator;

/** Small building blocks the examples share. */
public final class Layers {
  private Layers() {}

  /**
   * A fully connected read-out {@code y = x W + b} with {@code W} stored [in, out] (so the forward pass needs no
   * transpose), initialised U(-1/sqrt(in), 1/sqrt(in)) like PyTorch's Linear.
   */
  public static final class Dense extends Module {
    private final Tensor weight;
    private final Tensor bias;

    public Dense(int in, int out, RandomGenerator rng) {
      double bound = 1 / Math.sqrt(in);
      weight = registerParameter("weight", Tensor.uniform(DType.FLOAT32, rng, -bound, bound, in, out));
      bias = registerParameter("bias", Tensor.uniform(DType.FLOAT32, rng, -bound, bound, out));
    }

    /** [N, in] -> [N, out]. */
    public Tensor forward(Tensor x) {
      return Ops.add(Ops.matmul(x, weight), bias);
    }
  }
}
