package dev.rnn4j.examples.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Checks of an example's options that run before any work starts. A failed check throws picocli's
 * {@link ParameterException}, which {@link CommandLine#execute} turns into the usage error every bad option gets:
 * the message (naming the option) and the usage help on stderr, exit code 2, no stack trace.
 */
public final class OptionChecks {
  private final CommandSpec spec;

  private OptionChecks(CommandSpec spec) {
    this.spec = spec;
  }

  /** Checks for the command of {@code spec} (the example's injected {@code @Spec}). */
  public static OptionChecks of(CommandSpec spec) {
    return new OptionChecks(spec);
  }

  /** A usage error: {@code "<option>: <message>"}. */
  public ParameterException error(String option, String message) {
    return usage(option + ": " + message);
  }

  /** A usage error with a message that already names what is wrong. */
  public ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /** Whether the user gave {@code option} on the command line (as opposed to its default). */
  public boolean given(String option) {
    CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
    return parsed != null && parsed.hasMatchedOption(option);
  }

  /** {@code value} if {@code min <= value <= max}, else a usage error naming {@code option}. */
  public int inRange(String option, int value, int min, int max) {
    if (value < min || value > max) {
      throw error(option, "must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }

  /** {@code value} if it is finite and {@code min <= value <= max}, else a usage error naming {@code option}. */
  public double inRange(String option, double value, double min, double max) {
    if (!(value >= min && value <= max)) {
      throw error(option, String.format(Locale.ROOT, "must be between %s and %s, got %s", min, max, value));
    }
    return value;
  }

  /** {@code value} if it is finite and {@code > 0} and {@code <= max}, else a usage error. */
  public double positive(String option, double value, double max) {
    if (!(value > 0 && value <= max)) {
      throw error(option, String.format(Locale.ROOT, "must be greater than 0 and at most %s, got %s", max, value));
    }
    return value;
  }

  /** {@code file} if it is an existing, readable regular file, else a usage error naming {@code option}. */
  public Path readableFile(String option, Path file) {
    if (!Files.exists(file)) {
      throw error(option, "file not found: " + file);
    }
    if (!Files.isRegularFile(file)) {
      throw error(option, "not a regular file: " + file);
    }
    if (!Files.isReadable(file)) {
      throw error(option, "file is not readable: " + file);
    }
    return file;
  }

  /**
   * Reads {@code file} (checked with {@link #readableFile}) with {@code reader}. The readers of the example data
   * report a malformed file with an {@code IllegalArgumentException} naming the file and line, and a failed read
   * with an {@code UncheckedIOException}; both become a usage error naming {@code option}.
   */
  public <T> T read(String option, Path file, Function<Path, T> reader) {
    readableFile(option, file);
    try {
      return reader.apply(file);
    } catch (IllegalArgumentException e) {
      throw error(option, e.getMessage());
    } catch (UncheckedIOException e) {
      IOException cause = e.getCause();
      String why = cause instanceof CharacterCodingException
          ? "not valid UTF-8 text"
          : cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
      throw error(option, e.getMessage() + ": " + why);
    }
  }

  /**
   * The output directory: created now (so that a bad {@code --out} fails before training, not after), and
   * checked to be writable.
   */
  public Path outputDirectory(String option, Path dir) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw error(option, "not a directory: " + dir);
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw error(option, "cannot create directory " + dir + " (" + e.getClass().getSimpleName() + ": "
          + e.getMessage() + ")");
    }
    if (!Files.isWritable(dir)) {
      throw error(option, "directory is not writable: " + dir);
    }
    return dir;
  }
}
