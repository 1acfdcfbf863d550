package dev.rnn4j.kernels.testing;

import dev.rnn4j.kernels.QuantizedKernels;
import dev.rnn4j.kernels.QuantizedLayout;
import dev.rnn4j.kernels.ScalarQuantizedKernels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Checks of a {@link QuantizedKernels} implementation against the scalar spec, written as functions that return the
 * mismatches they find (empty: agreement), so that a test can both require agreement of a real implementation and
 * show that a deliberately wrong one is caught.
 *
 * <h2>Bounds</h2>
 * The conversions (bfloat16 both ways, int8 quantization) are exactly specified: the candidate must give the same bits.
 * For the products, each implementation is within {@code gamma(k + 2) * (scale_r * S + |beta * c|)} of the exact
 * product with the stored weights, {@code S = sum_j |a_j w_j|} over the widened weights (k roundings in the sum, in
 * whatever order or tree the products are added, as in the Vector API twin's even and odd chains; one for the row
 * scale, one for adding beta * c; a fused multiply-add only removes roundings; bfloat16 has scale 1); two
 * implementations therefore differ by at most twice that.
 */
public final class QuantizedKernelChecks {

  private static final double U = Math.ulp(1.0f) / 2; // 2^-24
  private static final QuantizedKernels SPEC = new ScalarQuantizedKernels();

  private QuantizedKernelChecks() {}

  static double gamma(int n) {
    return n * U / (1 - n * U);
  }

  /** One product problem: sizes, offsets, leading dimensions, beta and random contents. */
  public record Case(int m, int n, int k, int aOff, int lda, int cOff, int ldc, float beta, float[] a, float[] w,
                     float[] c) {}

