package dev.rnn4j.kernels.testing;

import dev.rnn4j.kernels.KernelSelector;
import dev.rnn4j.kernels.Kernels;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The kernel sets a test runs on: the scalar spec, the SIMD twin when this JVM can run it (found through the same
 * selection as production, so "unavailable" comes with the selector's reason), and the correct but differently
 * rounded reassociated reference. Shared by core's tests and the test kit (rnn4j-test).
 */
public final class KernelSets {

  private KernelSets() {}

  /** Looked up once, on first use: the selection loads the SIMD provider through ServiceLoader. */
  private static final class Simd {
    static final Optional<Kernels> KERNELS;
    static final String REASON;

    static {
      Kernels k = null;
      String reason = "";
      try {
        k = KernelSelector.select("simd").kernels();
      } catch (IllegalArgumentException e) {
        reason = e.getMessage();
      }
      KERNELS = Optional.ofNullable(k);
      REASON = reason;
    }
  }

  /** The scalar spec. */
  public static Kernels scalar() {
    return Kernels.scalar();
  }

  /** The SIMD kernels, if this JVM has them and can run them. */
  public static Optional<Kernels> simd() {
    return Simd.KERNELS;
  }

  /** Why {@link #simd()} is empty (the selector's explanation, with the flag that would enable SIMD). */
  public static String simdUnavailableReason() {
    return Simd.REASON;
  }

  /**
   * A correct implementation that rounds differently from the spec (several accumulators, fused multiply-add,
   * pairwise sums): what a SIMD twin does, available in every JVM.
   */
  public static Kernels reassociated() {
    return new Kernels("reassociated", 32, new ReassociatedFloatKernels(), new ReassociatedDoubleKernels());
  }

  /** The scalar spec and, when available, SIMD. */
  public static List<Kernels> all() {
    List<Kernels> all = new ArrayList<>();
    all.add(scalar());
    simd().ifPresent(all::add);
    return all;
  }
}
