package dev.rnn4j.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a fresh JVM running a test class's {@code main}: the running java binary, the test class path and the
 * Vector API module when this JVM has it. For tests that must cross a process boundary (a killed save, a resume in a
 * new JVM).
 */
public final class ChildJvm {

  private ChildJvm() {
  }

  /** A builder for {@code java [--add-modules=jdk.incubator.vector] -cp <test class path> main args...}. */
  public static ProcessBuilder builder(Class<?> main, String... args) {
    String java = ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // Surefire runs the tests from a manifest-only jar and puts the real class path in this property.
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>();
    command.add(java);
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
      command.add("--add-modules=jdk.incubator.vector");
    }
    command.add("-cp");
    command.add(classPath);
    command.add(main.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
  }

  /** Reads the child's stdout up to a line equal to {@code expected}; fails with what it printed otherwise. */
  public static BufferedReader awaitLine(Process child, String expected) throws IOException {
    BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line; (line = out.readLine()) != null; ) {
      if (line.equals(expected)) {
        return out;
      }
      seen.append(line).append('\n');
    }
    throw new AssertionError("child JVM ended without printing '" + expected + "'; it printed:\n" + seen);
  }
}
