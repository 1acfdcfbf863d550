package dev.rnn4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.kernels.Kernels;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TensorTest {

  @Test
  void creation() {
    Tensor z = Tensor.zeros(DType.FLOAT32, 2, 3);
    assertArrayEquals(new int[] {2, 3}, z.shape());
    assertEquals(6, z.numel());
    assertEquals(2, z.rank());
    assertEquals(3, z.size(-1));
    assertArrayEquals(new float[6], z.floatData());
    assertArrayEquals(new double[] {1, 1}, Tensor.ones(DType.FLOAT64, 2).toDoubleArray(), 0);
    assertArrayEquals(new float[] {2.5f, 2.5f, 2.5f}, Tensor.full(DType.FLOAT32, 2.5, 3).floatData());
    Tensor s = Tensor.scalar(DType.FLOAT64, 4);
    assertEquals(0, s.rank());
    assertEquals(4, s.item(), 0);
    float[] src = {1, 2, 3, 4};
    Tensor a = Tensor.fromArray(src, 2, 2);
    src[0] = 9; // fromArray copies
    assertEquals(1, a.get(0, 0), 0);
    assertEquals(3, a.get(1, 0), 0);
    Tensor w = Tensor.wrap(src, 1, 3); // wrap shares, from the offset
    assertEquals(1, w.offset());
    assertSame(src, w.floatData());
    src[1] = 7;
    assertEquals(7, w.get(0), 0);
    assertThrows(IllegalStateException.class, w::doubleData);
  }

  @Test
  void randomCreationIsDeterministicAndInRange() {
    Tensor u1 = Tensor.uniform(DType.FLOAT32, new SplittableRandom(42), -0.5, 0.5, 100);
    Tensor u2 = Tensor.uniform(DType.FLOAT32, new SplittableRandom(42), -0.5, 0.5, 100);
    assertArrayEquals(u1.floatData(), u2.floatData());
    for (float v : u1.floatData()) {
      assertTrue(v >= -0.5f && v <= 0.5f, "value " + v);
    }
    // The draws are the generator's nextDouble() in row-major order, scaled: low + (high - low) * r.
    SplittableRandom r = new SplittableRandom(3);
    Tensor u3 = Tensor.uniform(DType.FLOAT64, new SplittableRandom(3), 2, 6, 4);
    for (int i = 0; i < 4; i++) {
      assertEquals(2 + 4 * r.nextDouble(), u3.getFlat(i), 0);
    }
    Tensor n1 = Tensor.normal(DType.FLOAT64, new SplittableRandom(5), 1, 2, 3);
    SplittableRandom g = new SplittableRandom(5);
    for (int i = 0; i < 3; i++) {
      assertEquals(1 + 2 * g.nextGaussian(), n1.getFlat(i), 0);
    }
  }

  @Test
  void slicesAreViewsAndReshapeInfersMinusOne() {
    Tensor t = Tensor.fromArray(new double[] {0, 1, 2, 3, 4, 5}, 3, 2);
    Tensor rows = t.slice(1, 3);
    assertTrue(rows.sharesStorageWith(t));
    assertEquals(2, rows.offset());
    t.set(40, 2, 0);
    assertEquals(40, rows.get(1, 0), 0);
    Tensor r = t.reshape(-1, 3);
    assertArrayEquals(new int[] {2, 3}, r.shape());
    assertTrue(r.sharesStorageWith(t));
    Tensor row1 = t.select(1);
    assertArrayEquals(new int[] {2}, row1.shape());
    assertArrayEquals(new double[] {2, 3}, row1.toDoubleArray(), 0);
  }

  @Test
  void transposeOfThreeDimensionsMaterialises() {
    // [2, 3, 1] -> transpose(0, 1) -> [3, 2, 1]: out[i][j] = in[j][i]
    Tensor t = Tensor.fromArray(new double[] {0, 1, 2, 3, 4, 5}, 2, 3, 1);
    Tensor u = t.transpose(0, 1);
    assertArrayEquals(new int[] {3, 2, 1}, u.shape());
    assertArrayEquals(new double[] {0, 3, 1, 4, 2, 5}, u.toDoubleArray(), 0);
    assertFalse(u.sharesStorageWith(t));
  }

  @Test
  void dtypeConversion() {
    Tensor d = Tensor.fromArray(new double[] {0.1, 1e40}, 2);
    Tensor f = d.to(DType.FLOAT32);
    assertEquals(DType.FLOAT32, f.dtype());
    assertArrayEquals(new float[] {0.1f, Float.POSITIVE_INFINITY}, f.floatData());
    assertSame(d, d.to(DType.FLOAT64));
  }

  @Test
  void toStringShowsShapeDtypeAndAFewValues() {
    assertEquals("Tensor(shape=[2, 2], dtype=float32, values=[1.0, 2.0, 3.0, 4.0])",
        Tensor.fromArray(new float[] {1, 2, 3, 4}, 2, 2).toString());
    Tensor big = Tensor.fromArray(new double[] {0, 1, 2, 3, 4, 5, 6, 7}, 8).requiresGrad(true);
    assertEquals("Tensor(shape=[8], dtype=float64, requiresGrad, values=[0.0, 1.0, 2.0, ..., 5.0, 6.0, 7.0])",
        big.toString());
    assertTrue(big.mul(2).toString().contains("gradFn=Scale"));
  }

  @Test
  @SuppressWarnings("try")
  void kernelScopeNestsAndRestores() {
    Kernels before = KernelScope.current();
    try (KernelScope outer = KernelScope.use(Kernels.scalar())) {
      assertSame(Kernels.scalar(), KernelScope.current());
      Kernels marker = new Kernels("marker", 32, Kernels.scalar().f32(), Kernels.scalar().f64());
      try (KernelScope inner = KernelScope.use(marker)) {
        assertSame(marker, KernelScope.current());
      }
      assertSame(Kernels.scalar(), KernelScope.current());
    }
    assertSame(before, KernelScope.current());
  }

  @Test
  void copyFromAndFillWorkInPlace() {
    Tensor a = Tensor.zeros(DType.FLOAT32, 2);
    a.copyFrom(Tensor.fromArray(new float[] {1, 2}, 2));
    assertArrayEquals(new float[] {1, 2}, a.floatData());
    a.fill(3);
    assertArrayEquals(new float[] {3, 3}, a.floatData());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> a.copyFrom(Tensor.zeros(DType.FLOAT32, 3)));
    assertEquals("copyFrom: shapes differ: [2] <- [3]", e.getMessage());
  }

  @Test
  void everyInPlaceWriteCountsOnceInTheStorageVersionSharedByViews() {
    Tensor t = Tensor.zeros(DType.FLOAT32, 2, 3);
    Tensor view = t.viewAs(3, 2);
    Tensor row = t.viewRange(3, 3);
    Tensor detached = t.detach();
    assertEquals(0, t.version());
    t.set(1, 0, 0);
    row.setFlat(1, 2);
    view.fill(4);
    detached.copyFrom(Tensor.ones(DType.FLOAT32, 2, 3));
    t.markModified();
    // five writes, each counted once, seen through every view of the storage
    for (Tensor v : new Tensor[] {t, view, row, detached}) {
      assertEquals(5, v.version());
    }
    // reading and out-of-place ops do not count; another storage has its own count
    t.get(0, 0);
    Tensor sum = t.add(t);
    assertEquals(5, t.version());
    assertEquals(0, sum.version());
    float[] shared = new float[4];
    Tensor a = Tensor.wrap(shared, 0, 4);
    Tensor b = Tensor.wrap(shared, 0, 4);
    a.setFlat(0, 1);
    assertEquals(1, a.version());
    assertEquals(0, b.version(), "separate wraps of one array are separate storages");
  }
}
