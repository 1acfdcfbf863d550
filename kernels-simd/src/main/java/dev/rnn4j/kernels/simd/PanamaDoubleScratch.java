package dev.rnn4j.kernels.simd;

// rnn4j:generate-float

import static dev.rnn4j.kernels.simd.PanamaDoubleSpecies.LANES;

/**
 * Scratch space of the float64 kernels: per-thread arrays, grown on demand and reused, so that steady-state calls
 * allocate nothing. Each {@link PanamaDoubleKernels} object has one (so each thread has its own buffers per kernels
 * object, as with one {@code ThreadLocal} field) and hands it to the kernels that need scratch. Each array has one
 * user at a time: gemm's packing uses packedA, packedB, tile and gather; the transposed gemv, log-softmax and the
 * LSTM backward use vec (none of them calls another kernel that does while holding it); gemm's unpacked path keeps
 * a transposed row of A in vec2 while the gemv it calls uses vec; addColumnSums keeps its sums.
 */
final class PanamaDoubleScratch {

  private final ThreadLocal<Buffers> perThread = ThreadLocal.withInitial(Buffers::new);

  /** This thread's buffers. */
  Buffers get() {
    return perThread.get();
  }

  /** Per-thread scratch arrays, grown on demand and reused, so that steady-state calls allocate nothing. */
  static final class Buffers {
    double[] packedA = new double[0];
    double[] packedB = new double[0];
    double[] tile = new double[0];
    double[] vec = new double[0];
    double[] vec2 = new double[0];
    double[] sums = new double[0];
    /** Gather index map for packing a transposed B: lane l reads row l. */
    final int[] gather = new int[LANES];

    double[] packedA(int size) {
      if (packedA.length < size) {
        packedA = new double[size];
      }
      return packedA;
    }

    double[] packedB(int size) {
      if (packedB.length < size) {
        packedB = new double[size];
      }
      return packedB;
    }

    double[] tile(int size) {
      if (tile.length < size) {
        tile = new double[size];
      }
      return tile;
    }

    double[] vec(int size) {
      if (vec.length < size) {
        vec = new double[size];
      }
      return vec;
    }

    double[] vec2(int size) {
      if (vec2.length < size) {
        vec2 = new double[size];
      }
      return vec2;
    }

    /** The running column sums of addColumnSums (a leaf kernel: no other kernel holds them during a call). */
    double[] sums(int size) {
      if (sums.length < size) {
        sums = new double[size];
      }
      return sums;
    }
  }
}
