package dev.rnn4j.tensor;

/**
 * Argument checks shared by rnn4j's packages, so that every rejected argument gets the same kind of message:
 * {@link IllegalArgumentException} naming the op, the argument and the value ({@code "LSTM: hiddenSize must be >= 1,
 * got 0"}), never a bare {@link NullPointerException}. Public only because Java packages cannot share package-private
 * code; not part of the modelling API.
 */
public final class Checks {

  private Checks() {}

  /**
   * {@code value} itself.
   *
   * @throws IllegalArgumentException {@code "<op>: <arg> is null"} when it is null
   */
  public static <T> T notNull(T value, String op, String arg) {
    if (value == null) {
      throw new IllegalArgumentException(op + ": " + arg + " is null");
    }
    return value;
  }

  /**
   * Checks that the array and every element are non-null.
   *
   * @return the array
   * @throws IllegalArgumentException naming the op, the argument and the position of a null element
   */
  public static <T> T[] noNulls(T[] values, String op, String arg) {
    notNull(values, op, arg);
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null) {
        throw new IllegalArgumentException(op + ": " + arg + "[" + i + "] is null");
      }
    }
    return values;
  }

  /**
   * Checks a size argument: {@code value >= 1}.
   *
   * @return the value
   */
  public static int positive(int value, String op, String arg) {
    if (value < 1) {
      throw new IllegalArgumentException(op + ": " + arg + " must be >= 1, got " + value);
    }
    return value;
  }

  /** Whether a matrix of {@code rows x cols} elements fits a Java array (at most {@link Integer#MAX_VALUE}). */
  public static boolean fitsArray(long rows, long cols) {
    return rows <= Integer.MAX_VALUE && cols <= Integer.MAX_VALUE && rows * cols <= Integer.MAX_VALUE;
  }

  /**
   * The error for sizes that do not {@link #fitsArray(long, long) fit an array}, naming what the sizes come from:
   * {@code "LSTM: hiddenSize 40000 is too large: weight_hh_l0 would be [160000, 40000], more than 2^31-1 elements"}.
   * Callers test first and build the message only on failure, so that hot paths allocate nothing.
   *
   * @param what the caller's sizes as the user gave them, e.g. {@code "hiddenSize 40000"}
   * @param tensor the array that would be too large, e.g. {@code "weight_hh_l0"}
   */
  public static IllegalArgumentException tooLarge(String op, String what, String tensor, long rows, long cols) {
    return new IllegalArgumentException(op + ": " + what + " is too large: " + tensor + " would be [" + rows + ", "
        + cols + "], more than 2^31-1 elements");
  }
}
