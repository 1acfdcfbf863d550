package dev.rnn4j.examples.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** -Dexample.args is split as a shell would split it, keeping the blanks inside quotes. */
class ExampleLauncherTest {

  @Test
  void quotedWordsKeepTheirBlanks() {
    assertEquals(List.of("--prompt", "The ", "--quick"), ExampleLauncher.split("--prompt 'The ' --quick"));
    assertEquals(List.of("--prompt", " a  b "), ExampleLauncher.split("--prompt \" a  b \""));
    assertEquals(List.of("--ask", "it's \"x\"", "c:\\d"), ExampleLauncher.split("--ask \"it's \\\"x\\\"\" c:\\\\d"));
    assertEquals(List.of("ab c", ""), ExampleLauncher.split("a'b c' ''"));
    assertEquals(List.of("a b"), ExampleLauncher.split("a\\ b"));
  }

  @Test
  void nothingGivesNoWords() {
    assertEquals(List.of(), ExampleLauncher.split(null));
    assertEquals(List.of(), ExampleLauncher.split(""));
    assertEquals(List.of(), ExampleLauncher.split("  \t "));
  }

  @Test
  void unterminatedQuotesAreNamed() {
    String m = assertThrows(IllegalArgumentException.class, () -> ExampleLauncher.split("--prompt 'The")).getMessage();
    assertTrue(m.contains("unterminated ' quote"), m);
    m = assertThrows(IllegalArgumentException.class, () -> ExampleLauncher.split("x \"y")).getMessage();
    assertTrue(m.contains("unterminated \" quote"), m);
    m = assertThrows(IllegalArgumentException.class, () -> ExampleLauncher.split("x\\")).getMessage();
    assertTrue(m.contains("trailing backslash"), m);
  }
}
