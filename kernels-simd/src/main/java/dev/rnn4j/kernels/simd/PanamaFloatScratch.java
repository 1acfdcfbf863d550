package dev.rnn4j.kernels.simd;

// Generated from PanamaDoubleScratch.java by PrecisionGenerator. Edit that file and regenerate; do not edit this one.

import static dev.rnn4j.kernels.simd.PanamaFloatSpecies.LANES;

/**
 * Scratch space of the float32 kernels: per-thread arrays, grown on demand and reused, so that steady-state calls
 * allocate nothing. Each {@link PanamaFloatKernels} object has one (so each thread has its own buffers per kernels
 * object, as with one {@code ThreadLocal} field) and hands it to the kernels that need scratch. Each array has one
 * user at a time: gemm's packing uses packedA, packedB, tile and gather; the transposed gemv, log-softmax and the
 * LSTM backward use vec (none of them calls another kernel that does while holding it); gemm's unpacked path keeps
 * a transposed row of A in vec2 while the gemv it calls uses vec; addColumnSums keeps its sums.
 */
final class PanamaFloatScratch {

  private final ThreadLocal<Buffers> perThread = ThreadLocal.withInitial(Buffers::new);

  /** This thread's buffers. */
  Buffers get() {
    return perThread.get();
  }

  /** Per-thread scratch arrays, grown on demand and reused, so that steady-state calls allocate nothing. */
  static final class Buffers {
    float[] packedA = new float[0];
    float[] packedB = new float[0];
    float[] tile = new float[0];
    float[] vec = new float[0];
    float[] vec2 = new float[0];
    float[] sums = new float[0];
    /** Gather index map for packing a transposed B: lane l reads row l. */
    final int[] gather = new int[LANES];

    float[] packedA(int size) {
      if (packedA.length < size) {
        packedA = new float[size];
      }
      return packedA;
    }

    float[] packedB(int size) {
      if (packedB.length < size) {
        packedB = new float[size];
      }
      return packedB;
    }

    float[] tile(int size) {
      if (tile.length < size) {
        tile = new float[size];
      }
      return tile;
    }

    float[] vec(int size) {
      if (vec.length < size) {
        vec = new float[size];
      }
      return vec;
    }

    float[] vec2(int size) {
      if (vec2.length < size) {
        vec2 = new float[size];
      }
      return vec2;
    }

    /** The running column sums of addColumnSums (a leaf kernel: no other kernel holds them during a call). */
    float[] sums(int size) {
      if (sums.length < size) {
        sums = new float[size];
      }
      return sums;
    }
  }
}
