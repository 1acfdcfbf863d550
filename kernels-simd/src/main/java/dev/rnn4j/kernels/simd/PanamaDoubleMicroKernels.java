package dev.rnn4j.kernels.simd;

// rnn4j:generate-float

import static dev.rnn4j.kernels.simd.PanamaDoubleGemm.NR;
import static dev.rnn4j.kernels.simd.PanamaDoubleSpecies.LANES;
import static dev.rnn4j.kernels.simd.PanamaDoubleSpecies.SPECIES;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register tiles of {@link PanamaDoubleGemm}: the MR-row micro-kernel and the 4-row, 2-row and one-row kernels
 * for the tails of packed products. Each computes a tile of C into a scratch tile from an A block read in place (or
 * packed) and one or two packed B panels, k block by k block. They all build every element as one FMA chain over the
 * k block, in k order, from zero, so a row's bits do not depend on which kernel computed it; the caller merges the
 * tile into C. The accumulators are spelled out so that C2 keeps them in registers across the k loop, and no method
 * takes or returns a vector.
 */
final class PanamaDoubleMicroKernels {

  private PanamaDoubleMicroKernels() {}

  /**
   * tile rows [0, MR) = A micro-panel (element (r, p) at aStart + r * rowStride + p * depthStride) x the panel at
   * bpOff, k block of kc rows; the caller merges it into C (mergeTile). The 24 accumulators are spelled out so that
   * C2 keeps them in registers across the k loop.
   */
  static void microKernel(int kc, double[] a, int aStart, int rowStride, int depthStride, double[] bp,
                                  int bpOff, double[] tile) {
    VectorSpecies<Double> sp = SPECIES;
    int r1 = rowStride;
    int r2 = 2 * rowStride;
    int r3 = 3 * rowStride;
    int r4 = 4 * rowStride;
    int r5 = 5 * rowStride;
    int l = LANES;
    int stride = NR;
    DoubleVector z = DoubleVector.zero(sp);
    DoubleVector c00 = z, c01 = z, c02 = z, c03 = z;
    DoubleVector c10 = z, c11 = z, c12 = z, c13 = z;
    DoubleVector c20 = z, c21 = z, c22 = z, c23 = z;
    DoubleVector c30 = z, c31 = z, c32 = z, c33 = z;
    DoubleVector c40 = z, c41 = z, c42 = z, c43 = z;
    DoubleVector c50 = z, c51 = z, c52 = z, c53 = z;
    for (int p = 0; p < kc; p++) {
      int bo = bpOff + p * stride;
      int ao = aStart + p * depthStride;
      DoubleVector b0 = DoubleVector.fromArray(sp, bp, bo);
      DoubleVector b1 = DoubleVector.fromArray(sp, bp, bo + l);
      DoubleVector b2 = DoubleVector.fromArray(sp, bp, bo + 2 * l);
      DoubleVector b3 = DoubleVector.fromArray(sp, bp, bo + 3 * l);
      DoubleVector av = DoubleVector.broadcast(sp, a[ao]);
      c00 = av.fma(b0, c00);
      c01 = av.fma(b1, c01);
      c02 = av.fma(b2, c02);
      c03 = av.fma(b3, c03);
      av = DoubleVector.broadcast(sp, a[ao + r1]);
      c10 = av.fma(b0, c10);
      c11 = av.fma(b1, c11);
      c12 = av.fma(b2, c12);
      c13 = av.fma(b3, c13);
      av = DoubleVector.broadcast(sp, a[ao + r2]);
      c20 = av.fma(b0, c20);
      c21 = av.fma(b1, c21);
      c22 = av.fma(b2, c22);
      c23 = av.fma(b3, c23);
      av = DoubleVector.broadcast(sp, a[ao + r3]);
      c30 = av.fma(b0, c30);
      c31 = av.fma(b1, c31);
      c32 = av.fma(b2, c32);
      c33 = av.fma(b3, c33);
      av = DoubleVector.broadcast(sp, a[ao + r4]);
      c40 = av.fma(b0, c40);
      c41 = av.fma(b1, c41);
      c42 = av.fma(b2, c42);
      c43 = av.fma(b3, c43);
      av = DoubleVector.broadcast(sp, a[ao + r5]);
      c50 = av.fma(b0, c50);
      c51 = av.fma(b1, c51);
      c52 = av.fma(b2, c52);
      c53 = av.fma(b3, c53);
    }
    // Spill the tile to scratch right after the loop: passing vectors to a call that C2 does not inline would make
    // it box the accumulators on every iteration of the k loop.
    c00.intoArray(tile, 0);
    c01.intoArray(tile, l);
    c02.intoArray(tile, 2 * l);
    c03.intoArray(tile, 3 * l);
    c10.intoArray(tile, stride);
    c11.intoArray(tile, stride + l);
    c12.intoArray(tile, stride + 2 * l);
    c13.intoArray(tile, stride + 3 * l);
    c20.intoArray(tile, 2 * stride);
    c21.intoArray(tile, 2 * stride + l);
    c22.intoArray(tile, 2 * stride + 2 * l);
    c23.intoArray(tile, 2 * stride + 3 * l);
    c30.intoArray(tile, 3 * stride);
    c31.intoArray(tile, 3 * stride + l);
    c32.intoArray(tile, 3 * stride + 2 * l);
    c33.intoArray(tile, 3 * stride + 3 * l);
    c40.intoArray(tile, 4 * stride);
    c41.intoArray(tile, 4 * stride + l);
    c42.intoArray(tile, 4 * stride + 2 * l);
    c43.intoArray(tile, 4 * stride + 3 * l);
    c50.intoArray(tile, 5 * stride);
    c51.intoArray(tile, 5 * stride + l);
    c52.intoArray(tile, 5 * stride + 2 * l);
    c53.intoArray(tile, 5 * stride + 3 * l);
  }


