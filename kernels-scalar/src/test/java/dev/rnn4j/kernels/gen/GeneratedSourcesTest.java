package dev.rnn4j.kernels.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The committed float32 files are exactly what the generator makes of their float64 sources. */
class GeneratedSourcesTest {

  @Test
  void generatedFloatSourcesAreUpToDate() throws IOException {
    Path root = PrecisionGenerator.repositoryRoot(Path.of(""));
    List<PrecisionGenerator.Pair> pairs = PrecisionGenerator.discover(root);
    assertFalse(pairs.isEmpty(), "no marked float64 sources found below " + root);
    if (Boolean.getBoolean("rnn4j.regenerate")) {
      PrecisionGenerator.regenerate(pairs);
    }
    List<PrecisionGenerator.Pair> stale = PrecisionGenerator.stale(pairs);
    assertTrue(stale.isEmpty(), () -> "generated float32 sources are stale; run "
        + "'mvn -q -pl kernels-scalar test -Dtest=GeneratedSourcesTest -Drnn4j.regenerate=true' to rewrite: " + stale);
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
