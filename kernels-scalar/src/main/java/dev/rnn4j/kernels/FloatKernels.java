package dev.rnn4j.kernels;

// Generated from DoubleKernels.java by PrecisionGenerator. Edit that file and regenerate; do not edit this one.

/**
 * The float32 kernel contract: every arithmetic loop of rnn4j, over primitive arrays with offsets.
 *
 * <p>{@link FloatKernels} is the same contract in float32; it is generated from this file (see
 * {@code PrecisionGenerator}, the build step in the module {@code precision-gen}) so that the two never drift apart.
 *
 * <h2>Argument convention (every method)</h2>
 * <ul>
 *   <li>Flags and sizes come first ({@code m, n, k}, {@code rows, cols}, {@code batch, hidden}).</li>
 *   <li>Then the operands, inputs before outputs. Each array is followed by its offset, and a matrix also by its
 *       leading dimension (the distance between the starts of two consecutive rows; matrices are row-major).
 *       A scalar coefficient directly precedes the operand it scales, as in BLAS ({@code alpha, a, ..., beta, c}).</li>
 *   <li>Vectors have unit stride. Matrices of the recurrent kernels are contiguous (their leading dimension is their
 *       row length).</li>
 *   <li>Each parameter's Javadoc says whether the array is <em>not modified</em>, <em>modified</em> (read and
 *       written) or <em>written</em> (only written: its prior content is ignored). Only the stated range
 *       {@code [off, off + extent)} is touched.</li>
 *   <li>Aliasing: an output may be the very same range as an input only where the method says so; otherwise
 *       outputs must not overlap inputs or each other.</li>
 *   <li>Kernels trust their arguments: shape checks happen in the layer above (tensors, layers). Implementations
 *       check their own preconditions with {@code assert} only.</li>
 *   <li>Size 0 is legal everywhere and touches nothing (reductions then return their identity).</li>
 * </ul>
 *
 * <h2>Special values</h2>
 * IEEE semantics throughout: NaN propagates through arithmetic, maps and reductions ({@link #max} of a range that
 * contains NaN is NaN); infinities behave as in {@link Math}. The stable softmax forms subtract the row maximum first,
 * so finite inputs of any magnitude give finite results. Where {@code beta == 0} (gemm, gemv) the output is not
 * read, so NaN or garbage in it does not propagate (BLAS semantics).
 *
 * <h2>Accuracy</h2>
 * The scalar spec evaluates each formula in the obvious order; other implementations may reassociate sums (several
 * accumulators) and use fused multiply-add. For a length-k dot product both stay within
 * {@code gamma(k) * sum|a_i * b_i|} of the exact value, {@code gamma(k) = k*u / (1 - k*u)}, u the unit roundoff;
 * transcendental maps are within a few ulps of {@link Math}'s results (each implementation documents its bound).
 */
public interface FloatKernels {

  // ---------------------------------------------------------------------------------------------------------------
  // BLAS-like
  // ---------------------------------------------------------------------------------------------------------------

  /**
   * General matrix product {@code C = alpha * op(A) * op(B) + beta * C}, where {@code op(X)} is X or its transpose.
   *
   * @param transA use A transposed: A is stored k x m (else m x k)
   * @param transB use B transposed: B is stored n x k (else k x n)
   * @param m rows of op(A) and C
   * @param n columns of op(B) and C
   * @param k columns of op(A), rows of op(B)
   * @param a not modified; leading dimension {@code lda} >= its stored row length
   * @param b not modified
   * @param beta 0 means C is written without being read
   * @param c modified, m x n with leading dimension {@code ldc}; must not overlap A or B
   */
  void gemm(boolean transA, boolean transB, int m, int n, int k,
            float alpha, float[] a, int aOff, int lda,
            float[] b, int bOff, int ldb,
            float beta, float[] c, int cOff, int ldc);

