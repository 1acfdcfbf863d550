package dev.rnn4j.nn;

import dev.rnn4j.autograd.Ops;
import dev.rnn4j.tensor.Checks;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Shapes;
import dev.rnn4j.tensor.Tensor;
import java.util.random.RandomGenerator;

/**
 * Affine map {@code y = x W^T + b} over the last dimension ({@link Ops#linear}: one gemm with the transposed
 * weight), as PyTorch's {@code nn.Linear}: parameters
 * {@code weight [out, in]} and {@code bias [out]} (names and layout as PyTorch's, so weights move between the two).
 *
 * <p>Initialisation as PyTorch's default: every weight and bias element from U(-1/sqrt(in), 1/sqrt(in)), drawn from
 * the given generator, weight first (row-major), then bias: the same seed gives the same layer.
 */
public final class Linear extends Module {

  private final int inFeatures;
  private final int outFeatures;
  private final Tensor weight;
  private final Tensor bias;

  /** A float32 layer with a bias. */
  public Linear(int inFeatures, int outFeatures, RandomGenerator rng) {
    this(inFeatures, outFeatures, true, DType.FLOAT32, rng);
  }

  /**
   * @param inFeatures size of each input's last dimension, >= 1
   * @param outFeatures size of each output's last dimension, >= 1
   * @param bias whether to add a learned bias
   * @param dtype dtype of the parameters (inputs must match)
   * @param rng source of the initial values
   */
  public Linear(int inFeatures, int outFeatures, boolean bias, DType dtype, RandomGenerator rng) {
    if (inFeatures < 1 || outFeatures < 1) {
      throw new IllegalArgumentException("Linear: inFeatures and outFeatures must be >= 1, got " + inFeatures
          + " and " + outFeatures);
    }
    if (!Checks.fitsArray(outFeatures, inFeatures)) {
      throw Checks.tooLarge("Linear", "inFeatures " + inFeatures + " with outFeatures " + outFeatures, "weight",
          outFeatures, inFeatures);
    }
    Checks.notNull(dtype, "Linear", "dtype");
    Checks.notNull(rng, "Linear", "rng");
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    double bound = 1 / Math.sqrt(inFeatures);
    this.weight = registerParameter("weight", Tensor.uniform(dtype, rng, -bound, bound, outFeatures, inFeatures));
    this.bias = bias ? registerParameter("bias", Tensor.uniform(dtype, rng, -bound, bound, outFeatures)) : null;
  }

  /**
   * Applies the layer to {@code x [..., in]} (any rank >= 1), giving {@code [..., out]}.
   *
   * @throws IllegalArgumentException if the last dimension is not {@code in} or the dtype differs from the weight's
   */
  public Tensor forward(Tensor x) {
    Checks.notNull(x, "Linear", "input");
    if (x.rank() < 1 || x.size(-1) != inFeatures) {
      throw new IllegalArgumentException("Linear: input must be [..., " + inFeatures + "], got "
          + Shapes.format(x.shape()) + " (weight " + Shapes.format(weight.shape()) + ")");
    }
    if (x.dtype() != weight.dtype()) {
      throw new IllegalArgumentException("Linear: input dtype " + x.dtype() + " differs from weight dtype "
          + weight.dtype());
    }
    return Ops.linear(x, weight, bias);
  }

  /**
   * A copy of this layer for inference with its weight stored as bfloat16 or int8 (per output row scale); bias,
   * activations and sums stay float32. See {@code docs/quantization.md} for the error bounds.
   *
   * @throws IllegalArgumentException for a null format, a float64 layer, or a non-finite weight (named)
   */
  public QuantizedLinear quantize(WeightFormat format) {
    return new QuantizedLinear(this, format);
  }

  /** The weight {@code [out, in]} (the registered parameter, not a copy). */
  public Tensor weight() {
    return weight;
  }

  /** The bias {@code [out]}, or null for a layer without bias. */
  public Tensor bias() {
    return bias;
  }

  public int inFeatures() {
    return inFeatures;
  }

  public int outFeatures() {
    return outFeatures;
  }

  @Override
  public String toString() {
    return "Linear(in=" + inFeatures + ", out=" + outFeatures + ", bias=" + (bias != null) + ", "
        + weight.dtype() + ")";
  }
}
