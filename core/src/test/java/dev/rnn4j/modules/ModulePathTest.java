package dev.rnn4j.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.nn.recurrent.LSTM;
import dev.rnn4j.nn.recurrent.RecurrentOptions;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.Tensor;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.lang.module.FindException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * rnn4j works on the module path, not only on the class path where the other tests run: a small application module
 * that {@code requires dev.rnn4j.core} is compiled against the library's modules (kernels, SIMD kernels, core, Gson,
 * found on this JVM's class path by their module descriptors) and run in a child JVM with {@code --module-path}. It
 * builds an LSTM, runs a forward pass and prints which kernels ran and a checksum of the output bits, which must equal
 * the same computation in this JVM on the class path. It also prints whether it can see the SIMD kernels' package,
 * which the module does not export. The recurrent engine's package {@code dev.rnn4j.nn.recurrent.internal} is in the
 * core module and not exported: an application module that imports it does not compile.
 */
class ModulePathTest {

  private static final Set<String> LIBRARY_MODULES =
      Set.of("dev.rnn4j.kernels", "dev.rnn4j.kernels.simd", "dev.rnn4j.core", "com.google.gson");

  private static final String MODULE_INFO = """
      module dev.rnn4j.modulecheck {
        requires dev.rnn4j.core;
      }
      """;

  private static final String MAIN = """
      package dev.rnn4j.modulecheck;

      import dev.rnn4j.kernels.Kernels;
      import dev.rnn4j.nn.recurrent.LSTM;
      import dev.rnn4j.nn.recurrent.RecurrentOptions;
      import dev.rnn4j.tensor.DType;
      import dev.rnn4j.tensor.Tensor;
      import java.util.Arrays;
      import java.util.SplittableRandom;

      public final class Main {
        public static void main(String[] args) {
          LSTM lstm = new LSTM(new RecurrentOptions(5, 7).numLayers(2).seed(3));
          Tensor x = Tensor.normal(DType.FLOAT32, new SplittableRandom(11), 0, 1, 6, 3, 5);
          float[] out = lstm.forward(x, null, null, null).output().toFloatArray();
          System.out.println("kernels=" + Kernels.get().name());
          System.out.println("checksum=" + Arrays.hashCode(out));
          System.out.println("module=" + Main.class.getModule().getName());
          System.out.println("simdExported=" + ModuleLayer.boot().findModule("dev.rnn4j.kernels.simd")
              .map(m -> m.isExported("dev.rnn4j.kernels.simd")).orElse(null));
        }
      }
      """;

  @TempDir
  static Path work;

  /** The core's package of engines, runners and cells; not exported, so no application code can reach it. */
  private static final String INTERNAL = "dev.rnn4j.nn.recurrent.internal";

  private static final String USES_INTERNAL = """
      package dev.rnn4j.internalcheck;

      import dev.rnn4j.nn.recurrent.internal.DoubleRecurrentEngine;

      public final class UsesTheEngine {
        public static Class<?> engine() {
          return DoubleRecurrentEngine.class;
        }
      }
      """;

  private static String modulePath;
  private static Path corePath;
  private static Path classes;

  @BeforeAll
  static void compileTheApplicationModule() throws IOException {
    List<String> found = new ArrayList<>();
    Set<String> names = new java.util.TreeSet<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String name = moduleName(Path.of(entry));
      if (name != null && LIBRARY_MODULES.contains(name) && names.add(name)) {
        found.add(entry);
        if (name.equals("dev.rnn4j.core")) {
          corePath = Path.of(entry);
        }
      }
    }
    assertEquals(LIBRARY_MODULES, names, "library modules on the test class path: " + found);
    modulePath = String.join(File.pathSeparator, found);

