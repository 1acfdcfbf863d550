package dev.rnn4j.autograd;

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.testing.Agreement;
import dev.rnn4j.testing.OpCatalog;
import dev.rnn4j.testing.TestKernels;
import java.util.Optional;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Every op's forward output and input gradients agree between two kernel implementations within the bounds derived
 * in {@link OpCatalog}: SIMD vs the scalar spec (skipped where SIMD is unavailable), and the reassociating reference
 * vs the spec (always; it rounds the way a SIMD twin does, so it shows that the bounds admit correct
 * implementations). Sizes up to 37 per dimension reach the vector loops and their tails.
 * {@code BrokenKernelDetectionTest} shows that a wrong kernel fails this comparison.
 */
class OpAgreementProperties {

  private static final int MAX_DIM = 37;

  static void everyOp(long seed, DType dtype, Kernels a, Kernels b) {
    SplittableRandom rng = new SplittableRandom(seed);
    for (OpCatalog.Case c : OpCatalog.cases()) {
      Optional<String> bad = Agreement.compare(c, rng.nextLong(), dtype, MAX_DIM, a, b);
      if (bad.isPresent()) {
        throw new AssertionError(bad.get());
      }
    }
  }

  @Property(tries = 20)
  @AddLifecycleHook(TestKernels.RequiresSimd.class)
  void simdAgreesWithScalarInFloat32(@ForAll long seed) {
    everyOp(seed, DType.FLOAT32, TestKernels.scalar(), TestKernels.simd().orElseThrow());
  }

  @Property(tries = 20)
  @AddLifecycleHook(TestKernels.RequiresSimd.class)
  void simdAgreesWithScalarInFloat64(@ForAll long seed) {
    everyOp(seed, DType.FLOAT64, TestKernels.scalar(), TestKernels.simd().orElseThrow());
  }

  @Property(tries = 8)
  void reassociatedReferenceAgreesWithScalarInFloat32(@ForAll long seed) {
    everyOp(seed, DType.FLOAT32, TestKernels.scalar(), TestKernels.reassociated());
  }

  @Property(tries = 8)
  void reassociatedReferenceAgreesWithScalarInFloat64(@ForAll long seed) {
    everyOp(seed, DType.FLOAT64, TestKernels.scalar(), TestKernels.reassociated());
  }
}
