package dev.rnn4j.nn.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.nn.recurrent.internal.DoubleStreamState;
import dev.rnn4j.testing.QuietWindows;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Streaming one step at a time against the whole-sequence forward pass, and its allocation-free steady state. */
class StreamStateTest {

  @Provide
  Arbitrary<RecurrentCase> unidirectional() {
    return Arbitraries.of(CellKind.values()).flatMap(k -> CaseSpec.cases(k, 8, 20, 40, 40, 3))
        .filter(c -> !c.cfg.bidirectional() && !c.cfg.batchFirst() && c.lengths == null);
  }

  static DoubleStreamState stateFor(RecurrentCase c) {
    DoubleStreamState s = new DoubleStreamState(Kernels.scalar().f64(), c.cfg, c.batch);
    for (int l = 0; l < c.cfg.numLayers(); l++) {
      s.weights(l).set(c.wih[l], 0, c.whh[l], 0, c.bih == null ? null : c.bih[l], 0,
          c.bhh == null ? null : c.bhh[l], 0);
      int bh = c.batch * c.cfg.hiddenSize();
      if (c.h0 != null) {
        System.arraycopy(c.h0, l * bh, s.hidden(l), 0, bh);
      }
      if (c.c0 != null) {
        System.arraycopy(c.c0, l * bh, s.cell(l), 0, bh);
      }
    }
    return s;
  }

  /** Same kernels, same operations in the same order: stepping equals the sequence forward bit for bit. */
  @Property(tries = 20)
  void steppingEqualsWholeSequenceForward(@ForAll("unidirectional") RecurrentCase c) {
    RunnerResult whole = DoubleRunnerHarness.run(Kernels.scalar().f64(), c, CellFault.NONE, false);
    DoubleStreamState s = stateFor(c);
    int in = c.cfg.inputSize();
    int hd = c.cfg.hiddenSize();
    int bh = c.batch * hd;
    for (int t = 0; t < c.steps; t++) {
      double[] y = s.step(c.x, t * c.batch * in);
      assertArrayEquals(Arrays.copyOfRange(whole.out, t * bh, (t + 1) * bh), Arrays.copyOf(y, bh), "t=" + t);
    }
    for (int l = 0; l < c.cfg.numLayers(); l++) {
      assertArrayEquals(Arrays.copyOfRange(whole.hN, l * bh, (l + 1) * bh), s.hidden(l), "h_n layer " + l);
      if (whole.cN != null) {
        assertArrayEquals(Arrays.copyOfRange(whole.cN, l * bh, (l + 1) * bh), s.cell(l), "c_n layer " + l);
      }
    }
  }

  @Test
  void resetAndCopy() {
    RecurrentConfig cfg = new RecurrentConfig("LSTM", CellKind.LSTM, 3, 4, 2, true, false, 0, false,
        MergeMode.CONCAT);
    RecurrentCase c = new RecurrentCase(cfg, 5, 2, null, 7, false);
    DoubleStreamState a = stateFor(c);
    DoubleStreamState b = stateFor(c);
    a.step(c.x, 0);
    b.copyFrom(a);
    assertArrayEquals(a.step(c.x, 6), b.step(c.x, 6));
    a.reset();
    for (int l = 0; l < 2; l++) {
      assertArrayEquals(new double[8], a.hidden(l));
      assertArrayEquals(new double[8], a.cell(l));
    }
  }

  @Test
  void bidirectionalIsRefused() {
    RecurrentConfig cfg = new RecurrentConfig("GRU", CellKind.GRU, 3, 4, 1, true, false, 0, true, MergeMode.CONCAT);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new DoubleStreamState(Kernels.scalar().f64(), cfg, 1));
    assertTrue(e.getMessage().startsWith("GRU: streaming needs a unidirectional layer"), e.getMessage());
  }

  /**
   * After warm-up, steps allocate nothing (measured with the thread allocation counter, not timed). A step that
   * allocated anything would allocate at least one 16-byte object in every step, so at least 16,000 bytes in every
   * window of 1000 steps; a one-off event of the JVM (a deoptimisation or a late compilation materialising an object
   * on this thread) lands in one window only. So the assertion is on the quietest of three windows, or more until one
   * is empty ({@link QuietWindows}: C2 may come late on a busy machine): it fails for any per-step allocation and is
   * immune to a single JVM event.
   */
  @Test
  void steadyStateStepAllocatesNothing() {
    for (CellKind kind : CellKind.values()) {
      RecurrentConfig cfg = new RecurrentConfig(kind.name(), kind, 8, 16, 2, true, false, 0, false,
          MergeMode.CONCAT);
      RecurrentCase c = new RecurrentCase(cfg, 1, 3, null, 11, false);
      assertStepsAllocateNothing(kind + " unpacked", stateFor(c), c);
      DoubleStreamState packed = stateFor(c);
      for (int l = 0; l < cfg.numLayers(); l++) {
        packed.usePacked(l, packed.pack(l));
      }
      assertStepsAllocateNothing(kind + " packed", packed, c);
    }
  }

  private static void assertStepsAllocateNothing(String what, DoubleStreamState s, RecurrentCase c) {
    for (int i = 0; i < 20_000; i++) {
      s.step(c.x, 0);
    }
    long quietest = QuietWindows.quietestBytes(() -> {
      for (int i = 0; i < 1000; i++) {
        s.step(c.x, 0);
      }
    }, 3);
    assertEquals(0, quietest, what + ": bytes allocated by 1000 steps (quietest of three windows or more)");
  }
}
