package dev.rnn4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ReportOptionsTest {

  private static Report parse(String... args) {
    Report r = new Report();
    new CommandLine(r).parseArgs(args);
    return r;
  }

  @Test
  void defaultsRunEverythingIntoBenchTarget() {
    Report r = parse();
    assertFalse(r.quick);
    assertEquals(List.of("dev\\.rnn4j\\.bench\\..*"), r.include);
    assertEquals(Path.of("bench/target/report"), r.out);
    assertFalse(r.keepGoing);
  }

  @Test
  void includesReplaceTheDefaultAndRepeat() {
    Report r = parse("--quick", "--include", "Gemm", "--include", "Maps", "-p", "size=1000,100000",
        "--out", "/tmp/x", "--keep-going", "--exclude", "Scalar");
    assertTrue(r.quick);
    assertEquals(List.of("Gemm", "Maps"), r.include);
    assertEquals(List.of("Scalar"), r.exclude);
    assertEquals(List.of("size=1000,100000"), r.params);
    assertEquals(Path.of("/tmp/x"), r.out);
    assertTrue(r.keepGoing);
  }

  @Test
  void thePeakRunBeforeAndAfterAndTheBetterCounts() {
    Measurement slow = new Measurement("b.PeakFmaBenchmark.fp32", java.util.Map.of(), 1, 100, 1, "ops/s", 0, 1);
    Measurement fast = new Measurement("b.PeakFmaBenchmark.fp32", java.util.Map.of(), 1, 200, 1, "ops/s", 0, 1);
    Measurement f64 = new Measurement("b.PeakFmaBenchmark.fp64", java.util.Map.of(), 1, 50, 1, "ops/s", 0, 1);
    assertEquals(List.of(fast, f64), Report.higherPeaks(List.of(slow, f64), List.of(fast)));
    assertEquals(List.of(fast, f64), Report.higherPeaks(List.of(fast, f64), List.of(slow)));
  }

  @Test
  void unknownOptionsAreRejected() {
    assertThrows(CommandLine.UnmatchedArgumentException.class, () -> parse("--fast"));
  }
}
