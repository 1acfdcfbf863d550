package dev.rnn4j.kernels.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.kernels.KernelInfo;
import dev.rnn4j.kernels.KernelSelector;
import dev.rnn4j.kernels.Kernels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * Kernel selection, in this JVM (surefire starts it with {@code --add-modules=jdk.incubator.vector}) and in forked
 * JVMs with other flags, which run {@link KernelInfo} (or {@link LogOnceMain}) on this test's class path.
 */
class SelectionTest {

  private static final String ADD_MODULES = "--add-modules=jdk.incubator.vector";

  @Test
  void forcedScalarGivesTheSpec() {
    Kernels k = KernelSelector.select("scalar").kernels();
    assertEquals("scalar", k.name());
    assertEquals(Kernels.scalar(), k);
  }

  @Test
  void forcedSimdGivesTheVectorKernelsAtThePreferredSize() {
    Kernels k = KernelSelector.select("simd").kernels();
    assertEquals("simd", k.name());
    assertEquals(FloatVector.SPECIES_PREFERRED.vectorBitSize(), k.vectorBits());
    assertInstanceOf(PanamaFloatKernels.class, k.f32());
    assertInstanceOf(PanamaDoubleKernels.class, k.f64());
  }

  @Test
  void autoPicksSimdWhenTheModuleAndC2ArePresent() {
    assertEquals("simd", KernelSelector.select("auto").kernels().name());
  }

  @Test
  void withoutTheModuleKernelInfoReportsScalarTheReasonAndTheFlag() throws Exception {
    Result r = run(List.of(), KernelInfo.class.getName());
    assertEquals(0, r.exit, r::toString);
    assertTrue(r.out.contains("rnn4j kernels: scalar"), r::toString);
    assertTrue(r.out.contains("jdk.incubator.vector is not in the boot layer"), r::toString);
    assertTrue(r.out.contains(ADD_MODULES), r::toString);
  }

  @Test
  void withoutC2KernelInfoReportsScalarAndTheReason() throws Exception {
    Result r = run(List.of(ADD_MODULES, "-XX:TieredStopAtLevel=1"), KernelInfo.class.getName());
    assertEquals(0, r.exit, r::toString);
    assertTrue(r.out.contains("rnn4j kernels: scalar"), r::toString);
    assertTrue(r.out.contains("-XX:TieredStopAtLevel=1"), r::toString);
  }

  @Test
  void interpreterOnlyFallsBackToScalar() throws Exception {
    Result r = run(List.of(ADD_MODULES, "-Xint"), KernelInfo.class.getName());
    assertEquals(0, r.exit, r::toString);
    assertTrue(r.out.contains("rnn4j kernels: scalar"), r::toString);
    assertTrue(r.out.contains("-Xint"), r::toString);
  }

  @Test
  void withTheModuleKernelInfoReportsSimdAndItsBitSize() throws Exception {
    Result r = run(List.of(ADD_MODULES), KernelInfo.class.getName());
    assertEquals(0, r.exit, r::toString);
    int bits = FloatVector.SPECIES_PREFERRED.vectorBitSize();
    assertTrue(r.out.contains("rnn4j kernels: simd, " + bits + "-bit vectors"), r::toString);
  }

  @Test
  void theDiagnosticPropertyNarrowsTheSpecies() throws Exception {
    Result r = run(List.of(ADD_MODULES, "-D" + PanamaKernelProvider.BITS_PROPERTY + "=128"),
        KernelInfo.class.getName());
    assertEquals(0, r.exit, r::toString);
    assertTrue(r.out.contains("rnn4j kernels: simd, 128-bit vectors"), r::toString);
  }

  @Test
  void anUnsupportedForcedSizeIsAnErrorThatSaysWhy() throws Exception {
    Result r = run(List.of(ADD_MODULES, "-D" + PanamaKernelProvider.BITS_PROPERTY + "=96"),
        KernelInfo.class.getName());
    assertNotEquals(0, r.exit, r::toString);
    assertTrue(r.err.contains("-Drnn4j.simd.bits=96: expected 128, 256 or 512"), r::toString);
  }

  @Test
  void forcingSimdWithoutTheModuleFailsWithTheReason() throws Exception {
    Result r = run(List.of("-D" + KernelSelector.PROPERTY + "=simd"), KernelInfo.class.getName());
    assertNotEquals(0, r.exit, r::toString);
    assertTrue(r.err.contains("-Drnn4j.kernels=simd cannot be honoured"), r::toString);
    assertTrue(r.err.contains("jdk.incubator.vector is not in the boot layer"), r::toString);
    assertTrue(r.err.contains(ADD_MODULES), r::toString);
  }

  @Test
  void theChoiceIsLoggedOnceAtInfo() throws Exception {
    // java.util.logging's default ConsoleHandler prints INFO records to stderr as "INFO: message".
    Result r = run(List.of(ADD_MODULES), LogOnceMain.class.getName());
    assertEquals(0, r.exit, r::toString);
    assertEquals(1, count(r.err, "INFO: rnn4j kernels: simd, "), r::toString);
    assertEquals(1, count(r.err, "rnn4j kernels:"), r::toString);
  }

  @Test
  void theFallbackLogLineNamesTheReasonAndTheFlag() throws Exception {
    Result r = run(List.of(), LogOnceMain.class.getName());
    assertEquals(0, r.exit, r::toString);
    assertEquals(1, count(r.err, "rnn4j kernels:"), r::toString);
    assertTrue(r.err.contains("INFO: rnn4j kernels: scalar (the module jdk.incubator.vector is not in the boot layer; "
        + ADD_MODULES), r::toString);
  }

  /** Uses the selected kernels several times; the selection must be logged exactly once. */
  public static final class LogOnceMain {
    public static void main(String[] args) {
      float[] x = {1, 2, 3};
      for (int i = 0; i < 3; i++) {
        Kernels.get().f32().scal(3, 2, x, 0);
        KernelSelector.selected();
        KernelSelector.selection();
      }
      System.out.println(Kernels.get().name() + " " + x[2]);
    }
  }

  private record Result(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  private static Result run(List<String> jvmArgs, String mainClass) throws IOException, InterruptedException {
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass);
    Process p = new ProcessBuilder(cmd).start();
    // Small outputs: reading stdout to the end before stderr cannot dead-lock on a full pipe buffer of stderr.
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("forked JVM did not finish: " + cmd);
    }
    return new Result(p.exitValue(), out, err);
  }

  private static int count(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }
}
