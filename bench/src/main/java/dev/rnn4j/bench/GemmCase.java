package dev.rnn4j.bench;

import dev.rnn4j.kernels.DoubleKernels;
import dev.rnn4j.kernels.FloatKernels;
import dev.rnn4j.kernels.FloatPackedMatrix;

/**
 * The operands of one GEMM benchmark, shared by the benchmark classes that differ only in their parameter sets:
 * {@code C = A * B} (no transposes, alpha 1, beta 0, tight leading dimensions), A and B uniform in [-1, 1).
 * beta = 0 means C is written without being read, so repeated operations do not accumulate.
 */
final class GemmCase {

  final GemmShape shape;
  private final FloatKernels f32;
  private final DoubleKernels f64;
  private final float[] af;
  private final float[] bf;
  private final float[] cf;
  private final double[] ad;
  private final double[] bd;
  private final double[] cd;
  /** B packed once by the float32 kernels (float32 cases only), for {@link #sgemmPacked}. */
  private final FloatPackedMatrix bfPacked;

  private GemmCase(GemmShape shape, FloatKernels f32, DoubleKernels f64) {
    this.shape = shape;
    this.f32 = f32;
    this.f64 = f64;
    int m = shape.m();
    int k = shape.k();
    int n = shape.n();
    af = f32 == null ? null : TestData.floats(m * k, -1f, 1f, 11);
    bf = f32 == null ? null : TestData.floats(k * n, -1f, 1f, 12);
    cf = f32 == null ? null : new float[m * n];
    ad = f64 == null ? null : TestData.doubles(m * k, -1, 1, 11);
    bd = f64 == null ? null : TestData.doubles(k * n, -1, 1, 12);
    cd = f64 == null ? null : new double[m * n];
    bfPacked = f32 == null ? null : f32.packB(false, k, n, bf, 0, n, null);
  }

  /** A float32 case for {@code impl} ("scalar" or "simd") and {@code shape} ("MxKxN"). */
  static GemmCase f32(String impl, String shape) {
    return new GemmCase(GemmShape.parse(shape), BenchKernels.forName(impl).f32(), null);
  }

  /** A float64 case for {@code impl} ("scalar" or "simd") and {@code shape} ("MxKxN"). */
  static GemmCase f64(String impl, String shape) {
    return new GemmCase(GemmShape.parse(shape), null, BenchKernels.forName(impl).f64());
  }

  /** One float32 product; returns C so that the work is consumed. */
  float[] sgemm() {
    int m = shape.m();
    int k = shape.k();
    int n = shape.n();
    f32.gemm(false, false, m, n, k, 1f, af, 0, k, bf, 0, n, 0f, cf, 0, n);
    return cf;
  }

  /** One float32 product with B packed beforehand (as the recurrent layers multiply by W_hh every step). */
  float[] sgemmPacked() {
    f32.gemmPacked(false, shape.m(), 1f, af, 0, shape.k(), bfPacked, 0f, cf, 0, shape.n());
    return cf;
  }

  /** One float64 product; returns C so that the work is consumed. */
  double[] dgemm() {
    int m = shape.m();
    int k = shape.k();
    int n = shape.n();
    f64.gemm(false, false, m, n, k, 1, ad, 0, k, bd, 0, n, 0, cd, 0, n);
    return cd;
  }
}
