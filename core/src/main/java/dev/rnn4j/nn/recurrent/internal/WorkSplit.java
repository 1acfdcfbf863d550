package dev.rnn4j.nn.recurrent.internal;

import dev.rnn4j.kernels.CacheHierarchy;
import dev.rnn4j.tensor.Parallelism;
import java.util.List;

/**
 * The decomposition of a sequence's work into tasks for {@link dev.rnn4j.tensor.Parallelism}. Every boundary of a
 * reduction-carrying split here (input projection, gradients) is a function of the problem's sizes only, never of
 * the thread count: the same chunks run whether one thread executes them in order or several share them, so results
 * are bitwise the same for any thread count (see docs/recurrent.md, "Threads"). The batch blocks of the recurrence
 * are the one exception: their boundaries follow the thread count, which is safe because no result depends on them
 * at all ({@link #batchBlocks}).
 *
 * <p>Small problems are not split at all (one chunk: exactly the unsplit computation, and no thread is ever
 * started for them). Large ones are split into chunks big enough that one thread running them in order loses
 * little against the unsplit call: the shared GEMM operand is packed once for all chunks, and the only extra cost is
 * that each chunk streams it through the cache once more.
 */
public final class WorkSplit {

  /** Rows of the batch per recurrence block: each block runs its own recurrence over all time steps. */
  static final int BATCH_BLOCK_ROWS = 16;
  /** At most this many batch blocks (beyond that, blocks grow). */
  static final int MAX_BATCH_BLOCKS = 8;
  /** A batch block must carry at least this many multiply-adds per time step to be worth a task. */
  static final long MIN_BLOCK_STEP_WORK = 1L << 15;
  /** Rows of T*B per chunk of the input projection and the input gradient; a multiple of 6, 8 and 16. */
  public static final int CHUNK_ROWS = 240;
  /** Output rows of a weight gradient per block; a multiple of 6, 8 and 16. */
  static final int OUT_BLOCK_ROWS = 96;
  /**
   * Columns of the gate gradients per block of the weight gradients in their transposed form
   * ({@code DoubleWeightGradients}); a multiple of the packed panel width of every kernel (4 vectors: 64 float32 lanes
   * at 512 bits, fewer at narrower vectors or in float64), so that no block ends in a zero-padded panel.
   */
  static final int OUT_BLOCK_COLS = 128;
  /**
   * From this many T*B rows on, the weight gradients run in their transposed form ({@code DoubleWeightGradients}):
   * its transposes of dW cost two copies per element of dW, which a sum over this many rows makes small beside the
   * product (a few percent); below it the plain form runs. Either form gives the same bits.
   */
  public static final int TRANSPOSED_GRADIENT_ROWS = 1024;
  /**
   * The transposed form of the weight gradients runs only for products whose right-hand operand (x, the previous
   * states) is at most this many columns wide, twice the gate-column block: wider, the plain form reuses its strided
   * operand across enough panels to stay ahead (measured in {@code DoubleWeightGradients}'s comment).
   */
  public static final int TRANSPOSED_GRADIENT_MAX_COLS = 2 * OUT_BLOCK_COLS;
  /**
   * The transposed form of the weight gradients runs only where the gate gradients' rows are at least this many
   * times as far apart as the right-hand operand's: the LSTM's 4H-wide gate rows against x or h at most H wide. The
   * GRU's 3H measured 4-6% slower in forward + backward wall time at the train configuration (bench/README.md).
   */
  public static final int TRANSPOSED_GRADIENT_STRIDE_RATIO = 4;
  /** A row chunk or output block must carry at least this many multiply-adds to be worth a task. */
  static final long MIN_CHUNK_WORK = 1L << 16;

  /**
   * A phase of independent tasks is handed to other threads only when it has at least this many multiply-adds in
   * all; smaller phases run on the caller. (Which thread runs a task never changes its result, so this choice is
   * free; it only keeps small problems from waking a thread.)
   */
  static final long MIN_PARALLEL_WORK = 1L << 23;

  private WorkSplit() {}

  /** Runs {@code tasks} on the caller when the phase is small ({@code work} multiply-adds), else shares them out. */
  static void run(long work, List<Runnable> tasks) {
    if (work < MIN_PARALLEL_WORK) {
      tasks.forEach(Runnable::run);
    } else {
      Parallelism.forEach(tasks.size(), i -> tasks.get(i).run());
    }
  }

