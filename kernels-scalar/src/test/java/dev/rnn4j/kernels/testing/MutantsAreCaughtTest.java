package dev.rnn4j.kernels.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rnn4j.kernels.DoubleKernels;
import dev.rnn4j.kernels.FloatKernels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The agreement checks catch real bugs: each deliberately broken kernel of {@link BrokenDoubleKernels} and
 * {@link BrokenFloatKernels} fails its check on at least one of a fixed set of seeded random cases, while on the very
 * same cases the scalar spec and the correct but differently rounded {@link ReassociatedDoubleKernels} /
 * {@link ReassociatedFloatKernels} pass. (So the tolerances are neither too loose to see the bug nor too tight for
 * a legitimate reordering.)
 */
class MutantsAreCaughtTest {

  /** Seeds of the fixed case set; the same for every mutant. */
  private static final int CASES = 150;

  @TestFactory
  Stream<DynamicTest> float64Mutants() {
    DoubleKernels spec = DoubleKernelTestSupport.spec();
    DoubleKernels reassociated = new ReassociatedDoubleKernels();
    List<DynamicTest> tests = new ArrayList<>();
    for (BrokenDoubleKernels.Mutant m : BrokenDoubleKernels.all()) {
      tests.add(DynamicTest.dynamicTest("float64: " + m.name(), () -> {
        for (int seed = 0; seed < CASES; seed++) {
          m.check().run(spec, spec, new Random(seed));
          m.check().run(spec, reassociated, new Random(seed));
        }
        assertCaught(m.name(), seed -> m.check().run(spec, m.kernels(), new Random(seed)));
      }));
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> float32Mutants() {
    FloatKernels spec = FloatKernelTestSupport.spec();
    FloatKernels reassociated = new ReassociatedFloatKernels();
    List<DynamicTest> tests = new ArrayList<>();
    for (BrokenFloatKernels.Mutant m : BrokenFloatKernels.all()) {
      tests.add(DynamicTest.dynamicTest("float32: " + m.name(), () -> {
        for (int seed = 0; seed < CASES; seed++) {
          m.check().run(spec, spec, new Random(seed));
          m.check().run(spec, reassociated, new Random(seed));
        }
        assertCaught(m.name(), seed -> m.check().run(spec, m.kernels(), new Random(seed)));
      }));
    }
    return tests.stream();
  }

  @FunctionalInterface
  private interface SeedRun {
    void run(int seed);
  }

  /** At least one seed makes the check throw an AssertionError (any other exception is a test failure). */
  private static void assertCaught(String name, SeedRun run) {
    int caught = 0;
    String first = null;
    for (int seed = 0; seed < CASES; seed++) {
      try {
        run.run(seed);
      } catch (AssertionError e) {
        caught++;
        if (first == null) {
          first = "seed " + seed + ": " + e.getMessage();
        }
      } catch (RuntimeException e) {
        fail(name + ": the check crashed instead of reporting a disagreement (seed " + seed + ")", e);
      }
    }
    assertTrue(caught > 0, name + ": not caught by any of " + CASES + " cases");
    System.getLogger(MutantsAreCaughtTest.class.getName()).log(System.Logger.Level.DEBUG,
        name + ": caught in " + caught + " of " + CASES + " cases; first: " + first);
  }
}
