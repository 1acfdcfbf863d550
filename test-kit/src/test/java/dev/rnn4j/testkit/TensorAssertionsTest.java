package dev.rnn4j.testkit;

import static dev.rnn4j.testkit.TensorAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** Known answers for every message of the tensor assertions, and the tolerance rule at its edges. */
class TensorAssertionsTest {

  private static String failure(Runnable r) {
    return assertThrows(AssertionFailedError.class, r::run).getMessage();
  }

  @Test
  void reportsCountAndGreatestDifferencesWithTheirIndices() {
    double[] e = new double[12];
    java.util.Arrays.fill(e, 1.0);
    e[8] = 0.01;                          // [2, 0]
    double[] a = e.clone();
    a[1] = 1.001;                         // [0, 1]: |d| 0.001
    a[6] = 1.012;                         // [1, 2]: |d| 0.012, the greatest absolute difference
    a[8] = 0.0105;                        // [2, 0]: |d| 0.0005, relative 0.05, the greatest relative difference
    a[11] = 0.997;                        // [2, 3]
    String m = failure(() -> assertClose(Tensor.fromArray(a, 3, 4), Tensor.fromArray(e, 3, 4)));
    assertEquals("Tensors are not close! Mismatched elements: 4 / 12 (33.3%); greatest absolute difference 0.012 at "
        + "index [1, 2] (allowed 1e-07); greatest relative difference 0.05 at index [2, 0] (allowed 1e-07)", m);
  }

  @Test
  void namesShapeAndDtypeMismatches() {
    assertEquals("Tensors are not close! shapes differ: actual [2, 3], expected [3, 2]",
        failure(() -> assertClose(Tensor.zeros(dev.rnn4j.tensor.DType.FLOAT32, 2, 3),
            Tensor.zeros(dev.rnn4j.tensor.DType.FLOAT32, 3, 2))));
    assertEquals("Tensors are not close! dtypes differ: actual float32, expected float64 (compare across dtypes "
            + "with checkDtype(false))",
        failure(() -> assertClose(Tensor.fromArray(new float[] {1}, 1), Tensor.fromArray(new double[] {1}, 1))));
  }

  @Test
  void float32DefaultsArePyTorchs() {
    // allowed at 1: atol 1e-5 + rtol 1.3e-6 * 1 = 1.13e-5; 2^-17 = 7.6e-6 is within, 2^-16 = 1.53e-5 is not
    Tensor one = Tensor.fromArray(new float[] {1}, 1);
    assertClose(Tensor.fromArray(new float[] {1 + 0x1p-17f}, 1), one);
    assertEquals("Tensors are not close! Mismatched elements: 1 / 1 (100.0%); greatest absolute difference "
            + "1.526e-05 at index [0] (allowed 1e-05); greatest relative difference 1.526e-05 at index [0] "
            + "(allowed 1.3e-06)",
        failure(() -> assertClose(Tensor.fromArray(new float[] {1 + 0x1p-16f}, 1), one)));
  }

  @Test
  void float64DefaultsArePyTorchs() {
    // allowed at 1: 1e-7 + 1e-7 = 2e-7; 2^-23 = 1.19e-7 within, 2^-22 = 2.38e-7 not
    Tensor one = Tensor.fromArray(new double[] {1}, 1);
    assertClose(Tensor.fromArray(new double[] {1 + 0x1p-23}, 1), one);
    failure(() -> assertClose(Tensor.fromArray(new double[] {1 + 0x1p-22}, 1), one));
  }

  @Test
  void overridesReplaceTheDefaults() {
    Tensor e = Tensor.fromArray(new double[] {100, 0}, 2);
    Tensor a = Tensor.fromArray(new double[] {105, 0.5}, 2);
    // 105 vs 100: 5 <= 0.5 + 0.05 * 100 = 5.5; 0.5 vs 0: 0.5 <= 0.5
    TensorAssertions.closeness().rtol(0.05).atol(0.5).assertClose(a, e);
    assertEquals("scores: Tensors are not close! Mismatched elements: 1 / 2 (50.0%); greatest absolute difference 5 "
            + "at index [0] (allowed 0.5); greatest relative difference inf at index [1] (allowed 0.04)",
        failure(() -> TensorAssertions.closeness().rtol(0.04).atol(0.5).assertClose(a, e, "scores")));
  }

  @Test
  void nanEqualsNanOnlyWhenAskedAndNeverANumber() {
    Tensor nan = Tensor.fromArray(new double[] {Double.NaN, 1}, 2);
    assertEquals("Tensors are not close! Mismatched elements: 1 / 2 (50.0%); greatest absolute difference nan at "
            + "index [0] (allowed 1e-07); greatest relative difference nan at index [0] (allowed 1e-07)",
        failure(() -> assertClose(nan, nan)));
    TensorAssertions.closeness().equalNan(true).assertClose(nan, nan);
    Tensor number = Tensor.fromArray(new double[] {0, 1}, 2);
    failure(() -> TensorAssertions.closeness().equalNan(true).assertClose(nan, number));
    failure(() -> TensorAssertions.closeness().equalNan(true).assertClose(number, nan));
  }

  @Test
  void equalInfinitiesAreCloseButNotOpposite() {
    Tensor inf = Tensor.fromArray(new double[] {Double.POSITIVE_INFINITY}, 1);
    assertClose(inf, inf);
    failure(() -> assertClose(Tensor.fromArray(new double[] {Double.NEGATIVE_INFINITY}, 1), inf));
    failure(() -> assertClose(Tensor.fromArray(new double[] {1e308}, 1), inf));
  }

  @Test
  void acrossDtypesUsesTheLessPreciseDefaults() {
    Tensor f32 = Tensor.fromArray(new float[] {1 + 0x1p-17f}, 1);
    Tensor f64 = Tensor.fromArray(new double[] {1}, 1);
    TensorAssertions.closeness().checkDtype(false).assertClose(f32, f64); // 7.6e-6 within float32's 1.13e-5
  }

  @Test
  void badArgumentsAreUsageErrors() {
    Tensor t = Tensor.fromArray(new double[] {1}, 1);
    assertEquals("assertClose: actual tensor is null",
        assertThrows(IllegalArgumentException.class, () -> assertClose(null, t)).getMessage());
    assertEquals("Closeness: rtol must be finite and >= 0, got -1.0",
        assertThrows(IllegalArgumentException.class, () -> TensorAssertions.closeness().rtol(-1)).getMessage());
    assertEquals("Closeness: atol must be finite and >= 0, got NaN",
        assertThrows(IllegalArgumentException.class, () -> TensorAssertions.closeness().atol(Double.NaN))
            .getMessage());
  }

  @Test
  void numbersAreShortAndStable() {
    assertEquals("1e-05", Numbers.format(1e-5));
    assertEquals("1.3e-06", Numbers.format(1.3e-6));
    assertEquals("0.012", Numbers.format(0.012000000476837158));
    assertEquals("123500", Numbers.format(123456.0));
    assertEquals("2.5e+07", Numbers.format(2.5e7));
    assertEquals("-0.5", Numbers.format(-0.5));
    assertEquals("25.0%", Numbers.percent(3, 12));
    assertEquals("[1, 2]", Numbers.index(6, new int[] {3, 4}));
  }
}
