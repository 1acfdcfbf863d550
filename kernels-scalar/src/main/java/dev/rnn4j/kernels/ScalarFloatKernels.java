package dev.rnn4j.kernels;

// Generated from ScalarDoubleKernels.java by PrecisionGenerator. Edit that file and regenerate; do not edit this one.

/**
 * The scalar reference spec of {@link FloatKernels}: plain loops that read like the math. It is the definition the
 * SIMD twin is tested against, so it stays naive on purpose: one accumulator, left-to-right sums, no blocking.
 * Transcendentals come from {@link Math}; in 32-bit the 64-bit result of {@link Math} is rounded once, so it is
 * within 1 ulp of the correctly rounded result.
 */
// Casts around Math calls are redundant in the 64-bit source; the generated 32-bit twin needs them.
@SuppressWarnings("cast")
public final class ScalarFloatKernels implements FloatKernels {

  /** The scalar spec; it holds no state, so one instance may be shared by any number of threads. */
  public ScalarFloatKernels() {}

  // ---------------------------------------------------------------------------------------------------------------
  // BLAS-like
  // ---------------------------------------------------------------------------------------------------------------

  @Override
  public void gemm(boolean transA, boolean transB, int m, int n, int k,
                   float alpha, float[] a, int aOff, int lda,
                   float[] b, int bOff, int ldb,
                   float beta, float[] c, int cOff, int ldc) {
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        float acc = 0;
        for (int p = 0; p < k; p++) {
          float aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
          float bpj = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
          acc += aip * bpj;
        }
        int ij = cOff + i * ldc + j;
        c[ij] = beta == 0 ? alpha * acc : alpha * acc + beta * c[ij];
      }
    }
  }

  /** op(B) as a dense k x n row-major copy: the spec's packed layout is simply the untransposed matrix. */
  private static final class Packed implements FloatPackedMatrix {
    int rows;
    int cols;
    float[] data;

    @Override
    public int rows() {
      return rows;
    }

    @Override
    public int cols() {
      return cols;
    }
  }

  @Override
  public FloatPackedMatrix packB(boolean transB, int k, int n, float[] b, int bOff, int ldb,
                                  FloatPackedMatrix reuse) {
    Packed p = reuse instanceof Packed r && r.data.length >= k * n ? r : new Packed();
    if (p.data == null) {
      p.data = new float[k * n];
    }
    p.rows = k;
    p.cols = n;
    for (int q = 0; q < k; q++) {
      for (int j = 0; j < n; j++) {
        p.data[q * n + j] = transB ? b[bOff + j * ldb + q] : b[bOff + q * ldb + j];
      }
    }
    return p;
  }

  @Override
  public void gemmPacked(boolean transA, int m, float alpha, float[] a, int aOff, int lda, FloatPackedMatrix p,
                         float beta, float[] c, int cOff, int ldc) {
    Packed packed = packed("gemmPacked", p);
    // The same loop as gemm, so the result is bit for bit gemm's.
    gemm(transA, false, m, packed.cols, packed.rows, alpha, a, aOff, lda, packed.data, 0, packed.cols,
        beta, c, cOff, ldc);
  }

  @Override
  public void gemmPackedBias(boolean transA, int m, float alpha, float[] a, int aOff, int lda, FloatPackedMatrix p,
                             float[] bias, int biasOff, float[] c, int cOff, int ldc) {
    Packed packed = packed("gemmPackedBias", p);
    int n = packed.cols;
    int k = packed.rows;
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        // gemm's sum, then bias_j where gemm adds beta * C_ij.
        float acc = 0;
        for (int q = 0; q < k; q++) {
          float aiq = transA ? a[aOff + q * lda + i] : a[aOff + i * lda + q];
          acc += aiq * packed.data[q * n + j];
        }
        c[cOff + i * ldc + j] = alpha * acc + bias[biasOff + j];
      }
    }
  }

  /** p as this implementation's packed matrix, else the exception the contract names for op. */
  private static Packed packed(String op, FloatPackedMatrix p) {
    if (!(p instanceof Packed packed)) {
      throw new IllegalArgumentException(op + ": the packed matrix was made by another kernel implementation ("
          + (p == null ? "null" : p.getClass().getName()) + "); pack it with this one's packB");
    }
    return packed;
  }

  @Override
  public void gemv(boolean trans, int m, int n,
                   float alpha, float[] a, int aOff, int lda,
                   float[] x, int xOff,
                   float beta, float[] y, int yOff) {
    int outLen = trans ? n : m;
    int inLen = trans ? m : n;
    for (int i = 0; i < outLen; i++) {
      float acc = 0;
      for (int j = 0; j < inLen; j++) {
        float aij = trans ? a[aOff + j * lda + i] : a[aOff + i * lda + j];
        acc += aij * x[xOff + j];
      }
      y[yOff + i] = beta == 0 ? alpha * acc : alpha * acc + beta * y[yOff + i];
    }
  }

  @Override
  public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] += alpha * x[xOff + i];
    }
  }

  @Override
  public float dot(int n, float[] x, int xOff, float[] y, int yOff) {
    float acc = 0;
    for (int i = 0; i < n; i++) {
      acc += x[xOff + i] * y[yOff + i];
    }
    return acc;
  }

  @Override
  public void scal(int n, float alpha, float[] x, int xOff) {
    for (int i = 0; i < n; i++) {
      x[xOff + i] *= alpha;
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Elementwise
  // ---------------------------------------------------------------------------------------------------------------

  @Override
  public void add(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
    for (int i = 0; i < n; i++) {
      out[outOff + i] = a[aOff + i] + b[bOff + i];
    }
  }

  @Override
  public void sub(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
    for (int i = 0; i < n; i++) {
      out[outOff + i] = a[aOff + i] - b[bOff + i];
    }
  }

  @Override
  public void mul(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
    for (int i = 0; i < n; i++) {
      out[outOff + i] = a[aOff + i] * b[bOff + i];
    }
  }

  @Override
  public void div(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
    for (int i = 0; i < n; i++) {
      out[outOff + i] = a[aOff + i] / b[bOff + i];
    }
  }

  @Override
  public void scale(int n, float alpha, float[] x, int xOff, float[] out, int outOff) {
    for (int i = 0; i < n; i++) {
      out[outOff + i] = alpha * x[xOff + i];
    }
  }

  @Override
  public void addScalar(int n, float alpha, float[] x, int xOff, float[] out, int outOff) {
    for (int i = 0; i < n; i++) {
      out[outOff + i] = x[xOff + i] + alpha;
    }
  }

  @Override
  public void fill(int n, float value, float[] out, int outOff) {
    for (int i = 0; i < n; i++) {
      out[outOff + i] = value;
    }
  }

  @Override
  public void copy(int n, float[] x, int xOff, float[] out, int outOff) {
    System.arraycopy(x, xOff, out, outOff, n); // memmove semantics for overlapping ranges
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Maps and their backward forms
  // ---------------------------------------------------------------------------------------------------------------

  @Override
  public void sigmoid(int n, float[] x, int xOff, float[] y, int yOff) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] = sigmoid(x[xOff + i]);
    }
  }

  @Override
  public void sigmoidBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
    for (int i = 0; i < n; i++) {
      float s = y[yOff + i];
      dx[dxOff + i] = dy[dyOff + i] * s * (1 - s);
    }
  }

  @Override
  public void tanh(int n, float[] x, int xOff, float[] y, int yOff) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] = (float) Math.tanh(x[xOff + i]);
    }
  }

  @Override
  public void tanhBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
    for (int i = 0; i < n; i++) {
      float t = y[yOff + i];
      dx[dxOff + i] = dy[dyOff + i] * (1 - t * t);
    }
  }

  @Override
  public void relu(int n, float[] x, int xOff, float[] y, int yOff) {
    for (int i = 0; i < n; i++) {
      float v = x[xOff + i];
      y[yOff + i] = v > 0 || v != v ? v : 0; // NaN stays NaN
    }
  }

  @Override
  public void reluBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
    for (int i = 0; i < n; i++) {
      dx[dxOff + i] = y[yOff + i] > 0 ? dy[dyOff + i] : 0;
    }
  }

  @Override
  public void exp(int n, float[] x, int xOff, float[] y, int yOff) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] = (float) Math.exp(x[xOff + i]);
    }
  }

  @Override
  public void expBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
    for (int i = 0; i < n; i++) {
      dx[dxOff + i] = dy[dyOff + i] * y[yOff + i];
    }
  }

  @Override
  public void log(int n, float[] x, int xOff, float[] y, int yOff) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] = (float) Math.log(x[xOff + i]);
    }
  }

  @Override
  public void logBackward(int n, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff) {
    for (int i = 0; i < n; i++) {
      dx[dxOff + i] = dy[dyOff + i] / x[xOff + i];
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Reductions
  // ---------------------------------------------------------------------------------------------------------------

  @Override
  public float sum(int n, float[] x, int xOff) {
    float acc = 0;
    for (int i = 0; i < n; i++) {
      acc += x[xOff + i];
    }
    return acc;
  }

  @Override
  public float max(int n, float[] x, int xOff) {
    float m = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      m = Math.max(m, x[xOff + i]); // Math.max propagates NaN
    }
    return m;
  }

  @Override
  public float sumOfSquares(int n, float[] x, int xOff) {
    float acc = 0;
    for (int i = 0; i < n; i++) {
      acc += x[xOff + i] * x[xOff + i];
    }
    return acc;
  }

  @Override
  public void addColumnSums(int rows, int cols, float[] x, int xOff, int ldx, float[] out, int outOff) {
    for (int j = 0; j < cols; j++) {
      float acc = 0;
      for (int i = 0; i < rows; i++) {
        acc += x[xOff + i * ldx + j];
      }
      out[outOff + j] += acc;
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Row-wise softmax
  // ---------------------------------------------------------------------------------------------------------------

  @Override
  public void softmax(int rows, int cols, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
    for (int r = 0; r < rows; r++) {
      int xr = xOff + r * ldx;
      int yr = yOff + r * ldy;
      float m = max(cols, x, xr);
      float s = 0;
      for (int j = 0; j < cols; j++) {
        float e = (float) Math.exp(x[xr + j] - m);
        y[yr + j] = e;
        s += e;
      }
      for (int j = 0; j < cols; j++) {
        y[yr + j] /= s;
      }
    }
  }

  @Override
  public void softmaxBackward(int rows, int cols, float[] y, int yOff, float[] dy, int dyOff,
                              float[] dx, int dxOff) {
    for (int r = 0; r < rows; r++) {
      int o = r * cols;
      float s = dot(cols, dy, dyOff + o, y, yOff + o);
      for (int j = 0; j < cols; j++) {
        dx[dxOff + o + j] = y[yOff + o + j] * (dy[dyOff + o + j] - s);
      }
    }
  }

  @Override
  public void logSoftmax(int rows, int cols, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
    for (int r = 0; r < rows; r++) {
      int xr = xOff + r * ldx;
      int yr = yOff + r * ldy;
      float m = max(cols, x, xr);
      float s = 0;
      for (int j = 0; j < cols; j++) {
        s += (float) Math.exp(x[xr + j] - m);
      }
      float logSum = m + (float) Math.log(s);
      for (int j = 0; j < cols; j++) {
        y[yr + j] = x[xr + j] - logSum;
      }
    }
  }

  @Override
  public void logSoftmaxBackward(int rows, int cols, float[] y, int yOff, float[] dy, int dyOff,
                                 float[] dx, int dxOff) {
    for (int r = 0; r < rows; r++) {
      int o = r * cols;
      float s = sum(cols, dy, dyOff + o);
      for (int j = 0; j < cols; j++) {
        dx[dxOff + o + j] = dy[dyOff + o + j] - (float) Math.exp(y[yOff + o + j]) * s;
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Fused recurrent pointwise kernels
  // ---------------------------------------------------------------------------------------------------------------

  @Override
  public void lstmForward(int batch, int hidden, float[] gates, int gatesOff, float[] cPrev, int cPrevOff,
                          float[] c, int cOff, float[] h, int hOff) {
    for (int b = 0; b < batch; b++) {
      int g = gatesOff + b * 4 * hidden;
      for (int j = 0; j < hidden; j++) {
        float i = sigmoid(gates[g + j]);
        float f = sigmoid(gates[g + hidden + j]);
        float gg = (float) Math.tanh(gates[g + 2 * hidden + j]);
        float o = sigmoid(gates[g + 3 * hidden + j]);
        gates[g + j] = i;
        gates[g + hidden + j] = f;
        gates[g + 2 * hidden + j] = gg;
        gates[g + 3 * hidden + j] = o;
        float cNew = f * cPrev[cPrevOff + b * hidden + j] + i * gg;
        c[cOff + b * hidden + j] = cNew;
        h[hOff + b * hidden + j] = o * (float) Math.tanh(cNew);
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
        float dcTotal = dc[dcOff + s] + dhv * o * (1 - tc * tc);
        dGates[dg + j] = dcTotal * gg * i * (1 - i);
        dGates[dg + hidden + j] = dcTotal * cPrev[cPrevOff + s] * f * (1 - f);
        dGates[dg + 2 * hidden + j] = dcTotal * i * (1 - gg * gg);
        dGates[dg + 3 * hidden + j] = dhv * tc * o * (1 - o);
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
        float r = sigmoid(gi[x + j] + gh[y + j]);
        float z = sigmoid(gi[x + hidden + j] + gh[y + hidden + j]);
        float nn = (float) Math.tanh(gi[x + 2 * hidden + j] + r * gh[y + 2 * hidden + j]);
        gi[x + j] = r;
        gi[x + hidden + j] = z;
        gi[x + 2 * hidden + j] = nn;
        int s = b * hidden + j;
        h[hOff + s] = (1 - z) * nn + z * hPrev[hPrevOff + s];
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
        float dn = dhv * (1 - z) * (1 - nn * nn);
        float dz = dhv * (hPrev[hPrevOff + s] - nn) * z * (1 - z);
        float dr = dn * gh[y + 2 * hidden + j] * r * (1 - r);
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

  // ---------------------------------------------------------------------------------------------------------------
  // Fused optimizer updates
  // ---------------------------------------------------------------------------------------------------------------

  @Override
  public void sgdUpdate(int n, float lr, float momentum, float dampening, float weightDecay, boolean nesterov,
                        boolean firstStep, float[] param, int paramOff, float[] grad, int gradOff,
                        float[] velocity, int velocityOff) {
    for (int i = 0; i < n; i++) {
      float p = param[paramOff + i];
      float g = grad[gradOff + i] + weightDecay * p;
      if (momentum != 0) {
        float v = firstStep ? g : momentum * velocity[velocityOff + i] + (1 - dampening) * g;
        velocity[velocityOff + i] = v;
        g = nesterov ? g + momentum * v : v;
      }
      param[paramOff + i] = p - lr * g;
    }
  }

  @Override
  public void adamUpdate(int n, float lr, float beta1, float beta2, float eps, float weightDecay,
                         boolean decoupledWeightDecay, int step, float[] param, int paramOff,
                         float[] grad, int gradOff, float[] m, int mOff, float[] v, int vOff) {
    float bias1 = 1 - (float) Math.pow(beta1, step);
    float bias2 = 1 - (float) Math.pow(beta2, step);
    for (int i = 0; i < n; i++) {
      float p = param[paramOff + i];
      float g = grad[gradOff + i];
      if (decoupledWeightDecay) {
        p *= 1 - lr * weightDecay;
      } else {
        g += weightDecay * p;
      }
      float mi = beta1 * m[mOff + i] + (1 - beta1) * g;
      float vi = beta2 * v[vOff + i] + (1 - beta2) * g * g;
      m[mOff + i] = mi;
      v[vOff + i] = vi;
      param[paramOff + i] = p - lr * (mi / bias1) / ((float) Math.sqrt(vi / bias2) + eps);
    }
  }

  /** The logistic function in a form that never overflows: exp of a non-positive argument only. */
  private static float sigmoid(float x) {
    if (x >= 0) {
      return 1 / (1 + (float) Math.exp(-x));
    }
    float e = (float) Math.exp(x);
    return e / (1 + e);
  }
}
