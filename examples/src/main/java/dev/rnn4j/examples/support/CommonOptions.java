package dev.rnn4j.examples.support;

import dev.rnn4j.kernels.KernelSelector;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Options every example accepts: output directory, number of training steps, seed and the reduced mode. An example
 * calls {@link #validate} first thing, so that a bad value is a usage error before any work starts.
 */
public final class CommonOptions {

  /** The most training steps any example accepts (the per-step losses are kept in memory for the chart). */
  public static final int MAX_STEPS = 1_000_000;

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  private Path outputDir;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description =
          "Output directory for charts and weights (default: examples/target/<example> in a checkout,"
              + " otherwise ./rnn4j-out/<example>).")
  Path out;

  @Option(
      names = "--steps",
      paramLabel = "N",
      description = "Training steps (default: the example's own; smaller with --quick).")
  Integer steps;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--quick", description = "Reduced mode: smaller model and fewer steps, finishes in seconds.")
  boolean quick;

  @Option(names = "--no-progress", description = "Do not draw the progress bar (plain log lines instead).")
  boolean noProgress;

  /**
   * Checks {@code --steps} and {@code --out} (creating the output directory of {@code example}) and returns the
   * checks of the example's command for its own options.
   *
   * @throws picocli.CommandLine.ParameterException naming the option, for a bad value
   */
  public OptionChecks validate(String example) {
    OptionChecks checks = OptionChecks.of(command);
    if (steps != null) {
      checks.inRange("--steps", steps, 1, MAX_STEPS);
    }
    outputDir = checks.outputDirectory("--out", out != null ? out : OutputDirs.defaultFor(example));
    // A kernel choice forced with -Drnn4j.kernels is checked here too, so that an unknown value, or simd where it
    // cannot run, is a usage error rather than a stack trace from the banner.
    String kernels = System.getProperty(KernelSelector.PROPERTY);
    if (kernels != null) {
      try {
        KernelSelector.select(kernels);
      } catch (IllegalArgumentException e) {
        throw checks.usage(e.getMessage());
      }
    }
    return checks;
  }

  /** The number of steps: the user's value, or {@code quickDefault} / {@code fullDefault}. */
  public int steps(int fullDefault, int quickDefault) {
    if (steps != null) {
      return steps;
    }
    return quick ? quickDefault : fullDefault;
  }

  /** Whether the user gave {@code --steps}. */
  public boolean stepsGiven() {
    return steps != null;
  }

  public long seed() {
    return seed;
  }

  public boolean quick() {
    return quick;
  }

  public boolean progressBar() {
    return !noProgress;
  }

  /** The output directory for {@code example}, created if needed (by {@link #validate}, or now). */
  public Path outputDir(String example) {
    return outputDir != null ? outputDir : OutputDirs.create(out, example);
  }
}
