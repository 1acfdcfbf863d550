package dev.rnn4j.testkit.arbitraries;

import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.arbitraries.ArbitraryDecorator;
import net.jqwik.api.arbitraries.DoubleArbitrary;

/**
 * Tensors of one dtype with shapes and values in given ranges, as Hypothesis' {@code hypothesis.extra.numpy.arrays}.
 * Immutable: each option returns a new arbitrary. Start from {@link RnnArbitraries#tensors(DType)}.
 *
 * <p>Defaults: rank 1 to 3, every dimension 1 to 8, values uniform in [-1, 1] (well-conditioned: no cancellation
 * worth the name, no overflow, nothing subnormal). Special values are opt-in, each mixed in by jqwik's special-value
 * mechanism: {@link #withNaN()}, {@link #withInfinities()}, {@link #withHuge()} (half the largest finite value of the
 * dtype, so that one sum or product overflows), {@link #withSubnormals()}.
 *
 * <p>Shrinking: dimensions shrink towards their minimum (so a failing case is reported at the smallest shape that
 * still fails), values towards zero (or the bound of the range nearest to it).
 */
public final class TensorArbitrary extends ArbitraryDecorator<Tensor> {

  private final DType dtype;
  private final int[] fixedShape;
  private final int minRank;
  private final int maxRank;
  private final int minDim;
  private final int maxDim;
  private final double low;
  private final double high;
  private final List<Double> specials;

  TensorArbitrary(DType dtype, int[] fixedShape, int minRank, int maxRank, int minDim, int maxDim, double low,
                  double high, List<Double> specials) {
    this.dtype = Objects.requireNonNull(dtype, "dtype");
    this.fixedShape = fixedShape;
    this.minRank = minRank;
    this.maxRank = maxRank;
    this.minDim = minDim;
    this.maxDim = maxDim;
    this.low = low;
    this.high = high;
    this.specials = List.copyOf(specials);
  }

  /** Exactly this shape (dimensions >= 0). */
  public TensorArbitrary shape(int... shape) {
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("TensorArbitrary: negative dimension in shape " + java.util.Arrays
            .toString(shape));
      }
    }
    return new TensorArbitrary(dtype, shape.clone(), minRank, maxRank, minDim, maxDim, low, high, specials);
  }

  /** Ranks between {@code min} and {@code max} ({@code 0 <= min <= max}). */
  public TensorArbitrary rank(int min, int max) {
    if (min < 0 || max < min) {
      throw new IllegalArgumentException("TensorArbitrary: rank range must satisfy 0 <= min <= max, got [" + min
          + ", " + max + "]");
    }
    return new TensorArbitrary(dtype, null, min, max, minDim, maxDim, low, high, specials);
  }

  /** Every dimension between {@code min} and {@code max} ({@code 0 <= min <= max}). */
  public TensorArbitrary dims(int min, int max) {
    if (min < 0 || max < min) {
      throw new IllegalArgumentException("TensorArbitrary: dimension range must satisfy 0 <= min <= max, got ["
          + min + ", " + max + "]");
    }
    return new TensorArbitrary(dtype, null, minRank, maxRank, min, max, low, high, specials);
  }

  /** Finite values in [low, high] ({@code low <= high}). */
  public TensorArbitrary values(double low, double high) {
    if (!Double.isFinite(low) || !Double.isFinite(high) || low > high) {
      throw new IllegalArgumentException("TensorArbitrary: value range must be finite with low <= high, got ["
          + low + ", " + high + "]");
    }
    return new TensorArbitrary(dtype, fixedShape, minRank, maxRank, minDim, maxDim, low, high, specials);
  }

  /** Mixes in NaN. */
  public TensorArbitrary withNaN() {
    return with(Double.NaN);
  }

  /** Mixes in +infinity and -infinity. */
  public TensorArbitrary withInfinities() {
    return with(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
  }

  /** Mixes in plus and minus half the dtype's largest finite value. */
  public TensorArbitrary withHuge() {
    double h = dtype == DType.FLOAT32 ? Float.MAX_VALUE / 2 : Double.MAX_VALUE / 2;
    return with(h, -h);
  }

  /** Mixes in the dtype's smallest subnormal and a mid-range subnormal, both signs. */
  public TensorArbitrary withSubnormals() {
    double tiny = dtype == DType.FLOAT32 ? Float.MIN_VALUE : Double.MIN_VALUE;
    double mid = dtype == DType.FLOAT32 ? 0x1p-135 : 0x1p-1060;
    return with(tiny, -tiny, mid, -mid);
  }

  /** All of the special values above. */
  public TensorArbitrary withSpecialValues() {
    return withNaN().withInfinities().withHuge().withSubnormals();
  }

  private TensorArbitrary with(double... values) {
    List<Double> s = new ArrayList<>(specials);
    for (double v : values) {
      s.add(v);
    }
    return new TensorArbitrary(dtype, fixedShape, minRank, maxRank, minDim, maxDim, low, high, s);
  }

  @Override
  protected Arbitrary<Tensor> arbitrary() {
    Arbitrary<int[]> shapes = fixedShape != null ? Arbitraries.just(fixedShape.clone())
        : Arbitraries.integers().between(minDim, maxDim).array(int[].class).ofMinSize(minRank).ofMaxSize(maxRank);
    return shapes.flatMap(shape -> elements(numel(shape)).map(values -> tensor(dtype, values, shape)));
  }

  /** Arrays of {@code n} values from this arbitrary's value range and special values. */
  Arbitrary<double[]> elements(int n) {
    DoubleArbitrary d = Arbitraries.doubles().between(low, high);
    for (double s : specials) {
      d = d.withSpecialValue(s);
    }
    return d.array(double[].class).ofSize(n);
  }

  static Tensor tensor(DType dtype, double[] values, int... shape) {
    if (dtype == DType.FLOAT64) {
      return Tensor.fromArray(values, shape);
    }
    float[] f = new float[values.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) values[i];
    }
    return Tensor.fromArray(f, shape);
  }

  private static int numel(int[] shape) {
    long n = 1;
    for (int d : shape) {
      n *= d;
    }
    if (n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("TensorArbitrary: shape " + java.util.Arrays.toString(shape)
          + " has too many elements");
    }
    return (int) n;
  }
}
