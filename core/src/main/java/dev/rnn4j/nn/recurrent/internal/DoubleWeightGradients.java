package dev.rnn4j.nn.recurrent.internal;

// rnn4j:generate-float

import dev.rnn4j.kernels.DoubleKernels;
import dev.rnn4j.kernels.DoublePackedMatrix;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The weight-gradient products of one backward pass, {@code dW[outRows, cols] += src[:, srcCol ..)^T b[:, 0..cols)}
 * summed over all {@code rows = T * B} rows (src: gate gradients with row stride srcLd; b: the inputs, the previous
 * states, a cell's own per-row product, row stride cols), collected by {@link #add} and turned into independent
 * tasks by {@link #schedule}. Kept by the {@link DoubleRecurrentEngine.Trace}: its packed operands and scratch are
 * reused across passes.
 *
 * <h2>Two forms, the same bits</h2>
 * <b>Plain</b> (few rows): b is packed once ({@link DoubleKernels#packB}) and each block of output rows is one
 * {@code gemmPacked(transA = true)} reading src transposed in place. Its A operand then walks src one row per k
 * step, rows {@code srcLd} elements apart (4 KiB for the float LSTM at H = 256): every k step touches a new line
 * and a new page, which no prefetcher follows, and src (13 MB at the train configuration) is read that way once
 * per product.
 *
 * <p><b>Transposed</b> (at least {@link WorkSplit#TRANSPOSED_GRADIENT_ROWS} rows, b at most
 * {@link WorkSplit#TRANSPOSED_GRADIENT_MAX_COLS} columns wide and src's rows at least
 * {@link WorkSplit#TRANSPOSED_GRADIENT_STRIDE_RATIO} times as far apart as b's):
 * the same sums computed as
 * {@code dW^T[cols, outRows] += b^T src}. A block of src's columns is packed once, read row by row, and shared by
 * every product on the same src (the LSTM's dW_ih and dW_hh both multiply the gate gradients), and the A operand is
 * b read transposed in place, rows only {@code cols} elements apart. The accumulator is the block of dW transposed
 * into scratch before the product and back after it. Every element is the same operations on the same values as in
 * the plain form: the kernels build each element of C as the same chain over k (the scalar spec one sum in k order;
 * the SIMD kernels one FMA chain per k block, in k order, blocks merged into C in order), a product
 * {@code a * b} (or {@code fma(a, b, c)}) is exactly {@code b * a}, the accumulator starts from the same dW values,
 * and transposing copies values without rounding. So the results are the same bits in either form, for any column
 * blocking and thread count. In the train configuration's LSTM weight gradients (float32, one thread, 3200 x 1024 x
 * (128 + 256)) the transposed form measured 5-10% faster than the plain one including its packing and transposes
 * (bench/README.md); with few rows the transposes would cost more than the product gains, hence the threshold.
 * Each form's strided A operand is reused once per packed panel of its B: the plain form's dG once per panel of b's
 * columns, the transposed form's b once per panel of the dG column block. So the plain form suffers where b is
 * narrow (X and H at I = 128, H = 256: 2 and 4 panels), and keeps the lead where b is wide (I = H = 512, 8 panels:
 * the plain form 131 ms against 140-180 transposed, with dG blocks of 512-128 columns). And it gains only where
 * it trades dG's far-apart rows for much closer ones: the RNN at H = 256 (dG's rows 256 apart, b's 128 and 256) ran
 * 4% slower transposed, the LSTM (1024 apart) 2-6% faster; the GRU (768) gained about 2% in thread CPU time but
 * lost 4-6% of its forward + backward throughput in quiet alternating JMH runs, so it too runs the plain form.
 */
final class DoubleWeightGradients {

  /** One product, as {@link #add} describes it. */
  private record Product(int slot, int outRows, double[] src, int srcCol, int srcLd, double[] b, int bOff, int cols,
                         double[] dW, int dWOff) {

    boolean sameSource(Product o) {
      return src == o.src && srcCol == o.srcCol && srcLd == o.srcLd && outRows == o.outRows;
    }
  }

  /** A task's packed column block of src and its transposed accumulator. */
  private static final class BlockScratch {
    DoublePackedMatrix packed;
    double[] acc = new double[0];
  }

  private final DoubleKernels k;
  private final List<Product> products = new ArrayList<>();
  /** Plain form: the packed b of each product slot (storage reused across passes). */
  private final DoublePackedMatrix[] packedB = new DoublePackedMatrix[3];
  /** Transposed form: scratch the running tasks take and give back; as many as ever ran at once. */
  private final ArrayDeque<BlockScratch> pool = new ArrayDeque<>();

  DoubleWeightGradients(DoubleKernels k) {
    this.k = k;
  }

  /** The kernels whose packed layout this object's storage has. */
  DoubleKernels kernels() {
    return k;
  }

  /**
   * Adds the product {@code dW[dWOff + r * cols + c] += sum over rows p of src[p * srcLd + srcCol + r] *
   * b[bOff + p * cols + c]} for {@code r < outRows}, {@code c < cols}; {@code slot} (0 to 2) names the plain form's
   * cache for the packed b.
   */
  void add(int slot, int outRows, double[] src, int srcCol, int srcLd, double[] b, int bOff, int cols, double[] dW,
           int dWOff) {
    products.add(new Product(slot, outRows, src, srcCol, srcLd, b, bOff, cols, dW, dWOff));
  }

  /**
   * Appends to {@code tasks} the tasks that compute every product added since the last call, over {@code rows} rows,
   * and forgets the products. Each task computes whole sums for its own elements of dW; the packing the plain form
   * shares between tasks is done here, on the calling thread.
   */
  void schedule(List<Runnable> tasks, int rows) {
    if (rows >= WorkSplit.TRANSPOSED_GRADIENT_ROWS) {
      scheduleTransposed(tasks, rows);
    } else {
      for (Product p : products) {
        schedulePlain(tasks, rows, p);
      }
    }
    products.clear();
  }

  private void schedulePlain(List<Runnable> tasks, int rows, Product p) {
    // b is packed once here, on the calling thread, and then only read by the tasks.
    DoublePackedMatrix pb = k.packB(false, rows, p.cols, p.b, p.bOff, p.cols, packedB[p.slot]);
    packedB[p.slot] = pb;
    int[] blocks = WorkSplit.outputBlocks(p.outRows, (long) p.cols * rows);
    for (int j = 0; j + 1 < blocks.length; j++) {
      int r0 = blocks[j];
      int m = blocks[j + 1] - r0;
      tasks.add(() -> k.gemmPacked(true, m, 1, p.src, p.srcCol + r0, p.srcLd, pb, 1, p.dW, p.dWOff + r0 * p.cols,
          p.cols));
    }
  }

  private void scheduleTransposed(List<Runnable> tasks, int rows) {
    boolean[] done = new boolean[products.size()];
    for (int i = 0; i < products.size(); i++) {
      if (done[i]) {
        continue;
      }
      // The products on the same columns of the same src share each packed block of it.
      List<Product> group = new ArrayList<>();
      for (int j = i; j < products.size(); j++) {
        if (!done[j] && products.get(j).sameSource(products.get(i))) {
          group.add(products.get(j));
          done[j] = true;
        }
      }
      Product first = group.get(0);
      long colWork = 0;
      int widest = 0;
      for (Product p : group) {
        colWork += (long) p.cols * rows;
        widest = Math.max(widest, p.cols);
      }
      // The transposed form trades dG's rows (srcLd apart) for b's (cols apart) as the strided operand: only worth
      // it where b's rows are much closer (the LSTM's 4H against H; the GRU's 3H against H measured slower).
      if (widest > WorkSplit.TRANSPOSED_GRADIENT_MAX_COLS
          || first.srcLd < WorkSplit.TRANSPOSED_GRADIENT_STRIDE_RATIO * widest) {
        for (Product p : group) {
          schedulePlain(tasks, rows, p);
        }
        continue;
      }
      int[] blocks = WorkSplit.gradientColumnBlocks(first.outRows, colWork);
      for (int j = 0; j + 1 < blocks.length; j++) {
        int c0 = blocks[j];
        int c1 = blocks[j + 1];
        tasks.add(() -> transposedBlock(rows, group, c0, c1));
      }
    }
  }

  /** The columns [c0, c1) of src for every product of {@code group} (which share src, srcCol, srcLd, outRows). */
  private void transposedBlock(int rows, List<Product> group, int c0, int c1) {
    int w = c1 - c0;
    Product first = group.get(0);
    BlockScratch s = take();
    try {
      s.packed = k.packB(false, rows, w, first.src, first.srcCol + c0, first.srcLd, s.packed);
      for (Product p : group) {
        int cols = p.cols;
        if (s.acc.length < cols * w) {
          s.acc = new double[cols * w];
        }
        double[] acc = s.acc;
        int dWBlock = p.dWOff + c0 * cols;
        // acc[c, r] = dW[c0 + r, c]: the accumulator transposed, then dW^T[:, c0 .. c1) += b^T src[:, c0 .. c1).
        transpose(w, cols, p.dW, dWBlock, cols, acc, 0, w);
        k.gemmPacked(true, cols, 1, p.b, p.bOff, cols, s.packed, 1, acc, 0, w);
        transpose(cols, w, acc, 0, w, p.dW, dWBlock, cols);
      }
    } finally {
      give(s);
    }
  }

  private BlockScratch take() {
    synchronized (pool) {
      BlockScratch s = pool.poll();
      return s != null ? s : new BlockScratch();
    }
  }

  private void give(BlockScratch s) {
    synchronized (pool) {
      pool.push(s);
    }
  }

  /**
   * {@code out[j * ldo + i] = a[i * lda + j]} for {@code i < m}, {@code j < n}: a copy, so no value changes. In
   * tiles of 8 source rows by 64 columns, so that the 8 lines read per tile row and the 64 lines written stay in
   * L1 while the tile is copied.
   */
  static void transpose(int m, int n, double[] a, int aOff, int lda, double[] out, int outOff, int ldo) {
    for (int i0 = 0; i0 < m; i0 += 8) {
      int i1 = Math.min(m, i0 + 8);
      for (int j0 = 0; j0 < n; j0 += 64) {
        int j1 = Math.min(n, j0 + 64);
        for (int j = j0; j < j1; j++) {
          int o = outOff + j * ldo;
          for (int i = i0; i < i1; i++) {
            out[o + i] = a[aOff + i * lda + j];
          }
        }
      }
    }
  }
}
