package dev.rnn4j.kernels;

/**
 * The kernels of weight-only quantized inference: weight matrices stored as bfloat16 or as int8 with one scale per
 * row, multiplied with float32 activations, the products summed in float32 (the weights are widened in registers,
 * never written back as float32). The argument convention is {@link FloatKernels}'s: sizes first, then each array
 * followed by its offset (and a matrix by its leading dimension), inputs before outputs; kernels trust their
 * arguments (checks happen in the layer above) and use {@code assert} only.
 *
 * <h2>Formats</h2>
 * <ul>
 *   <li><b>bfloat16</b>: the upper 16 bits of a float32 (sign, the 8 exponent bits, 7 mantissa bits), held in a
 *       {@code short}. {@link #toBf16} rounds to nearest, ties to even, and keeps a NaN a NaN (quiet); widening back
 *       is exact (append 16 zero bits). Relative error of one conversion: at most 2^-8 for normal numbers.</li>
 *   <li><b>int8, symmetric, per output row</b>: row r of W is {@code scale[r] * q[r, j]} with
 *       {@code scale[r] = max_j |W[r, j]| / 127} and {@code q[r, j] = round(W[r, j] / scale[r])} (ties to even) in
 *       [-127, 127]; -128 is never used, so that the range is symmetric. A row of zeros has scale 0 and q = 0.
 *       Absolute error per weight at most {@code scale[r] / 2}.</li>
 * </ul>
 *
 * <h2>Layout of the products' weights</h2>
 * The products read W packed in panels of p rows ({@link QuantizedLayout}): one stream in the order the products use
 * it, made once when a layer is quantized or loaded. Each implementation states the width it reads fastest
 * ({@link #bf16PanelRows()}, {@link #int8PanelRows()}) and accepts any width, so that a matrix packed for one implementation still multiplies
 * correctly under another.
 *
 * <h2>Accuracy of the products</h2>
 * The products multiply the float32 activations with the widened weights (bf16 widens exactly; an int8 is an exact
 * float) and sum in float32; the int8 product multiplies each row's sum by its scale once at the end. As for
 * {@link FloatKernels#dot}, the scalar spec sums in index order and other implementations may reassociate and use
 * fused multiply-add; both stay within {@code gamma(k) * sum_j |a_j * w_j|} of the exact product with the stored
 * weights ({@code gamma(k) = k u / (1 - k u)}, u = 2^-24), plus one rounding of the scale multiplication for int8.
 */
public interface QuantizedKernels {

  /** "scalar" or "simd": the name of the {@link Kernels} these belong with. */
  String name();

  // ---------------------------------------------------------------------------------------------------------------
  // Conversions
  // ---------------------------------------------------------------------------------------------------------------

  /**
   * Rounds {@code x[xOff, xOff + n)} to bfloat16: round to nearest, ties to even; infinities stay infinite, a NaN
   * stays a NaN (its payload's top bits kept, the quiet bit set so that rounding cannot turn it into an infinity),
   * finite values beyond the largest bfloat16 round to infinity as in IEEE.
   *
   * @param x not modified
   * @param out written
   */
  void toBf16(int n, float[] x, int xOff, short[] out, int outOff);

  /**
   * Widens bfloat16 values to float32 (exact).
   *
   * @param x not modified
   * @param out written
   */
  void fromBf16(int n, short[] x, int xOff, float[] out, int outOff);

  /**
   * Quantizes a row-major {@code rows x cols} float32 matrix to int8 with one scale per row (see the class comment).
   * Every element must be finite (checked by the caller).
   *
   * @param w not modified, leading dimension {@code ldw}
   * @param q written, {@code rows x cols} contiguous (leading dimension cols)
   * @param scale written, {@code rows} values
   */
  void quantizeInt8(int rows, int cols, float[] w, int wOff, int ldw, byte[] q, int qOff, float[] scale, int sOff);

  // ---------------------------------------------------------------------------------------------------------------
  // Products: C = A W^T + beta C with W [n, k] stored quantized and packed in panels of p rows (QuantizedLayout)
  // ---------------------------------------------------------------------------------------------------------------

  /**
   * The panel width ({@link QuantizedLayout}) this implementation's bfloat16 product reads fastest: 1 (row-major) for
   * the scalar spec, the float lanes of the vector species for the Vector API twin. Weights are packed once, with the
   * width of the kernels that will multiply with them; the products accept any width.
   */
  int bf16PanelRows();

  /** The panel width this implementation's int8 product reads fastest (as {@link #bf16PanelRows()}). */
  int int8PanelRows();

  /**
   * {@code C[m, n] = A[m, k] W^T + beta C} with W bfloat16 {@code [n, k]} packed in panels of {@code p} rows
   * ({@link QuantizedLayout#bf16Index}).
   *
   * @param p the panel width W was packed with, at least 1; {@link #bf16PanelRows()} is the fast one
   * @param a not modified, leading dimension {@code lda}
   * @param w not modified, packed; {@code wOff} is the start of its first panel
   * @param beta 0 means C is written without being read (NaN in C does not propagate)
   * @param c modified, leading dimension {@code ldc}; only its {@code m x n} block is written; must not overlap A
   */
  void gemmBf16(int m, int n, int k, int p, float[] a, int aOff, int lda, short[] w, int wOff,
                float beta, float[] c, int cOff, int ldc);

  /**
   * {@code C[i, r] = scale[r] * sum_j A[i, j] q[r, j] + beta C[i, r]} with q int8 {@code [n, k]} packed in panels of
   * {@code p} rows ({@link QuantizedLayout#int8Index}): the row sum is formed in float32 from the widened int8 values
   * and multiplied by the row's scale once.
   *
   * @param p the panel width q was packed with, at least 1; {@link #int8PanelRows()} is the fast one
   * @param a not modified, leading dimension {@code lda}
   * @param q not modified, packed; {@code qOff} is the start of its first panel
   * @param scale not modified, n values in row order
   * @param beta 0 means C is written without being read
   * @param c modified, leading dimension {@code ldc}; only its {@code m x n} block is written; must not overlap A
   */
  void gemmInt8(int m, int n, int k, int p, float[] a, int aOff, int lda, byte[] q, int qOff, float[] scale,
                int sOff, float beta, float[] c, int cOff, int ldc);
}
