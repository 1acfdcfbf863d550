package dev.rnn4j.kernels;

// rnn4j:generate-float

/**
 * The scalar reference spec of {@link DoubleKernels}: plain loops that read like the math. It is the definition the
 * SIMD twin is tested against, so it stays naive on purpose: one accumulator, left-to-right sums, no blocking.
 * Transcendentals come from {@link Math}; in 32-bit the 64-bit result of {@link Math} is rounded once, so it is
 * within 1 ulp of the correctly rounded result.
 */
// Casts around Math calls are redundant in the 64-bit source; the generated 32-bit twin needs them.
@SuppressWarnings("cast")
public final class ScalarDoubleKernels implements DoubleKernels {

  /** The scalar spec; it holds no state, so one instance may be shared by any number of threads. */
  public ScalarDoubleKernels() {}

  // ---------------------------------------------------------------------------------------------------------------
  // BLAS-like
  // ---------------------------------------------------------------------------------------------------------------

  @Override
  public void gemm(boolean transA, boolean transB, int m, int n, int k,
                   double alpha, double[] a, int aOff, int lda,
                   double[] b, int bOff, int ldb,
                   double beta, double[] c, int cOff, int ldc) {
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double acc = 0;
        for (int p = 0; p < k; p++) {
          double aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
          double bpj = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
          acc += aip * bpj;
        }
        int ij = cOff + i * ldc + j;
        c[ij] = beta == 0 ? alpha * acc : alpha * acc + beta * c[ij];
      }
    }
  }

  /** op(B) as a dense k x n row-major copy: the spec's packed layout is simply the untransposed matrix. */
  private static final class Packed implements DoublePackedMatrix {
    int rows;
    int cols;
    double[] data;

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
  public DoublePackedMatrix packB(boolean transB, int k, int n, double[] b, int bOff, int ldb,
                                  DoublePackedMatrix reuse) {
    Packed p = reuse instanceof Packed r && r.data.length >= k * n ? r : new Packed();
    if (p.data == null) {
      p.data = new double[k * n];
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
  public void gemmPacked(boolean transA, int m, double alpha, double[] a, int aOff, int lda, DoublePackedMatrix p,
                         double beta, double[] c, int cOff, int ldc) {
    Packed packed = packed("gemmPacked", p);
    // The same loop as gemm, so the result is bit for bit gemm's.
    gemm(transA, false, m, packed.cols, packed.rows, alpha, a, aOff, lda, packed.data, 0, packed.cols,
        beta, c, cOff, ldc);
  }

  @Override
  public void gemmPackedBias(boolean transA, int m, double alpha, double[] a, int aOff, int lda, DoublePackedMatrix p,
                             double[] bias, int biasOff, double[] c, int cOff, int ldc) {
    Packed packed = packed("gemmPackedBias", p);
    int n = packed.cols;
    int k = packed.rows;
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        // gemm's sum, then bias_j where gemm adds beta * C_ij.
        double acc = 0;
        for (int q = 0; q < k; q++) {
          double aiq = transA ? a[aOff + q * lda + i] : a[aOff + i * lda + q];
          acc += aiq * packed.data[q * n + j];
        }
        c[cOff + i * ldc + j] = alpha * acc + bias[biasOff + j];
      }
    }
  }

  /** p as this implementation's packed matrix, else the exception the contract names for op. */
  private static Packed packed(String op, DoublePackedMatrix p) {
    if (!(p instanceof Packed packed)) {
      throw new IllegalArgumentException(op + ": the packed matrix was made by another kernel implementation ("
          + (p == null ? "null" : p.getClass().getName()) + "); pack it with this one's packB");
    }
    return packed;
  }

  @Override
  public void gemv(boolean trans, int m, int n,
                   double alpha, double[] a, int aOff, int lda,
                   double[] x, int xOff,
                   double beta, double[] y, int yOff) {
    int outLen = trans ? n : m;
    int inLen = trans ? m : n;
    for (int i = 0; i < outLen; i++) {
      double acc = 0;
      for (int j = 0; j < inLen; j++) {
        double aij = trans ? a[aOff + j * lda + i] : a[aOff + i * lda + j];
        acc += aij * x[xOff + j];
      }
      y[yOff + i] = beta == 0 ? alpha * acc : alpha * acc + beta * y[yOff + i];
    }
  }

  @Override
  public void axpy(int n, double alpha, double[] x, int xOff, double[] y, int yOff) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] += alpha * x[xOff + i];
    }
  }

  @Override
  public double dot(int n, double[] x, int xOff, double[] y, int yOff) {
    double acc = 0;
    for (int i = 0; i < n; i++) {
      acc += x[xOff + i] * y[yOff + i];
    }
    return acc;
  }

  @Override
  public void scal(int n, double alpha, double[] x, int xOff) {
    for (int i = 0; i < n; i++) {
      x[xOff + i] *= alpha;
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Elementwise
  // ---------------------------------------------------------------------------------------------------------------

  @Override
  public void add(int n, double[] a, int aOff, double[] b, int bOff, double[] out, int outOff) {
    for (int i = 0; i < n; i++) {
      out[outOff + i] = a[aOff + i] + b[bOff + i];
    }
  }

  @Override
  public void sub(int n, double[] a, int aOff, double[] b, int bOff, double[] out, int outOff) {
    for (int i = 0; i < n; i++) {
      out[outOff + i] = a[aOff + i] - b[bOff + i];
    }
  }

  @Override
  public void mul(int n, double[] a, int aOff, double[] b, int bOff, double[] out, int outOff) {
    for (int i = 0; i < n; i++) {
      out[outOff + i] = a[aOff + i] * b[bOff + i];
    }
  }

  @Override
  public void div(int n, double[] a, int aOff, double[] b, int bOff, double[] out, int outOff) {
    for (int i = 0; i < n; i++) {
      out[outOff + i] = a[aOff + i] / b[bOff + i];
    }
  }

  @Override
  public void scale(int n, double alpha, double[] x, int xOff, double[] out, int outOff) {
    for (int i = 0; i < n; i++) {
      out[outOff + i] = alpha * x[xOff + i];
    }
  }

  @Override
  public void addScalar(int n, double alpha, double[] x, int xOff, double[] out, int outOff) {
    for (int i = 0; i < n; i++) {
      out[outOff + i] = x[xOff + i] + alpha;
    }
  }

  @Override
  public void fill(int n, double value, double[] out, int outOff) {
    for (int i = 0; i < n; i++) {
      out[outOff + i] = value;
    }
  }

  @Override
  public void copy(int n, double[] x, int xOff, double[] out, int outOff) {
    System.arraycopy(x, xOff, out, outOff, n); // memmove semantics for overlapping ranges
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Maps and their backward forms
  // ---------------------------------------------------------------------------------------------------------------

  @Override
  public void sigmoid(int n, double[] x, int xOff, double[] y, int yOff) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] = sigmoid(x[xOff + i]);
    }
  }

  @Override
  public void sigmoidBackward(int n, double[] y, int yOff, double[] dy, int dyOff, double[] dx, int dxOff) {
    for (int i = 0; i < n; i++) {
      double s = y[yOff + i];
      dx[dxOff + i] = dy[dyOff + i] * s * (1 - s);
    }
  }

  @Override
  public void tanh(int n, double[] x, int xOff, double[] y, int yOff) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] = (double) Math.tanh(x[xOff + i]);
    }
  }

  @Override
  public void tanhBackward(int n, double[] y, int yOff, double[] dy, int dyOff, double[] dx, int dxOff) {
    for (int i = 0; i < n; i++) {
      double t = y[yOff + i];
      dx[dxOff + i] = dy[dyOff + i] * (1 - t * t);
    }
  }

  @Override
  public void relu(int n, double[] x, int xOff, double[] y, int yOff) {
    for (int i = 0; i < n; i++) {
      double v = x[xOff + i];
      y[yOff + i] = v > 0 || v != v ? v : 0; // NaN stays NaN
    }
  }

  @Override
  public void reluBackward(int n, double[] y, int yOff, double[] dy, int dyOff, double[] dx, int dxOff) {
    for (int i = 0; i < n; i++) {
      dx[dxOff + i] = y[yOff + i] > 0 ? dy[dyOff + i] : 0;
    }
  }

  @Override
  public void exp(int n, double[] x, int xOff, double[] y, int yOff) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] = (double) Math.exp(x[xOff + i]);
    }
  }

  @Override
  public void expBackward(int n, double[] y, int yOff, double[] dy, int dyOff, double[] dx, int dxOff) {
    for (int i = 0; i < n; i++) {
      dx[dxOff + i] = dy[dyOff + i] * y[yOff + i];
    }
  }

  @Override
  public void log(int n, double[] x, int xOff, double[] y, int yOff) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] = (double) Math.log(x[xOff + i]);
    }
  }

  @Override
  public void logBackward(int n, double[] x, int xOff, double[] dy, int dyOff, double[] dx, int dxOff) {
    for (int i = 0; i < n; i++) {
      dx[dxOff + i] = dy[dyOff + i] / x[xOff + i];
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Reductions
  // ---------------------------------------------------------------------------------------------------------------

  @Override
  public double sum(int n, double[] x, int xOff) {
    double acc = 0;
    for (int i = 0; i < n; i++) {
      acc += x[xOff + i];
    }
    return acc;
  }

  @Override
  public double max(int n, double[] x, int xOff) {
    double m = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      m = Math.max(m, x[xOff + i]); // Math.max propagates NaN
    }
    return m;
  }

  @Override
  public double sumOfSquares(int n, double[] x, int xOff) {
    double acc = 0;
    for (int i = 0; i < n; i++) {
      acc += x[xOff + i] * x[xOff + i];
    }
    return acc;
  }

  @Override
  public void addColumnSums(int rows, int cols, double[] x, int xOff, int ldx, double[] out, int outOff) {
    for (int j = 0; j < cols; j++) {
      double acc = 0;
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
  public void softmax(int rows, int cols, double[] x, int xOff, int ldx, double[] y, int yOff, int ldy) {
    for (int r = 0; r < rows; r++) {
      int xr = xOff + r * ldx;
      int yr = yOff + r * ldy;
      double m = max(cols, x, xr);
      double s = 0;
      for (int j = 0; j < cols; j++) {
        double e = (double) Math.exp(x[xr + j] - m);
        y[yr + j] = e;
        s += e;
      }
      for (int j = 0; j < cols; j++) {
        y[yr + j] /= s;
      }
    }
  }

  @Override
  public void softmaxBackward(int rows, int cols, double[] y, int yOff, double[] dy, int dyOff,
                              double[] dx, int dxOff) {
    for (int r = 0; r < rows; r++) {
      int o = r * cols;
      double s = dot(cols, dy, dyOff + o, y, yOff + o);
      for (int j = 0; j < cols; j++) {
        dx[dxOff + o + j] = y[yOff + o + j] * (dy[dyOff + o + j] - s);
      }
    }
  }

  @Override
  public void logSoftmax(int rows, int cols, double[] x, int xOff, int ldx, double[] y, int yOff, int ldy) {
    for (int r = 0; r < rows; r++) {
      int xr = xOff + r * ldx;
      int yr = yOff + r * ldy;
      double m = max(cols, x, xr);
      double s = 0;
      for (int j = 0; j < cols; j++) {
        s += (double) Math.exp(x[xr + j] - m);
      }
      double logSum = m + (double) Math.log(s);
      for (int j = 0; j < cols; j++) {
        y[yr + j] = x[xr + j] - logSum;
      }
    }
  }

  @Override
  public void logSoftmaxBackward(int rows, int cols, double[] y, int yOff, double[] dy, int dyOff,
                                 double[] dx, int dxOff) {
    for (int r = 0; r < rows; r++) {
      int o = r * cols;
      double s = sum(cols, dy, dyOff + o);
      for (int j = 0; j < cols; j++) {
        dx[dxOff + o + j] = dy[dyOff + o + j] - (double) Math.exp(y[yOff + o + j]) * s;
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Fused recurrent pointwise kernels
  // ---------------------------------------------------------------------------------------------------------------

  @Override
  public void lstmForward(int batch, int hidden, double[] gates, int gatesOff, double[] cPrev, int cPrevOff,
                          double[] c, int cOff, double[] h, int hOff) {
    for (int b = 0; b < batch; b++) {
      int g = gatesOff + b * 4 * hidden;
      for (int j = 0; j < hidden; j++) {
        double i = sigmoid(gates[g + j]);
        double f = sigmoid(gates[g + hidden + j]);
        double gg = (double) Math.tanh(gates[g + 2 * hidden + j]);
        double o = sigmoid(gates[g + 3 * hidden + j]);
        gates[g + j] = i;
        gates[g + hidden + j] = f;
        gates[g + 2 * hidden + j] = gg;
        gates[g + 3 * hidden + j] = o;
        double cNew = f * cPrev[cPrevOff + b * hidden + j] + i * gg;
        c[cOff + b * hidden + j] = cNew;
        h[hOff + b * hidden + j] = o * (double) Math.tanh(cNew);
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
        double dcTotal = dc[dcOff + s] + dhv * o * (1 - tc * tc);
        dGates[dg + j] = dcTotal * gg * i * (1 - i);
        dGates[dg + hidden + j] = dcTotal * cPrev[cPrevOff + s] * f * (1 - f);
        dGates[dg + 2 * hidden + j] = dcTotal * i * (1 - gg * gg);
        dGates[dg + 3 * hidden + j] = dhv * tc * o * (1 - o);
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
        double r = sigmoid(gi[x + j] + gh[y + j]);
        double z = sigmoid(gi[x + hidden + j] + gh[y + hidden + j]);
        double nn = (double) Math.tanh(gi[x + 2 * hidden + j] + r * gh[y + 2 * hidden + j]);
        gi[x + j] = r;
        gi[x + hidden + j] = z;
        gi[x + 2 * hidden + j] = nn;
        int s = b * hidden + j;
        h[hOff + s] = (1 - z) * nn + z * hPrev[hPrevOff + s];
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
        double dn = dhv * (1 - z) * (1 - nn * nn);
        double dz = dhv * (hPrev[hPrevOff + s] - nn) * z * (1 - z);
        double dr = dn * gh[y + 2 * hidden + j] * r * (1 - r);
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
  public void sgdUpdate(int n, double lr, double momentum, double dampening, double weightDecay, boolean nesterov,
                        boolean firstStep, double[] param, int paramOff, double[] grad, int gradOff,
                        double[] velocity, int velocityOff) {
    for (int i = 0; i < n; i++) {
      double p = param[paramOff + i];
      double g = grad[gradOff + i] + weightDecay * p;
      if (momentum != 0) {
        double v = firstStep ? g : momentum * velocity[velocityOff + i] + (1 - dampening) * g;
        velocity[velocityOff + i] = v;
        g = nesterov ? g + momentum * v : v;
      }
      param[paramOff + i] = p - lr * g;
    }
  }

  @Override
  public void adamUpdate(int n, double lr, double beta1, double beta2, double eps, double weightDecay,
                         boolean decoupledWeightDecay, int step, double[] param, int paramOff,
                         double[] grad, int gradOff, double[] m, int mOff, double[] v, int vOff) {
    double bias1 = 1 - (double) Math.pow(beta1, step);
    double bias2 = 1 - (double) Math.pow(beta2, step);
    for (int i = 0; i < n; i++) {
      double p = param[paramOff + i];
      double g = grad[gradOff + i];
      if (decoupledWeightDecay) {
        p *= 1 - lr * weightDecay;
      } else {
        g += weightDecay * p;
      }
      double mi = beta1 * m[mOff + i] + (1 - beta1) * g;
      double vi = beta2 * v[vOff + i] + (1 - beta2) * g * g;
      m[mOff + i] = mi;
      v[vOff + i] = vi;
      param[paramOff + i] = p - lr * (mi / bias1) / ((double) Math.sqrt(vi / bias2) + eps);
    }
  }

  /** The logistic function in a form that never overflows: exp of a non-positive argument only. */
  private static double sigmoid(double x) {
    if (x >= 0) {
      return 1 / (1 + (double) Math.exp(-x));
    }
    double e = (double) Math.exp(x);
    return e / (1 + e);
  }
}
