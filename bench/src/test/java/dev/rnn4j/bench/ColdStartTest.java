package dev.rnn4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ColdStartTest {

  @Test
  void summaryOfAHandMadeRunOfCalls() {
    // 20 calls: slow start, a spike at call 15 (1.3x), steady 1.0 after; the last tenth is calls 19 and 20.
    double[] ms = {300, 80, 10, 3, 1.6, 1.4, 1, 1, 1, 1, 1, 1, 1, 1, 1.3, 1, 1, 1, 1, 1.02};
    double[] up = new double[ms.length];
    for (int i = 0; i < up.length; i++) {
      up[i] = 1000 + 10 * i;
    }
    ColdStart.Summary s = ColdStart.Summary.of(ms, up);
    assertEquals(1.0, s.median()); // last tenth {1, 1.02}: the lower middle
    assertEquals(1.0, s.min());
    assertEquals(1.02, s.p99());
    assertEquals(6, s.within15()); // call 5 (1.6 ms) is the last one over 1.5 ms
    assertEquals(1040, s.uptime15()); // uptime after call 5
    assertEquals(16, s.within12()); // call 15 (1.3 ms) is the last one over 1.2 ms
    assertEquals(1140, s.uptime12());
    assertTrue(s.toText().startsWith("call 1: 300.000 ms\ncall 2: 80.000 ms\ncall 10: 1.000 ms\n"), s.toText());
  }

  @Test
  void aShortRealRunPrintsTheSummary() {
    CommandLine cl = new CommandLine(new ColdStart());
    StringWriter out = new StringWriter();
    cl.setOut(new PrintWriter(out));
    assertEquals(0, cl.execute("--cell", "rnn", "--config", "stream", "--calls", "20"));
    assertTrue(out.toString().startsWith("RNN NoGrad forward, stream (B=1 T=100 I=64 H=128), kernels "), out.toString());
    assertTrue(out.toString().contains("every call within 1.2x the median from call "), out.toString());
  }

  @Test
  void aWarmedUpTrainingRunPrintsTheWarmUpFirst() {
    CommandLine cl = new CommandLine(new ColdStart());
    StringWriter out = new StringWriter();
    cl.setOut(new PrintWriter(out));
    assertEquals(0, cl.execute("--cell", "gru", "--config", "stream", "--calls", "20", "--pass", "train",
        "--warm-up", "inference,training", "--warm-up-budget-ms", "200"));
    String[] lines = out.toString().split("\n");
    assertTrue(lines[0].startsWith("GRU forward and backward, stream (B=1 T=100 I=64 H=128), kernels "), lines[0]);
    assertTrue(lines[1].matches("warm-up in \\d+ ms: inference: .*; training: .*; timed calls start at JVM uptime "
        + "\\d+ ms"), lines[1]);
    // stream's 100 steps against the default 4 of the short calls: both kinds ran
    assertTrue(lines[1].matches(".*inference: \\d+ calls \\(\\d+ short\\).*"), lines[1]);
    assertTrue(lines[2].matches("at the warm-up's end: calling thread CPU \\d+ ms; (CPU time: C2 compiler \\d+ ms, "
        + "C1 compiler \\d+ ms, GC \\d+ ms, process \\d+ ms|no per-thread CPU times .*); load average [-0-9.]+"),
        lines[2]);
    assertTrue(lines[3].startsWith("call 1: "), lines[3]);
  }

  @Test
  void outliersAreListedWithWhatElseHappenedDuringThem() {
    CommandLine cl = new CommandLine(new ColdStart());
    StringWriter out = new StringWriter();
    cl.setOut(new PrintWriter(out));
    // 30 cold calls of a small layer: the first calls run interpreted, so some exceed 1.5x the last tenth's median
    assertEquals(0, cl.execute("--cell", "rnn", "--config", "stream", "--calls", "30", "--outliers", "3"));
    String text = out.toString();
    assertTrue(text.contains("\nby this thread's CPU time: median "), text);
    assertTrue(text.matches("(?s).*\ncalls over 1\\.5x the median: \\d+; the last [1-3] .*"), text);
    assertTrue(text.matches("(?s).*\n  call \\d+: [0-9.]+ ms \\([0-9.]+x\\), JVM uptime \\d+-\\d+ ms, cpu [-0-9.]+ ms, "
        + "waited [-0-9.]+ ms \\([-0-9.]+ ms just before\\), steal -?\\d+, gc \\d+, jit -?\\d+ ms\n.*"), text);
  }

  @Test
  void badOptionsAreUsageErrorsNamingTheOption() {
    for (String[] args : new String[][] {{"--cell", "lsmt"}, {"--config", "huge"}, {"--calls", "5"},
        {"--pass", "backward"}, {"--warm-up", "inference,serving"}, {"--warm-up-short-steps", "-1"}}) {
      CommandLine cl = new CommandLine(new ColdStart());
      StringWriter err = new StringWriter();
      cl.setErr(new PrintWriter(err));
      assertEquals(2, cl.execute(args), String.join(" ", args));
      assertTrue(err.toString().startsWith(args[0]), String.join(" ", args) + ": " + err);
    }
  }

  @Test
  void threadCpuTimesAddUpToAtMostTheProcesssTotal() {
    ThreadGroupCpu cpu = ThreadGroupCpu.now();
    assumeTrue(cpu != null, "no /proc/self/task here");
    assertTrue(cpu.c1Nanos() >= 0 && cpu.c2Nanos() >= 0 && cpu.gcNanos() >= 0, cpu.toString());
    // the process's figure is the sum over the same readings (every thread alive then)
    assertTrue(cpu.c1Nanos() + cpu.c2Nanos() + cpu.gcNanos() <= cpu.processNanos(), cpu.toString());
    // the test framework's own code got hot long before this: C1 compiled some of it
    assertTrue(cpu.c1Nanos() > 0, cpu.toString());
  }
}
