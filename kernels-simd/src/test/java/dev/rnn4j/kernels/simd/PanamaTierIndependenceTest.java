package dev.rnn4j.kernels.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The SIMD kernels compute the same bits on every JIT tier. Two JVMs run {@link PanamaDoubleTierProbe} and
 * {@link PanamaFloatTierProbe} on the same species: one limited to C1 ({@code -XX:TieredStopAtLevel=1}: the Vector
 * API is not intrinsified there, so every vector operation runs its Java fallback, lane by lane), one with C2 only
 * and synchronous compilation ({@code -XX:-TieredCompilation -Xbatch}) after enough runs that C2 has compiled the
 * kernels with its intrinsics. Every output must be bitwise equal.
 *
 * <p>With {@code reduceLanes(ADD)} (unspecified order: C2's intrinsic and the fallback add the lanes differently) or
 * {@code VectorOperators.EXP/TANH} (SVML in C2, {@link Math} per lane in the fallback) in the kernels, this test
 * fails: run against the earlier implementation that used them, the float32 probe differed in exp, dot, sum,
 * sumOfSquares, softmax, logSoftmax, logSoftmaxBackward, gemv, lstmForward, lstmBackward and gruForward, the float64
 * probe in tanh, dot, sumOfSquares, softmax, logSoftmaxBackward, gemv, lstmForward, lstmBackward and gruForward.
 */
class PanamaTierIndependenceTest {

  /** Runs before the recorded one in the C2 JVM: well past C2's compile thresholds (10000 calls or loop trips). */
  private static final int WARM_UP = 20_000;

  @Test
  void float64KernelsGiveTheSameBitsOnC1AndC2() throws Exception {
    compare(PanamaDoubleTierProbe.class);
  }

  @Test
  void float32KernelsGiveTheSameBitsOnC1AndC2() throws Exception {
    compare(PanamaFloatTierProbe.class);
  }

  private static void compare(Class<?> probe) throws Exception {
    List<String> c1 = fork(probe, 0, "-XX:TieredStopAtLevel=1");
    List<String> c2 = fork(probe, WARM_UP, "-XX:-TieredCompilation", "-Xbatch");
    assertEquals(c1.size(), c2.size(), "lines");
    List<String> differing = new ArrayList<>();
    for (int i = 0; i < c1.size(); i++) {
      if (!c1.get(i).equals(c2.get(i))) {
        differing.add(c1.get(i).substring(0, c1.get(i).indexOf(':')));
      }
    }
    assertEquals(List.of(), differing, "kernels whose bits differ between C1 (fallback) and C2 (intrinsics), "
        + probe.getSimpleName());
  }

  private static List<String> fork(Class<?> probe, int warmUp, String... jitOptions)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElseThrow());
    cmd.add("--add-modules=jdk.incubator.vector");
    String bits = System.getProperty("rnn4j.simd.bits");
    if (bits != null && !bits.isEmpty()) {
      cmd.add("-Drnn4j.simd.bits=" + bits);
    }
    cmd.addAll(List.of(jitOptions));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(probe.getName());
    cmd.add(Integer.toString(warmUp));
    Path err = Files.createTempFile("tier-probe", ".err");
    try {
      Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
      byte[] stdout = p.getInputStream().readAllBytes();
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError("probe timed out: " + cmd);
      }
      assertEquals(0, p.exitValue(), () -> "probe failed: " + cmd + "\n" + readQuietly(err));
      return new String(stdout, StandardCharsets.UTF_8).lines().toList();
    } finally {
      Files.deleteIfExists(err);
    }
  }

  private static String readQuietly(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      return "(stderr unreadable: " + e + ")";
    }
  }
}
