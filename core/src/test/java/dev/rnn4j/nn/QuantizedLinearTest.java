package dev.rnn4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.autograd.NoGrad;
import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.Tensor;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link QuantizedLinear} against the float32 {@link Linear}: each output within
 * {@code Q_r + 2 gamma(k + 2) (S_r + |b_r|)}, with {@code S_r = sum_j |x_j| max(|w_rj|, |wq_rj|)} (both sums of k
 * products plus the bias, in float32) and the quantization error {@code Q_r} = int8 {@code sum_j |x_j| s_r (1/2 + 127 u)},
 * bfloat16 {@code 2^-8 sum_j |x_j w_rj|}. The array overload gives the tensor forward's bits.
 */
class QuantizedLinearTest {

  private static final double U = Math.scalb(1.0, -24);

  static Stream<Kernels> kernels() {
    return Stream.of(Kernels.scalar(), Kernels.get()).distinct();
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void outputsAreWithinTheDerivedBoundOfTheFloatLayer(Kernels kernels) {
    KernelScope.run(kernels, () -> {
      int in = 37;
      int out = 11;
      int rows = 5;
      Linear linear = new Linear(in, out, new SplittableRandom(4));
      SplittableRandom rnd = new SplittableRandom(5);
      float[] x = new float[rows * in];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) rnd.nextDouble(-3, 3);
      }
      Tensor xt = Tensor.fromArray(x, 1, rows, in);
      float[] want = NoGrad.get(() -> linear.forward(xt)).toFloatArray();
      float[] w = linear.weight().toFloatArray();
      float[] b = linear.bias().toFloatArray();
      for (WeightFormat format : WeightFormat.values()) {
        QuantizedLinear q = linear.quantize(format);
        Tensor yt = q.forward(xt);
        assertArrayEquals(new int[] {1, rows, out}, yt.shape());
        float[] got = yt.toFloatArray();
        float[] wq = q.weight().dequantize().toFloatArray();
        float[] scale = q.weight().scales();
        for (int i = 0; i < rows; i++) {
          for (int r = 0; r < out; r++) {
            double s = 0;
            double quant = 0;
            for (int j = 0; j < in; j++) {
              double a = Math.abs(x[i * in + j]);
              s += a * Math.max(Math.abs(w[r * in + j]), Math.abs(wq[r * in + j]));
              quant += format == WeightFormat.INT8 ? a * scale[r] * (0.5 + 127 * U)
                  : a * Math.abs(w[r * in + j]) * Math.scalb(1.0, -8);
            }
            double bound = quant + 2 * gamma(in + 2) * (s + Math.abs(b[r]));
            double d = Math.abs((double) got[i * out + r] - want[i * out + r]);
            assertTrue(d <= bound, format + " row " + i + " out " + r + ": " + d + " > " + bound);
          }
        }
        float[] y = new float[2 + rows * out];
        q.forward(x, 0, rows, y, 2);
        float[] arrays = new float[rows * out];
        System.arraycopy(y, 2, arrays, 0, arrays.length);
        assertArrayEquals(got, arrays, format + ": array overload");
      }
    });
  }

  private static double gamma(int n) {
    return n * U / (1 - n * U);
  }
}
