package dev.rnn4j.tensor;

import java.util.Arrays;

/** Shape arithmetic and the shape checks shared by all ops. Messages name the op and the shapes. */
public final class Shapes {

  private Shapes() {}

  /** {@code [2, 3]}. */
  public static String format(int[] shape) {
    return Arrays.toString(shape);
  }

  /** The number of elements of a shape (1 for the scalar shape {@code []}). */
  public static int numel(int[] shape) {
    Checks.notNull(shape, "numel", "shape");
    long n = 1;
    for (int d : shape) {
      n *= d;
    }
    return (int) n;
  }

  /**
   * Validates a shape: no negative dimension, at most {@link Integer#MAX_VALUE} elements.
   *
   * @return a defensive copy
   */
  public static int[] checked(String op, int[] shape) {
    if (shape == null) {
      throw new IllegalArgumentException(op + ": shape is null");
    }
    long n = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException(op + ": negative dimension in shape " + format(shape));
      }
      n *= d;
      if (n > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(op + ": shape " + format(shape) + " has more than 2^31-1 elements");
      }
    }
    return shape.clone();
  }

  /** Normalises a possibly negative axis ({@code -1} is the last) for a tensor of {@code rank} dimensions. */
  public static int axis(String op, int axis, int rank) {
    int a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank) {
      throw new IllegalArgumentException(op + ": axis " + axis + " out of range for a tensor of rank " + rank);
    }
    return a;
  }

  /** Product of the dimensions in {@code [from, to)}. */
  public static int product(int[] shape, int from, int to) {
    Checks.notNull(shape, "product", "shape");
    if (from < 0 || to > shape.length || from > to) {
      throw new IllegalArgumentException("product: range [" + from + ", " + to + ") out of bounds for shape "
          + format(shape));
    }
    int p = 1;
    for (int i = from; i < to; i++) {
      p *= shape[i];
    }
    return p;
  }

  /**
   * The NumPy broadcast of two shapes: aligned at the right, each pair of dimensions equal or one of them 1.
   *
   * @throws IllegalArgumentException naming the op and both shapes when they do not broadcast
   */
  public static int[] broadcast(String op, int[] a, int[] b) {
    Checks.notNull(a, op, "first shape");
    Checks.notNull(b, op, "second shape");
    int rank = Math.max(a.length, b.length);
    int[] out = new int[rank];
    for (int i = 0; i < rank; i++) {
      int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
      int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
      if (da != db && da != 1 && db != 1) {
        throw new IllegalArgumentException(op + ": shapes cannot be broadcast: " + format(a) + " and " + format(b));
      }
      out[i] = da == 1 ? db : da;
    }
    return out;
  }

  /** Whether {@code from} broadcasts to exactly {@code to}. */
  public static boolean broadcastsTo(int[] from, int[] to) {
    Checks.notNull(from, "broadcastsTo", "from");
    Checks.notNull(to, "broadcastsTo", "to");
    if (from.length > to.length) {
      return false;
    }
    int lead = to.length - from.length;
    for (int i = 0; i < from.length; i++) {
      if (from[i] != 1 && from[i] != to[lead + i]) {
        return false;
      }
    }
    return true;
  }
}
