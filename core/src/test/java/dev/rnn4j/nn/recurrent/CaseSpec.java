package dev.rnn4j.nn.recurrent;

import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** jqwik generators of {@link RecurrentCase}s within size limits. */
final class CaseSpec {

  private CaseSpec() {}

  /** Cases for {@code kind} with B, T, I, H, layers up to the given limits; lengths, directions etc. random. */
  static Arbitrary<RecurrentCase> cases(CellKind kind, int maxB, int maxT, int maxI, int maxH, int maxLayers) {
    return cases(kind, maxB, maxT, maxI, maxH, maxLayers, false);
  }

  /**
   * As {@link #cases(CellKind, int, int, int, int, int)}; with {@code projected}, LSTM cases with a projection of
   * random size P in [1, H) (H >= 2).
   */
  static Arbitrary<RecurrentCase> cases(CellKind kind, int maxB, int maxT, int maxI, int maxH, int maxLayers,
                                        boolean projected) {
    return cases(kind, maxB, maxT, maxI, maxH, maxLayers, projected, false);
  }

  /** As {@link #cases(CellKind, int, int, int, int, int, boolean)}; with {@code peephole}, LSTMs with peepholes. */
  static Arbitrary<RecurrentCase> cases(CellKind kind, int maxB, int maxT, int maxI, int maxH, int maxLayers,
                                        boolean projected, boolean peephole) {
    Arbitrary<int[]> dims = Combinators.combine(
        Arbitraries.integers().between(1, maxB), Arbitraries.integers().between(1, maxT),
        Arbitraries.integers().between(1, maxI), Arbitraries.integers().between(projected ? 2 : 1, maxH),
        Arbitraries.integers().between(1, maxLayers)).as((b, t, i, h, l) -> new int[] {b, t, i, h, l});
    Arbitrary<boolean[]> flags = Arbitraries.integers().between(0, 63).map(m -> new boolean[] {
        (m & 1) != 0, (m & 2) != 0, (m & 4) != 0, (m & 8) == 0, (m & 16) != 0, (m & 32) != 0});
    return Combinators.combine(dims, flags, Arbitraries.longs()).as((d, f, seed) -> {
      // flags: bidirectional, sum merge, batchFirst, bias (mostly on), variable lengths, initial states
      int proj = projected ? 1 + (int) Math.floorMod(seed >>> 7, (long) d[3] - 1) : 0;
      RecurrentConfig cfg = new RecurrentConfig(kind.name(), kind, d[2], d[3], d[4], f[3], f[2], 0, f[0],
          f[1] ? MergeMode.SUM : MergeMode.CONCAT, proj, peephole);
      int[] lengths = null;
      if (f[4]) {
        Random rnd = new Random(seed ^ 0x5DEECE66DL);
        lengths = new int[d[0]];
        for (int b = 0; b < d[0]; b++) {
          lengths[b] = 1 + rnd.nextInt(d[1]);
        }
      }
      return new RecurrentCase(cfg, d[1], d[0], lengths, seed, f[5]);
    });
  }
}