  /**
   * Packs op(B) (k x n) for {@link #gemmPacked}: a copy of B in this implementation's own layout, made once for a
   * B that takes part in many products. Later changes of B do not reach the packed copy; pack again.
   *
   * @param transB use B transposed: B is stored n x k (else k x n)
   * @param k rows of op(B)
   * @param n columns of op(B)
   * @param b not modified
   * @param reuse null, or a matrix an earlier call of this object's {@code packB} returned: when its storage is large
   *     enough it is overwritten and returned (so repacking allocates nothing); otherwise a new matrix is returned
   * @return the packed op(B), {@code rows() == k}, {@code cols() == n}
   */
  FloatPackedMatrix packB(boolean transB, int k, int n, float[] b, int bOff, int ldb, FloatPackedMatrix reuse);

  /**
   * {@code C = alpha * op(A) * P + beta * C}, P = op(B) packed by {@link #packB}: the product that {@link #gemm}
   * computes from the unpacked B, {@code n = P.cols()}, {@code k = P.rows()}, with the same accuracy bound.
   *
   * <p>Rows are independent, bit for bit: row i of C depends only on row i of op(A), P, alpha, beta and row i of C,
   * not on m or on the row's position. Splitting the rows of a product over several calls (threads, the active rows
   * of a shrinking batch) therefore never changes a result.
   *
   * <p>Columns are independent too, bit for bit: element (i, j) of C depends only on row i of op(A), column j of P,
   * alpha, beta and c_ij, not on n or on the column's position in P. A product with a matrix packed from a selection
   * of op(B)'s columns, in any order, therefore gives those columns of C exactly (a recurrent layer splits a step's
   * hidden units over threads that way).
   *
   * @param transA use A transposed: A is stored k x m (else m x k)
   * @param m rows of op(A) and C
   * @param a not modified
   * @param p not modified; packed by this object's {@link #packB}, else {@link IllegalArgumentException}
   * @param beta 0 means C is written without being read
   * @param c modified, m x n with leading dimension {@code ldc}; must not overlap A
   */
  void gemmPacked(boolean transA, int m, float alpha, float[] a, int aOff, int lda, FloatPackedMatrix p,
                  float beta, float[] c, int cOff, int ldc);

  /**
   * {@code C = alpha * op(A) * P + 1 bias^T}: {@link #gemmPacked} with every row of C starting from the row vector
   * {@code bias[biasOff, biasOff + n)} instead of from {@code beta * C}, {@code n = P.cols()}. C is written without
   * being read, so a layer adds its bias in the product's epilogue instead of filling C with it first.
   *
   * <p>Bit for bit, every element equals what {@code gemmPacked(transA, m, alpha, a, aOff, lda, p, 1, c, cOff, ldc)}
   * gives when each row of C holds the bias beforehand (a product with {@code beta = 1} computes
   * {@code alpha * acc + 1 * c}, and {@code 1 * b == b} exactly), so it has gemmPacked's accuracy bound with
   * {@code |beta c|} replaced by {@code |bias_j|}. Rows and columns are independent bit for bit, as in gemmPacked
   * (column j with bias_j); with {@code k == 0} every row of C becomes {@code alpha * 0 + bias}.
   *
   * @param transA use A transposed: A is stored k x m (else m x k)
   * @param m rows of op(A) and C
   * @param a not modified
   * @param p not modified; packed by this object's {@link #packB}, else {@link IllegalArgumentException}
   * @param bias not modified, n elements
   * @param c written, m x n with leading dimension {@code ldc}; must not overlap A or bias
   */
  void gemmPackedBias(boolean transA, int m, float alpha, float[] a, int aOff, int lda, FloatPackedMatrix p,
                      float[] bias, int biasOff, float[] c, int cOff, int ldc);

  /**
   * Matrix-vector product {@code y = alpha * op(A) * x + beta * y}; A is stored m x n.
   *
   * @param trans use A transposed: then x has m elements and y has n, else x has n and y has m
   * @param a not modified
   * @param x not modified
   * @param beta 0 means y is written without being read
   * @param y modified; must not overlap A or x
   */
  void gemv(boolean trans, int m, int n,
            float alpha, float[] a, int aOff, int lda,
            float[] x, int xOff,
            float beta, float[] y, int yOff);

