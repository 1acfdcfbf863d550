package dev.rnn4j.testing;

import dev.rnn4j.kernels.KernelSelector;
import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.kernels.testing.ReassociatedDoubleKernels;
import dev.rnn4j.kernels.testing.ReassociatedFloatKernels;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/** The kernel sets the core tests run on: the scalar spec, the SIMD twin when this JVM can run it, and others. */
public final class TestKernels {

  private TestKernels() {}

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

  /** Why {@link #simd()} is empty. */
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

  /** Every kernel set a gradient check should pass on: the scalar spec and, when available, SIMD. */
  public static List<Kernels> all() {
    List<Kernels> all = new ArrayList<>();
    all.add(scalar());
    simd().ifPresent(all::add);
    return all;
  }

  /** A jqwik hook that skips a property (reported as skipped, with the reason) when SIMD is unavailable. */
  public static final class RequiresSimd implements SkipExecutionHook {
    @Override
    public SkipResult shouldBeSkipped(LifecycleContext context) {
      return simd().isPresent() ? SkipResult.doNotSkip()
          : SkipResult.skip("SIMD kernels unavailable: " + simdUnavailableReason());
    }
  }
}
