package dev.rnn4j.bench;

import java.util.Locale;

/**
 * A GEMM problem size {@code C[m x n] = A[m x k] * B[k x n]}, written {@code "MxKxN"} in benchmark parameters
 * (so {@code "3200x128x1024"} is M = 3200, K = 128, N = 1024: the input projection of a recurrent layer over
 * B * T = 3200 rows).
 *
 * @param m rows of A and C
 * @param k columns of A, rows of B
 * @param n columns of B and C
 */
public record GemmShape(int m, int k, int n) {

  public GemmShape {
    if (m < 1 || k < 1 || n < 1) {
      throw new IllegalArgumentException("gemm shape: sizes must be positive, got m=" + m + " k=" + k + " n=" + n);
    }
  }

  /**
   * Parses {@code "MxKxN"}.
   *
   * @throws IllegalArgumentException when the text is not three positive integers separated by 'x'
   */
  public static GemmShape parse(String text) {
    String[] parts = text.strip().toLowerCase(Locale.ROOT).split("x", -1);
    if (parts.length != 3) {
      throw new IllegalArgumentException("gemm shape: expected MxKxN, got '" + text + "'");
    }
    try {
      return new GemmShape(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("gemm shape: expected MxKxN, got '" + text + "'", e);
    }
  }

  /** Multiply-adds count two FLOPs each: {@code 2 * m * n * k}. */
  public double flops() {
    return 2.0 * m * n * k;
  }

  @Override
  public String toString() {
    return m + "x" + k + "x" + n;
  }
}
