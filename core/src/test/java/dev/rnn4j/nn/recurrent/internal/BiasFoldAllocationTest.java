package dev.rnn4j.nn.recurrent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rnn4j.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The bias folding that starts every forward pass and every streaming step allocates nothing, in every JIT tier.
 * It runs once per call, so it reaches C2's invocation threshold (600) hundreds of calls after the kernels that loop
 * over the sequence; written with the Vector API kernels, its C1 code boxed every vector (about 20 KiB per LSTM forward
 * at H = 256, JMH's GC profiler at the train configuration). A child JVM with C1 only (Vector API code there always
 * boxes) shows it deterministically.
 */
class BiasFoldAllocationTest {

  @Test
  void foldingTheBiasesAllocatesNothingInC1Code() throws IOException, InterruptedException {
    ProcessBuilder pb = ChildJvm.builder(BiasFoldMain.class);
    pb.command().add(1, "-XX:TieredStopAtLevel=1");
    Process child = pb.start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        lines.add(line);
      }
    }
    child.waitFor(60, TimeUnit.SECONDS);
    assertEquals("done", lines.isEmpty() ? "" : lines.get(lines.size() - 1), () -> String.join("\n", lines));
    List<String> allocating = new ArrayList<>();
    for (String line : lines.subList(0, lines.size() - 1)) {
      String[] f = line.split(" "); // KIND float32 N float64 M
      if (Long.parseLong(f[2]) != 0 || Long.parseLong(f[4]) != 0) {
        allocating.add(line);
      }
    }
    assertEquals(List.of(), allocating, "bytes per prepare, C1 only");
  }
}
