package dev.rnn4j.nn.recurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.nn.recurrent.internal.WorkSplit;
import dev.rnn4j.tensor.Parallelism;
import dev.rnn4j.testing.TestKernels;
import dev.rnn4j.testing.RestoreThreadCount;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Results of the sequence engine are bitwise the same for every thread count: the reduction-carrying work is split
 * at boundaries that depend only on the sizes (see {@link WorkSplit}), so a different thread count only changes who
 * runs which chunk, and the recurrence's batch blocks, which do follow the thread count (one block on one thread),
 * must not change a bit either, because every per-step kernel computes a row the same way in any block. The sizes
 * here are chosen so that every kind of split happens (several batch blocks with variable and with full lengths,
 * several row chunks, several output-row blocks of the weight gradients), which the tests check through
 * {@link Parallelism#dispatches()} and {@link WorkSplit} directly.
 */
@ExtendWith(RestoreThreadCount.class)
class ThreadCountTest {

  /** T=12, B=41: 492 rows (projection chunks [0, 240, 480, 492]), batch blocks [0, 20, 41]. */
  private static final int STEPS = 12;
  private static final int BATCH = 41;
  private static final int INPUT = 16;

  private static RecurrentCase largeCase(CellKind kind, boolean bidirectional, long seed) {
    return largeCase(kind, bidirectional, seed, false);
  }

  /**
   * @param fullLength every sequence runs all steps: then the batch blocks follow the thread count (one block on one
   *                   thread, [0, 20, 41] on two), else they are fixed by the size ([0, 20, 41] on every count > 1)
   */
  private static RecurrentCase largeCase(CellKind kind, boolean bidirectional, long seed, boolean fullLength) {
    // Hidden sizes that give G*H >= 192, so the weight gradients split into output-row blocks.
    int hidden = switch (kind) {
      case LSTM, GRU -> 64;
      case GRU_RESET_BEFORE -> 100;
      default -> 200;
    };
    // Two layers one way, one layer both ways: both cover the engine's input gradient and the runner's merging.
    RecurrentConfig cfg = new RecurrentConfig(kind.name(), kind, INPUT, hidden, bidirectional ? 1 : 2, true, false,
        0, bidirectional, MergeMode.CONCAT);
    Random rnd = new Random(seed);
    int[] lengths = new int[BATCH];
    for (int b = 0; b < BATCH; b++) {
      lengths[b] = fullLength || b % 5 == 0 ? STEPS : 1 + rnd.nextInt(STEPS); // unsorted, some full length
    }
    return new RecurrentCase(cfg, STEPS, BATCH, lengths, seed, true);
  }

  private static RunnerResult run(Kernels k, boolean f32, RecurrentCase c, int threads) {
    Parallelism.setThreads(threads);
    return f32
        ? FloatRunnerHarness.run(k.f32(), c, CellFault.NONE, true)
        : DoubleRunnerHarness.run(k.f64(), c, CellFault.NONE, true);
  }

  private static List<RunnerResult.Named> everything(RunnerResult r) {
    List<RunnerResult.Named> all = new ArrayList<>();
    all.add(new RunnerResult.Named("output", r.out));
    all.add(new RunnerResult.Named("h_n", r.hN));
    if (r.cN != null) {
      all.add(new RunnerResult.Named("c_n", r.cN));
    }
    all.addAll(r.gradients());
    return all;
  }

  /** Fails unless every array of {@code b} has exactly the bits of the same array of {@code a}. */
  static void assertBitwiseEqual(String what, RunnerResult a, RunnerResult b) {
    List<RunnerResult.Named> x = everything(a);
    List<RunnerResult.Named> y = everything(b);
    assertEquals(x.size(), y.size(), what);
    for (int i = 0; i < x.size(); i++) {
      double[] p = x.get(i).values();
      double[] q = y.get(i).values();
      assertEquals(p.length, q.length, what + " " + x.get(i).name());
      for (int j = 0; j < p.length; j++) {
        if (Double.doubleToRawLongBits(p[j]) != Double.doubleToRawLongBits(q[j])) {
          fail(what + ": " + x.get(i).name() + "[" + j + "] differs: " + p[j] + " vs " + q[j]);
        }
      }
    }
  }

  private static void checkAllKinds(Kernels k) {
    long seed = 11;
    for (CellKind kind : CellKind.values()) {
      for (boolean bidirectional : new boolean[] {false, true}) {
        for (boolean f32 : new boolean[] {false, true}) {
          RecurrentCase c = largeCase(kind, bidirectional, seed++);
          String what = k.name() + " " + kind + (bidirectional ? " bidirectional" : "") + (f32 ? " f32" : " f64");
          compare(k, f32, c, 2, what);
          if (kind == CellKind.LSTM || kind == CellKind.GRU) {
            compare(k, f32, c, 3, what);
          }
          // All sequences full length: one batch block on one thread, two on two threads.
          compare(k, f32, largeCase(kind, bidirectional, seed++, true), 2, what + " full length");
        }
      }
    }
    // The LSTM with a projection (P = 40 of H = 64): its W_hr products and the states narrower than the cell state.
    for (boolean bidirectional : new boolean[] {false, true}) {
      for (boolean f32 : new boolean[] {false, true}) {
        RecurrentCase c = projectedCase(bidirectional, seed++);
        compare(k, f32, c, 2, k.name() + " LSTM projSize 40" + (bidirectional ? " bidirectional" : "")
            + (f32 ? " f32" : " f64"));
      }
    }
    // The LSTM with peepholes (H = 64): the per-row peephole products and their column sums over all rows.
    for (boolean bidirectional : new boolean[] {false, true}) {
      for (boolean f32 : new boolean[] {false, true}) {
        RecurrentCase c = peepholeCase(bidirectional, seed++);
        compare(k, f32, c, 2, k.name() + " LSTM peephole" + (bidirectional ? " bidirectional" : "")
            + (f32 ? " f32" : " f64"));
      }
    }
  }

  private static RecurrentCase peepholeCase(boolean bidirectional, long seed) {
    RecurrentConfig cfg = new RecurrentConfig("LSTM", CellKind.LSTM, INPUT, 64, bidirectional ? 1 : 2, true, false,
        0, bidirectional, MergeMode.CONCAT, 0, true);
    Random rnd = new Random(seed);
    int[] lengths = new int[BATCH];
    for (int b = 0; b < BATCH; b++) {
      lengths[b] = b % 5 == 0 ? STEPS : 1 + rnd.nextInt(STEPS);
    }
    return new RecurrentCase(cfg, STEPS, BATCH, lengths, seed, true);
  }

  private static RecurrentCase projectedCase(boolean bidirectional, long seed) {
    RecurrentConfig cfg = new RecurrentConfig("LSTM", CellKind.LSTM, INPUT, 64, bidirectional ? 1 : 2, true, false,
        0, bidirectional, MergeMode.CONCAT, 40);
    Random rnd = new Random(seed);
    int[] lengths = new int[BATCH];
    for (int b = 0; b < BATCH; b++) {
      lengths[b] = b % 5 == 0 ? STEPS : 1 + rnd.nextInt(STEPS);
    }
    return new RecurrentCase(cfg, STEPS, BATCH, lengths, seed, true);
  }

  /**
   * Compares a run on {@code threads} threads with a one-thread run just before it. Both kernel sets compute the
   * same bits on every JIT tier (for the SIMD kernels see PanamaTierIndependenceTest), so the runs must agree even
   * while the JIT is still compiling; any difference is caused by the thread count.
   */
  private static void compare(Kernels k, boolean f32, RecurrentCase c, int threads, String what) {
    RunnerResult one = run(k, f32, c, 1);
    long dispatched = Parallelism.dispatches();
    RunnerResult threaded = run(k, f32, c, threads);
    assertTrue(Parallelism.dispatches() > dispatched, what + ": the work was not split");
    assertBitwiseEqual(what + ", 1 vs " + threads + " threads", one, threaded);
  }

  @Test
  void scalarKernelsGiveTheSameBitsForAnyThreadCount() {
    checkAllKinds(TestKernels.scalar());
  }

  @Test
  void simdKernelsGiveTheSameBitsForAnyThreadCount() {
    Assumptions.assumeTrue(TestKernels.simd().isPresent(), TestKernels.simdUnavailableReason());
    checkAllKinds(TestKernels.simd().get());
  }

  /**
   * From {@link WorkSplit#TRANSPOSED_GRADIENT_ROWS} T*B rows on the weight gradients run in their transposed form,
   * split by columns of the gate gradients: T=26, B=41 (1066 rows), unsorted lengths, H=64 (LSTM: G*H = 256, two
   * column blocks; GRU reset-before: its dW_hh in two products on different gate columns). Also the full-length
   * batch (one batch block on one thread).
   */
  @Test
  void longSequencesGiveTheSameBitsForAnyThreadCount() {
    int steps = 26;
    assertTrue(steps * BATCH >= WorkSplit.TRANSPOSED_GRADIENT_ROWS);
    List<Kernels> sets = new ArrayList<>();
    sets.add(TestKernels.scalar());
    TestKernels.simd().ifPresent(sets::add);
    long seed = 101;
    for (Kernels k : sets) {
      for (CellKind kind : new CellKind[] {CellKind.LSTM, CellKind.GRU_RESET_BEFORE}) {
        for (boolean f32 : new boolean[] {false, true}) {
          RecurrentConfig cfg = new RecurrentConfig(kind.name(), kind, INPUT, 64, 1, true, false, 0, true,
              MergeMode.CONCAT);
          Random rnd = new Random(seed);
          int[] lengths = new int[BATCH];
          for (int b = 0; b < BATCH; b++) {
            lengths[b] = b % 5 == 0 ? steps : 1 + rnd.nextInt(steps);
          }
          String what = k.name() + " " + kind + " T=26" + (f32 ? " f32" : " f64");
          compare(k, f32, new RecurrentCase(cfg, steps, BATCH, lengths, seed++, true), 2, what);
          int[] full = new int[BATCH];
          Arrays.fill(full, steps);
          compare(k, f32, new RecurrentCase(cfg, steps, BATCH, full, seed++, true), 2, what + " full length");
        }
      }
    }
  }

  /** The comparison above is not vacuous: a one-ulp change anywhere is caught. */
  @Test
  void comparisonCatchesASingleUlp() {
    RecurrentCase c = largeCase(CellKind.LSTM, false, 3);
    RunnerResult a = run(TestKernels.scalar(), false, c, 1);
    RunnerResult b = run(TestKernels.scalar(), false, c, 2);
    b.dWhh[0][b.dWhh[0].length / 2] = Math.nextUp(b.dWhh[0][b.dWhh[0].length / 2]);
    AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
        () -> assertBitwiseEqual("perturbed", a, b));
    assertTrue(e.getMessage().contains("weight_hh[0]"), e.getMessage());
  }

  @Test
  void oneThreadNeverDispatches() {
    RecurrentCase c = largeCase(CellKind.LSTM, true, 5);
    long before = Parallelism.dispatches();
    run(TestKernels.scalar(), false, c, 1);
    assertEquals(before, Parallelism.dispatches());
  }

  @Test
  void smallProblemsAreNotSplitAndNeverDispatch() {
    // The sizes of the recurrent properties (B <= 8, H <= 40) and a streaming-sized batch.
    RecurrentConfig cfg = new RecurrentConfig("LSTM", CellKind.LSTM, 40, 40, 2, true, false, 0, true,
        MergeMode.CONCAT);
    RecurrentCase c = new RecurrentCase(cfg, 20, 8, new int[] {20, 3, 7, 20, 1, 9, 12, 5}, 7, true);
    long before = Parallelism.dispatches();
    run(TestKernels.scalar(), false, c, 2);
    assertEquals(before, Parallelism.dispatches());
  }

  @Test
  void decomposition() {
    // Train configuration, LSTM: B=32, T=100, I=128, H=256, G*H=1024.
    assertEquals("[0, 16, 32]", Arrays.toString(WorkSplit.batchBlocks(32, 1024L * 256, false, 2)));
    assertEquals(14, WorkSplit.rowChunks(3200, 1024L * 128).length - 1); // 13 chunks of 240, one of 80
    assertEquals(3120, WorkSplit.rowChunks(3200, 1024L * 128)[13]);
    assertEquals(11, WorkSplit.outputBlocks(1024, 128L * 3200).length - 1); // 10 blocks of 96, one of 64
    // Its weight gradients run transposed: 8 blocks of 128 gate columns, each packed once for dW_ih and dW_hh.
    assertTrue(3200 >= WorkSplit.TRANSPOSED_GRADIENT_ROWS);
    assertEquals(8, WorkSplit.gradientColumnBlocks(1024, (128L + 256) * 3200).length - 1);
    assertEquals("[0, 100]", Arrays.toString(WorkSplit.gradientColumnBlocks(100, 1L << 20)));
    // Small: one chunk each.
    assertEquals("[0, 8]", Arrays.toString(WorkSplit.batchBlocks(8, 1024L * 256, false, 2)));
    assertEquals("[0, 31]", Arrays.toString(WorkSplit.batchBlocks(31, 1024L * 256, true, 2)));
    assertEquals("[0, 64]", Arrays.toString(WorkSplit.batchBlocks(64, 4, true, 2)));
    assertEquals("[0, 100]", Arrays.toString(WorkSplit.rowChunks(100, 1L << 20)));
    // Batch blocks: one thread, one block; full-length batches, one block per thread (at least 16 rows each);
    // mixed lengths, at most MAX_BATCH_BLOCKS blocks of >= 16 rows, boundaries floor(i * B / n).
    assertEquals("[0, 320]", Arrays.toString(WorkSplit.batchBlocks(320, 1L << 20, true, 1)));
    assertEquals("[0, 106, 213, 320]", Arrays.toString(WorkSplit.batchBlocks(320, 1L << 20, false, 3)));
    assertEquals("[0, 16, 32]", Arrays.toString(WorkSplit.batchBlocks(32, 1L << 20, false, 4)));
    assertEquals("[0, 40, 80, 120, 160, 200, 240, 280, 320]",
        Arrays.toString(WorkSplit.batchBlocks(320, 1L << 20, true, 2)));
  }
}
