package dev.rnn4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.bench.PhaseProfile.Profile;
import dev.rnn4j.tensor.Parallelism;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** A short real profile: JFR samples a pass of the engine and the samples land in the engine's phases. */
class PhaseProfileTest {

  private final int threadsBefore = Parallelism.threads();

  @AfterEach
  void restoreThreads() {
    Parallelism.setThreads(threadsBefore);
  }

  @Test
  void samplesOfATrainingPassLandInTheEnginesPhases() throws IOException {
    PhaseProfile cmd = new PhaseProfile();
    new CommandLine(cmd).parseArgs("--cell", "gru", "--config", "stream", "--warmup", "0.3", "--seconds", "0.6",
        "--period", "1");
    Profile p = cmd.run();
    assertTrue(p.passes() > 0 && p.samples() > 0, () -> "no passes or no samples: " + p);
    int total = p.counts().values().stream().mapToInt(Integer::intValue).sum();
    assertEquals(p.samples(), total);
    boolean engine = p.counts().keySet().stream().anyMatch(a -> a.phase().equals(PhaseClassifier.RECURRENCE)
        || a.phase().equals(PhaseClassifier.BACKWARD_RECURRENCE));
    assertTrue(engine, () -> "no sample in the recurrence: " + p.counts());
    String text = p.toText();
    assertTrue(text.startsWith("GRU training pass, stream (B=1 T=100 I=64 H=128), engine, simd kernels, 1 thread\n"),
        text);
  }

  @Test
  void badOptionsAreUsageErrorsNamingTheOption() {
    for (String[] args : new String[][] {{"--cell", "lsmt"}, {"--config", "huge"}, {"--pass", "both"},
        {"--impl", "gpu"}, {"--threads", "0"}}) {
      CommandLine cl = new CommandLine(new PhaseProfile());
      StringWriter err = new StringWriter();
      cl.setErr(new PrintWriter(err));
      assertEquals(2, cl.execute(args), String.join(" ", args));
      assertTrue(err.toString().startsWith(args[0].replace("--threads", "--threads and --period")),
          String.join(" ", args) + ": " + err);
    }
  }

  @Test
  void flopsPerPhaseFollowTheCountingRulesOfPerformanceMd() {
    PhaseProfile cmd = new PhaseProfile();
    new CommandLine(cmd).parseArgs("--cell", "lstm", "--config", "train");
    Map<String, Double> f = cmd.flops(RecurrentConfig.TRAIN);
    double forward = 2.0 * 32 * 100 * (128 + 256) * 4 * 256; // F = 2 B T (I + H) G H
    assertEquals(forward, f.get(PhaseClassifier.INPUT_PROJECTION) + f.get(PhaseClassifier.RECURRENCE), 0);
    double all = f.values().stream().mapToDouble(Double::doubleValue).sum();
    assertEquals(3 * forward, all, 0); // forward + backward = 3F
    new CommandLine(cmd).parseArgs("--cell", "rnn", "--config", "train", "--pass", "forward");
    f = cmd.flops(RecurrentConfig.TRAIN);
    assertEquals(2.0 * 32 * 100 * (128 + 256) * 256, f.values().stream().mapToDouble(Double::doubleValue).sum(), 0);
  }
}
