package dev.rnn4j.tensor;

/** The element type of a tensor. Ops never convert silently: mixing dtypes in one op is an error. */
public enum DType {
  /** IEEE 754 binary32, stored in a {@code float[]}. */
  FLOAT32(4, "float32"),
  /** IEEE 754 binary64, stored in a {@code double[]}. */
  FLOAT64(8, "float64");

  private final int bytes;
  private final String label;

  DType(int bytes, String label) {
    this.bytes = bytes;
    this.label = label;
  }

  /** Bytes per element. */
  public int bytes() {
    return bytes;
  }

  /** The lower-case name used in messages ({@code float32}, {@code float64}). */
  @Override
  public String toString() {
    return label;
  }
}
