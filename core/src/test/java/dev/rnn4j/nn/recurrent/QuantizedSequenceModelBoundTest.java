package dev.rnn4j.nn.recurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.nn.Embedding;
import dev.rnn4j.nn.Linear;
import dev.rnn4j.nn.WeightFormat;
import dev.rnn4j.tensor.KernelScope;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The logits of a quantized sequence model against the float32 model's, within the bounds already derived for the
 * quantized layers, not wider ones:
 *
 * <ul>
 *   <li>the stack: {@link QuantizedStepBoundTest}'s per-unit bound of one step, checked on the model's own quantized
 *       stack ({@link QuantizedStepBoundTest#violations}), against the float32 weights and against the dequantized
 *       ones;</li>
 *   <li>the head, given the two models' hidden states {@code hq} and {@code hf} at a step: {@link
 *       dev.rnn4j.nn.QuantizedLinearTest}'s bound, split at the exact sums, is for logit r
 *       <pre>
 *   |yq_r - yf_r| <= gamma(H + 2) (sum_j |wq_rj hq_j| + |b_r|)     yq's float32 rounding (H products and the bias)
 *                  + Q_r(hq)                                         the stored weights' error on hq
 *                  + sum_j |w_rj| |hq_j - hf_j|                      the stack's difference, through the float head
 *                  + gamma(H + 2) (sum_j |w_rj hf_j| + |b_r|)       yf's float32 rounding
 *       </pre>
 *       with Q_r(v) = int8 {@code sum_j |v_j| s_r (1/2 + 127 u)}, bfloat16 {@code 2^-8 sum_j |v_j w_rj|}. The
 *       hidden difference is measured, so the bound holds at every step of a sequence (no bound on how the stack's
 *       error grows over steps is claimed, see docs/quantization.md); that growth is the stack's, bounded per step
 *       above.</li>
 *   <li>the head alone, against the exact product with the dequantized weights, within yq's rounding only (the first
 *       term): catches a head that uses another row's scale or drops the bias, which the quantization slack of the
 *       second bound could hide.</li>
 * </ul>
 */
class QuantizedSequenceModelBoundTest {

  private static final double U = Math.scalb(1.0, -24);
  private static final int V = 7;
  private static final int B = 3;
  private static final int STEPS = 5;

  static Stream<Kernels> kernels() {
    return Stream.of(Kernels.scalar(), Kernels.get()).distinct();
  }

  static float[] random(SplittableRandom rnd, int n, double scale) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) rnd.nextDouble(-scale, scale);
    }
    return a;
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void logitsAreWithinTheDerivedBoundOfTheFloatModel(Kernels kernels) {
    KernelScope.run(kernels, () -> {
      for (CellKind kind : CellKind.values()) {
        for (WeightFormat format : WeightFormat.values()) {
          String what = kind + " " + format;
          RecurrentLayer layer = QuantizedStepBoundTest.layer(kind); // I = 13, H = 17, rows of 4 magnitudes
          int in = layer.config().inputSize();
          int hd = layer.config().hiddenSize();
          SplittableRandom rng = new SplittableRandom(kind.ordinal());
          SequenceModel model = new SequenceModel(new Embedding(V, in, rng), layer, new Linear(hd, V, rng));
          model.eval();
          QuantizedSequenceModel q = model.quantize(format);
          assertEquals(List.of(), QuantizedStepBoundTest.violations(layer, q.recurrent(),
              q.recurrent().newStreamState(B), false), what + ": the stack against the float32 weights");
          assertEquals(List.of(), QuantizedStepBoundTest.violations(QuantizedStepBoundTest.dequantized(layer,
              q.recurrent()), q.recurrent(), q.recurrent().newStreamState(B), true), what + ": the stack against "
              + "the dequantized weights");
          assertEquals(List.of(), headViolations(model, q), what + ": the logits");
        }
      }
    });
  }

  /** Steps both models through the same tokens and returns every logit outside its bounds. */
  private static List<String> headViolations(SequenceModel model, QuantizedSequenceModel q) {
    SequenceModel.Stream fs = model.newStream(B);
    QuantizedSequenceModel.Stream qs = q.newStream(B);
    SplittableRandom rnd = new SplittableRandom(17);
    List<String> bad = new ArrayList<>();
    for (int t = 0; t < STEPS; t++) {
      int[] tokens = rnd.ints(B, 0, V).toArray();
      float[] yf = fs.step(tokens).toFloatArray();
      float[] yq = qs.step(tokens).toFloatArray();
      float[] hf = fs.state().hidden(0).toFloatArray();
      float[] hq = qs.state().hidden(0).toFloatArray();
      bad.addAll(logitViolations(model, q, hf, hq, yf, yq, B, "step " + t));
    }
    return bad.size() <= 10 ? bad : bad.subList(0, 10); // the first ten say what is wrong
  }

  /**
   * Every logit of {@code rows} rows outside its bounds (above, with H the head's input width), given the two models'
   * head inputs {@code hf}, {@code hq} [rows, in] and their logits {@code yf}, {@code yq} [rows, out]; the first ten.
   */
  static List<String> logitViolations(SequenceModel model, QuantizedSequenceModel q, float[] hf, float[] hq,
                                      float[] yf, float[] yq, int rows, String where) {
    int in = model.head().inFeatures();
    int out = model.head().outFeatures();
    float[] w = model.head().weight().toFloatArray();
    float[] bias = model.head().bias() == null ? new float[out] : model.head().bias().toFloatArray();
    float[] wq = q.head().weight().dequantize().toFloatArray();
    float[] scale = q.head().weight().scales();
    List<String> bad = new ArrayList<>();
    double g = gamma(in + 2);
    for (int b = 0; b < rows; b++) {
      for (int r = 0; r < out; r++) {
        double exactQ = bias[r];
        double sq = Math.abs(bias[r]);
        double sf = Math.abs(bias[r]);
        double quant = 0;
        double through = 0;
        for (int j = 0; j < in; j++) {
          double xq = hq[b * in + j];
          double xf = hf[b * in + j];
          double wr = w[r * in + j];
          exactQ += (double) wq[r * in + j] * xq;
          sq += Math.abs(wq[r * in + j] * xq);
          sf += Math.abs(wr * xf);
          quant += q.format() == WeightFormat.INT8 ? Math.abs(xq) * scale[r] * (0.5 + 127 * U)
              : Math.abs(xq * wr) * Math.scalb(1.0, -8);
          through += Math.abs(wr) * Math.abs(xq - xf);
        }
        double got = yq[b * out + r];
        double rounding = g * sq;
        if (!(Math.abs(got - exactQ) <= rounding)) {
          bad.add(where + " row " + b + " logit " + r + ": " + got + " vs the dequantized head's exact " + exactQ
              + ", bound " + rounding);
        }
        double bound = rounding + quant + through + g * sf;
        double d = Math.abs(got - yf[b * out + r]);
        if (!(d <= bound)) {
          bad.add(where + " row " + b + " logit " + r + ": float " + yf[b * out + r] + ", quantized " + got
              + ", bound " + bound);
        }
      }
    }
    return bad.size() <= 10 ? bad : bad.subList(0, 10);
  }

  private static double gamma(int n) {
    return n * U / (1 - n * U);
  }
}
