package dev.rnn4j.nn.recurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.kernels.QuantizedKernelSelector;
import dev.rnn4j.kernels.QuantizedKernels;
import dev.rnn4j.nn.WeightFormat;
import dev.rnn4j.tensor.Tensor;
import dev.rnn4j.tensor.KernelScope;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One streaming step of a quantized layer against the float32 layer, from the same random states, within a bound
 * derived per hidden unit. Two references: the float32 layer itself (the bound then includes the quantization error of
 * every weight) and the float32 layer holding the dequantized weights (only float32 rounding may differ: this catches
 * wiring mistakes that the quantization slack would hide, such as a wrong row's scale).
 *
 * <h2>The bound</h2>
 * For gate row r, the pre-activation {@code W_ih x + b_ih + W_hh h' + b_hh} of the two computations differs by at most
 * {@code e_r = Q_r + 2 gamma(I + H + 3) S_r}:
 * <ul>
 *   <li>{@code Q_r}, the quantization error (0 against the dequantized weights): int8 {@code sum_j |v_j| s_r (1/2 +
 *       127 u)} over the product's input v (x for W_ih, h' for W_hh; each weight within {@code s_r (1/2 + 127 u)}, see
 *       the kernel tests); bfloat16 {@code 2^-8 sum_j |v_j w_rj|}.</li>
 *   <li>{@code S_r = sum_j |v_j| max(|w_rj|, |wq_rj|) + |b_ih,r| + |b_hh,r|}: each computation sums at most I + H + 3
 *       terms in float32, so each is within {@code gamma(I + H + 3) S_r} of its exact value.</li>
 * </ul>
 * The pointwise math is then Lipschitz: sigmoid' <= 1/4, tanh' <= 1, relu' <= 1, so a pre-activation difference e
 * moves a gate by at most e/4 or e, plus {@code TR = 2 * 16u} for the two evaluations of sigmoid or tanh (each within
 * 8u relative of the exact value, the kernels' stated accuracy, plus 4u for sigmoid's add and divide and the
 * subtraction around it; 16u covers all for values <= 1) and a few roundings {@code u} per product. Per cell:
 * <pre>
 * LSTM:  dc <= df |c'| + di + dg + 6u (|c'| + 1),  dh <= do + dc + 2 (16u + u)
 * GRU:   dn <= e_in + dr G_n + e_hn + 4u (G_i + G_n) + TR,  dh <= dn + dz (|h'| + 1) + 8u (|h'| + 1)
 *        with G_n = sum |w_hn| |h'| + |b_hn| and G_i = sum |w_in| |x| + |b_in| (magnitudes of the n-gate terms)
 * GRU reset-before: as the GRU, with the n gate's recurrent term W_hn (r * h'): its error e_hn (r * h' bounded by
 *        h') plus sum_j |w_nj| |h'_j| dr_j + 2u sum_j |w_nj| |h'_j|
 * RNN:   dh <= e + TR (tanh), dh <= e (relu)
 * </pre>
 */
class QuantizedStepBoundTest {

  private static final double U = Math.scalb(1.0, -24);
  private static final double TR = 2 * 16 * U;
  static final int I = 13;
  static final int H = 17;
  static final int B = 3;
  private static final int STEPS = 6;

  static Stream<Kernels> kernels() {
    return Stream.of(Kernels.scalar(), Kernels.get()).distinct();
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void everyCellAndFormatIsWithinTheBoundOfTheFloatLayer(Kernels kernels) {
    KernelScope.run(kernels, QuantizedStepBoundTest::checkEveryCellAndFormat);
  }

  private static void checkEveryCellAndFormat() {
    for (CellKind kind : CellKind.values()) {
      for (WeightFormat format : WeightFormat.values()) {
        RecurrentLayer layer = layer(kind);
        QuantizedRecurrentLayer quantized = layer.quantize(format);
        List<String> againstFloat = violations(layer, quantized, quantized.newStreamState(B), false);
        assertEquals(List.of(), againstFloat, kind + " " + format + " against the float32 weights");
        RecurrentLayer dequantized = dequantized(layer, quantized);
        List<String> againstDequantized = violations(dequantized, quantized, quantized.newStreamState(B), true);
        assertEquals(List.of(), againstDequantized, kind + " " + format + " against the dequantized weights");
      }
    }
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void aWrongRowScaleIsCaught(Kernels kernels) {
    KernelScope.run(kernels, () -> checkWrongScaleIsCaught(kernels));
  }

  private static void checkWrongScaleIsCaught(Kernels kernels) {
    QuantizedKernels real = QuantizedKernelSelector.matching(kernels);
    QuantizedKernels wrongScale = new ShiftedScales(real);
    for (CellKind kind : CellKind.values()) {
      RecurrentLayer layer = layer(kind);
      QuantizedRecurrentLayer quantized = layer.quantize(WeightFormat.INT8);
      QuantizedStreamState broken = new QuantizedStreamState(quantized, kernels.f32(), wrongScale, B);
      assertFalse(violations(dequantized(layer, quantized), quantized, broken, true).isEmpty(), kind.toString());
    }
  }

  /** A one-layer float32 layer whose gate rows have different magnitudes (so that row scales differ). */
  static RecurrentLayer layer(CellKind kind) {
    RecurrentLayer layer = RecurrentLayer.create(kind, new RecurrentOptions(I, H).seed(kind.ordinal() + 5));
    for (String name : new String[] {"weight_ih_l0", "weight_hh_l0"}) {
      Tensor w = layer.namedParameters().get(name);
      float[] a = w.toFloatArray();
      int cols = w.size(1);
      for (int i = 0; i < a.length; i++) {
        a[i] *= (float) Math.scalb(1.0, (i / cols) % 4 - 1); // rows scaled by 1/2, 1, 2, 4 in turn
      }
      w.copyFrom(a, 0);
    }
    return layer;
  }

  /** A float32 copy of {@code layer} holding the weights {@code quantized} multiplies with. */
  static RecurrentLayer dequantized(RecurrentLayer layer, QuantizedRecurrentLayer quantized) {
    RecurrentLayer copy = RecurrentLayer.create(layer.config().kind(), new RecurrentOptions(I, H));
    copy.namedParameters().get("bias_ih_l0").copyFrom(layer.namedParameters().get("bias_ih_l0"));
    copy.namedParameters().get("bias_hh_l0").copyFrom(layer.namedParameters().get("bias_hh_l0"));
    copy.namedParameters().get("weight_ih_l0").copyFrom(quantized.weightIh(0).dequantize());
    copy.namedParameters().get("weight_hh_l0").copyFrom(quantized.weightHh(0).dequantize());
    return copy;
  }

  /** Steps both from the same random states and returns every unit outside its bound. */
  static List<String> violations(RecurrentLayer ref, QuantizedRecurrentLayer q, QuantizedStreamState qs,
                                 boolean dequantizedReference) {
    CellKind kind = ref.config().kind();
    float[] wih = ref.namedParameters().get("weight_ih_l0").toFloatArray();
    float[] whh = ref.namedParameters().get("weight_hh_l0").toFloatArray();
    float[] bih = ref.namedParameters().get("bias_ih_l0").toFloatArray();
    float[] bhh = ref.namedParameters().get("bias_hh_l0").toFloatArray();
    float[] qih = q.weightIh(0).dequantize().toFloatArray();
    float[] qhh = q.weightHh(0).dequantize().toFloatArray();
    float[] sih = q.weightIh(0).scales();
    float[] shh = q.weightHh(0).scales();
    StreamState fs = ref.newStreamState(B);
    SplittableRandom rnd = new SplittableRandom(21);
    List<String> bad = new ArrayList<>();
    for (int t = 0; t < STEPS; t++) {
      float[] x = random(rnd, B * I, 2);
      float[] h0 = random(rnd, B * H, 1);
      float[] c0 = random(rnd, B * H, 3);
      fs.hidden(0).copyFrom(h0, 0);
      qs.hidden(0).copyFrom(h0, 0);
      if (kind.hasCellState()) {
        fs.cell(0).copyFrom(c0, 0);
        qs.cell(0).copyFrom(c0, 0);
      }
      float[] want = ref.step(Tensor.fromArray(x, B, I), fs).toFloatArray();
      float[] got = q.step(Tensor.fromArray(x, B, I), qs).toFloatArray();
      bad.addAll(stepViolations(kind, q.format(), new float[][] {wih, whh, bih, bhh, qih, qhh, sih, shh}, x, h0, c0,
          want, got, dequantizedReference, "step " + t));
    }
    return bad;
  }

  /**
   * Every unit of one step [B, H] from the states h0, c0 [B, H] and input x [B, I] that is outside its bound.
   *
   * @param w the reference's W_ih, W_hh, b_ih, b_hh and the quantized layer's dequantized W_ih, W_hh and row scales
   *     (int8; ignored for bfloat16), row-major float arrays in this order
   */
  static List<String> stepViolations(CellKind kind, WeightFormat format, float[][] w, float[] x, float[] h0,
                                     float[] c0, float[] want, float[] got, boolean dequantizedReference,
                                     String label) {
    float[] wih = w[0];
    float[] whh = w[1];
    float[] bih = w[2];
    float[] bhh = w[3];
    float[] qih = w[4];
    float[] qhh = w[5];
    float[] sih = w[6];
    float[] shh = w[7];
    int gw = kind.gates() * H;
    List<String> bad = new ArrayList<>();
    for (int b = 0; b < B; b++) {
      double[] eih = new double[gw];
      double[] ehh = new double[gw];
      for (int r = 0; r < gw; r++) {
        eih[r] = rowError(format, wih, qih, sih, r, I, x, b * I, dequantizedReference);
        ehh[r] = rowError(format, whh, qhh, shh, r, H, h0, b * H, dequantizedReference);
      }
      for (int u = 0; u < H; u++) {
        double bound = unitBound(kind, u, eih, ehh, x, b, h0, c0, whh, qhh, bih, bhh, wih, qih);
        double d = Math.abs((double) got[b * H + u] - want[b * H + u]);
        if (!(d <= bound)) {
          bad.add(label + " row " + b + " unit " + u + ": float " + want[b * H + u] + ", quantized "
              + got[b * H + u] + ", bound " + bound);
        }
      }
    }
    return bad;
  }

  /** e_r without the bias part: Q_r + 2 gamma(I + H + 3) sum_j |v_j| max(|w|, |wq|) (biases added by the caller). */
  private static double rowError(WeightFormat format, float[] w, float[] wq, float[] scale, int r, int k,
                                 float[] v, int vOff, boolean dequantizedReference) {
    double s = 0;
    double quant = 0;
    for (int j = 0; j < k; j++) {
      double a = Math.abs(v[vOff + j]);
      s += a * Math.max(Math.abs(w[r * k + j]), Math.abs(wq[r * k + j]));
      if (!dequantizedReference) {
        quant += format == WeightFormat.INT8 ? a * scale[r] * (0.5 + 127 * U)
            : a * Math.abs(w[r * k + j]) * Math.scalb(1.0, -8);
      }
    }
    return quant + 2 * gamma(I + H + 3) * s;
  }

  private static double unitBound(CellKind kind, int u, double[] eih, double[] ehh, float[] x, int b, float[] h0,
                                  float[] c0, float[] whh, float[] qhh, float[] bih, float[] bhh, float[] wih,
                                  float[] qih) {
    double acc = 2 * gamma(I + H + 3);
    java.util.function.IntToDoubleFunction e = r -> eih[r] + ehh[r] + acc * (Math.abs(bih[r]) + Math.abs(bhh[r]));
    double hp = Math.abs(h0[b * H + u]);
    switch (kind) {
      case RNN_TANH:
        return e.applyAsDouble(u) + TR;
      case RNN_RELU:
        return e.applyAsDouble(u);
      case LSTM: {
        double di = e.applyAsDouble(u) / 4 + TR;
        double df = e.applyAsDouble(H + u) / 4 + TR;
        double dg = e.applyAsDouble(2 * H + u) + TR;
        double dout = e.applyAsDouble(3 * H + u) / 4 + TR;
        double cp = Math.abs(c0[b * H + u]);
        double dc = df * cp + di + dg + 6 * U * (cp + 1);
        return dout + dc + 2 * (16 * U + U);
      }
      default: {
        int n = 2 * H + u;
        double dr = e.applyAsDouble(u) / 4 + TR;
        double dz = e.applyAsDouble(H + u) / 4 + TR;
        double gi = Math.abs(bih[n]) + (kind == CellKind.GRU_RESET_BEFORE ? Math.abs(bhh[n]) : 0);
        for (int j = 0; j < I; j++) {
          gi += Math.abs(x[b * I + j]) * Math.max(Math.abs(wih[n * I + j]), Math.abs(qih[n * I + j]));
        }
        double gn = kind == CellKind.GRU ? Math.abs(bhh[n]) : 0;
        for (int j = 0; j < H; j++) {
          gn += Math.abs(h0[b * H + j]) * Math.max(Math.abs(whh[n * H + j]), Math.abs(qhh[n * H + j]));
        }
        double arg;
        if (kind == CellKind.GRU) {
          arg = eih[n] + acc * Math.abs(bih[n]) + dr * gn + ehh[n] + acc * Math.abs(bhh[n]) + 4 * U * (gi + gn);
        } else {
          // dr_j differs per unit j: bound each r_j h'_j change by its own row's error
          double mix = 0;
          for (int j = 0; j < H; j++) {
            double wj = Math.max(Math.abs(whh[n * H + j]), Math.abs(qhh[n * H + j]));
            double drj = e.applyAsDouble(j) / 4 + TR;
            mix += wj * Math.abs(h0[b * H + j]) * (drj + 2 * U);
          }
          arg = eih[n] + acc * (Math.abs(bih[n]) + Math.abs(bhh[n])) + ehh[n] + mix + 4 * U * (gi + gn);
        }
        double dn = arg + TR;
        return dn + dz * (hp + 1) + 8 * U * (hp + 1);
      }
    }
  }

  static double gamma(int n) {
    return n * U / (1 - n * U);
  }

  static float[] random(SplittableRandom rnd, int n, double scale) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) rnd.nextDouble(-scale, scale);
    }
    return a;
  }

  /** A mutant: the int8 product scales row r with row r + 1's scale (the last row with the first's). */
  private record ShiftedScales(QuantizedKernels real) implements QuantizedKernels {
    @Override
    public String name() {
      return "shifted-scales";
    }

    @Override
    public void toBf16(int n, float[] x, int xOff, short[] out, int outOff) {
      real.toBf16(n, x, xOff, out, outOff);
    }

    @Override
    public void fromBf16(int n, short[] x, int xOff, float[] out, int outOff) {
      real.fromBf16(n, x, xOff, out, outOff);
    }

    @Override
    public void quantizeInt8(int rows, int cols, float[] w, int wOff, int ldw, byte[] q, int qOff, float[] scale,
                             int sOff) {
      real.quantizeInt8(rows, cols, w, wOff, ldw, q, qOff, scale, sOff);
    }

    @Override
    public int bf16PanelRows() {
      return real.bf16PanelRows();
    }

    @Override
    public int int8PanelRows() {
      return real.int8PanelRows();
    }

    @Override
    public void gemmBf16(int m, int n, int k, int p, float[] a, int aOff, int lda, short[] w, int wOff, float beta,
                         float[] c, int cOff, int ldc) {
      real.gemmBf16(m, n, k, p, a, aOff, lda, w, wOff, beta, c, cOff, ldc);
    }

    @Override
    public void gemmInt8(int m, int n, int k, int p, float[] a, int aOff, int lda, byte[] q, int qOff, float[] scale,
                         int sOff, float beta, float[] c, int cOff, int ldc) {
      float[] shifted = new float[n];
      for (int r = 0; r < n; r++) {
        shifted[r] = scale[sOff + (r + 1) % n];
      }
      real.gemmInt8(m, n, k, p, a, aOff, lda, q, qOff, shifted, 0, beta, c, cOff, ldc);
    }
  }
}
