package dev.rnn4j.kernels.testing;

// rnn4j:generate-float

import dev.rnn4j.kernels.DoubleKernels;
import dev.rnn4j.kernels.ScalarDoubleKernels;

/**
 * A correct implementation of {@link DoubleKernels} that rounds differently from the scalar spec, so that comparing
 * it with the spec exercises the tolerances of {@link DoubleKernelAgreementProperties} the way a SIMD twin does:
 * dot products, gemm and gemv with four interleaved accumulators and fused multiply-add, sums pairwise, column sums
 * accumulated row by row into the output, axpy and the backward maps with fused multiply-add, sigmoid as
 * {@code e / (1 + e)} with {@code e = exp(x)} for all {@code x <= 0} (the spec switches at 0 too but uses
 * {@code 1 / (1 + exp(-x))} above), softmax sums pairwise and divides through a reciprocal, the recurrent kernels
 * with this sigmoid, fused multiply-adds and rearranged products ({@code h = n + z (hPrev - n)} for the GRU), and
 * Adam in PyTorch's own arrangement ({@code (lr / b1) * m / (sqrt(v) / sqrt(b2) + eps)}). Everything else forwards
 * to the spec.
 */
// Casts around Math calls are redundant in the 64-bit source; the generated 32-bit twin needs them.
@SuppressWarnings("cast")
public final class ReassociatedDoubleKernels extends ForwardingDoubleKernels {

  public ReassociatedDoubleKernels() {
    super(new ScalarDoubleKernels());
  }