  /**
   * tile rows [0, 4) = 4 rows of A (element (r, p) at aStart + r * rowStride + p * depthStride) x the panel at
   * bpOff, k block of kc rows: the micro-kernel's arithmetic for 4 rows (every element one FMA chain over p from
   * zero), so a row's bits do not depend on the kernel that computed it.
   */
  static void tailKernel4(int kc, double[] a, int aStart, int rowStride, int depthStride, double[] bp,
                                  int bpOff, double[] tile) {
    VectorSpecies<Double> sp = SPECIES;
    int l = LANES;
    DoubleVector z = DoubleVector.zero(sp);
    DoubleVector c00 = z, c01 = z, c02 = z, c03 = z;
    DoubleVector c10 = z, c11 = z, c12 = z, c13 = z;
    DoubleVector c20 = z, c21 = z, c22 = z, c23 = z;
    DoubleVector c30 = z, c31 = z, c32 = z, c33 = z;
    for (int p = 0; p < kc; p++) {
      int bo = bpOff + p * NR;
      int ao = aStart + p * depthStride;
      DoubleVector b0 = DoubleVector.fromArray(sp, bp, bo);
      DoubleVector b1 = DoubleVector.fromArray(sp, bp, bo + l);
      DoubleVector b2 = DoubleVector.fromArray(sp, bp, bo + 2 * l);
      DoubleVector b3 = DoubleVector.fromArray(sp, bp, bo + 3 * l);
      DoubleVector av = DoubleVector.broadcast(sp, a[ao]);
      c00 = av.fma(b0, c00);
      c01 = av.fma(b1, c01);
      c02 = av.fma(b2, c02);
      c03 = av.fma(b3, c03);
      av = DoubleVector.broadcast(sp, a[ao + rowStride]);
      c10 = av.fma(b0, c10);
      c11 = av.fma(b1, c11);
      c12 = av.fma(b2, c12);
      c13 = av.fma(b3, c13);
      av = DoubleVector.broadcast(sp, a[ao + 2 * rowStride]);
      c20 = av.fma(b0, c20);
      c21 = av.fma(b1, c21);
      c22 = av.fma(b2, c22);
      c23 = av.fma(b3, c23);
      av = DoubleVector.broadcast(sp, a[ao + 3 * rowStride]);
      c30 = av.fma(b0, c30);
      c31 = av.fma(b1, c31);
      c32 = av.fma(b2, c32);
      c33 = av.fma(b3, c33);
    }
    c00.intoArray(tile, 0);
    c01.intoArray(tile, l);
    c02.intoArray(tile, 2 * l);
    c03.intoArray(tile, 3 * l);
    c10.intoArray(tile, NR);
    c11.intoArray(tile, NR + l);
    c12.intoArray(tile, NR + 2 * l);
    c13.intoArray(tile, NR + 3 * l);
    c20.intoArray(tile, 2 * NR);
    c21.intoArray(tile, 2 * NR + l);
    c22.intoArray(tile, 2 * NR + 2 * l);
    c23.intoArray(tile, 2 * NR + 3 * l);
    c30.intoArray(tile, 3 * NR);
    c31.intoArray(tile, 3 * NR + l);
    c32.intoArray(tile, 3 * NR + 2 * l);
    c33.intoArray(tile, 3 * NR + 3 * l);
  }


