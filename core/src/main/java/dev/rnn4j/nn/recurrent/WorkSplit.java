package dev.rnn4j.nn.recurrent;

import dev.rnn4j.tensor.Parallelism;
import java.util.List;

/**
 * The fixed decomposition of a sequence's work into tasks for {@link dev.rnn4j.tensor.Parallelism}. Every boundary
 * here is a function of the problem's sizes only, never of the thread count: the same chunks run whether one thread
 * executes them in order or several share them, so results are bitwise the same for any thread count (see
 * docs/recurrent.md, "Threads").
 *
 * <p>Small problems are not split at all (one chunk: exactly the unsplit computation, and no thread is ever
 * started for them). Large ones are split into chunks big enough that one thread running them in order loses
 * little against the unsplit call: the only extra work is packing the shared GEMM operand once per chunk instead of
 * once, a cost of about 1/(chunk rows) of the chunk's multiply-adds.
 */
final class WorkSplit {

  /** Rows of the batch per recurrence block: each block runs its own recurrence over all time steps. */
  static final int BATCH_BLOCK_ROWS = 16;
  /** At most this many batch blocks (beyond that, blocks grow). */
  static final int MAX_BATCH_BLOCKS = 8;
  /** A batch block must carry at least this many multiply-adds per time step to be worth a task. */
  static final long MIN_BLOCK_STEP_WORK = 1L << 15;
  /** Rows of T*B per chunk of the input projection and the input gradient; a multiple of 6, 8 and 16. */
  static final int CHUNK_ROWS = 240;
  /** Output rows of a weight gradient per block; a multiple of 6, 8 and 16. */
  static final int OUT_BLOCK_ROWS = 96;
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
   * @param rowStepWork multiply-adds of one batch row in one time step (G*H * H)
   */
  static int[] batchBlocks(int batch, long rowStepWork) {
    if (batch < 2 * BATCH_BLOCK_ROWS || BATCH_BLOCK_ROWS * rowStepWork < MIN_BLOCK_STEP_WORK) {
      return new int[] {0, batch};
    }
    int n = Math.min(batch / BATCH_BLOCK_ROWS, MAX_BATCH_BLOCKS);
    int[] b = new int[n + 1];
    for (int i = 0; i <= n; i++) {
      b[i] = (int) ((long) i * batch / n);
    }
    return b;
  }

  /**
   * Boundaries of fixed-size chunks of {@code rows} independent rows (chunks of {@link #CHUNK_ROWS}, the last
   * shorter), or one chunk when the problem is small.
   *
   * @param rowWork multiply-adds of one row
   */
  static int[] rowChunks(int rows, long rowWork) {
    return chunks(rows, CHUNK_ROWS, rowWork);
  }

  /**
   * Boundaries of the output-row blocks of a weight gradient {@code dW[outRows, *] += dG^T X}: each block computes
   * whole reductions (over all T*B rows) for its own elements.
   *
   * @param rowWork multiply-adds of one output row (columns * T*B)
   */
  static int[] outputBlocks(int outRows, long rowWork) {
    return chunks(outRows, OUT_BLOCK_ROWS, rowWork);
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
