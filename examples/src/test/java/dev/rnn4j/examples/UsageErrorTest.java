package dev.rnn4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Every option of every example, given a bad value or a bad file, is a usage error before any work starts: exit
 * code 2, a message on stderr that names the option (and the file and line for malformed data), no stack trace,
 * and nothing on stdout (not even the banner).
 */
class UsageErrorTest {

  @TempDir static Path files;

  /** A file under the shared temporary directory with the given lines. */
  private static String file(String name, String... lines) {
    try {
      return Files.write(files.resolve(name), List.of(lines)).toString();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String bytes(String name, byte[] content) {
    try {
      return Files.write(files.resolve(name), content).toString();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String repeatLines(String line, int n) {
    return (line + "\n").repeat(n);
  }

  private static Arguments bad(Supplier<Callable<Integer>> example, String mustName, String... args) {
    return Arguments.of(example, mustName, args);
  }

  static Stream<Arguments> badCommandLines() {
    Supplier<Callable<Integer>> lm = CharLanguageModel::new;
    Supplier<Callable<Integer>> nam = Namaskar::new;
    Supplier<Callable<Integer>> intent = IntentClassifier::new;
    Supplier<Callable<Integer>> tagger = BidirectionalTagger::new;
    Supplier<Callable<Integer>> series = TimeSeriesForecast::new;
    Supplier<Callable<Integer>> s2s = Seq2Seq::new;
    Supplier<Callable<Integer>> flow = GradientFlow::new;
    String text = file("text.txt", "The cat sat on the mat. ".repeat(40)); // 960 characters
    String shortText = file("short.txt", "The cat sat on the mat. ".repeat(12)); // 288: under 10 x (32 + 2)
    String tinyText = file("tiny.txt", "too short");
    String latin1 = bytes("latin1.txt", ("caf\u00e9 ".repeat(100)).getBytes(StandardCharsets.ISO_8859_1));
    String noTab = file("intents-notab.txt", "greet\thello", "greet\thi there", "bye no tab here");
    String fewIntents = file("intents-few.txt", "greet\thello", "bye\tsee you");
    String badTags = file("tags.txt", "i/PRON love/VERB you/PRON", "this/DET is/VERB love/");
    String notNumber = file("series-text.txt", "value", "1.0", "2.0", "two point five", "3.0");
    String nanSeries = file("series-nan.txt", repeatLines("1.5", 150) + "NaN");
    String fewValues = file("series-few.txt", "1", "2", "3");
    String goodSeries = file("series-good.txt", repeatLines("0.5", 200));
    String notADir = file("plain-file.txt", "x");
    List<Arguments> cases = new ArrayList<>(List.of(
        // options every example has
        bad(lm, "--steps", "--steps", "0"),
        bad(nam, "--steps", "--steps", "-5"),
        bad(intent, "--steps", "--steps", "2000000000"),
        bad(series, "--out", "--out", notADir),
        bad(flow, "--steps", "--steps", "5"), // GradientFlow has no step count to set
        // CharLanguageModel
        bad(lm, "--text", "--text", files.resolve("missing.txt").toString()),
        bad(lm, "--text", "--text", files.toString()),
        bad(lm, "--text", "--text", tinyText),
        bad(lm, "--text", "--text", shortText),
        bad(lm, "--text", "--text", latin1),
        bad(lm, "--temperature", "--temperature", "0"),
        bad(lm, "--temperature", "--temperature", "NaN"),
        bad(lm, "--length", "--length", "-1"),
        bad(lm, "--chars", "--chars", "10"),
        bad(lm, "--prompt", "--text", text, "--prompt", "Quiz"),
        // Namaskar
        bad(nam, "--word", "--word", "a"),
        // IntentClassifier
        bad(intent, "--ask", "--ask", ""),
        bad(intent, "--ask", "--ask", "what time is it?", "--ask", " ?! "),
        bad(intent, "--data", "--data", files.resolve("missing.tsv").toString()),
        bad(intent, "line 3", "--data", noTab),
        bad(intent, "--data", "--data", fewIntents),
        // BidirectionalTagger
        bad(tagger, "line 2", "--data", badTags),
        // TimeSeriesForecast
        bad(series, "line 4", "--data", notNumber),
        bad(series, "line 151", "--data", nanSeries),
        bad(series, "--data", "--data", fewValues),
        bad(series, "--horizon", "--horizon", "0"),
        bad(series, "--horizon", "--data", goodSeries, "--horizon", "100"),
        bad(series, "--length", "--length", "50"),
        bad(series, "--noise", "--noise", "-1"),
        // Seq2Seq
        bad(s2s, "--translate", "--translate", "nine eleven"),
        bad(s2s, "--translate", "--translate", " "),
        // GradientFlow
        bad(flow, "line 4", "--data", notNumber)));
    return cases.stream();
  }

  @ParameterizedTest(name = "[{index}] {2}")
  @MethodSource("badCommandLines")
  void isAUsageErrorBeforeAnyWork(Supplier<Callable<Integer>> example, String mustName, String[] args,
      @TempDir Path out) {
    // --steps 1 keeps a run that wrongly starts training short; the cases about --steps give their own.
    List<String> all = new ArrayList<>(List.of("--quick", "--no-progress", "--out", out.toString()));
    boolean ownSteps = List.of(args).contains("--steps");
    boolean ownOut = List.of(args).contains("--out");
    if (ownOut) {
      all.subList(2, 4).clear();
    }
    if (!ownSteps && example.get().getClass() != GradientFlow.class) {
      all.addAll(List.of("--steps", "1"));
    }
    all.addAll(List.of(args));
    assertUsageError(example, mustName, all);
  }

  @Test
  void anUnknownKernelChoiceIsAUsageError(@TempDir Path out) {
    String before = System.getProperty("rnn4j.kernels");
    try {
      System.setProperty("rnn4j.kernels", "fastest");
      assertUsageError(Namaskar::new, "-Drnn4j.kernels: unknown value 'fastest'",
          List.of("--steps", "1", "--out", out.toString()));
    } finally {
      if (before == null) {
        System.clearProperty("rnn4j.kernels");
      } else {
        System.setProperty("rnn4j.kernels", before);
      }
    }
  }

  private static void assertUsageError(Supplier<Callable<Integer>> example, String mustName, List<String> all) {
    StringWriter err = new StringWriter();
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    PrintStream originalOut = System.out;
    int code;
    try {
      System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
      CommandLine cmd = new CommandLine(example.get());
      cmd.setErr(new PrintWriter(err, true));
      code = cmd.execute(all.toArray(String[]::new));
    } finally {
      System.setOut(originalOut);
    }
    String stderr = err.toString();
    assertEquals(2, code, "exit code; stderr:\n" + stderr);
    assertTrue(stderr.contains(mustName), "stderr names " + mustName + ":\n" + stderr);
    assertFalse(stderr.contains("\tat ") || stderr.contains("Exception"), "no stack trace:\n" + stderr);
    assertTrue(stderr.contains("Usage: "), "usage help follows the message:\n" + stderr);
    assertEquals("", stdout.toString(StandardCharsets.UTF_8), "nothing ran before the error");
  }
}