  /**
   * tile rows [0, 2) = 2 rows of A (element (r, p) at aStart + r * rowStride + p * depthStride) x the panel at
   * bpOff, k block of kc rows: the micro-kernel's arithmetic for 2 rows (every element one FMA chain over p from
   * zero), so a row's bits do not depend on the kernel that computed it.
   */
  static void tailKernel2(int kc, double[] a, int aStart, int rowStride, int depthStride, double[] bp,
                                  int bpOff, double[] tile) {
    VectorSpecies<Double> sp = SPECIES;
    int l = LANES;
    DoubleVector z = DoubleVector.zero(sp);
    DoubleVector c00 = z, c01 = z, c02 = z, c03 = z;
    DoubleVector c10 = z, c11 = z, c12 = z, c13 = z;
    for (int p = 0; p < kc; p++) {
      int bo = bpOff + p * NR;
      int ao = aStart + p * depthStride;
      DoubleVector b0 = DoubleVector.fromArray(sp, bp, bo);
      DoubleVector b1 = DoubleVector.fromArray(sp, bp, bo + l);
      DoubleVector b2 = DoubleVector.fromArray(sp, bp, bo + 2 * l);
      DoubleVector b3 = DoubleVector.fromArray(sp, bp, bo + 3 * l);
      DoubleVector av = DoubleVector.broadcast(sp, a[ao]);
      c00 = av.fma(b0, c00);
      c01 = av.fma(b1, c01);
      c02 = av.fma(b2, c02);
      c03 = av.fma(b3, c03);
      av = DoubleVector.broadcast(sp, a[ao + rowStride]);
      c10 = av.fma(b0, c10);
      c11 = av.fma(b1, c11);
      c12 = av.fma(b2, c12);
      c13 = av.fma(b3, c13);
    }
    c00.intoArray(tile, 0);
    c01.intoArray(tile, l);
    c02.intoArray(tile, 2 * l);
    c03.intoArray(tile, 3 * l);
    c10.intoArray(tile, NR);
    c11.intoArray(tile, NR + l);
    c12.intoArray(tile, NR + 2 * l);
    c13.intoArray(tile, NR + 3 * l);
  }


  /** tile[0, 2 NR) = a-row x (panel at bpOff, panel at bpOff + panelSize), k block of kc rows. */
  static void rowKernel2(int kc, double[] a, int aStart, int aStride, double[] bp, int bpOff, int panelSize,
                                 double[] tile) {
    VectorSpecies<Double> sp = SPECIES;
    int l = LANES;
    DoubleVector z = DoubleVector.zero(sp);
    DoubleVector c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z, c6 = z, c7 = z;
    int bo2 = bpOff + panelSize;
    for (int p = 0; p < kc; p++) {
      DoubleVector av = DoubleVector.broadcast(sp, a[aStart + p * aStride]);
      int bo = bpOff + p * NR;
      int bq = bo2 + p * NR;
      c0 = av.fma(DoubleVector.fromArray(sp, bp, bo), c0);
      c1 = av.fma(DoubleVector.fromArray(sp, bp, bo + l), c1);
      c2 = av.fma(DoubleVector.fromArray(sp, bp, bo + 2 * l), c2);
      c3 = av.fma(DoubleVector.fromArray(sp, bp, bo + 3 * l), c3);
      c4 = av.fma(DoubleVector.fromArray(sp, bp, bq), c4);
      c5 = av.fma(DoubleVector.fromArray(sp, bp, bq + l), c5);
      c6 = av.fma(DoubleVector.fromArray(sp, bp, bq + 2 * l), c6);
      c7 = av.fma(DoubleVector.fromArray(sp, bp, bq + 3 * l), c7);
    }
    c0.intoArray(tile, 0);
    c1.intoArray(tile, l);
    c2.intoArray(tile, 2 * l);
    c3.intoArray(tile, 3 * l);
    c4.intoArray(tile, NR);
    c5.intoArray(tile, NR + l);
    c6.intoArray(tile, NR + 2 * l);
    c7.intoArray(tile, NR + 3 * l);
  }


  /** tile[0, NR) = a-row x panel at bpOff, k block of kc rows. */
  static void rowKernel1(int kc, double[] a, int aStart, int aStride, double[] bp, int bpOff,
                                 double[] tile) {
    VectorSpecies<Double> sp = SPECIES;
    int l = LANES;
    DoubleVector z = DoubleVector.zero(sp);
    DoubleVector c0 = z, c1 = z, c2 = z, c3 = z;
    for (int p = 0; p < kc; p++) {
      DoubleVector av = DoubleVector.broadcast(sp, a[aStart + p * aStride]);
      int bo = bpOff + p * NR;
      c0 = av.fma(DoubleVector.fromArray(sp, bp, bo), c0);
      c1 = av.fma(DoubleVector.fromArray(sp, bp, bo + l), c1);
      c2 = av.fma(DoubleVector.fromArray(sp, bp, bo + 2 * l), c2);
      c3 = av.fma(DoubleVector.fromArray(sp, bp, bo + 3 * l), c3);
    }
    c0.intoArray(tile, 0);
    c1.intoArray(tile, l);
    c2.intoArray(tile, 2 * l);
    c3.intoArray(tile, 3 * l);
  }

}
