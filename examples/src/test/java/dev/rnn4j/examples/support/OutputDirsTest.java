package dev.rnn4j.examples.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputDirsTest {

  @Test
  void defaultsDependOnWhereTheProgramRuns(@TempDir Path root) throws IOException {
    Path examples = Files.createDirectories(root.resolve("examples"));
    Files.writeString(examples.resolve("pom.xml"), "<project><artifactId>rnn4j-examples</artifactId></project>");
    assertEquals(examples.resolve("target/Demo"), OutputDirs.defaultFor(examples, "Demo"));
    assertEquals(examples.resolve("target/Demo"), OutputDirs.defaultFor(root, "Demo"));
    Path elsewhere = Files.createDirectories(root.resolve("elsewhere"));
    assertEquals(elsewhere.resolve("rnn4j-out/Demo"), OutputDirs.defaultFor(elsewhere, "Demo"));
  }

  @Test
  void chartsAreWrittenAsPng(@TempDir Path dir) throws IOException {
    Path png = Charts.lossCurve(dir.resolve("loss"), "test", new double[] {3, 2, 1.5, 1.2});
    byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(png), 8);
    // The PNG signature: 0x89 'P' 'N' 'G' CR LF 0x1A LF.
    assertEquals(java.util.Arrays.toString(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10}), java.util.Arrays.toString(head));
  }
}
