package dev.rnn4j.kernels.testing;

// Generated from ReassociatedDoubleKernels.java by PrecisionGenerator. Edit that file and regenerate; do not edit this one.

import dev.rnn4j.kernels.FloatKernels;
import dev.rnn4j.kernels.ScalarFloatKernels;

/**
 * A correct implementation of {@link FloatKernels} that rounds differently from the scalar spec, so that comparing
 * it with the spec exercises the tolerances of {@link FloatKernelAgreementProperties} the way a SIMD twin does:
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
public final class ReassociatedFloatKernels extends ForwardingFloatKernels {

  public ReassociatedFloatKernels() {
    super(new ScalarFloatKernels());
  }

  @Override
  public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                   float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        float[] acc = new float[4];
        for (int p = 0; p < k; p++) {
          float aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
          float bpj = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
          acc[p & 3] = Math.fma(aip, bpj, acc[p & 3]);
        }
        float dot = (acc[0] + acc[1]) + (acc[2] + acc[3]);
        int ij = cOff + i * ldc + j;
        c[ij] = beta == 0 ? alpha * dot : Math.fma(alpha, dot, beta * c[ij]);
      }
    }
  }

  @Override
  public void gemv(boolean trans, int m, int n, float alpha, float[] a, int aOff, int lda, float[] x, int xOff,
                   float beta, float[] y, int yOff) {
    int outLen = trans ? n : m;
    int inLen = trans ? m : n;
    for (int i = 0; i < outLen; i++) {
      float[] acc = new float[4];
      for (int j = 0; j < inLen; j++) {
        float aij = trans ? a[aOff + j * lda + i] : a[aOff + i * lda + j];
        acc[j & 3] = Math.fma(aij, x[xOff + j], acc[j & 3]);
      }
      float dot = (acc[0] + acc[1]) + (acc[2] + acc[3]);
      y[yOff + i] = beta == 0 ? alpha * dot : Math.fma(alpha, dot, beta * y[yOff + i]);
    }
  }

  @Override
  public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
    }
  }

  @Override
  public float dot(int n, float[] x, int xOff, float[] y, int yOff) {
    float[] acc = new float[4];
    for (int i = 0; i < n; i++) {
      acc[i & 3] = Math.fma(x[xOff + i], y[yOff + i], acc[i & 3]);
    }
    return (acc[0] + acc[1]) + (acc[2] + acc[3]);
  }

  @Override
  public void sigmoid(int n, float[] x, int xOff, float[] y, int yOff) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] = logistic(x[xOff + i]);
    }
  }

  private static float logistic(float v) {
    float e = (float) Math.exp(-Math.abs(v));
    return v <= 0 ? e / (1 + e) : 1 / (1 + e);
  }

  @Override
  public void sigmoidBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
    for (int i = 0; i < n; i++) {
      float s = y[yOff + i];
      dx[dxOff + i] = dy[dyOff + i] * Math.fma(-s, s, s);
    }
  }

  @Override
  public void tanhBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
    for (int i = 0; i < n; i++) {
      float t = y[yOff + i];
      dx[dxOff + i] = dy[dyOff + i] * Math.fma(-t, t, 1);
    }
  }

  @Override
  public float sum(int n, float[] x, int xOff) {
    if (n <= 4) {
      float acc = 0;
      for (int i = 0; i < n; i++) {
        acc += x[xOff + i];
      }
      return acc;
    }
    int half = n / 2;
    return sum(half, x, xOff) + sum(n - half, x, xOff + half);
  }

  @Override
  public float sumOfSquares(int n, float[] x, int xOff) {
    float[] acc = new float[4];
    for (int i = 0; i < n; i++) {
      float v = x[xOff + i];
      acc[i & 3] = Math.fma(v, v, acc[i & 3]);
    }
    return (acc[0] + acc[1]) + (acc[2] + acc[3]);
  }

  @Override
  public void addColumnSums(int rows, int cols, float[] x, int xOff, int ldx, float[] out, int outOff) {
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        out[outOff + j] += x[xOff + i * ldx + j];
      }
    }
  }

  @Override
  public void softmax(int rows, int cols, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
    for (int r = 0; r < rows; r++) {
      int xr = xOff + r * ldx;
      int yr = yOff + r * ldy;
      float m = max(cols, x, xr);
      for (int j = 0; j < cols; j++) {
        y[yr + j] = (float) Math.exp(x[xr + j] - m);
      }
      float inv = 1 / sum(cols, y, yr);
      for (int j = 0; j < cols; j++) {
        y[yr + j] = y[yr + j] * inv;
      }
    }
  }

  @Override
  public void logSoftmax(int rows, int cols, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
    for (int r = 0; r < rows; r++) {
      int xr = xOff + r * ldx;
      int yr = yOff + r * ldy;
      float m = max(cols, x, xr);
      float[] e = new float[cols];
      for (int j = 0; j < cols; j++) {
        e[j] = (float) Math.exp(x[xr + j] - m);
      }
      float logS = (float) Math.log(sum(cols, e, 0));
      for (int j = 0; j < cols; j++) {
        y[yr + j] = (x[xr + j] - m) - logS;
      }
    }
  }

  @Override
  public void softmaxBackward(int rows, int cols, float[] y, int yOff, float[] dy, int dyOff, float[] dx,
                              int dxOff) {
    for (int r = 0; r < rows; r++) {
      int o = r * cols;
      float s = dot(cols, y, yOff + o, dy, dyOff + o);
      for (int j = 0; j < cols; j++) {
        float yj = y[yOff + o + j];
        dx[dxOff + o + j] = Math.fma(yj, dy[dyOff + o + j], -yj * s);
      }
    }
  }

  @Override
  public void logSoftmaxBackward(int rows, int cols, float[] y, int yOff, float[] dy, int dyOff, float[] dx,
                                 int dxOff) {
    for (int r = 0; r < rows; r++) {
      int o = r * cols;
      float s = sum(cols, dy, dyOff + o);
      for (int j = 0; j < cols; j++) {
        dx[dxOff + o + j] = Math.fma(-(float) Math.exp(y[yOff + o + j]), s, dy[dyOff + o + j]);
      }
    }
  }

  @Override
  public void lstmForward(int batch, int hidden, float[] gates, int gatesOff, float[] cPrev, int cPrevOff,
                          float[] c, int cOff, float[] h, int hOff) {
    for (int b = 0; b < batch; b++) {
      int g = gatesOff + b * 4 * hidden;
      for (int j = 0; j < hidden; j++) {
        float i = logistic(gates[g + j]);
        float f = logistic(gates[g + hidden + j]);
        float gg = (float) Math.tanh(gates[g + 2 * hidden + j]);
        float o = logistic(gates[g + 3 * hidden + j]);
        gates[g + j] = i;
        gates[g + hidden + j] = f;
        gates[g + 2 * hidden + j] = gg;
        gates[g + 3 * hidden + j] = o;
        int s = b * hidden + j;
        float cNew = Math.fma(f, cPrev[cPrevOff + s], i * gg);
        c[cOff + s] = cNew;
        h[hOff + s] = o * (float) Math.tanh(cNew);
      }
    }
  }

  @Override
  public void lstmBackward(int batch, int hidden, float[] gates, int gatesOff, float[] cPrev, int cPrevOff,
                           float[] c, int cOff, float[] dh, int dhOff, float[] dc, int dcOff,
                           float[] dGates, int dGatesOff) {
    for (int b = 0; b < batch; b++) {
      int g = gatesOff + b * 4 * hidden;
      int dg = dGatesOff + b * 4 * hidden;
      for (int j = 0; j < hidden; j++) {
        int s = b * hidden + j;
        float i = gates[g + j];
        float f = gates[g + hidden + j];
        float gg = gates[g + 2 * hidden + j];
        float o = gates[g + 3 * hidden + j];
        float tc = (float) Math.tanh(c[cOff + s]);
        float dhv = dh[dhOff + s];
        float dcTotal = Math.fma(dhv * o, Math.fma(-tc, tc, 1), dc[dcOff + s]);
        dGates[dg + j] = (dcTotal * gg) * Math.fma(-i, i, i);
        dGates[dg + hidden + j] = (dcTotal * cPrev[cPrevOff + s]) * Math.fma(-f, f, f);
        dGates[dg + 2 * hidden + j] = (dcTotal * i) * Math.fma(-gg, gg, 1);
        dGates[dg + 3 * hidden + j] = (dhv * tc) * Math.fma(-o, o, o);
        dc[dcOff + s] = dcTotal * f;
      }
    }
  }

  @Override
  public void gruForward(int batch, int hidden, float[] gi, int giOff, float[] gh, int ghOff,
                         float[] hPrev, int hPrevOff, float[] h, int hOff) {
    for (int b = 0; b < batch; b++) {
      int x = giOff + b * 3 * hidden;
      int y = ghOff + b * 3 * hidden;
      for (int j = 0; j < hidden; j++) {
        float r = logistic(gi[x + j] + gh[y + j]);
        float z = logistic(gi[x + hidden + j] + gh[y + hidden + j]);
        float nn = (float) Math.tanh(Math.fma(r, gh[y + 2 * hidden + j], gi[x + 2 * hidden + j]));
        gi[x + j] = r;
        gi[x + hidden + j] = z;
        gi[x + 2 * hidden + j] = nn;
        int s = b * hidden + j;
        h[hOff + s] = Math.fma(z, hPrev[hPrevOff + s] - nn, nn);
      }
    }
  }

  @Override
  public void gruBackward(int batch, int hidden, float[] gi, int giOff, float[] gh, int ghOff,
                          float[] hPrev, int hPrevOff, float[] dh, int dhOff,
                          float[] dgi, int dgiOff, float[] dgh, int dghOff, float[] dhPrev, int dhPrevOff) {
    for (int b = 0; b < batch; b++) {
      int x = giOff + b * 3 * hidden;
      int y = ghOff + b * 3 * hidden;
      int dx = dgiOff + b * 3 * hidden;
      int dy = dghOff + b * 3 * hidden;
      for (int j = 0; j < hidden; j++) {
        int s = b * hidden + j;
        float r = gi[x + j];
        float z = gi[x + hidden + j];
        float nn = gi[x + 2 * hidden + j];
        float dhv = dh[dhOff + s];
        float dn = (dhv - dhv * z) * Math.fma(-nn, nn, 1);
        float dz = (dhv * (hPrev[hPrevOff + s] - nn)) * Math.fma(-z, z, z);
        float dr = (dn * gh[y + 2 * hidden + j]) * Math.fma(-r, r, r);
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
  public void adamUpdate(int n, float lr, float beta1, float beta2, float eps, float weightDecay,
                         boolean decoupledWeightDecay, int step, float[] param, int paramOff, float[] grad,
                         int gradOff, float[] m, int mOff, float[] v, int vOff) {
    float bias1 = 1 - (float) Math.pow(beta1, step);
    float bias2 = 1 - (float) Math.pow(beta2, step);
    float stepSize = lr / bias1;
    float bias2Sqrt = (float) Math.sqrt(bias2);
    for (int i = 0; i < n; i++) {
      float p = param[paramOff + i];
      float g = grad[gradOff + i];
      if (decoupledWeightDecay) {
        p *= 1 - lr * weightDecay;
      } else {
        g = Math.fma(weightDecay, p, g);
      }
      float mi = Math.fma(beta1, m[mOff + i], (1 - beta1) * g);
      float vi = Math.fma(beta2, v[vOff + i], (1 - beta2) * g * g);
      m[mOff + i] = mi;
      v[vOff + i] = vi;
      float denom = (float) Math.sqrt(vi) / bias2Sqrt + eps;
      param[paramOff + i] = p - stepSize * (mi / denom);
    }
  }
}
