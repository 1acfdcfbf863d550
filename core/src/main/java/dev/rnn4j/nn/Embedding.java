package dev.rnn4j.nn;

import dev.rnn4j.autograd.Ops;
import dev.rnn4j.tensor.Checks;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Tensor;
import java.util.random.RandomGenerator;

/**
 * A lookup table of learned vectors, as PyTorch's {@code nn.Embedding}: parameter {@code weight [num, dim]}, row i
 * the vector of index i. Initialised as PyTorch's default, N(0, 1) from the given generator (row-major).
 */
public final class Embedding extends Module {

  private final Tensor weight;

  /** A float32 table. */
  public Embedding(int numEmbeddings, int embeddingDim, RandomGenerator rng) {
    this(numEmbeddings, embeddingDim, DType.FLOAT32, rng);
  }

  /**
   * @param numEmbeddings number of rows (vocabulary size), >= 1
   * @param embeddingDim length of each vector, >= 1
   */
  public Embedding(int numEmbeddings, int embeddingDim, DType dtype, RandomGenerator rng) {
    if (numEmbeddings < 1 || embeddingDim < 1) {
      throw new IllegalArgumentException("Embedding: numEmbeddings and embeddingDim must be >= 1, got "
          + numEmbeddings + " and " + embeddingDim);
    }
    if (!Checks.fitsArray(numEmbeddings, embeddingDim)) {
      throw Checks.tooLarge("Embedding", "numEmbeddings " + numEmbeddings + " with embeddingDim " + embeddingDim,
          "weight", numEmbeddings, embeddingDim);
    }
    Checks.notNull(dtype, "Embedding", "dtype");
    Checks.notNull(rng, "Embedding", "rng");
    this.weight = registerParameter("weight", Tensor.normal(dtype, rng, 0, 1, numEmbeddings, embeddingDim));
  }

  /**
   * The rows for {@code indices}, shaped {@code indexShape + [dim]} ({@code [n, dim]} without an index shape); e.g.
   * indices of a [T, B] batch give [T, B, dim]. Gradients scatter-add into the used rows.
   *
   * @throws IllegalArgumentException naming the position of an index outside {@code [0, num)}
   */
  public Tensor forward(int[] indices, int... indexShape) {
    Checks.notNull(indices, "Embedding", "indices");
    Checks.notNull(indexShape, "Embedding", "indexShape");
    return Ops.embedding(weight, indices, indexShape);
  }

  /** The table {@code [num, dim]} (the registered parameter). */
  public Tensor weight() {
    return weight;
  }

  public int numEmbeddings() {
    return weight.size(0);
  }

  public int embeddingDim() {
    return weight.size(1);
  }

  @Override
  public String toString() {
    return "Embedding(" + numEmbeddings() + ", " + embeddingDim() + ", " + weight.dtype() + ")";
  }
}