  /**
   * Boundaries {@code b[0] = 0 < b[1] < ... < b[n] = batch} of the batch blocks of the recurrence.
   *
   * <p>Unlike the other splits, these boundaries may depend on the thread count, because no result depends on them:
   * a block runs the per-step kernels on its own rows only, and each of them computes a row the same way whatever
   * rows surround it (gemmPacked's rows are independent bit for bit by contract; the pointwise kernels are
   * elementwise, and the SIMD twin's scalar tails repeat its vector lanes' operations). So the split is chosen for
   * speed: a batch whose sequences all run every step gets one block per thread (one block on one thread), since a
   * taller block multiplies each packed weight panel into more rows per pass over it; a batch of mixed lengths, whose
   * rows finish at different steps, gets blocks of at least {@link #BATCH_BLOCK_ROWS} rows that the threads share
   * out dynamically (one block on one thread).
   *
   * @param rowStepWork multiply-adds of one batch row in one time step (G*H * H)
   * @param ragged whether some sequence is shorter than the batch's longest
   * @param threads the thread count the blocks are for, at least 1
   */
  public static int[] batchBlocks(int batch, long rowStepWork, boolean ragged, int threads) {
    if (threads < 2 || batch < 2 * BATCH_BLOCK_ROWS || BATCH_BLOCK_ROWS * rowStepWork < MIN_BLOCK_STEP_WORK) {
      return new int[] {0, batch};
    }
    int n = Math.min(batch / BATCH_BLOCK_ROWS, MAX_BATCH_BLOCKS);
    if (!ragged) {
      n = Math.min(n, threads);
    }
    int[] b = new int[n + 1];
    for (int i = 0; i <= n; i++) {
      b[i] = (int) ((long) i * batch / n);
    }
    return b;
  }

  /**
   * Time steps whose gate rows ({@code batch} rows of {@code gateWidth} elements of {@code elementBytes} each) the
   * input projection writes ahead of the recurrence when it runs interleaved with it (inference on one thread, see
   * {@code Trace.forwardOnly}): as many as fill a quarter of this core's L2 (read from the OS, {@link CacheHierarchy}),
   * or 0 when one step's rows are larger than that (then the interleaved projection, one step of rows per call,
   * measured slower than the projection of all steps up front: the LSTM at B=64 H=512, 512 KiB per step against a
   * 1 MiB L2). The rest of L2 is left to the step's product, which streams the packed W_hh through it (the packed B
   * block of the GEMM's blocking fills up to half of L2), its states and the pointwise kernel's rows. Any value gives
   * the same results (the projection's rows are independent bit for bit); this one only decides speed.
   */
  public static int ringSteps(int batch, int gateWidth, int elementBytes) {
    long stepBytes = (long) batch * gateWidth * elementBytes;
    return (int) Math.min(Integer.MAX_VALUE, CacheHierarchy.detected().l2Bytes() / 4 / stepBytes);
  }

  /**
   * Boundaries of fixed-size chunks of {@code rows} independent rows (chunks of {@link #CHUNK_ROWS}, the last
   * shorter), or one chunk when the problem is small.
   *
   * @param rowWork multiply-adds of one row
   */
  public static int[] rowChunks(int rows, long rowWork) {
    return chunks(rows, CHUNK_ROWS, rowWork);
  }

  /**
   * Boundaries of the output-row blocks of a weight gradient {@code dW[outRows, *] += dG^T X}: each block computes
   * whole reductions (over all T*B rows) for its own elements.
   *
   * @param rowWork multiply-adds of one output row (columns * T*B)
   */
  public static int[] outputBlocks(int outRows, long rowWork) {
    return chunks(outRows, OUT_BLOCK_ROWS, rowWork);
  }

  /**
   * Boundaries of the column blocks of the gate gradients in the transposed form of the weight gradients
   * ({@code dW^T[*, outRows] += b^T dG}): each block computes whole reductions (over all T*B rows) for its own
   * elements, and packs its own columns of dG.
   *
   * @param colWork multiply-adds of one column of dG over all products that share it (their columns * T*B)
   */
  public static int[] gradientColumnBlocks(int outRows, long colWork) {
    return chunks(outRows, OUT_BLOCK_COLS, colWork);
  }

  private static int[] chunks(int rows, int size, long rowWork) {
    if (rows < 2 * size || size * rowWork < MIN_CHUNK_WORK) {
      return new int[] {0, rows};
    }
    int n = (rows + size - 1) / size;
    int[] b = new int[n + 1];
    for (int i = 0; i < n; i++) {
      b[i] = i * size;
    }
    b[n] = rows;
    return b;
  }
}
