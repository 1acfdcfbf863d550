package dev.rnn4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportChartTest {

  @BeforeAll
  static void headless() {
    System.setProperty("java.awt.headless", "true");
  }

  @Test
  void writesReadablePngs(@TempDir Path dir) throws IOException {
    List<Workloads.Spec> specs = List.of(
        new Workloads.Spec("PeakFmaBenchmark.fp32", p -> Workload.peak("FMA peak f32", Precision.F32, 1e6)),
        Workloads.gemm("GemmBenchmark.sgemm", "sgemm", Precision.F32),
        Workloads.map("MapsBenchmark.relu"));
    ReportTable table = ReportTable.build(List.of(
        new Measurement("b.PeakFmaBenchmark.fp32", Map.of(), 1, 1e5, 1, "ops/s", 0, 1),
        new Measurement("b.GemmBenchmark.sgemm", Map.of("impl", "simd", "shape", "64x64x64"), 1, 5e4, 1, "ops/s", 0, 1),
        new Measurement("b.GemmBenchmark.sgemm", Map.of("impl", "scalar", "shape", "64x64x64"), 1, 1e3, 1, "ops/s",
            0, 1),
        // measured for SIMD only: the scalar series has no bar there
        new Measurement("b.GemmBenchmark.sgemm", Map.of("impl", "simd", "shape", "512x512x512"), 1, 1e2, 1, "ops/s",
            0, 1),
        new Measurement("b.MapsBenchmark.relu", Map.of("impl", "simd", "size", "1000"), 1, 1e6, 1, "ops/s", 0, 1)),
        specs);
    List<Path> files = ReportChart.write(table, dir, "test");
    assertEquals(List.of(dir.resolve("flops.png"), dir.resolve("elements.png")), files);
    for (Path f : files) {
      BufferedImage img = ImageIO.read(f.toFile());
      assertNotNull(img, f + " is not a readable image");
      assertTrue(img.getWidth() >= 1000 && img.getHeight() == 650, img.getWidth() + "x" + img.getHeight());
    }
  }
}
