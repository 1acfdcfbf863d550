package dev.rnn4j.kernels.simd;

// Generated from PanamaDoubleTierProbe.java by PrecisionGenerator. Edit that file and regenerate; do not edit this one.

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Runs the SIMD kernels whose results could depend on the JIT tier (those that reduce lanes or use exp/tanh/log, and
 * the gemm paths) on fixed inputs, and prints every output as the hex of its raw bits, one line per kernel. Started
 * by {@link PanamaTierIndependenceTest} in JVMs that run the kernels on different tiers; the outputs must be equal.
 *
 * <p>Sizes follow the species so that every call has full vectors and a scalar tail: {@code n = 2 * LANES + 3}.
 */
// The cast after nextFloat is redundant here; the generated float32 twin needs it.
@SuppressWarnings("cast")
final class PanamaFloatTierProbe {

  private PanamaFloatTierProbe() {}

  /** Arguments: the number of runs before the recorded one (to let C2 compile the kernels first). */
  public static void main(String[] args) {
    int warmUp = Integer.parseInt(args[0]);
    for (int i = 0; i < warmUp; i++) {
      run();
    }
    for (String line : run()) {
      System.out.println(line);
    }
  }

  /** The outputs of one run, each line "kernel: bits bits ...". */
  static List<String> run() {
    PanamaFloatKernels k = new PanamaFloatKernels();
    int lanes = PanamaFloatSpecies.SPECIES.length();
    int n = 2 * lanes + 3;
    List<String> out = new ArrayList<>();
    SplittableRandom rnd = new SplittableRandom(20261125);
    float[] x = fill(rnd, n, -30, 30);
    float[] x2 = fill(rnd, n, -3, 3);
    float[] pos = fill(rnd, n, 1e-3f, 50);
    float[] y = new float[n];

    k.exp(n, x, 0, y, 0);
    out.add(line("exp", y));
    // exp's general scaling (lanes beyond the fast range: overflow, subnormal results, NaN, infinities).
    float[] wide = fill(rnd, n, -750, 750);
    wide[0] = Float.NaN;
    wide[1] = Float.NEGATIVE_INFINITY;
    wide[2] = Float.POSITIVE_INFINITY;
    k.exp(n, wide, 0, y, 0);
    out.add(line("exp wide", y));
    k.tanh(n, x2, 0, y, 0);
    out.add(line("tanh", y));
    k.sigmoid(n, x, 0, y, 0);
    out.add(line("sigmoid", y));
    k.log(n, pos, 0, y, 0);
    out.add(line("log", y));
    // log's masked path (subnormal scaling, special values) in the first vectors and the tail.
    float[] odd = fill(rnd, n, 1e-3f, 50);
    odd[0] = Float.MIN_VALUE;
    odd[1] = 0.0f;
    odd[2] = Float.POSITIVE_INFINITY;
    odd[3] = Float.NaN;
    odd[n - 1] = Float.MIN_VALUE;
    k.log(n, odd, 0, y, 0);
    out.add(line("log special", y));
    out.add(line("dot", new float[] {k.dot(n, x, 0, x2, 0), k.dot(8 * lanes + 1, fill(rnd, 8 * lanes + 1, -1, 1), 0,
        fill(rnd, 8 * lanes + 1, -1, 1), 0)}));
    float[] big = fill(rnd, 8 * lanes + 5, -1, 1);
    out.add(line("sum", new float[] {k.sum(n, x, 0), k.sum(big.length, big, 0)}));
    out.add(line("sumOfSquares", new float[] {k.sumOfSquares(big.length, big, 0)}));

    int rows = 3;
    float[] sx = fill(rnd, rows * n, -5, 5);
    float[] sy = new float[rows * n];
    k.softmax(rows, n, sx, 0, n, sy, 0, n);
    out.add(line("softmax", sy));
    k.logSoftmax(rows, n, sx, 0, n, sy, 0, n);
    out.add(line("logSoftmax", sy));
    float[] dy = fill(rnd, rows * n, -1, 1);
    float[] dx = new float[rows * n];
    k.logSoftmaxBackward(rows, n, sy, 0, dy, 0, dx, 0);
    out.add(line("logSoftmaxBackward", dx));

    // gemm: below SMALL_GEMM (one gemv per row of C) and a packed one with edges in every direction.
    int m = 5;
    int nn = 7;
    int kk = 9;
    float[] c = new float[m * nn];
    k.gemm(false, false, m, nn, kk, 1.0f, fill(rnd, m * kk, -1, 1), 0, kk, fill(rnd, kk * nn, -1, 1), 0, nn, 0.0f,
        c, 0, nn);
    out.add(line("gemm small", c));
    m = PanamaFloatGemm.MR + 1;
    nn = 4 * lanes * PanamaFloatGemm.NV / 2 + 3;
    kk = 2 * lanes + 5;
    c = fill(rnd, m * nn, -1, 1);
    k.gemm(false, true, m, nn, kk, 0.5f, fill(rnd, m * kk, -1, 1), 0, kk, fill(rnd, nn * kk, -1, 1), 0, kk, 2.0f,
        c, 0, nn);
    out.add(line("gemm packed", c));
    // gemmPacked: MR-row micro-kernel groups plus a 2-row tail (the one-row kernels), B packed transposed.
    int pm = PanamaFloatGemm.MR + 2;
    float[] pc = fill(rnd, pm * nn, -1, 1);
    var packed = k.packB(true, kk, nn, fill(rnd, nn * kk, -1, 1), 0, kk, null);
    k.gemmPacked(false, pm, 0.5f, fill(rnd, pm * kk, -1, 1), 0, kk, packed, 2.0f, pc, 0, nn);
    out.add(line("gemmPacked", pc));
    // gemmPackedBias: an MR-row group plus a 5-row tail (the padded micro-kernel), C's old content ignored.
    int bm = PanamaFloatGemm.MR + 5;
    float[] bc = new float[bm * nn];
    k.gemmPackedBias(false, bm, 0.5f, fill(rnd, bm * kk, -1, 1), 0, kk, packed, fill(rnd, nn, -1, 1), 0, bc, 0, nn);
    out.add(line("gemmPackedBias", bc));
    float[] gy = fill(rnd, m, -1, 1);
    k.gemv(false, m, kk, 1.0f, fill(rnd, m * kk, -1, 1), 0, kk, fill(rnd, kk, -1, 1), 0, 1.0f, gy, 0);
    out.add(line("gemv", gy));

    int batch = 2;
    float[] gates = fill(rnd, batch * 4 * n, -4, 4);
    float[] cPrev = fill(rnd, batch * n, -2, 2);
    float[] cNew = new float[batch * n];
    float[] h = new float[batch * n];
    k.lstmForward(batch, n, gates, 0, cPrev, 0, cNew, 0, h, 0);
    out.add(line("lstmForward gates", gates));
    out.add(line("lstmForward c", cNew));
    out.add(line("lstmForward h", h));
    float[] dGates = new float[batch * 4 * n];
    float[] dc = fill(rnd, batch * n, -1, 1);
    k.lstmBackward(batch, n, gates, 0, cPrev, 0, cNew, 0, fill(rnd, batch * n, -1, 1), 0, dc, 0, dGates, 0);
    out.add(line("lstmBackward", dGates));
    float[] gi = fill(rnd, batch * 3 * n, -4, 4);
    float[] gh = fill(rnd, batch * 3 * n, -4, 4);
    k.gruForward(batch, n, gi, 0, gh, 0, fill(rnd, batch * n, -1, 1), 0, h, 0);
    out.add(line("gruForward gi", gi));
    out.add(line("gruForward h", h));
    return out;
  }

  private static float[] fill(SplittableRandom rnd, int n, float lo, float hi) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) rnd.nextFloat(lo, hi);
    }
    return a;
  }

  private static String line(String name, float[] values) {
    StringBuilder sb = new StringBuilder(name).append(':');
    for (float v : values) {
      sb.append(' ').append(Long.toHexString(Float.floatToIntBits(v)));
    }
    return sb.toString();
  }
}