  /** A random product case with odd sizes around vector widths, nonzero offsets and leading dimensions > rows. */
  public static Case randomCase(Random rnd) {
    int[] ks = {1, 3, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 130, 257};
    int m = 1 + rnd.nextInt(5);
    // several panels of 16 and a partial one; up to 90 rows so that the SIMD products' groups of four panels run at
    // 16 lanes too (at 8 and 4 lanes 40 rows were enough)
    int n = 1 + rnd.nextInt(rnd.nextBoolean() ? 11 : 90);
    int k = ks[rnd.nextInt(ks.length)];
    int aOff = rnd.nextInt(4);
    int lda = k + rnd.nextInt(3);
    int cOff = rnd.nextInt(4);
    int ldc = n + rnd.nextInt(3);
    float beta = rnd.nextBoolean() ? 0 : rnd.nextBoolean() ? 1 : 0.5f;
    float[] a = new float[aOff + m * lda];
    float[] w = new float[n * k];
    float[] c = new float[cOff + m * ldc];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) (rnd.nextGaussian() * Math.pow(2, rnd.nextInt(7) - 3));
    }
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (rnd.nextGaussian() * 0.1);
    }
    for (int i = 0; i < c.length; i++) {
      c[i] = beta == 0 ? Float.NaN : (float) rnd.nextGaussian();
    }
    return new Case(m, n, k, aOff, lda, cOff, ldc, beta, a, w, c);
  }

  /**
   * The candidate's bfloat16 product with the weights packed in panels of {@code p} rows agrees with the spec's
   * within the bound (and writes nothing else).
   */
  public static List<String> gemmBf16(QuantizedKernels candidate, Case cs, int p) {
    short[] rowMajor = new short[cs.w().length];
    SPEC.toBf16(rowMajor.length, cs.w(), 0, rowMajor, 0);
    int wOff = 5; // the products must honour the offset of the first panel
    short[] w = new short[wOff + (int) QuantizedLayout.bf16Length(p, cs.n(), cs.k())];
    QuantizedLayout.packBf16(p, cs.n(), cs.k(), rowMajor, 0, cs.k(), w, wOff);
    float[] want = cs.c().clone();
    float[] got = cs.c().clone();
    SPEC.gemmBf16(cs.m(), cs.n(), cs.k(), p, cs.a(), cs.aOff(), cs.lda(), w, wOff, cs.beta(), want, cs.cOff(),
        cs.ldc());
    candidate.gemmBf16(cs.m(), cs.n(), cs.k(), p, cs.a(), cs.aOff(), cs.lda(), w, wOff, cs.beta(), got, cs.cOff(),
        cs.ldc());
    float[] wide = new float[rowMajor.length];
    SPEC.fromBf16(rowMajor.length, rowMajor, 0, wide, 0);
    float[] ones = new float[cs.n()];
    java.util.Arrays.fill(ones, 1);
    return compare("gemmBf16 (panels of " + p + ")", cs, wide, ones, want, got);
  }

  /**
   * The candidate's int8 product with the weights packed in panels of {@code p} rows agrees with the spec's within
   * the bound (and writes nothing else).
   */
  public static List<String> gemmInt8(QuantizedKernels candidate, Case cs, int p) {
    byte[] rowMajor = new byte[cs.w().length];
    float[] scale = new float[cs.n() + 3];
    int sOff = 3;
    SPEC.quantizeInt8(cs.n(), cs.k(), cs.w(), 0, cs.k(), rowMajor, 0, scale, sOff);
    int qOff = 7;
    byte[] q = new byte[qOff + (int) QuantizedLayout.int8Length(p, cs.n(), cs.k())];
    QuantizedLayout.packInt8(p, cs.n(), cs.k(), rowMajor, 0, cs.k(), q, qOff);
    float[] want = cs.c().clone();
    float[] got = cs.c().clone();
    SPEC.gemmInt8(cs.m(), cs.n(), cs.k(), p, cs.a(), cs.aOff(), cs.lda(), q, qOff, scale, sOff, cs.beta(), want,
        cs.cOff(), cs.ldc());
    candidate.gemmInt8(cs.m(), cs.n(), cs.k(), p, cs.a(), cs.aOff(), cs.lda(), q, qOff, scale, sOff, cs.beta(), got,
        cs.cOff(), cs.ldc());
    float[] wide = new float[rowMajor.length];
    for (int i = 0; i < rowMajor.length; i++) {
      wide[i] = rowMajor[i];
    }
    return compare("gemmInt8 (panels of " + p + ")", cs, wide, java.util.Arrays.copyOfRange(scale, sOff,
        scale.length), want, got);
  }

  private static List<String> compare(String op, Case cs, float[] wide, float[] scale, float[] want, float[] got) {
    List<String> bad = new ArrayList<>();
    boolean[] inside = new boolean[want.length];
    for (int i = 0; i < cs.m(); i++) {
      for (int r = 0; r < cs.n(); r++) {
        int ci = cs.cOff() + i * cs.ldc() + r;
        inside[ci] = true;
        double s = 0;
        for (int j = 0; j < cs.k(); j++) {
          s += Math.abs((double) cs.a()[cs.aOff() + i * cs.lda() + j] * wide[r * cs.k() + j]);
        }
        double old = cs.beta() == 0 ? 0 : Math.abs((double) cs.beta() * cs.c()[ci]);
        double bound = 2 * gamma(cs.k() + 2) * (scale[r] * s + old);
        if (!(Math.abs((double) got[ci] - want[ci]) <= bound)) {
          bad.add(op + " " + cs.m() + "x" + cs.n() + "x" + cs.k() + " C[" + i + "," + r + "]: spec " + want[ci]
              + ", candidate " + got[ci] + ", bound " + bound);
        }
      }
    }
    for (int i = 0; i < want.length; i++) {
      if (!inside[i] && Float.floatToRawIntBits(got[i]) != Float.floatToRawIntBits(cs.c()[i])) {
        bad.add(op + ": wrote outside C at index " + i);
      }
    }
    return bad;
  }

  /** toBf16 gives the spec's bits for every value given (and writes only its range). */
  public static List<String> toBf16(QuantizedKernels candidate, float[] x) {
    int off = 3;
    short[] want = new short[x.length + 2 * off];
    short[] got = new short[x.length + 2 * off];
    java.util.Arrays.fill(want, (short) 0x5555);
    java.util.Arrays.fill(got, (short) 0x5555);
    SPEC.toBf16(x.length, x, 0, want, off);
    candidate.toBf16(x.length, x, 0, got, off);
    List<String> bad = new ArrayList<>();
    for (int i = 0; i < want.length; i++) {
      if (want[i] != got[i]) {
        float v = i >= off && i < off + x.length ? x[i - off] : Float.NaN;
        bad.add("toBf16(" + v + " = 0x" + Integer.toHexString(Float.floatToRawIntBits(v)) + "): spec 0x"
            + Integer.toHexString(want[i] & 0xFFFF) + ", candidate 0x" + Integer.toHexString(got[i] & 0xFFFF));
      }
    }
    return bad;
  }

  /** Values that exercise the bfloat16 rounding: ties, near-ties, overflow, subnormals, NaN payloads, infinities. */
  public static float[] bf16Values(Random rnd, int n) {
    int[] special = {0x3F808000, 0x3F818000, 0x3F808001, 0x3F807FFF, 0x7F7FFFFF, 0x7F7F8000, 0x7F7F7FFF,
        0xFF7FFFFF, 0x7F800001, 0xFF800001, 0x7FC00000, 0x7F800000, 0xFF800000, 0x00000001, 0x00008000, 0x00018000,
        0x80000000, 0x00000000, 0x007FFFFF};
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      int bits = i < special.length ? special[i] : switch (rnd.nextInt(3)) {
        case 0 -> rnd.nextInt();
        case 1 -> (rnd.nextInt() & 0xFFFF0000) | 0x8000; // an exact tie
        default -> Float.floatToRawIntBits((float) rnd.nextGaussian());
      };
      x[i] = Float.intBitsToFloat(bits);
    }
    return x;
  }

  /** fromBf16 gives the spec's bits for all 65536 bfloat16 values. */
  public static List<String> fromBf16AllValues(QuantizedKernels candidate) {
    short[] all = new short[1 << 16];
    for (int i = 0; i < all.length; i++) {
      all[i] = (short) i;
    }
    float[] want = new float[all.length];
    float[] got = new float[all.length];
    SPEC.fromBf16(all.length, all, 0, want, 0);
    candidate.fromBf16(all.length, all, 0, got, 0);
    List<String> bad = new ArrayList<>();
    for (int i = 0; i < all.length && bad.size() < 10; i++) {
      if (Float.floatToRawIntBits(want[i]) != Float.floatToRawIntBits(got[i])) {
        bad.add("fromBf16(0x" + Integer.toHexString(i) + "): spec " + want[i] + ", candidate " + got[i]);
      }
    }
    return bad;
  }

  /** quantizeInt8 gives the spec's bytes and scales. */
  public static List<String> quantizeInt8(QuantizedKernels candidate, Case cs) {
    int rows = cs.n();
    int cols = cs.k();
    int ldw = cs.k();
    byte[] qWant = new byte[rows * cols];
    byte[] qGot = new byte[rows * cols];
    float[] sWant = new float[rows];
    float[] sGot = new float[rows];
    SPEC.quantizeInt8(rows, cols, cs.w(), 0, ldw, qWant, 0, sWant, 0);
    candidate.quantizeInt8(rows, cols, cs.w(), 0, ldw, qGot, 0, sGot, 0);
    List<String> bad = new ArrayList<>();
    if (!java.util.Arrays.equals(qWant, qGot)) {
      bad.add("quantizeInt8 " + rows + "x" + cols + ": bytes differ");
    }
    if (!java.util.Arrays.equals(sWant, sGot)) {
      bad.add("quantizeInt8 " + rows + "x" + cols + ": scales differ");
    }
    return bad;
  }
}
