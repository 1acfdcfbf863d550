package dev.rnn4j.testing;

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.kernels.testing.KernelSets;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * The kernel sets the core tests run on: the scalar spec, the SIMD twin when this JVM can run it, and others (one
 * lookup, {@link KernelSets}, shared with the test kit).
 */
public final class TestKernels {

  private TestKernels() {}

  /** The scalar spec. */
  public static Kernels scalar() {
    return KernelSets.scalar();
  }

  /** The SIMD kernels, if this JVM has them and can run them. */
  public static Optional<Kernels> simd() {
    return KernelSets.simd();
  }

  /** Why {@link #simd()} is empty. */
  public static String simdUnavailableReason() {
    return KernelSets.simdUnavailableReason();
  }

  /** A correct implementation that rounds differently from the spec: see {@link KernelSets#reassociated()}. */
  public static Kernels reassociated() {
    return KernelSets.reassociated();
  }

  /** Every kernel set a gradient check should pass on: the scalar spec and, when available, SIMD. */
  public static List<Kernels> all() {
    return KernelSets.all();
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
