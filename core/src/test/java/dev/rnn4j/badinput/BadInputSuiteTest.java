package dev.rnn4j.badinput;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every public entry point of core tried with wrong shapes, dtypes, nulls, out-of-range sizes and non-finite values:
 * each {@link BadInput} must be rejected with its exception type and a message naming the op and the argument, within
 * a time limit, and, where the case says so, without changing the state it touches. One dynamic test per case; the
 * cases live in the {@code *Cases} classes by area.
 */
class BadInputSuiteTest {

  /** The issue asks for at least this many distinct bad inputs. */
  static final int MIN_CASES = 250;

  /** Far above any case's run time (the slowest build a few small layers): only a hang reaches it. */
  private static final Duration LIMIT = Duration.ofSeconds(10);

  private static Path dir;
  private static List<BadInput> cases;

  /** The cases, built once per run (their fixtures include a wide layer and a few files). */
  static synchronized List<BadInput> all() {
    if (cases != null) {
      return cases;
    }
    try {
      dir = Files.createTempDirectory("rnn4j-badinput");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Catalog c = new Catalog();
    TensorCases.add(c);
    OpsCases.add(c);
    AutogradCases.add(c);
    NnCases.add(c);
    RecurrentCases.add(c);
    TrainingCases.add(c);
    IoCases.add(c, dir);
    cases = c.cases();
    return cases;
  }

  @AfterAll
  static void removeFiles() throws IOException {
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
      dir = null;
    }
    cases = null;
  }

  @TestFactory
  Stream<DynamicTest> everyBadInputIsRejectedClearly() {
    return all().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> run(c)));
  }

  private static void run(BadInput c) {
    assertTimeoutPreemptively(LIMIT, () -> {
      Object before = c.state() == null ? null : c.state().get();
      Throwable thrown = null;
      try {
        c.call().execute();
      } catch (Throwable t) {
        thrown = t;
      }
      if (thrown == null) {
        fail("accepted; expected " + c.expected().getSimpleName());
      }
      if (!c.expected().isInstance(thrown)) {
        AssertionError e = new AssertionError("expected " + c.expected().getSimpleName() + " but got "
            + thrown.getClass().getName() + ": " + thrown.getMessage());
        e.initCause(thrown);
        throw e;
      }
      assertInstanceOf(c.expected(), thrown);
      String message = thrown.getMessage();
      assertNotNull(message, "no message");
      for (String part : c.parts()) {
        assertTrue(message.contains(part), () -> "message lacks '" + part + "': " + message);
      }
      if (c.state() != null) {
        Object after = c.state().get();
        assertTrue(Objects.deepEquals(before, after), () -> "state changed by the rejected call: " + before
            + " -> " + after);
      }
    }, () -> c.name() + ": no answer within " + LIMIT.toSeconds() + " s");
  }

  /**
   * The suite counts itself: at least {@link #MIN_CASES} cases, each with a unique name and at least two message
   * parts (the op and the argument), none expecting a bare JDK exception.
   */
  @Test
  void theSuiteHasAtLeast250DistinctCases() {
    List<BadInput> cases = all();
    Set<String> names = new HashSet<>();
    List<String> problems = new ArrayList<>();
    for (BadInput c : cases) {
      if (!names.add(c.name())) {
        problems.add("duplicate name: " + c.name());
      }
      if (c.parts().size() < 2) {
        problems.add(c.name() + ": names fewer than two message parts");
      }
      if (c.expected() == NullPointerException.class || c.expected() == IndexOutOfBoundsException.class
          || c.expected() == RuntimeException.class || c.expected() == Exception.class) {
        problems.add(c.name() + ": expects a bare " + c.expected().getSimpleName());
      }
    }
    assertEquals(List.of(), problems);
    assertTrue(cases.size() >= MIN_CASES, "only " + cases.size() + " cases");
  }
}
