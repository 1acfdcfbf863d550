package dev.rnn4j.nn.recurrent;

import static dev.rnn4j.nn.recurrent.GradientClippingTest.withGrad;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link GradientClipping#clipByNorm} with NaN and infinite gradients, under each {@link NonFiniteNorm}. */
class NonFiniteNormTest {

  /** a: finite and large (it would be clipped), b: NaN at index 2, c: -Infinity at index 0. */
  private static Map<String, Tensor> params(DType dt) {
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("a", withGrad(dt, 30, -40));
    m.put("b", withGrad(dt, 1, 2, Double.NaN, 3));
    m.put("c", withGrad(dt, Double.NEGATIVE_INFINITY, 1));
    return m;
  }

  private static double[][] grads(Map<String, Tensor> m) {
    return m.values().stream().map(p -> p.grad().toDoubleArray()).toArray(double[][]::new);
  }

  @Test
  void throwNamesTheParameterIndexAndValueAndChangesNothing() {
    for (DType dt : DType.values()) {
      Map<String, Tensor> m = params(dt);
      double[][] before = grads(m);
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> GradientClipping.clipByNorm(m, 1.0, NonFiniteNorm.THROW));
      assertTrue(e.getMessage().startsWith("clipByNorm: the gradient of b [4] "), e.getMessage());
      assertTrue(e.getMessage().contains("non-finite value NaN at index 2"), e.getMessage());
      assertTrue(Arrays.deepEquals(before, grads(m)), "no gradient changed");
      // a list has no names: the position stands in
      IllegalStateException l = assertThrows(IllegalStateException.class,
          () -> GradientClipping.clipByNorm(List.of(m.get("a"), m.get("c")), 1.0, NonFiniteNorm.THROW));
      assertTrue(l.getMessage().contains("parameter #1") && l.getMessage().contains("-Infinity at index 0"),
          l.getMessage());
    }
  }

  @Test
  void throwNamesAModulesParameter() {
    LSTM lstm = new LSTM(new RecurrentOptions(2, 3));
    lstm.forward(Tensor.ones(DType.FLOAT32, 2, 1, 2)).output().sum().backward();
    lstm.namedParameters().get("weight_hh_l0").grad().setFlat(5, Float.POSITIVE_INFINITY);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> GradientClipping.clipByNorm(lstm.namedParameters(), 1.0, NonFiniteNorm.THROW));
    assertTrue(e.getMessage().contains("weight_hh_l0 [12, 3]") && e.getMessage().contains("Infinity at index 5"),
        e.getMessage());
  }

  @Test
  void skipLeavesEveryGradientAndReportsTheFirstNonFiniteElement() {
    for (DType dt : DType.values()) {
      Map<String, Tensor> m = params(dt);
      double[][] before = grads(m);
      ClipResult r = GradientClipping.clipByNorm(m, 1.0, NonFiniteNorm.SKIP);
      assertTrue(Double.isNaN(r.norm()), "a NaN element makes the norm NaN");
      assertFalse(r.finite());
      assertFalse(r.clipped());
      assertEquals(1, r.scale());
      assertEquals("b", r.nonFinite().parameter());
      assertEquals(2, r.nonFinite().index());
      assertTrue(Double.isNaN(r.nonFinite().value()));
      assertTrue(Arrays.deepEquals(before, grads(m)), "no gradient changed, not even the finite, large one");

      m.remove("b"); // only -Infinity left: the norm is +Infinity
      ClipResult inf = GradientClipping.clipByNorm(m, 1.0, NonFiniteNorm.SKIP);
      assertEquals(Double.POSITIVE_INFINITY, inf.norm());
      assertEquals("c[0] = -Infinity", inf.nonFinite().toString());
    }
  }

  /** The two-argument method is SKIP: it returns the non-finite norm and scales nothing (its documented default). */
  @Test
  void twoArgumentMethodSkips() {
    Map<String, Tensor> m = params(DType.FLOAT32);
    double[][] before = grads(m);
    assertTrue(Double.isNaN(GradientClipping.clipByNorm(List.copyOf(m.values()), 1.0)));
    assertTrue(Arrays.deepEquals(before, grads(m)));
  }

  @Test
  void zeroClearsEveryGradient() {
    for (DType dt : DType.values()) {
      Map<String, Tensor> m = params(dt);
      Tensor noGrad = Tensor.zeros(dt, 3).requiresGrad(true); // no backward reached it: skipped, stays null
      m.put("d", noGrad);
      ClipResult r = GradientClipping.clipByNorm(m, 1.0, NonFiniteNorm.ZERO);
      assertTrue(Double.isNaN(r.norm()));
      assertFalse(r.finite());
      assertEquals(0, r.scale());
      assertEquals("b", r.nonFinite().parameter());
      assertArrayEquals(new double[2], m.get("a").grad().toDoubleArray(), 0, "the finite parameter too");
      assertArrayEquals(new double[4], m.get("b").grad().toDoubleArray(), 0, "NaN is overwritten, not scaled");
      assertArrayEquals(new double[2], m.get("c").grad().toDoubleArray(), 0);
      assertNull(noGrad.grad());
    }
  }

  /** Finite gradients are never subject to the policy, however large: THROW clips them like the others. */
  @Test
  void finiteGradientsClipUnderEveryPolicy() {
    for (NonFiniteNorm policy : NonFiniteNorm.values()) {
      Tensor p = withGrad(DType.FLOAT32, 3e19, -4e19);
      ClipResult r = GradientClipping.clipByNorm(Map.of("p", p), 1.0, policy);
      assertTrue(r.finite() && r.clipped(), policy + ": " + r);
      assertNull(r.nonFinite());
      // 5e19 with each stored element within u_f of 3e19, 4e19: the norm within 3 u_f (see GradientClippingTest)
      assertEquals(5e19, r.norm(), 5e19 * 3 * 0x1p-24);
      assertEquals(1 / (r.norm() + 1e-6), r.scale(), 0);
      Tensor small = withGrad(DType.FLOAT64, 0.3, 0.4);
      ClipResult s = GradientClipping.clipByNorm(Map.of("small", small), 1.0, policy);
      assertTrue(s.finite() && !s.clipped());
      assertEquals(1, s.scale());
    }
  }

  @Test
  void badArgumentsNameWhatIsWrong() {
    Tensor p = withGrad(DType.FLOAT32, 1);
    IllegalArgumentException a = assertThrows(IllegalArgumentException.class,
        () -> GradientClipping.clipByNorm(List.of(p), 1, null));
    assertTrue(a.getMessage().contains("policy is null"), a.getMessage());
    IllegalArgumentException b = assertThrows(IllegalArgumentException.class,
        () -> GradientClipping.clipByNorm((List<Tensor>) null, 1, NonFiniteNorm.SKIP));
    assertTrue(b.getMessage().contains("parameters is null"), b.getMessage());
    IllegalArgumentException c = assertThrows(IllegalArgumentException.class,
        () -> GradientClipping.clipByNorm(Arrays.asList(p, null), 1, NonFiniteNorm.SKIP));
    assertTrue(c.getMessage().contains("parameter #1 is null"), c.getMessage());
    Map<String, Tensor> withNull = new LinkedHashMap<>();
    withNull.put("w", null);
    IllegalArgumentException d = assertThrows(IllegalArgumentException.class,
        () -> GradientClipping.clipByNorm(withNull, 1, NonFiniteNorm.SKIP));
    assertTrue(d.getMessage().contains("w is null"), d.getMessage());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GradientClipping.clipByNorm(List.of(p), Double.NaN, NonFiniteNorm.SKIP));
    assertTrue(e.getMessage().contains("maxNorm must be > 0, got NaN"), e.getMessage());
  }
}
