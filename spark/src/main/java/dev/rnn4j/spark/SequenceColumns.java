package dev.rnn4j.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Where a {@code Dataset<Row>} keeps its float sequences, and how long each is:
 * <ul>
 *   <li>{@link #nested(String)}: a column of {@code array<array<float>>}, one inner array of I floats per step; a
 *       row's length is its number of steps, or the value of a length column ({@link #withLengths}) when the rows
 *       are padded;</li>
 *   <li>{@link #flat(String, String)}: a column of {@code array<float>}, the steps one after another, with a length
 *       column giving each row's steps (the row holds at least length * I floats; more is padding);</li>
 *   <li>{@link #flat(String, int)}: {@code array<float>} rows of exactly {@code steps * I} floats each, optionally
 *       with a length column for rows padded to that size.</li>
 * </ul>
 * Flat rows of different sizes need a length column: without one the steps of a row could not be told from padding.
 */
public final class SequenceColumns implements Serializable {

  private static final long serialVersionUID = 1L;

  private static final DataType NESTED = DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType));
  private static final DataType FLAT = DataTypes.createArrayType(DataTypes.FloatType);

  private final String column;
  private final boolean nested;
  private final int steps; // flat only: fixed steps per row, or 0 when a length column gives them
  private final String lengthColumn; // null: none

  private SequenceColumns(String column, boolean nested, int steps, String lengthColumn) {
    this.column = column;
    this.nested = nested;
    this.steps = steps;
    this.lengthColumn = lengthColumn;
  }

  /** {@code array<array<float>>} rows, one inner array per step. */
  public static SequenceColumns nested(String column) {
    return new SequenceColumns(checkName("column", column), true, 0, null);
  }

  /** {@code array<float>} rows whose steps an integer column gives. */
  public static SequenceColumns flat(String column, String lengthColumn) {
    return new SequenceColumns(checkName("column", column), false, 0, checkName("lengthColumn", lengthColumn));
  }

  /** {@code array<float>} rows of exactly {@code steps * inputSize} floats. */
  public static SequenceColumns flat(String column, int steps) {
    if (steps < 1) {
      throw new IllegalArgumentException("SequenceColumns: flat: steps must be >= 1, got " + steps);
    }
    return new SequenceColumns(checkName("column", column), false, steps, null);
  }

  /**
   * This layout with per-row lengths from an integer column: each row uses its first {@code length} steps (>= 1,
   * at most the row's steps), the rest is padding.
   */
  public SequenceColumns withLengths(String lengthColumn) {
    return new SequenceColumns(column, nested, steps, checkName("lengthColumn", lengthColumn));
  }

  private static String checkName(String what, String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("SequenceColumns: " + what + " is " + (name == null ? "null" : "empty"));
    }
    return name;
  }

  /** The sequence column. */
  public String column() {
    return column;
  }

  /** The length column, or null. */
  public String lengthColumn() {
    return lengthColumn;
  }

  /**
   * Checks the schema: the columns exist with the right types.
   *
   * @param op the operation, for messages
   * @throws IllegalArgumentException naming the column, its type and the columns there are
   */
  public void check(String op, StructType schema) {
    DataType want = nested ? NESTED : FLAT;
    DataType got = typeOf(op, schema, column);
    if (!sameArrayOfFloat(got, want)) {
      throw new IllegalArgumentException(op + ": column '" + column + "' must be " + want.simpleString()
          + (nested ? " (one array of floats per step)" : " (the steps one after another)") + ", got "
          + got.simpleString() + (got.simpleString().contains("double") ? " (cast it to float)" : ""));
    }
    if (lengthColumn != null) {
      DataType lt = typeOf(op, schema, lengthColumn);
      if (!(lt.equals(DataTypes.IntegerType) || lt.equals(DataTypes.LongType) || lt.equals(DataTypes.ShortType)
          || lt.equals(DataTypes.ByteType))) {
        throw new IllegalArgumentException(op + ": length column '" + lengthColumn + "' must be an integer type, got "
            + lt.simpleString());
      }
    }
  }

  private static boolean sameArrayOfFloat(DataType got, DataType want) {
    // containsNull does not matter here: a null element is reported per row.
    while (got instanceof ArrayType g && want instanceof ArrayType w) {
      got = g.elementType();
      want = w.elementType();
    }
    return got.equals(want);
  }

  private static DataType typeOf(String op, StructType schema, String name) {
    for (StructField f : schema.fields()) {
      if (f.name().equals(name)) {
        return f.dataType();
      }
    }
    throw new IllegalArgumentException(op + ": no column '" + name + "'; the columns are "
        + Arrays.toString(schema.fieldNames()));
  }

  /** The indices of the sequence column and the length column (-1 for none) in {@code schema}. */
  int[] indices(StructType schema) {
    return new int[] {schema.fieldIndex(column), lengthColumn == null ? -1 : schema.fieldIndex(lengthColumn)};
  }

  /**
   * One row's sequence as floats, step after step, and its length.
   *
   * @param rowName how messages name the row
   * @throws IllegalArgumentException for a null, a step of another width than {@code inputSize}, a size that is
   *     not what the layout says, or a length outside [1, the row's steps]
   */
  Parsed parse(Row row, int[] idx, int inputSize, String op, String rowName) {
    if (row.isNullAt(idx[0])) {
      throw new IllegalArgumentException(op + ": " + rowName + ": column '" + column + "' is null");
    }
    float[] values;
    int rowSteps;
    if (nested) {
      List<Object> outer = row.getList(idx[0]);
      rowSteps = outer.size();
      values = new float[rowSteps * inputSize];
      for (int t = 0; t < rowSteps; t++) {
        Object step = outer.get(t);
        if (step == null) {
          throw new IllegalArgumentException(op + ": " + rowName + ": column '" + column + "': step " + t
              + " is null");
        }
        scala.collection.Seq<?> inner = (scala.collection.Seq<?>) step;
        if (inner.length() != inputSize) {
          throw new IllegalArgumentException(op + ": " + rowName + ": column '" + column + "': step " + t + " has "
              + inner.length() + " floats but the model's input size is " + inputSize + " (ragged or wrong-width "
              + "steps)");
        }
        for (int i = 0; i < inputSize; i++) {
          values[t * inputSize + i] = element(inner.apply(i), op, rowName, t, i);
        }
      }
    } else {
      List<Object> flat = row.getList(idx[0]);
      int n = flat.size();
      if (n % inputSize != 0) {
        throw new IllegalArgumentException(op + ": " + rowName + ": column '" + column + "' has " + n
            + " floats, not a multiple of the model's input size " + inputSize);
      }
      rowSteps = n / inputSize;
      if (steps > 0 && rowSteps != steps) {
        throw new IllegalArgumentException(op + ": " + rowName + ": column '" + column + "' has " + n
            + " floats, expected steps * inputSize = " + steps + " * " + inputSize + " (ragged rows need a length"
            + " column: SequenceColumns.flat(column, lengthColumn))");
      }
      values = new float[n];
      for (int i = 0; i < n; i++) {
        values[i] = element(flat.get(i), op, rowName, i / inputSize, i % inputSize);
      }
    }
    int length = rowSteps;
    if (lengthColumn != null) {
      if (row.isNullAt(idx[1])) {
        throw new IllegalArgumentException(op + ": " + rowName + ": length column '" + lengthColumn + "' is null");
      }
      long l = ((Number) row.get(idx[1])).longValue();
      if (l < 1 || l > rowSteps) {
        throw new IllegalArgumentException(op + ": " + rowName + ": length " + l + " in column '" + lengthColumn
            + "' is outside [1, " + rowSteps + "] (the row's steps)");
      }
      length = (int) l;
    } else if (rowSteps < 1) {
      throw new IllegalArgumentException(op + ": " + rowName + ": column '" + column + "' holds no step");
    }
    return new Parsed(values, length);
  }

  private float element(Object o, String op, String rowName, int step, int i) {
    if (o == null) {
      throw new IllegalArgumentException(op + ": " + rowName + ": column '" + column + "': step " + step
          + ", element " + i + " is null");
    }
    return (Float) o;
  }

  /** A parsed row: {@code values} holds at least {@code length * inputSize} floats. */
  record Parsed(float[] values, int length) {}

  @Override
  public boolean equals(Object o) {
    return o instanceof SequenceColumns c && c.column.equals(column) && c.nested == nested && c.steps == steps
        && Objects.equals(c.lengthColumn, lengthColumn);
  }

  @Override
  public int hashCode() {
    return Objects.hash(column, nested, steps, lengthColumn);
  }

  @Override
  public String toString() {
    return (nested ? "nested(" : "flat(") + column + (steps > 0 ? ", steps=" + steps : "")
        + (lengthColumn != null ? ", lengths=" + lengthColumn : "") + ")";
  }
}
