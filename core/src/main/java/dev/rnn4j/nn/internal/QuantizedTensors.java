package dev.rnn4j.nn.internal;

import dev.rnn4j.io.SafetensorsDtype;
import dev.rnn4j.io.SafetensorsEntry;
import dev.rnn4j.io.SafetensorsFile;
import dev.rnn4j.io.SafetensorsTensor;
import dev.rnn4j.nn.QuantizedMatrix;
import dev.rnn4j.nn.WeightFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * How a {@link QuantizedMatrix} is written to and read from a safetensors file, for every saved quantized model
 * (a recurrent layer, a linear layer, a sequence model), so that all of them store a matrix the same way:
 *
 * <pre>
 * {name}        I8 or BF16 [rows, cols]   the stored values, row-major (bfloat16 as its bit patterns)
 * {name}_scale  F32 [rows]                int8 only: one scale per row, W[r, j] ~ scale[r] * q[r, j]
 * </pre>
 *
 * and the weight format in the metadata entry {@value #WEIGHT_FORMAT}. A loader first lists what it expects
 * ({@link #expectMatrix}, {@link #expectVector}), checks the file against that list as a whole
 * ({@link #checkExactly}) and only then reads ({@link #readMatrix}), so that a corrupt file is refused before
 * anything is built.
 */
public final class QuantizedTensors {

  /** The metadata entry holding the {@link WeightFormat}'s name. */
  public static final String WEIGHT_FORMAT = "rnn4j.weight_format";
  /** The suffix of an int8 matrix's row scales. */
  public static final String SCALE_SUFFIX = "_scale";

  /** The dtype and shape a tensor of a file must have. */
  public record Expected(SafetensorsDtype dtype, long[] shape) {
    @Override
    public String toString() {
      return dtype + " " + Arrays.toString(shape);
    }
  }

  private QuantizedTensors() {}

  /** Adds the tensors of a {@code rows x cols} matrix called {@code name} stored in {@code format} to {@code want}. */
  public static void expectMatrix(Map<String, Expected> want, String name, WeightFormat format, int rows, int cols) {
    want.put(name, new Expected(format == WeightFormat.INT8 ? SafetensorsDtype.I8 : SafetensorsDtype.BF16,
        new long[] {rows, cols}));
    if (format == WeightFormat.INT8) {
      expectVector(want, name + SCALE_SUFFIX, rows);
    }
  }

  /** Adds a float32 vector of length n called {@code name} (a bias, an int8 scale) to {@code want}. */
  public static void expectVector(Map<String, Expected> want, String name, int n) {
    want.put(name, new Expected(SafetensorsDtype.F32, new long[] {n}));
  }

  /** Adds a float32 matrix (an embedding table) to {@code want}. */
  public static void expectFloatMatrix(Map<String, Expected> want, String name, int rows, int cols) {
    want.put(name, new Expected(SafetensorsDtype.F32, new long[] {rows, cols}));
  }

  /** Puts the tensors of {@code m} (the stored values in row-major order, and the int8 scales) under {@code name}. */
  public static void putMatrix(Map<String, SafetensorsTensor> tensors, String name, QuantizedMatrix m) {
    int[] shape = {m.rows(), m.cols()};
    if (m.format() == WeightFormat.BFLOAT16) {
      tensors.put(name, SafetensorsTensor.ofBf16(shape, m.bf16RowMajor()));
    } else {
      tensors.put(name, SafetensorsTensor.ofInt8(shape, m.int8RowMajor()));
      tensors.put(name + SCALE_SUFFIX, SafetensorsTensor.ofFloats(new int[] {m.rows()}, m.scales()));
    }
  }

  /**
   * Reads the matrix called {@code name}, whose tensors {@link #checkExactly} has checked, and packs it for the
   * kernels current now.
   *
   * @throws IllegalArgumentException naming op, file and tensor, for a value the format does not allow (an int8 of
   *     -128, a negative or non-finite scale, a non-finite bfloat16)
   */
  public static QuantizedMatrix readMatrix(String op, Path path, SafetensorsFile file, String name,
                                           WeightFormat format, int rows, int cols, int[] blocks) throws IOException {
    try {
      if (format == WeightFormat.BFLOAT16) {
        return QuantizedMatrix.ofBf16(name, rows, cols, file.read(name).bf16(), blocks);
      }
      return QuantizedMatrix.ofInt8(name, rows, cols, file.read(name).int8(),
          file.read(name + SCALE_SUFFIX).floats(), blocks);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(op + ": " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * The weight format named in {@code meta}.
   *
   * @throws IllegalArgumentException naming op and file if the entry is missing or names no format
   */
  public static WeightFormat format(String op, Path path, Map<String, String> meta) {
    String name = meta.get(WEIGHT_FORMAT);
    for (WeightFormat f : WeightFormat.values()) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    throw new IllegalArgumentException(op + ": " + path + ": metadata '" + WEIGHT_FORMAT + "' is "
        + (name == null ? "missing" : "'" + name + "'") + ", expected one of " + Arrays.toString(WeightFormat.values()));
  }

  /**
   * Checks that the file holds exactly the tensors in {@code want}, each of its dtype and shape.
   *
   * @param what the model the file should hold, for messages ("INT8 LSTM with 2 layer(s)")
   * @throws IllegalArgumentException naming op, file and the first tensor that is missing, unexpected, or of another
   *     dtype or shape
   */
  public static void checkExactly(String op, Path path, SafetensorsFile file, Map<String, Expected> want,
                                  String what) {
    TreeSet<String> missing = new TreeSet<>(want.keySet());
    missing.removeAll(file.header().names());
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(op + ": " + path + ": tensor '" + missing.first() + "' is missing (" + what
          + " needs " + want.keySet() + ")");
    }
    TreeSet<String> unexpected = new TreeSet<>(file.header().names());
    unexpected.removeAll(want.keySet());
    if (!unexpected.isEmpty()) {
      throw new IllegalArgumentException(op + ": " + path + ": tensor '" + unexpected.first() + "' is not part of the "
          + what + " (expected " + want.keySet() + ")");
    }
    for (Map.Entry<String, Expected> e : want.entrySet()) {
      SafetensorsEntry entry = file.header().entry(e.getKey()).orElseThrow();
      Expected x = e.getValue();
      if (entry.dtype() != x.dtype() || !Arrays.equals(entry.shape(), x.shape())) {
        throw new IllegalArgumentException(op + ": " + path + ": tensor '" + e.getKey() + "' is " + entry.dtype()
            + " " + Arrays.toString(entry.shape()) + ", expected " + x + " (" + what + ")");
      }
    }
  }

  /** A new, empty map of expected tensors, in the order they are added. */
  public static Map<String, Expected> expected() {
    return new LinkedHashMap<>();
  }
}
