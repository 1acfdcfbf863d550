package dev.rnn4j.kernels;

/**
 * The packed layouts of quantized weight matrices that the {@link QuantizedKernels} products read: one contiguous
 * stream in the order in which a product consumes it, so that a matrix-vector product reads its weights front to back
 * as a single sequential stream (the row-major layout makes a kernel that computes several rows at a time read as
 * many streams, which arrive from L3 measurably slower than one).
 *
 * <p>A matrix W of {@code rows x cols} (one row per output, PyTorch's layout) is cut into panels of {@code p}
 * consecutive rows, {@code panels = ceil(rows / p)}; the last panel is padded with zero rows. Within a panel:
 * <ul>
 *   <li><b>bfloat16</b>: for each pair of columns {@code (2s, 2s + 1)} in turn, the p rows' pairs one after the other:
 *       {@code W[r, j]} sits at {@code ((r / p * pairs + j / 2) * p + r % p) * 2 + j % 2} with
 *       {@code pairs = ceil(cols / 2)} (an odd last column is paired with a zero). Read as 32-bit little-endian
 *       integers, each int holds a pair {@code W[r, 2s]} (low half) and {@code W[r, 2s + 1]} (high half): one load of
 *       p ints gives two float vectors of p rows by one shift and one mask.</li>
 *   <li><b>int8</b>: for each quad of columns {@code (4s, ..., 4s + 3)} in turn, the p rows' quads one after the
 *       other: {@code W[r, j]} sits at {@code ((r / p * quads + j / 4) * p + r % p) * 4 + j % 4} with
 *       {@code quads = ceil(cols / 4)} (a last partial quad is completed with zeros). Read as 32-bit little-endian
 *       integers, each int holds the quad of one row, {@code W[r, 4s + b]} in byte b: one load of p ints gives the
 *       four float vectors of p rows by shifts (sign extension) and an int-to-float conversion.</li>
 * </ul>
 * With {@code p = 1} the layouts are row-major with each row padded: to an even length for bfloat16, to a multiple
 * of 4 for int8. The int8 row scales are not packed: one float per row, in row order.
 *
 * <p>The panel width an implementation reads fastest is its {@link QuantizedKernels#bf16PanelRows()} and
 * {@link QuantizedKernels#int8PanelRows()} (the Vector API twin: the float lanes of its species for both, so that
 * one accumulator holds one panel's outputs); every implementation
 * accepts any {@code p >= 1}. Packing is a permutation of the stored values: unpacking gives back the row-major
 * matrix bit for bit.
 */
public final class QuantizedLayout {

  private QuantizedLayout() {}

  /** Number of panels of p rows that hold {@code rows} rows. */
  public static int panels(int p, int rows) {
    return (rows + p - 1) / p;
  }

  /** Length of a packed bfloat16 {@code rows x cols} matrix (in shorts). */
  public static long bf16Length(int p, int rows, int cols) {
    return (long) panels(p, rows) * p * 2 * ((cols + 1) / 2);
  }

  /** Length of a packed int8 {@code rows x cols} matrix (in bytes). */
  public static long int8Length(int p, int rows, int cols) {
    return (long) panels(p, rows) * p * 4 * ((cols + 3) / 4);
  }

  /** Index of {@code W[r, j]} in a packed bfloat16 matrix of {@code cols} columns (see the class comment). */
  public static int bf16Index(int p, int cols, int r, int j) {
    int pairs = (cols + 1) / 2;
    return ((r / p * pairs + j / 2) * p + r % p) * 2 + (j & 1);
  }

  /** Index of {@code W[r, j]} in a packed int8 matrix of {@code cols} columns (see the class comment). */
  public static int int8Index(int p, int cols, int r, int j) {
    int quads = (cols + 3) / 4;
    return ((r / p * quads + j / 4) * p + r % p) * 4 + (j & 3);
  }

  /**
   * Packs a row-major bfloat16 matrix; the padding is zero.
   *
   * @param w not modified, leading dimension {@code ldw}
   * @param out written: {@link #bf16Length} values from {@code outOff}
   */
  public static void packBf16(int p, int rows, int cols, short[] w, int wOff, int ldw, short[] out, int outOff) {
    java.util.Arrays.fill(out, outOff, (int) (outOff + bf16Length(p, rows, cols)), (short) 0);
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < cols; j++) {
        out[outOff + bf16Index(p, cols, r, j)] = w[wOff + r * ldw + j];
      }
    }
  }

  /**
   * The row-major matrix back from a packed bfloat16 one.
   *
   * @param packed not modified
   * @param out written, {@code rows x cols} with leading dimension {@code ldo}
   */
  public static void unpackBf16(int p, int rows, int cols, short[] packed, int pOff, short[] out, int outOff,
                                int ldo) {
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < cols; j++) {
        out[outOff + r * ldo + j] = packed[pOff + bf16Index(p, cols, r, j)];
      }
    }
  }

  /**
   * Packs a row-major int8 matrix; the padding is zero.
   *
   * @param q not modified, leading dimension {@code ldq}
   * @param out written: {@link #int8Length} values from {@code outOff}
   */
  public static void packInt8(int p, int rows, int cols, byte[] q, int qOff, int ldq, byte[] out, int outOff) {
    java.util.Arrays.fill(out, outOff, (int) (outOff + int8Length(p, rows, cols)), (byte) 0);
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < cols; j++) {
        out[outOff + int8Index(p, cols, r, j)] = q[qOff + r * ldq + j];
      }
    }
  }

  /**
   * The row-major matrix back from a packed int8 one.
   *
   * @param packed not modified
   * @param out written, {@code rows x cols} with leading dimension {@code ldo}
   */
  public static void unpackInt8(int p, int rows, int cols, byte[] packed, int pOff, byte[] out, int outOff, int ldo) {
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < cols; j++) {
        out[outOff + r * ldo + j] = packed[pOff + int8Index(p, cols, r, j)];
      }
    }
  }
}
