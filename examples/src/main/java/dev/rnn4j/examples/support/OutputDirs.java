package dev.rnn4j.examples.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where an example writes its files when the user gives no {@code --out}. */
public final class OutputDirs {
  private OutputDirs() {}

  /**
   * The user's directory, or {@code target/<example>} when run inside the examples module (as {@code exec:exec}
   * does), {@code examples/target/<example>} from the repository root, and {@code ./rnn4j-out/<example>}
   * anywhere else. The directory is created.
   */
  public static Path create(Path userChoice, String example) {
    Path dir = userChoice != null ? userChoice : defaultFor(example);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create output directory " + dir, e);
    }
    return dir;
  }

  /** The directory {@link #create} uses when the user gives none, from the current directory (not created). */
  public static Path defaultFor(String example) {
    return defaultFor(Path.of("").toAbsolutePath(), example);
  }

  static Path defaultFor(Path cwd, String example) {
    if (isExamplesModule(cwd)) {
      return cwd.resolve("target").resolve(example);
    }
    if (isExamplesModule(cwd.resolve("examples"))) {
      return cwd.resolve("examples").resolve("target").resolve(example);
    }
    return cwd.resolve("rnn4j-out").resolve(example);
  }

  private static boolean isExamplesModule(Path dir) {
    Path pom = dir.resolve("pom.xml");
    if (!Files.isRegularFile(pom)) {
      return false;
    }
    try {
      return Files.readString(pom).contains("<artifactId>rnn4j-examples</artifactId>");
    } catch (IOException e) {
      return false;
    }
  }
}
