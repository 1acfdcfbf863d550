package dev.rnn4j.examples.support;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every example accepts: output directory, number of training steps, seed and the reduced mode. */
public final class CommonOptions {

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

  /** The number of steps: the user's value, or {@code quickDefault} / {@code fullDefault}. */
  public int steps(int fullDefault, int quickDefault) {
    if (steps != null) {
      if (steps < 1) {
        throw new IllegalArgumentException("--steps must be >= 1, got " + steps);
      }
      return steps;
    }
    return quick ? quickDefault : fullDefault;
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

  /** The output directory for {@code example}, created if needed. */
  public Path outputDir(String example) {
    return OutputDirs.create(out, example);
  }
}
