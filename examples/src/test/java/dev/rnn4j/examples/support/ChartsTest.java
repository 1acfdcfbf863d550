package dev.rnn4j.examples.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {

  @Test
  void centredMovingAverageByHand() {
    // h = 1: windows [0], [0..2], [1..3], [2..4], [4] (shrinking symmetrically at the ends).
    assertArrayEquals(new double[] {1, 3, 4, 5, 5},
        Charts.centredMovingAverage(new double[] {1, 2, 6, 4, 5}, 1), 1e-15);
    assertArrayEquals(new double[] {1, 2, 6}, Charts.centredMovingAverage(new double[] {1, 2, 6}, 0), 0);
    assertArrayEquals(new double[] {}, Charts.centredMovingAverage(new double[] {}, 3), 0);
    assertThrows(IllegalArgumentException.class, () -> Charts.centredMovingAverage(new double[] {1}, -1));
  }

  @Test
  void aFallingLineIsReturnedUnchangedWhereATrailingAverageLagsAboveIt() {
    int n = 200;
    double[] ramp = new double[n];
    for (int i = 0; i < n; i++) {
      ramp[i] = 5 - 0.01 * i;
    }
    double[] centred = Charts.centredMovingAverage(ramp, 12);
    for (int i = 0; i < n; i++) {
      // A symmetric window's mean of a line is the line at its centre; the prefix sums round at about 1e-13.
      assertEquals(ramp[i], centred[i], 1e-12, "i = " + i);
    }
    // The trailing 25-step mean of the same line sits 12 steps (0.12) above it: the lag the charts had.
    double trailing = 0;
    for (int j = 100 - 24; j <= 100; j++) {
      trailing += ramp[j] / 25;
    }
    assertEquals(ramp[100] + 0.12, trailing, 1e-12);
  }

  @Test
  void smoothingWindowIsAboutTwoPercentOfTheRun() {
    assertEquals(1, Charts.smoothingHalfWidth(10));
    assertEquals(5, Charts.smoothingHalfWidth(250));
    assertEquals(12, Charts.smoothingHalfWidth(600));
  }

  @Test
  void equallySpacedXGetsAnUpperEndOffTheGrid() {
    double[] steps = new double[250];
    for (int i = 0; i < steps.length; i++) {
      steps[i] = i + 1;
    }
    assertArrayEquals(new double[] {1, 250.5}, AxisScale.xRange(steps), 0);
    assertArrayEquals(new double[] {0, 3}, AxisScale.xRange(new double[] {3, 0, 1}), 0);
    assertArrayEquals(new double[] {7, 8}, AxisScale.xRange(new double[] {7}), 0);
    assertArrayEquals(new double[] {0, 1}, AxisScale.xRange(new double[] {}), 0);
    // Two series on one grid (forecast: truth and free run) are still one grid.
    assertArrayEquals(new double[] {2100, 2399.5}, AxisScale.xRange(concat(range(2100, 2400), range(2300, 2400))), 0);
  }

  @Test
  void wideLogRangesAreDrawnAsDecadesOnALinearAxis() {
    assertEquals(4, AxisScale.decades(0.17, 1000)); // 0.1 .. 1000
    assertTrue(AxisScale.libraryLogAxis(0.17, 1000));
    assertEquals(44, AxisScale.decades(1e-33, 5e10)); // 1e-33 .. 1e11
    assertFalse(AxisScale.libraryLogAxis(1e-33, 5e10));
    assertEquals("1", AxisScale.decadeLabel(0));
    assertEquals("100", AxisScale.decadeLabel(2));
    assertEquals("1000", AxisScale.decadeLabel(3));
    assertEquals("1e4", AxisScale.decadeLabel(4));
    assertEquals("0.1", AxisScale.decadeLabel(-1));
    assertEquals("0.01", AxisScale.decadeLabel(-2));
    assertEquals("1e-30", AxisScale.decadeLabel(-30));
    assertEquals("3.2", AxisScale.decadeLabel(0.5)); // 10^0.5 = 3.16
  }

  @Test
  void logChartsLeaveOutWhatALogAxisCannotShow(@TempDir Path dir) throws Exception {
    double[] x = {0, 1, 2, 3, 4};
    Path png = Charts.line(dir.resolve("norms.png"), "t", "d", "norm", true,
        List.of(new Charts.Series("vanishing", x, new double[] {1, 1e-10, 1e-20, 1e-40, 0}),
            new Charts.Series("exploding", x, new double[] {1, 1e3, 1e6, Double.NaN, 1e12})));
    byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(png), 4);
    assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, head);
  }

  private static double[] range(int from, int to) {
    double[] out = new double[to - from];
    for (int i = 0; i < out.length; i++) {
      out[i] = from + i;
    }
    return out;
  }

  private static double[] concat(double[] a, double[] b) {
    double[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
