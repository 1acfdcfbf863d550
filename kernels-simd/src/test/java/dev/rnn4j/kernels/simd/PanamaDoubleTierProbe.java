package dev.rnn4j.kernels.simd;

// rnn4j:generate-float

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
// The cast after nextDouble is redundant here; the generated float32 twin needs it.
@SuppressWarnings("cast")
final class PanamaDoubleTierProbe {

  private PanamaDoubleTierProbe() {}

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
    PanamaDoubleKernels k = new PanamaDoubleKernels();
    int lanes = PanamaDoubleSpecies.SPECIES.length();
    int n = 2 * lanes + 3;
    List<String> out = new ArrayList<>();
    SplittableRandom rnd = new SplittableRandom(20261125);
    double[] x = fill(rnd, n, -30, 30);
    double[] x2 = fill(rnd, n, -3, 3);
    double[] pos = fill(rnd, n, 1e-3, 50);
    double[] y = new double[n];

    k.exp(n, x, 0, y, 0);
    out.add(line("exp", y));
    // exp's general scaling (lanes beyond the fast range: overflow, subnormal results, NaN, infinities).
    double[] wide = fill(rnd, n, -750, 750);
    wide[0] = Double.NaN;
    wide[1] = Double.NEGATIVE_INFINITY;
    wide[2] = Double.POSITIVE_INFINITY;
    k.exp(n, wide, 0, y, 0);
    out.add(line("exp wide", y));
    k.tanh(n, x2, 0, y, 0);
    out.add(line("tanh", y));
    k.sigmoid(n, x, 0, y, 0);
    out.add(line("sigmoid", y));
    k.log(n, pos, 0, y, 0);
    out.add(line("log", y));
    // log's masked path (subnormal scaling, special values) in the first vectors and the tail.
    double[] odd = fill(rnd, n, 1e-3, 50);
    odd[0] = Double.MIN_VALUE;
    odd[1] = 0.0;
    odd[2] = Double.POSITIVE_INFINITY;
    odd[3] = Double.NaN;
    odd[n - 1] = Double.MIN_VALUE;
    k.log(n, odd, 0, y, 0);
    out.add(line("log special", y));
    out.add(line("dot", new double[] {k.dot(n, x, 0, x2, 0), k.dot(8 * lanes + 1, fill(rnd, 8 * lanes + 1, -1, 1), 0,
        fill(rnd, 8 * lanes + 1, -1, 1), 0)}));
    double[] big = fill(rnd, 8 * lanes + 5, -1, 1);
    out.add(line("sum", new double[] {k.sum(n, x, 0), k.sum(big.length, big, 0)}));
    out.add(line("sumOfSquares", new double[] {k.sumOfSquares(big.length, big, 0)}));

    int rows = 3;
    double[] sx = fill(rnd, rows * n, -5, 5);
    double[] sy = new double[rows * n];
    k.softmax(rows, n, sx, 0, n, sy, 0, n);
    out.add(line("softmax", sy));
    k.logSoftmax(rows, n, sx, 0, n, sy, 0, n);
    out.add(line("logSoftmax", sy));
    double[] dy = fill(rnd, rows * n, -1, 1);
    double[] dx = new double[rows * n];
    k.logSoftmaxBackward(rows, n, sy, 0, dy, 0, dx, 0);
    out.add(line("logSoftmaxBackward", dx));

    // gemm: below SMALL_GEMM (one gemv per row of C) and a packed one with edges in every direction.
    int m = 5;
    int nn = 7;
    int kk = 9;
    double[] c = new double[m * nn];
    k.gemm(false, false, m, nn, kk, 1.0, fill(rnd, m * kk, -1, 1), 0, kk, fill(rnd, kk * nn, -1, 1), 0, nn, 0.0,
        c, 0, nn);
    out.add(line("gemm small", c));
    m = PanamaDoubleGemm.MR + 1;
    nn = 4 * lanes * PanamaDoubleGemm.NV / 2 + 3;
    kk = 2 * lanes + 5;
    c = fill(rnd, m * nn, -1, 1);
    k.gemm(false, true, m, nn, kk, 0.5, fill(rnd, m * kk, -1, 1), 0, kk, fill(rnd, nn * kk, -1, 1), 0, kk, 2.0,
        c, 0, nn);
    out.add(line("gemm packed", c));
    // gemmPacked: MR-row micro-kernel groups plus a 2-row tail (the one-row kernels), B packed transposed.
    int pm = PanamaDoubleGemm.MR + 2;
    double[] pc = fill(rnd, pm * nn, -1, 1);
    var packed = k.packB(true, kk, nn, fill(rnd, nn * kk, -1, 1), 0, kk, null);
    k.gemmPacked(false, pm, 0.5, fill(rnd, pm * kk, -1, 1), 0, kk, packed, 2.0, pc, 0, nn);
    out.add(line("gemmPacked", pc));
    // gemmPackedBias: an MR-row group plus a 5-row tail (the padded micro-kernel), C's old content ignored.
    int bm = PanamaDoubleGemm.MR + 5;
    double[] bc = new double[bm * nn];
    k.gemmPackedBias(false, bm, 0.5, fill(rnd, bm * kk, -1, 1), 0, kk, packed, fill(rnd, nn, -1, 1), 0, bc, 0, nn);
    out.add(line("gemmPackedBias", bc));
    double[] gy = fill(rnd, m, -1, 1);
    k.gemv(false, m, kk, 1.0, fill(rnd, m * kk, -1, 1), 0, kk, fill(rnd, kk, -1, 1), 0, 1.0, gy, 0);
    out.add(line("gemv", gy));

    int batch = 2;
    double[] gates = fill(rnd, batch * 4 * n, -4, 4);
    double[] cPrev = fill(rnd, batch * n, -2, 2);
    double[] cNew = new double[batch * n];
    double[] h = new double[batch * n];
    k.lstmForward(batch, n, gates, 0, cPrev, 0, cNew, 0, h, 0);
    out.add(line("lstmForward gates", gates));
    out.add(line("lstmForward c", cNew));
    out.add(line("lstmForward h", h));
    double[] dGates = new double[batch * 4 * n];
    double[] dc = fill(rnd, batch * n, -1, 1);
    k.lstmBackward(batch, n, gates, 0, cPrev, 0, cNew, 0, fill(rnd, batch * n, -1, 1), 0, dc, 0, dGates, 0);
    out.add(line("lstmBackward", dGates));
    double[] gi = fill(rnd, batch * 3 * n, -4, 4);
    double[] gh = fill(rnd, batch * 3 * n, -4, 4);
    k.gruForward(batch, n, gi, 0, gh, 0, fill(rnd, batch * n, -1, 1), 0, h, 0);
    out.add(line("gruForward gi", gi));
    out.add(line("gruForward h", h));
    return out;
  }

  private static double[] fill(SplittableRandom rnd, int n, double lo, double hi) {
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = (double) rnd.nextDouble(lo, hi);
    }
    return a;
  }

  private static String line(String name, double[] values) {
    StringBuilder sb = new StringBuilder(name).append(':');
    for (double v : values) {
      sb.append(' ').append(Long.toHexString(Double.doubleToLongBits /*f32:Float.floatToIntBits*/(v)));
    }
    return sb.toString();
  }
}
