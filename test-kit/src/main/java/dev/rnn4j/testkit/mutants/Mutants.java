package dev.rnn4j.testkit.mutants;

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.kernels.testing.BrokenDoubleKernels;
import dev.rnn4j.kernels.testing.BrokenFloatKernels;
import dev.rnn4j.tensor.KernelScope;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.function.Executable;
import org.opentest4j.AssertionFailedError;

/**
 * Testing the test: run a check against deliberately broken kernels and require it to fail.
 *
 * <pre>{@code
 * for (Mutant m : Mutants.recurrent()) {
 *   Mutants.assertDetects(m, () -> myModelCheck());   // myModelCheck must throw an AssertionError under m
 * }
 * }</pre>
 *
 * <p>The recurrent mutants ({@link #recurrent()}) are the bugs a cell is most often written with: a gate off by one
 * unit, swapped gate blocks, a missing bias gradient, a time index off by one. The kernel mutants ({@link #kernels()})
 * are the single-kernel bugs the library's own agreement properties are proven to catch (a dropped GEMM term, an
 * index off by one, a lost NaN ...). Every mutant is a decorator over the scalar spec: nothing in the library has a
 * hook for them.
 */
@SuppressWarnings("try") // the kernel scope is used for its effect only
public final class Mutants {

  private Mutants() {}

  private static Kernels kernels(String name, dev.rnn4j.kernels.FloatKernels f32,
                                 dev.rnn4j.kernels.DoubleKernels f64) {
    return new Kernels("mutant: " + name, 32, f32, f64);
  }

  /** See {@link RecurrentDoubleMutants#gateOffByOneUnit()}. */
  public static Mutant gateOffByOneUnit() {
    return new Mutant("gate off by one unit", "the LSTM forget gate and the GRU update gate of unit j read the "
        + "input projection of unit j + 1",
        kernels("gate off by one unit", RecurrentFloatMutants.gateOffByOneUnit(),
            RecurrentDoubleMutants.gateOffByOneUnit()));
  }

  /** See {@link RecurrentDoubleMutants#swappedGateBlocks()}. */
  public static Mutant swappedGateBlocks() {
    return new Mutant("swapped gate blocks", "the LSTM input and forget gates are exchanged, and the GRU reset and "
        + "update blocks of the input projection",
        kernels("swapped gate blocks", RecurrentFloatMutants.swappedGateBlocks(),
            RecurrentDoubleMutants.swappedGateBlocks()));
  }

  /** See {@link RecurrentDoubleMutants#missingBiasGradient()}. */
  public static Mutant missingBiasGradient() {
    return new Mutant("missing bias gradient", "addColumnSums adds nothing, so bias gradients (recurrent and "
        + "Linear) stay zero",
        kernels("missing bias gradient", RecurrentFloatMutants.missingBiasGradient(),
            RecurrentDoubleMutants.missingBiasGradient()));
  }

  /** See {@link RecurrentDoubleMutants#timeIndexOffByOne()}. */
  public static Mutant timeIndexOffByOne() {
    return new Mutant("time index off by one", "the LSTM and GRU backward passes use the state of step t where "
        + "that of step t - 1 belongs",
        kernels("time index off by one", RecurrentFloatMutants.timeIndexOffByOne(),
            RecurrentDoubleMutants.timeIndexOffByOne()));
  }

  /** The four recurrent mutants, in the order above. */
  public static List<Mutant> recurrent() {
    return List.of(gateOffByOneUnit(), swappedGateBlocks(), missingBiasGradient(), timeIndexOffByOne());
  }

  /**
   * The library's single-kernel mutants (each a bug in one kernel of both precisions), as used by its own agreement
   * properties. A model test is not expected to catch all of them: a model that never calls {@code gemv} cannot see
   * a broken {@code gemv}.
   */
  public static List<Mutant> kernels() {
    List<BrokenDoubleKernels.Mutant> f64 = BrokenDoubleKernels.all();
    List<BrokenFloatKernels.Mutant> f32 = BrokenFloatKernels.all();
    List<Mutant> out = new ArrayList<>(f64.size());
    for (int i = 0; i < f64.size(); i++) {
      String name = f64.get(i).name();
      if (!name.equals(f32.get(i).name())) {
        throw new IllegalStateException("Mutants: the float32 and float64 mutant lists differ at " + i + ": '"
            + f32.get(i).name() + "' vs '" + name + "'");
      }
      out.add(new Mutant(name, name, kernels(name, f32.get(i).kernels(), f64.get(i).kernels())));
    }
    return out;
  }

  /**
   * Runs {@code check} with {@code mutant}'s kernels current on this thread and requires it to fail with an
   * {@link AssertionError}, which is returned (so that a test can also look at its message).
   *
   * @throws AssertionFailedError when the check passes under the mutant ("survived"), or when it fails with another
   *     exception (a crash is not a detection: the check would report a real bug of this kind as an error, not as a
   *     finding)
   */
  public static AssertionError assertDetects(Mutant mutant, Executable check) {
    try (KernelScope s = KernelScope.use(mutant.kernels())) {
      check.execute();
    } catch (AssertionError detected) {
      return detected;
    } catch (Throwable other) {
      throw new AssertionFailedError("mutant '" + mutant.name() + "' (" + mutant.bug() + ") made the check throw "
          + other.getClass().getName() + " instead of failing an assertion: " + other.getMessage(), other);
    }
    throw new AssertionFailedError("mutant '" + mutant.name() + "' survived: the check passed although "
        + mutant.bug() + ". A real bug of this kind would go unnoticed by this check.");
  }

  /** {@link #assertDetects} for every mutant; the failure lists every survivor, not only the first. */
  public static void assertDetectsAll(List<Mutant> mutants, Executable check) {
    List<String> problems = new ArrayList<>();
    for (Mutant m : mutants) {
      try {
        assertDetects(m, check);
      } catch (AssertionFailedError e) {
        problems.add(e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new AssertionFailedError(problems.size() + " of " + mutants.size() + " mutants not detected:\n  "
          + String.join("\n  ", problems));
    }
  }
}
