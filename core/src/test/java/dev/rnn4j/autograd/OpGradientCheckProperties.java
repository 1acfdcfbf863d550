package dev.rnn4j.autograd;

import dev.rnn4j.check.GradientChecker;
import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.testing.OpCatalog;
import dev.rnn4j.testing.TestKernels;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * The gradient checker (float64, gradcheck's default tolerances) passes for every differentiable op on random small
 * shapes and values, under the scalar spec and under the SIMD kernels. Each try covers every op of the catalogue.
 */
class OpGradientCheckProperties {

  private static void everyOp(long seed, Kernels kernels) {
    SplittableRandom rng = new SplittableRandom(seed);
    GradientChecker checker = GradientChecker.builder().kernels(kernels).build();
    for (OpCatalog.Case c : OpCatalog.cases()) {
      OpCatalog.Instance inst = c.make(rng.split(), DType.FLOAT64, 4);
      if (!c.smooth()) {
        continue;
      }
      GradientChecker.Result r = checker.check(inst.f(), inst.inputs());
      if (!r.passed()) {
        throw new AssertionError(c.name() + " on " + kernels.name() + ", seed " + seed + ": " + r.message());
      }
    }
  }

  @Property(tries = 15)
  void everyOpPassesTheGradientCheckOnTheScalarSpec(@ForAll long seed) {
    everyOp(seed, TestKernels.scalar());
  }

  @Property(tries = 15)
  @AddLifecycleHook(TestKernels.RequiresSimd.class)
  void everyOpPassesTheGradientCheckOnSimd(@ForAll long seed) {
    everyOp(seed, TestKernels.simd().orElseThrow());
  }
}
