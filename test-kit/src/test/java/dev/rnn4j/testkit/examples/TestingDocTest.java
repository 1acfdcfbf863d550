package dev.rnn4j.testkit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/testing.md shows the example test class exactly as the build compiles and runs it. */
class TestingDocTest {

  @Test
  void theDocumentedExampleIsTheTestedOne() throws IOException {
    String doc = Files.readString(Path.of("../docs/testing.md"));
    String begin = "<!-- example:begin -->\n```java\n";
    String end = "```\n<!-- example:end -->";
    int from = doc.indexOf(begin);
    int to = doc.indexOf(end);
    String shown = from < 0 || to < from ? "(no example block in docs/testing.md)"
        : doc.substring(from + begin.length(), to);
    String tested = Files.readString(Path.of("src/test/java/dev/rnn4j/testkit/examples/UserModelTest.java"));
    assertEquals(tested, shown, "docs/testing.md's example differs from UserModelTest.java: copy the file into the "
        + "block between the example markers");
  }
}