    Path src = work.resolve("src/dev.rnn4j.modulecheck");
    Files.createDirectories(src.resolve("dev/rnn4j/modulecheck"));
    Files.writeString(src.resolve("module-info.java"), MODULE_INFO);
    Files.writeString(src.resolve("dev/rnn4j/modulecheck/Main.java"), MAIN);
    classes = work.resolve("classes");
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter diagnostics = new StringWriter();
    boolean ok = javac.getTask(diagnostics, null, null,
        List.of("--module-path", modulePath, "-d", classes.toString(), "-Xlint:all", "-Werror"), null,
        javac.getStandardFileManager(null, null, null).getJavaFileObjects(
            src.resolve("module-info.java"), src.resolve("dev/rnn4j/modulecheck/Main.java"))).call();
    assertTrue(ok, "the application module does not compile against rnn4j's modules:\n" + diagnostics);
  }

  /** The name in the module descriptor of a jar or class directory; null for anything that is not a named module. */
  private static String moduleName(Path entry) {
    if (!Files.exists(entry)) {
      return null;
    }
    try {
      return ModuleFinder.of(entry).findAll().stream().map(ModuleReference::descriptor)
          .filter(d -> !d.isAutomatic()).map(d -> d.name()).findFirst().orElse(null);
    } catch (FindException e) {
      return null; // a class directory without module-info, or a jar whose automatic name is invalid
    }
  }

  @Test
  void runsOnTheModulePathWithTheSimdKernels() throws Exception {
    List<String> lines = run(true);
    assertEquals("kernels=simd", lines.get(0), String.join("\n", lines));
    assertEquals("checksum=" + checksumOnTheClassPath(Kernels.get()), lines.get(1));
    assertEquals("module=dev.rnn4j.modulecheck", lines.get(2));
    assertEquals("simdExported=false", lines.get(3), "the SIMD kernels' package is encapsulated");
  }

  /**
   * The core module holds the engine's package but does not export it (checked in the built descriptor, so the
   * check cannot pass because the package was renamed away), and an application module that imports a class of it
   * fails to compile for exactly that reason.
   */
  @Test
  void theEnginePackageIsInTheCoreButNotExported() throws IOException {
    ModuleDescriptor core = ModuleFinder.of(corePath).find("dev.rnn4j.core").orElseThrow().descriptor();
    assertTrue(core.packages().contains(INTERNAL), "the core module has no package " + INTERNAL + ": "
        + core.packages());
    assertFalse(core.exports().stream().anyMatch(e -> e.source().equals(INTERNAL)), "exported: " + core.exports());

    Path src = work.resolve("src-internal/dev.rnn4j.internalcheck");
    Files.createDirectories(src.resolve("dev/rnn4j/internalcheck"));
    Files.writeString(src.resolve("module-info.java"),
        "module dev.rnn4j.internalcheck {\n  requires dev.rnn4j.core;\n}\n");
    Files.writeString(src.resolve("dev/rnn4j/internalcheck/UsesTheEngine.java"), USES_INTERNAL);
    // An empty class path: javac's default is this JVM's, where the core's classes sit in the unnamed module.
    Path emptyClassPath = Files.createDirectories(work.resolve("empty"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter diagnostics = new StringWriter();
    boolean ok = javac.getTask(diagnostics, null, null, List.of("--module-path", modulePath, "--class-path",
        emptyClassPath.toString(), "-d", work.resolve("classes-internal").toString()), null,
        javac.getStandardFileManager(null, null, null).getJavaFileObjects(
            src.resolve("module-info.java"), src.resolve("dev/rnn4j/internalcheck/UsesTheEngine.java"))).call();
    assertFalse(ok, "an application module compiled against " + INTERNAL);
    assertTrue(diagnostics.toString().contains("package " + INTERNAL + " is declared in module dev.rnn4j.core, "
        + "which does not export it"), diagnostics.toString());
  }

  /**
   * The incubator module is required {@code static} by the SIMD kernels, so without {@code --add-modules} it stays
   * out, as on the class path, and the selection falls back to the scalar spec.
   */
  @Test
  void withoutTheVectorModuleTheScalarSpecRuns() throws Exception {
    List<String> lines = run(false);
    assertEquals("kernels=scalar", lines.get(0), String.join("\n", lines));
    assertEquals("checksum=" + checksumOnTheClassPath(Kernels.scalar()), lines.get(1));
  }

  private static int checksumOnTheClassPath(Kernels kernels) {
    return KernelScope.get(kernels, () -> {
      LSTM lstm = new LSTM(new RecurrentOptions(5, 7).numLayers(2).seed(3));
      Tensor x = Tensor.normal(DType.FLOAT32, new SplittableRandom(11), 0, 1, 6, 3, 5);
      return Arrays.hashCode(lstm.forward(x, null, null, null).output().toFloatArray());
    });
  }

  private static List<String> run(boolean vectorModule) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (vectorModule) {
      command.add("--add-modules=jdk.incubator.vector");
    }
    command.addAll(List.of("--module-path", modulePath + File.pathSeparator + classes,
        "-m", "dev.rnn4j.modulecheck/dev.rnn4j.modulecheck.Main"));
    Path errFile = work.resolve("stderr-" + vectorModule + ".txt");
    Process p = new ProcessBuilder(command).redirectError(errFile.toFile()).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish");
    String err = Files.readString(errFile);
    assertEquals(0, p.exitValue(), "child JVM failed:\n" + out + err);
    List<String> lines = out.lines().collect(Collectors.toList());
    assertFalse(lines.size() < 4, "child JVM printed:\n" + out + err);
    return lines;
  }
}