  /**
   * {@code y += alpha * x}.
   *
   * @param x not modified
   * @param y modified; may be the same range as x
   */
  void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff);

  /**
   * Returns {@code sum x_i * y_i}.
   *
   * @param x not modified
   * @param y not modified
   */
  float dot(int n, float[] x, int xOff, float[] y, int yOff);

  /**
   * {@code x *= alpha}, in place.
   *
   * @param x modified
   */
  void scal(int n, float alpha, float[] x, int xOff);

  // ---------------------------------------------------------------------------------------------------------------
  // Elementwise: out_i = f(a_i, b_i). Outputs are written and may be the same range as either input.
  // ---------------------------------------------------------------------------------------------------------------

  /** {@code out = a + b}. a, b not modified; out written, may alias a or b. */
  void add(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff);

  /** {@code out = a - b}. a, b not modified; out written, may alias a or b. */
  void sub(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff);

  /** {@code out = a * b}. a, b not modified; out written, may alias a or b. */
  void mul(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff);

  /** {@code out = a / b} (IEEE: x/0 is +-Inf or NaN). a, b not modified; out written, may alias a or b. */
  void div(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff);

  /** {@code out = alpha * x}. x not modified; out written, may alias x. */
  void scale(int n, float alpha, float[] x, int xOff, float[] out, int outOff);

  /** {@code out = x + alpha}. x not modified; out written, may alias x. */
  void addScalar(int n, float alpha, float[] x, int xOff, float[] out, int outOff);

  /** {@code out_i = value}. out written. */
  void fill(int n, float value, float[] out, int outOff);

  /** {@code out = x}. x not modified; out written; the ranges may overlap (memmove semantics). */
  void copy(int n, float[] x, int xOff, float[] out, int outOff);

  // ---------------------------------------------------------------------------------------------------------------
  // Maps y = f(x) and their backward forms dx = dy * f'(x). Outputs are written and may alias any input.
  // Backward forms take whichever of x (input) or y (output) gives the derivative most cheaply.
  // ---------------------------------------------------------------------------------------------------------------

  /** {@code y = 1 / (1 + exp(-x))}; never NaN for non-NaN x (no overflow for large |x|). */
  void sigmoid(int n, float[] x, int xOff, float[] y, int yOff);

  /** {@code dx = dy * y * (1 - y)} with y the sigmoid output. */
  void sigmoidBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff);

  /** {@code y = tanh(x)}. */
  void tanh(int n, float[] x, int xOff, float[] y, int yOff);

  /** {@code dx = dy * (1 - y^2)} with y the tanh output. */
  void tanhBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff);

  /** {@code y = max(x, 0)}; NaN stays NaN. */
  void relu(int n, float[] x, int xOff, float[] y, int yOff);

  /**
   * {@code dx = y > 0 ? dy : 0} with y the relu output (y > 0 exactly where x > 0; the subgradient at 0 is 0, as in
   * PyTorch).
   */
  void reluBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff);

  /** {@code y = exp(x)}. */
  void exp(int n, float[] x, int xOff, float[] y, int yOff);

  /** {@code dx = dy * y} with y the exp output. */
  void expBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff);

  /** {@code y = log(x)}: -Inf at 0, NaN below 0. */
  void log(int n, float[] x, int xOff, float[] y, int yOff);

  /** {@code dx = dy / x} with x the log input. */
  void logBackward(int n, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff);

  // ---------------------------------------------------------------------------------------------------------------
  // Reductions. All inputs not modified.
  // ---------------------------------------------------------------------------------------------------------------

  /** Returns {@code sum x_i}; 0 for n = 0. */
  float sum(int n, float[] x, int xOff);

  /** Returns {@code max x_i}; NaN if any element is NaN; -Inf for n = 0. */
  float max(int n, float[] x, int xOff);

  /** Returns {@code sum x_i^2}; 0 for n = 0. */
  float sumOfSquares(int n, float[] x, int xOff);

  /**
   * Column sums accumulated into out: {@code out_j += sum_i x[i, j]} for a rows x cols matrix (bias gradients,
   * broadcasting backward).
   *
   * @param x not modified
   * @param out modified, cols elements; must not overlap x
   */
  void addColumnSums(int rows, int cols, float[] x, int xOff, int ldx, float[] out, int outOff);

  // ---------------------------------------------------------------------------------------------------------------
  // Row-wise softmax. Stable: the row maximum is subtracted first, so inputs of +-1e4 give finite, correct results.
  // A row containing +Inf gives NaN; a row of all -Inf gives NaN (0/0), as in PyTorch.
  // ---------------------------------------------------------------------------------------------------------------

  /** {@code y[r, :] = softmax(x[r, :])}. x not modified; y written, may be the same range as x (same ld). */
  void softmax(int rows, int cols, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy);

  /**
   * {@code dx = y * (dy - sum_j(dy_j * y_j))} per row, y the softmax output. y, dy not modified; dx written, may be
   * the same range as dy.
   */
  void softmaxBackward(int rows, int cols, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff);

  /** {@code y[r, :] = x[r, :] - logsumexp(x[r, :])}. x not modified; y written, may be the same range as x. */
  void logSoftmax(int rows, int cols, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy);

  /**
   * {@code dx = dy - exp(y) * sum_j(dy_j)} per row, y the log-softmax output. Contiguous rows. y, dy not modified;
   * dx written, may be the same range as dy.
   */
  void logSoftmaxBackward(int rows, int cols, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff);

  // ---------------------------------------------------------------------------------------------------------------
  // Fused recurrent pointwise kernels: one time step for a whole batch, after the GEMMs. Matrices are contiguous
  // row-major [batch, G * hidden] with the gate blocks in PyTorch's order. (The plain RNN cell needs no kernel of
  // its own: its pointwise step is tanh / relu and their backward forms above.)
  // ---------------------------------------------------------------------------------------------------------------

  /**
   * LSTM step: with pre-activations (i, f, g, o) in {@code gates}, computes
   * {@code c = sigmoid(f) * cPrev + sigmoid(i) * tanh(g)} and {@code h = sigmoid(o) * tanh(c)}.
   *
   * @param gates modified, [batch, 4 * hidden]: in, pre-activations; out, the activations
   *              {@code sigmoid(i), sigmoid(f), tanh(g), sigmoid(o)} (kept for the backward pass)
   * @param cPrev not modified, [batch, hidden]
   * @param c written, [batch, hidden]; may be the same range as cPrev
   * @param h written, [batch, hidden]
   */
  void lstmForward(int batch, int hidden, float[] gates, int gatesOff, float[] cPrev, int cPrevOff,
                   float[] c, int cOff, float[] h, int hOff);

  /**
   * Backward of {@link #lstmForward}. With {@code tc = tanh(c)}, {@code dcTotal = dc + dh * o * (1 - tc^2)}:
   * gradients of the pre-activations {@code di = dcTotal * g * i(1-i)}, {@code df = dcTotal * cPrev * f(1-f)},
   * {@code dg = dcTotal * i * (1-g^2)}, {@code do = dh * tc * o(1-o)}, and {@code dcPrev = dcTotal * f}.
   *
   * <p>dGates may be the same range as gates, with the same result: a caller that needs the activations no more
   * (a backward pass through a trace that is freed after it) writes the gradients over them and keeps one array of
   * that size less.
   *
   * @param gates not modified unless dGates is the same range: the activations written by the forward pass
   * @param cPrev not modified
   * @param c not modified: the cell state written by the forward pass
   * @param dh not modified: gradient with respect to h (from the output and from step t + 1)
   * @param dc modified: in, gradient with respect to c from step t + 1; out, gradient with respect to cPrev
   * @param dGates written, [batch, 4 * hidden]: gradients of the pre-activations; may be the same range as gates,
   *     must not overlap it otherwise
   */
  void lstmBackward(int batch, int hidden, float[] gates, int gatesOff, float[] cPrev, int cPrevOff,
                    float[] c, int cOff, float[] dh, int dhOff, float[] dc, int dcOff,
                    float[] dGates, int dGatesOff);

  /**
   * GRU step, reset gate applied after the recurrent product (PyTorch, cuDNN): with {@code gi = x W_ih^T + b_ih} and
   * {@code gh = hPrev W_hh^T + b_hh}, both [batch, 3 * hidden] in the order (r, z, n):
   * {@code r = sigmoid(gi_r + gh_r)}, {@code z = sigmoid(gi_z + gh_z)}, {@code n = tanh(gi_n + r * gh_n)},
   * {@code h = (1 - z) * n + z * hPrev}.
   *
   * @param gi modified: in, input projections; out, the activations (r, z, n) kept for the backward pass
   * @param gh not modified (its n block is needed again by the backward pass)
   * @param hPrev not modified, [batch, hidden]
   * @param h written, [batch, hidden]; must not overlap hPrev
   */
  void gruForward(int batch, int hidden, float[] gi, int giOff, float[] gh, int ghOff,
                  float[] hPrev, int hPrevOff, float[] h, int hOff);

  /**
   * Backward of {@link #gruForward}. With {@code dn = dh * (1 - z) * (1 - n^2)}, {@code dz = dh * (hPrev - n) * z(1-z)},
   * {@code dr = dn * gh_n * r(1-r)}: {@code dgi = (dr, dz, dn)}, {@code dgh = (dr, dz, dn * r)} and the direct part of
   * the state gradient {@code dhPrev = dh * z} (the caller adds {@code dgh W_hh}).
   *
   * <p>As in {@link #lstmBackward}, the gradients may be written over what they are computed from: dgi may be the
   * same range as gi and dgh as gh, with the same result.
   *
   * @param gi not modified unless dgi is the same range: the activations written by the forward pass
   * @param gh not modified unless dgh is the same range
   * @param hPrev not modified
   * @param dh not modified
   * @param dgi written, [batch, 3 * hidden]; may be the same range as gi, must not overlap it otherwise
   * @param dgh written, [batch, 3 * hidden]; may be the same range as gh, must not overlap it otherwise
   * @param dhPrev written, [batch, hidden]; may be the same range as dh
   */
  void gruBackward(int batch, int hidden, float[] gi, int giOff, float[] gh, int ghOff,
                   float[] hPrev, int hPrevOff, float[] dh, int dhOff,
                   float[] dgi, int dgiOff, float[] dgh, int dghOff, float[] dhPrev, int dhPrevOff);

  // ---------------------------------------------------------------------------------------------------------------
  // Fused optimizer updates, in PyTorch's formulation. Param and state arrays are modified in place; grad is not.
  // ---------------------------------------------------------------------------------------------------------------

  /**
   * SGD with momentum, dampening, Nesterov and L2 weight decay (PyTorch's {@code torch.optim.SGD}):
   * {@code g = grad + weightDecay * p}; if momentum != 0: {@code v = momentum * v + (1 - dampening) * g} (on the
   * first step, {@code firstStep}, {@code v = g}), then {@code g = nesterov ? g + momentum * v : v};
   * finally {@code p -= lr * g}.
   *
   * @param param modified
   * @param grad not modified
   * @param velocity modified (ignored when momentum == 0)
   */
  void sgdUpdate(int n, float lr, float momentum, float dampening, float weightDecay, boolean nesterov,
                 boolean firstStep, float[] param, int paramOff, float[] grad, int gradOff,
                 float[] velocity, int velocityOff);

  /**
   * Adam / AdamW (PyTorch's {@code torch.optim.Adam} and {@code AdamW}) at step {@code step} (1-based):
   * with decoupled weight decay {@code p *= 1 - lr * weightDecay}, otherwise {@code g = grad + weightDecay * p};
   * {@code m = beta1 m + (1 - beta1) g}, {@code v = beta2 v + (1 - beta2) g^2},
   * {@code p -= lr * (m / (1 - beta1^step)) / (sqrt(v / (1 - beta2^step)) + eps)}.
   *
   * @param param modified
   * @param grad not modified
   * @param m modified, first-moment estimate
   * @param v modified, second-moment estimate
   */
  void adamUpdate(int n, float lr, float beta1, float beta2, float eps, float weightDecay,
                  boolean decoupledWeightDecay, int step, float[] param, int paramOff, float[] grad, int gradOff,
                  float[] m, int mOff, float[] v, int vOff);

  // ---------------------------------------------------------------------------------------------------------------
  // Description
  // ---------------------------------------------------------------------------------------------------------------

  /**
   * The machine-dependent choices of this implementation (block sizes derived from the caches, see
   * {@link GemmBlocking}) in one line for {@code KernelInfo} and benchmark reports; empty where there are none, as in
   * the scalar spec.
   */
  default String tuning() {
    return "";
  }
}
