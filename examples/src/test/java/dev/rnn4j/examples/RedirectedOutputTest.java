package dev.rnn4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a person finds in the files when an example's output is redirected: one kernel line (the banner's; not a
 * second copy logged by the library on stderr), no escape codes and no progress-bar carriage returns. Runs an
 * example in a fresh JVM, since the kernel choice is logged once per JVM.
 */
class RedirectedOutputTest {

  @Test
  void oneKernelLineAndNoTerminalControlInRedirectedOutput(@TempDir Path dir) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    // Surefire runs the tests from a manifest-only jar; this property has the real class path.
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    // The scalar kernels and C1 only: a fifth of the CPU time of a JVM that warms up the Vector API, and the
    // library logs its (forced) choice at INFO just the same.
    Process p = new ProcessBuilder(List.of(java, "-Drnn4j.kernels=scalar", "-XX:TieredStopAtLevel=1",
        "-Djava.awt.headless=true", "-cp", classPath, IntentClassifier.class.getName(), "--quick", "--steps", "3", "--out", dir.toString()))
        .redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "finished");
    String stdout = Files.readString(out, StandardCharsets.UTF_8);
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), stdout + stderr);
    String both = stdout + stderr;
    assertEquals(1, both.lines().filter(l -> l.contains("rnn4j kernels:")).count(), both);
    assertTrue(stdout.lines().anyMatch(l -> l.startsWith("rnn4j kernels: ")), stdout);
    assertFalse(both.indexOf('\u001b') >= 0, "no escape codes:\n" + both);
    assertFalse(both.indexOf('\r') >= 0, "no carriage returns:\n" + both);
    assertTrue(stdout.contains("step 3/3  loss "), "progress as lines instead of a bar:\n" + stdout);
  }
}