  @Override
  public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOff, int lda,
                   double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double[] acc = new double[4];
        for (int p = 0; p < k; p++) {
          double aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
          double bpj = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
          acc[p & 3] = Math.fma(aip, bpj, acc[p & 3]);
        }
        double dot = (acc[0] + acc[1]) + (acc[2] + acc[3]);
        int ij = cOff + i * ldc + j;
        c[ij] = beta == 0 ? alpha * dot : Math.fma(alpha, dot, beta * c[ij]);
      }
    }
  }

  @Override
  public void gemv(boolean trans, int m, int n, double alpha, double[] a, int aOff, int lda, double[] x, int xOff,
                   double beta, double[] y, int yOff) {
    int outLen = trans ? n : m;
    int inLen = trans ? m : n;
    for (int i = 0; i < outLen; i++) {
      double[] acc = new double[4];
      for (int j = 0; j < inLen; j++) {
        double aij = trans ? a[aOff + j * lda + i] : a[aOff + i * lda + j];
        acc[j & 3] = Math.fma(aij, x[xOff + j], acc[j & 3]);
      }
      double dot = (acc[0] + acc[1]) + (acc[2] + acc[3]);
      y[yOff + i] = beta == 0 ? alpha * dot : Math.fma(alpha, dot, beta * y[yOff + i]);
    }
  }

  @Override
  public void axpy(int n, double alpha, double[] x, int xOff, double[] y, int yOff) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
    }
  }

  @Override
  public double dot(int n, double[] x, int xOff, double[] y, int yOff) {
    double[] acc = new double[4];
    for (int i = 0; i < n; i++) {
      acc[i & 3] = Math.fma(x[xOff + i], y[yOff + i], acc[i & 3]);
    }
    return (acc[0] + acc[1]) + (acc[2] + acc[3]);
  }

  @Override
  public void sigmoid(int n, double[] x, int xOff, double[] y, int yOff) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] = logistic(x[xOff + i]);
    }
  }

  private static double logistic(double v) {
    double e = (double) Math.exp(-Math.abs(v));
    return v <= 0 ? e / (1 + e) : 1 / (1 + e);
  }

  @Override
  public void sigmoidBackward(int n, double[] y, int yOff, double[] dy, int dyOff, double[] dx, int dxOff) {
    for (int i = 0; i < n; i++) {
      double s = y[yOff + i];
      dx[dxOff + i] = dy[dyOff + i] * Math.fma(-s, s, s);
    }
  }

  @Override
  public void tanhBackward(int n, double[] y, int yOff, double[] dy, int dyOff, double[] dx, int dxOff) {
    for (int i = 0; i < n; i++) {
      double t = y[yOff + i];
      dx[dxOff + i] = dy[dyOff + i] * Math.fma(-t, t, 1);
    }
  }

  @Override
  public double sum(int n, double[] x, int xOff) {
    if (n <= 4) {
      double acc = 0;
      for (int i = 0; i < n; i++) {
        acc += x[xOff + i];
      }
      return acc;
    }
    int half = n / 2;
    return sum(half, x, xOff) + sum(n - half, x, xOff + half);
  }

  @Override
  public double sumOfSquares(int n, double[] x, int xOff) {
    double[] acc = new double[4];
    for (int i = 0; i < n; i++) {
      double v = x[xOff + i];
      acc[i & 3] = Math.fma(v, v, acc[i & 3]);
    }
    return (acc[0] + acc[1]) + (acc[2] + acc[3]);
  }

  @Override
  public void addColumnSums(int rows, int cols, double[] x, int xOff, int ldx, double[] out, int outOff) {
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        out[outOff + j] += x[xOff + i * ldx + j];
      }
    }
  }

  @Override
  public void softmax(int rows, int cols, double[] x, int xOff, int ldx, double[] y, int yOff, int ldy) {
    for (int r = 0; r < rows; r++) {
      int xr = xOff + r * ldx;
      int yr = yOff + r * ldy;
      double m = max(cols, x, xr);
      for (int j = 0; j < cols; j++) {
        y[yr + j] = (double) Math.exp(x[xr + j] - m);
      }
      double inv = 1 / sum(cols, y, yr);
      for (int j = 0; j < cols; j++) {
        y[yr + j] = y[yr + j] * inv;
      }
    }
  }

  @Override
  public void logSoftmax(int rows, int cols, double[] x, int xOff, int ldx, double[] y, int yOff, int ldy) {
    for (int r = 0; r < rows; r++) {
      int xr = xOff + r * ldx;
      int yr = yOff + r * ldy;
      double m = max(cols, x, xr);
      double[] e = new double[cols];
      for (int j = 0; j < cols; j++) {
        e[j] = (double) Math.exp(x[xr + j] - m);
      }
      double logS = (double) Math.log(sum(cols, e, 0));
      for (int j = 0; j < cols; j++) {
        y[yr + j] = (x[xr + j] - m) - logS;
      }
    }
  }

  @Override
  public void softmaxBackward(int rows, int cols, double[] y, int yOff, double[] dy, int dyOff, double[] dx,
                              int dxOff) {
    for (int r = 0; r < rows; r++) {
      int o = r * cols;
      double s = dot(cols, y, yOff + o, dy, dyOff + o);
      for (int j = 0; j < cols; j++) {
        double yj = y[yOff + o + j];
        dx[dxOff + o + j] = Math.fma(yj, dy[dyOff + o + j], -yj * s);
      }
    }
  }

  @Override
  public void logSoftmaxBackward(int rows, int cols, double[] y, int yOff, double[] dy, int dyOff, double[] dx,
                                 int dxOff) {
    for (int r = 0; r < rows; r++) {
      int o = r * cols;
      double s = sum(cols, dy, dyOff + o);
      for (int j = 0; j < cols; j++) {
        dx[dxOff + o + j] = Math.fma(-(double) Math.exp(y[yOff + o + j]), s, dy[dyOff + o + j]);
      }
    }
  }

  @Override
  public void lstmForward(int batch, int hidden, double[] gates, int gatesOff, double[] cPrev, int cPrevOff,
                          double[] c, int cOff, double[] h, int hOff) {
    for (int b = 0; b < batch; b++) {
      int g = gatesOff + b * 4 * hidden;
      for (int j = 0; j < hidden; j++) {
        double i = logistic(gates[g + j]);
        double f = logistic(gates[g + hidden + j]);
        double gg = (double) Math.tanh(gates[g + 2 * hidden + j]);
        double o = logistic(gates[g + 3 * hidden + j]);
        gates[g + j] = i;
        gates[g + hidden + j] = f;
        gates[g + 2 * hidden + j] = gg;
        gates[g + 3 * hidden + j] = o;
        int s = b * hidden + j;
        double cNew = Math.fma(f, cPrev[cPrevOff + s], i * gg);
        c[cOff + s] = cNew;
        h[hOff + s] = o * (double) Math.tanh(cNew);
      }
    }
  }

  @Override
  public void lstmBackward(int batch, int hidden, double[] gates, int gatesOff, double[] cPrev, int cPrevOff,
                           double[] c, int cOff, double[] dh, int dhOff, double[] dc, int dcOff,
                           double[] dGates, int dGatesOff) {
    for (int b = 0; b < batch; b++) {
      int g = gatesOff + b * 4 * hidden;
      int dg = dGatesOff + b * 4 * hidden;
      for (int j = 0; j < hidden; j++) {
        int s = b * hidden + j;
        double i = gates[g + j];
        double f = gates[g + hidden + j];
        double gg = gates[g + 2 * hidden + j];
        double o = gates[g + 3 * hidden + j];
        double tc = (double) Math.tanh(c[cOff + s]);
        double dhv = dh[dhOff + s];
        double dcTotal = Math.fma(dhv * o, Math.fma(-tc, tc, 1), dc[dcOff + s]);
        dGates[dg + j] = (dcTotal * gg) * Math.fma(-i, i, i);
        dGates[dg + hidden + j] = (dcTotal * cPrev[cPrevOff + s]) * Math.fma(-f, f, f);
        dGates[dg + 2 * hidden + j] = (dcTotal * i) * Math.fma(-gg, gg, 1);
        dGates[dg + 3 * hidden + j] = (dhv * tc) * Math.fma(-o, o, o);
        dc[dcOff + s] = dcTotal * f;
      }
    }
  }

  @Override
  public void gruForward(int batch, int hidden, double[] gi, int giOff, double[] gh, int ghOff,
                         double[] hPrev, int hPrevOff, double[] h, int hOff) {
    for (int b = 0; b < batch; b++) {
      int x = giOff + b * 3 * hidden;
      int y = ghOff + b * 3 * hidden;
      for (int j = 0; j < hidden; j++) {
        double r = logistic(gi[x + j] + gh[y + j]);
        double z = logistic(gi[x + hidden + j] + gh[y + hidden + j]);
        double nn = (double) Math.tanh(Math.fma(r, gh[y + 2 * hidden + j], gi[x + 2 * hidden + j]));
        gi[x + j] = r;
        gi[x + hidden + j] = z;
        gi[x + 2 * hidden + j] = nn;
        int s = b * hidden + j;
        h[hOff + s] = Math.fma(z, hPrev[hPrevOff + s] - nn, nn);
      }
    }
  }

  @Override
  public void gruBackward(int batch, int hidden, double[] gi, int giOff, double[] gh, int ghOff,
                          double[] hPrev, int hPrevOff, double[] dh, int dhOff,
                          double[] dgi, int dgiOff, double[] dgh, int dghOff, double[] dhPrev, int dhPrevOff) {
    for (int b = 0; b < batch; b++) {
      int x = giOff + b * 3 * hidden;
      int y = ghOff + b * 3 * hidden;
      int dx = dgiOff + b * 3 * hidden;
      int dy = dghOff + b * 3 * hidden;
      for (int j = 0; j < hidden; j++) {
        int s = b * hidden + j;
        double r = gi[x + j];
        double z = gi[x + hidden + j];
        double nn = gi[x + 2 * hidden + j];
        double dhv = dh[dhOff + s];
        double dn = (dhv - dhv * z) * Math.fma(-nn, nn, 1);
        double dz = (dhv * (hPrev[hPrevOff + s] - nn)) * Math.fma(-z, z, z);
        double dr = (dn * gh[y + 2 * hidden + j]) * Math.fma(-r, r, r);
        dgi[dx + j] = dr;
        dgi[dx + hidden + j] = dz;
        dgi[dx + 2 * hidden + j] = dn;
        dgh[dy + j] = dr;
        dgh[dy + hidden + j] = dz;
        dgh[dy + 2 * hidden + j] = dn * r;
        dhPrev[dhPrevOff + s] = dhv * z;
      }
    }
  }

  @Override
  public void adamUpdate(int n, double lr, double beta1, double beta2, double eps, double weightDecay,
                         boolean decoupledWeightDecay, int step, double[] param, int paramOff, double[] grad,
                         int gradOff, double[] m, int mOff, double[] v, int vOff) {
    double bias1 = 1 - (double) Math.pow(beta1, step);
    double bias2 = 1 - (double) Math.pow(beta2, step);
    double stepSize = lr / bias1;
    double bias2Sqrt = (double) Math.sqrt(bias2);
    for (int i = 0; i < n; i++) {
      double p = param[paramOff + i];
      double g = grad[gradOff + i];
      if (decoupledWeightDecay) {
        p *= 1 - lr * weightDecay;
      } else {
        g = Math.fma(weightDecay, p, g);
      }
      double mi = Math.fma(beta1, m[mOff + i], (1 - beta1) * g);
      double vi = Math.fma(beta2, v[vOff + i], (1 - beta2) * g * g);
      m[mOff + i] = mi;
      v[vOff + i] = vi;
      double denom = (double) Math.sqrt(vi) / bias2Sqrt + eps;
      param[paramOff + i] = p - stepSize * (mi / denom);
    }
  }
}
