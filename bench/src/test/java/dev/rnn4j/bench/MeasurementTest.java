package dev.rnn4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MeasurementTest {

  private static Measurement m(double score, String unit, int threads) {
    return new Measurement("p.C.m", Map.of(), threads, score, Double.NaN, unit, Double.NaN, 1);
  }

  @Test
  void throughputBecomesTimePerOperation() {
    assertEquals(1e-3, m(1000, "ops/s", 1).secondsPerOp(), 1e-18);
    // 4 ops/ms = 4000 ops/s -> 250 us
    assertEquals(250e-6, m(4, "ops/ms", 1).secondsPerOp(), 1e-18);
    // Two threads together doing 1000 ops/s: each operation takes 2 ms.
    assertEquals(2e-3, m(1000, "ops/s", 2).secondsPerOp(), 1e-18);
  }

  @Test
  void timeScoresAreConverted() {
    assertEquals(3e-6, m(3, "us/op", 1).secondsPerOp(), 1e-18);
    assertEquals(3e-6, m(3000, "ns/op", 1).secondsPerOp(), 1e-18);
    assertEquals(2.5, m(2.5, "s/op", 1).secondsPerOp(), 0);
  }

  @Test
  void unknownUnitsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> m(1, "furlongs", 1).secondsPerOp());
  }

  @Test
  void slowestIterationRelativeToTheMedian() {
    // Throughput: iterations of 34, 13352 and 44152 ops/s; median 13352, slowest 34: 13352 / 34 = 392.7 times.
    assertEquals(13352.0 / 34, Measurement.slowestToMedian(13352, 34, 44152, "ops/s"), 1e-9);
    // Time per operation: the largest time is the slowest: 9 us against a median of 3 us.
    assertEquals(3, Measurement.slowestToMedian(3, 2, 9, "us/op"), 0);
  }

  @Test
  void relativeError() {
    Measurement x = new Measurement("p.C.m", Map.of(), 1, 200, 10, "ops/s", 0, 1);
    assertEquals(0.05, x.relativeError(), 1e-15);
  }
}
