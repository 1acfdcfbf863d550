package dev.rnn4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;

/** The catalog against the benchmarks the annotation processor actually generated. */
class WorkloadsTest {

  private static List<BenchmarkListEntry> generated() throws IOException {
    try (InputStream in = WorkloadsTest.class.getResourceAsStream(BenchmarkList.BENCHMARK_LIST)) {
      assertNotNull(in, "META-INF/BenchmarkList missing: the JMH annotation processor did not run");
      return BenchmarkList.readBenchmarkList(in);
    }
  }

  /** Every combination of a benchmark's default parameter values. */
  private static List<Map<String, String>> combinations(BenchmarkListEntry e) {
    List<Map<String, String>> out = new ArrayList<>();
    out.add(new LinkedHashMap<>());
    if (e.getParams().hasValue()) {
      for (Map.Entry<String, String[]> p : e.getParams().get().entrySet()) {
        List<Map<String, String>> next = new ArrayList<>();
        for (Map<String, String> partial : out) {
          for (String v : p.getValue()) {
            Map<String, String> m = new LinkedHashMap<>(partial);
            m.put(p.getKey(), v);
            next.add(m);
          }
        }
        out = next;
      }
    }
    return out;
  }

  @Test
  void everyGeneratedBenchmarkIsCountedAtEveryDefaultParameter() throws IOException {
    List<BenchmarkListEntry> entries = generated();
    assertFalse(entries.isEmpty());
    Set<String> names = new TreeSet<>();
    for (BenchmarkListEntry e : entries) {
      names.add(Workloads.simpleName(e.getUsername()));
      for (Map<String, String> params : combinations(e)) {
        Workload w = Workloads.describe(Workloads.ALL, e.getUsername(), params);
        assertTrue(w.flopsPerOp() > 0 || w.elementsPerOp() > 0,
            e.getUsername() + " " + params + " has no work count: add a line to Workloads.ALL");
        assertFalse(w.name().contains("impl"), w.name());
      }
    }
    assertTrue(names.containsAll(Set.of("PeakFmaBenchmark.fp32", "PeakFmaBenchmark.fp64", "GemmBenchmark.sgemm",
        "GemmScalarBenchmark.sgemm", "GemvBenchmark.sgemv", "MapsBenchmark.softmax")), names.toString());
  }

  /**
   * Throughput everywhere, except the latency benchmarks (class name ending in {@code LatencyBenchmark}), whose
   * purpose is the spread of single calls: sample-time mode (the report reads its median like a time per operation).
   */
  @Test
  void everyBenchmarkForksWithTheVectorModuleInThroughputMode() throws IOException {
    for (BenchmarkListEntry e : generated()) {
      boolean latency = Workloads.simpleName(e.getUsername()).contains("LatencyBenchmark.");
      assertEquals(latency ? Mode.SampleTime : Mode.Throughput, e.getMode(), e.getUsername());
      assertTrue(e.getJvmArgsAppend().hasValue()
          && e.getJvmArgsAppend().get().contains("--add-modules=jdk.incubator.vector"), e.getUsername());
    }
  }

  @Test
  void scalarAndSimdGemmRowsShareAWorkloadName() {
    Map<String, String> scalar = Map.of("impl", "scalar", "shape", "256x256x256");
    Map<String, String> simd = Map.of("impl", "simd", "shape", "256x256x256");
    assertEquals(
        Workloads.describe(Workloads.ALL, "dev.rnn4j.bench.GemmScalarBenchmark.sgemm", scalar).name(),
        Workloads.describe(Workloads.ALL, "dev.rnn4j.bench.GemmBenchmark.sgemm", simd).name());
  }

  @Test
  void peakFlopsFollowTheSpecies() {
    // 2 FLOPs * lanes * 12 accumulators * 1024 iterations; a 512-bit float vector has 16 lanes, a double one 8.
    int floatLanes = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
    assertEquals(2.0 * floatLanes * 12 * 1024, PeakFmaBenchmark.flopsPerOpF32());
    assertEquals(PeakFmaBenchmark.flopsPerOpF32() / 2, PeakFmaBenchmark.flopsPerOpF64());
  }

  @Test
  void softmaxAndGemvNames() {
    assertEquals("softmax 1000x100",
        Workloads.describe(Workloads.ALL, "x.MapsBenchmark.softmax", Map.of("impl", "simd", "size", "100000")).name());
    Workload gemv = Workloads.describe(Workloads.ALL, "x.GemvBenchmark.sgemv", Map.of("shape", "128x192"));
    assertEquals(2.0 * 128 * 192, gemv.flopsPerOp());
  }

  @Test
  void theQuantizedStepIsCountedAtTheSizeGiven() {
    // 2 * 4H (I + H) per step: 12,582,912 at 512x1024, 196,608 at 64x128
    Workload big = Workloads.describe(Workloads.ALL, "x.QuantizedStepBenchmark.lstmStep", Map.of("format", "int8"));
    assertEquals("LSTM step B=1 I=512 H=1024, int8 weights", big.name());
    assertEquals(12_582_912.0, big.flopsPerOp());
    Workload small = Workloads.describe(Workloads.ALL, "x.QuantizedStepBenchmark.lstmStep",
        Map.of("format", "bfloat16", "size", "64x128"));
    assertEquals("LSTM step B=1 I=64 H=128, bfloat16 weights", small.name());
    assertEquals(196_608.0, small.flopsPerOp());
    for (String bad : new String[] {"64", "64x", "x128", "0x128", "64x-1", "axb", "64x128x2"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> QuantizedStepBenchmark.sizes(bad), bad);
      assertTrue(e.getMessage().contains("size '" + bad + "'"), e.getMessage());
    }
  }

  @Test
  void simpleName() {
    assertEquals("GemmBenchmark.sgemm", Workloads.simpleName("dev.rnn4j.bench.GemmBenchmark.sgemm"));
    assertEquals("C.m", Workloads.simpleName("C.m"));
  }
}
