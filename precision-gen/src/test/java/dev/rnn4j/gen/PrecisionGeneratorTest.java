package dev.rnn4j.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The substitution rules, and the discovery and staleness logic that the build's check step runs on the repository
 * (here on a small tree in a temporary directory).
 */
class PrecisionGeneratorTest {

  @TempDir
  Path root;

  @Test
  void findsMarkedSourcesInModuleSourcesOnly() throws IOException {
    write("core/src/main/java/p/DoubleThing.java", "package p;\n" + PrecisionGenerator.MARKER + "\nclass DoubleThing {}\n");
    write("core/src/main/java/p/DoubleUnmarked.java", "package p;\nclass DoubleUnmarked {}\n");
    write("core/target/generated/p/DoubleCopy.java", "package p;\n" + PrecisionGenerator.MARKER + "\n");
    write("notes/DoubleOutsideSrc.java", "package p;\n" + PrecisionGenerator.MARKER + "\n");
    List<PrecisionGenerator.Pair> pairs = PrecisionGenerator.discover(root);
    assertEquals(List.of(new PrecisionGenerator.Pair(root.resolve("core/src/main/java/p/DoubleThing.java"),
        root.resolve("core/src/main/java/p/FloatThing.java"))), pairs);
  }

  @Test
  void missingOrEditedTwinIsStaleUntilRegenerated() throws IOException {
    Path source = write("m/src/main/java/p/DoubleThing.java",
        "package p;\n" + PrecisionGenerator.MARKER + "\nclass DoubleThing { double x = 1.5; }\n");
    List<PrecisionGenerator.Pair> pairs = PrecisionGenerator.discover(root);
    assertEquals(pairs, PrecisionGenerator.stale(pairs), "a missing twin is stale");
    assertEquals(pairs, PrecisionGenerator.regenerate(pairs));
    assertTrue(PrecisionGenerator.stale(pairs).isEmpty());
    Path target = source.resolveSibling("FloatThing.java");
    assertTrue(Files.readString(target).contains("class FloatThing { float x = 1.5f; }"));
    Files.writeString(target, Files.readString(target).replace("1.5f", "2.5f"));
    assertEquals(pairs, PrecisionGenerator.stale(pairs), "a hand edit of the twin is stale");
    Files.writeString(source, Files.readString(source).replace("1.5", "3.5"));
    PrecisionGenerator.regenerate(pairs);
    assertTrue(Files.readString(target).contains("float x = 3.5f;"), "the edited source wins");
  }

  private Path write(String relative, String text) throws IOException {
    Path p = root.resolve(relative);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
    return p;
  }

  @Test
  void substitutesTypesLiteralsAndOverrides() {
    String src = String.join("\n",
        "package p;",
        PrecisionGenerator.MARKER,
        "/** Sums double values; 1.5 stays in comments. */",
        "final class DoubleThing implements DoubleKernels {",
        "  static final double HI = 709.78 /*f32:88.72f*/;",
        "  double f(double x) { return (double) Math.exp(x * 0.5 + 1e-3) + 2 + Double.NaN; } // 3.0 here too",
        "}");
    String want = String.join("\n",
        "package p;",
        "// Generated from DoubleThing.java by PrecisionGenerator. Edit that file and regenerate; do not edit this one.",
        "/** Sums float values; 1.5 stays in comments. */",
        "final class FloatThing implements FloatKernels {",
        "  static final float HI = 88.72f;",
        "  float f(float x) { return (float) Math.exp(x * 0.5f + 1e-3f) + 2 + Float.NaN; } // 3.0 here too",
        "}");
    assertEquals(want, PrecisionGenerator.generate("DoubleThing.java", src));
  }

  @Test
  void renamesFiles() {
    assertEquals("ScalarFloatKernels.java", PrecisionGenerator.renameToFloat("ScalarDoubleKernels.java"));
  }
}
