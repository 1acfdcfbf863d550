package dev.rnn4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTableTest {

  // A catalog with round numbers, so every expected figure below is simple arithmetic.
  private static final List<Workloads.Spec> SPECS = List.of(
      new Workloads.Spec("PeakFmaBenchmark.fp32", p -> Workload.peak("FMA peak f32", Precision.F32, 1e6)),
      Workloads.gemm("GemmBenchmark.sgemm", "sgemm", Precision.F32),
      Workloads.gemm("GemmScalarBenchmark.sgemm", "sgemm", Precision.F32),
      Workloads.map("MapsBenchmark.relu"));

  private static Measurement m(String benchmark, double opsPerSecond, double alloc, String... kv) {
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      params.put(kv[i], kv[i + 1]);
    }
    return new Measurement("dev.rnn4j.bench." + benchmark, params, 1, opsPerSecond, opsPerSecond / 10, "ops/s",
        alloc, 1);
  }

  private static ReportTable table() {
    return ReportTable.build(List.of(
        m("GemmBenchmark.sgemm", 50_000, 0, "impl", "simd", "shape", "64x64x64"),
        m("GemmBenchmark.sgemm", 100, 16, "impl", "simd", "shape", "512x512x512"),
        m("GemmScalarBenchmark.sgemm", 1_000, 0, "impl", "scalar", "shape", "64x64x64"),
        m("MapsBenchmark.relu", 2e6, Double.NaN, "impl", "scalar", "size", "1000"),
        m("Unknown.bench", 10, 0, "impl", "simd", "k", "v"),
        m("PeakFmaBenchmark.fp32", 1e5, 0)), SPECS);
  }

  private static ReportRow row(ReportTable t, String workload, String impl) {
    return t.rows().stream()
        .filter(r -> r.workload().name().equals(workload) && r.implementation().equals(impl))
        .findFirst().orElseThrow();
  }

  @Test
  void peakComesFromTheRunItself() {
    // 1e5 ops/s * 1e6 FLOP/op = 1e11 FLOP/s
    assertEquals(1e11, table().peakFlopsPerSecond().get(Precision.F32), 1);
  }

  @Test
  void ratesFractionsAndRatio() {
    ReportTable t = table();
    ReportRow simd = row(t, "sgemm 64x64x64", "simd");
    // 2 * 64^3 = 524,288 FLOP/op; * 50,000 ops/s = 26.2144 GFLOP/s = 0.262144 of 100 GFLOP/s
    assertEquals(26.2144, simd.gflops(), 1e-9);
    assertEquals(0.262144, simd.fractionOfPeak(), 1e-12);
    assertEquals(20e-6, simd.secondsPerOp(), 1e-15);
    // scalar 1 ms / simd 20 us = 50x, shown on the SIMD row only
    assertEquals(50, simd.scalarOverSimd(), 1e-9);
    assertTrue(Double.isNaN(row(t, "sgemm 64x64x64", "scalar").scalarOverSimd()));
    assertTrue(Double.isNaN(row(t, "sgemm 512x512x512", "simd").scalarOverSimd()));
    assertEquals(16, row(t, "sgemm 512x512x512", "simd").bytesPerOp());
    assertEquals(0.1, simd.relativeError(), 1e-12);
  }

  @Test
  void elementWorkloadsHaveNoFlopsAndUnknownOnesAreStillListed() {
    ReportTable t = table();
    ReportRow relu = row(t, "relu n=1000", "scalar");
    // 1000 elements * 2e6 ops/s = 2e9 elements/s
    assertEquals(2.0, relu.gelems(), 1e-12);
    assertTrue(Double.isNaN(relu.gflops()));
    assertTrue(Double.isNaN(relu.fractionOfPeak()));
    assertTrue(Double.isNaN(relu.bytesPerOp()));
    ReportRow unknown = row(t, "Unknown.bench k=v", "simd");
    assertEquals(0.1, unknown.secondsPerOp(), 1e-15);
    assertTrue(Double.isNaN(unknown.gflops()));
  }

  @Test
  void peakFirstThenFirstSeenOrderWithScalarBeforeSimd() {
    List<String> order = table().rows().stream().map(r -> r.workload().name() + "/" + r.implementation()).toList();
    assertEquals(List.of("FMA peak f32/vector-api", "sgemm 64x64x64/scalar", "sgemm 64x64x64/simd",
        "sgemm 512x512x512/simd", "relu n=1000/scalar", "Unknown.bench k=v/simd"), order);
  }

  @Test
  void textHasOneLinePerRowUnderAHeader() {
    String[] lines = table().toText().split("\n");
    assertEquals(2 + 6, lines.length);
    assertTrue(lines[0].startsWith("workload"), lines[0]);
    assertTrue(lines[3].contains("1.000 ms"), lines[3]);
    assertTrue(lines[4].contains("50.0x") && lines[4].contains("26.21") && lines[4].contains("26.2%"), lines[4]);
  }

  @Test
  void markdownHasTheSameCellsAsText() {
    String[] lines = table().toMarkdown().split("\n");
    assertEquals(2 + 6, lines.length);
    assertTrue(lines[0].startsWith("| workload | impl | threads | time/op |"), lines[0]);
    assertTrue(lines[1].startsWith("|---|---|---:|"), lines[1]);
    assertTrue(lines[4].startsWith("| sgemm 64x64x64 | simd | 1 | 20.00 us |") && lines[4].endsWith("| 50.0x |  |"),
        lines[4]);
  }

  @Test
  void doubtfulFiguresAreMarkedAndExplained() {
    ReportTable t = ReportTable.build(List.of(
        m("PeakFmaBenchmark.fp32", 1e3, 0),
        // 2e9 FLOP/s against a peak of 1e9: impossible, the peak was disturbed.
        m("GemmBenchmark.sgemm", 50_000, 0, "impl", "simd", "shape", "64x64x64"),
        // 64 KiB per operation at 1000 ops/s = 65.5 MB/s: boxed vectors, not a compiled kernel.
        m("MapsBenchmark.relu", 1000, 65_536, "impl", "simd", "size", "1000"),
        // 2 KiB per operation at 10 ops/s = 20 KB/s: JMH's own bookkeeping, not marked.
        m("MapsBenchmark.relu", 10, 2048, "impl", "scalar", "size", "1000")), SPECS);
    assertEquals("p", row(t, "sgemm 64x64x64", "simd").notes());
    assertEquals("a", row(t, "relu n=1000", "simd").notes());
    assertEquals("", row(t, "relu n=1000", "scalar").notes());
    assertEquals("", row(t, "FMA peak f32", "vector-api").notes());
    assertTrue(t.footnotes().contains("\na: allocates") && t.footnotes().contains("\np: faster than"), t.footnotes());
    assertEquals("", table().footnotes());
  }

  @Test
  void anIterationFarSlowerThanTheMedianIsMarked() {
    Measurement warm = new Measurement("b.MapsBenchmark.relu", Map.of("impl", "simd", "size", "1000"), 1, 1e6, 1,
        "ops/s", 0, 4.9);
    Measurement cold = new Measurement("b.MapsBenchmark.relu", Map.of("impl", "scalar", "size", "1000"), 1, 1e5, 1,
        "ops/s", 0, 5.1);
    ReportTable t = ReportTable.build(List.of(warm, cold), SPECS);
    assertEquals("", row(t, "relu n=1000", "simd").notes());
    assertEquals("w", row(t, "relu n=1000", "scalar").notes());
    assertTrue(t.footnotes().contains("\nw: at least one"), t.footnotes());
  }

  @Test
  void csvKeepsFullPrecisionAndQuotes() {
    String[] lines = table().toCsv().split("\n");
    assertEquals(ReportTable.CSV_HEADER, lines[0]);
    assertEquals(1 + 6, lines.length);
    String simd = lines[3];
    assertTrue(simd.startsWith("sgemm 64x64x64,simd,1,2.0E-5,"), simd);
    assertTrue(simd.contains(",50.0,524288.0,,f32,"), simd);
    assertEquals("\"a,b\"", ReportTable.csv("a,b"));
    assertEquals("\"say \"\"hi\"\"\"", ReportTable.csv("say \"hi\""));
  }

  @Test
  void timeFormatting() {
    assertEquals("812.4 us", ReportTable.formatTime(812.4e-6));
    assertEquals("3.210 ms", ReportTable.formatTime(3.21e-3));
    assertEquals("12.00 s", ReportTable.formatTime(12));
    assertEquals("45.00 ns", ReportTable.formatTime(45e-9));
  }
}
