package dev.rnn4j.nn.recurrent;

import dev.rnn4j.io.SafetensorsFile;
import dev.rnn4j.nn.internal.SavedMetadata;
import dev.rnn4j.tensor.DType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The configuration a saved model records in its safetensors {@code __metadata__}, so that
 * {@link RecurrentLayer#load(Path)} and {@link SequenceModel#load(Path)} can rebuild it without the caller knowing its
 * shape. Flat string entries under the prefix {@code rnn4j.} (safetensors metadata is a string-to-string map; flat keys
 * read plainly from Python's {@code safe_open(...).metadata()}):
 *
 * <pre>
 * rnn4j.format        1 (this format's version; a reader refuses a newer one)
 * rnn4j.model         LSTM | GRU | RNN | SequenceModel
 * rnn4j.cell          LSTM | GRU | GRU_RESET_BEFORE | RNN_TANH | RNN_RELU   (the {@link CellKind})
 * rnn4j.input_size, rnn4j.hidden_size, rnn4j.num_layers                      (integers)
 * rnn4j.bias, rnn4j.batch_first, rnn4j.bidirectional                        (true | false)
 * rnn4j.merge         CONCAT | SUM      rnn4j.dropout  a decimal in [0, 1)   rnn4j.dtype  float32 | float64
 * rnn4j.proj_size     an LSTM's projection size P (integer >= 1; absent: no projection, as in files written before it)
 * rnn4j.peephole      true for an LSTM with peepholes (absent: none, as in files written before it)
 * </pre>
 *
 * {@link SequenceModel} adds its own entries (see there). Other entries belong to the caller (a vocabulary, say) and
 * are written and read back untouched.
 */
final class ModelMetadata {

  /** The prefix of every entry this library writes; callers' own entries must not use it. */
  static final String PREFIX = SavedMetadata.PREFIX;
  static final String FORMAT = SavedMetadata.FORMAT;
  static final String MODEL = SavedMetadata.MODEL;
  /** The format version written; readers accept this one and older. */
  static final int VERSION = SavedMetadata.VERSION;

  private ModelMetadata() {
  }

  /** The header metadata of the file at {@code path} (without reading any tensor). */
  static Map<String, String> read(Path path) throws IOException {
    try (SafetensorsFile file = SafetensorsFile.open(path)) {
      return file.header().metadata();
    }
  }

  /** The entries describing {@code cfg} with parameters of {@code dtype}, plus format and model. */
  static Map<String, String> describe(RecurrentConfig cfg, DType dtype) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(FORMAT, Integer.toString(VERSION));
    m.put(MODEL, cfg.name());
    m.put(PREFIX + "cell", cfg.kind().name());
    m.put(PREFIX + "input_size", Integer.toString(cfg.inputSize()));
    m.put(PREFIX + "hidden_size", Integer.toString(cfg.hiddenSize()));
    m.put(PREFIX + "num_layers", Integer.toString(cfg.numLayers()));
    m.put(PREFIX + "bias", Boolean.toString(cfg.bias()));
    m.put(PREFIX + "batch_first", Boolean.toString(cfg.batchFirst()));
    m.put(PREFIX + "bidirectional", Boolean.toString(cfg.bidirectional()));
    m.put(PREFIX + "merge", cfg.merge().name());
    m.put(PREFIX + "dropout", Double.toString(cfg.dropout()));
    m.put(PREFIX + "dtype", dtypeName(dtype));
    if (cfg.projSize() > 0) {
      m.put(PREFIX + "proj_size", Integer.toString(cfg.projSize()));
    }
    if (cfg.peephole()) {
      m.put(PREFIX + "peephole", "true");
    }
    return m;
  }

  /** {@code describe} plus the caller's entries, which must not use the prefix ({@link SavedMetadata#merge}). */
  static Map<String, String> merge(String op, Map<String, String> own, Map<String, String> callers) {
    return SavedMetadata.merge(op, own, callers);
  }

  /**
   * Checks that {@code meta} is this format (a version this code reads) and returns its model entry
   * ({@link SavedMetadata#model}).
   *
   * @param op the caller, for messages ("LSTM.load")
   * @throws IllegalArgumentException for a file without the entries (a plain state_dict) or of a newer version
   */
  static String model(String op, Path path, Map<String, String> meta) {
    return SavedMetadata.model(op, path, meta);
  }

  /** A layer of the configuration in {@code meta} (freshly initialised; the caller loads the weights). */
  static RecurrentLayer newLayer(String op, Path path, Map<String, String> meta) {
    CellKind kind = enumValue(op, path, meta, PREFIX + "cell", CellKind.class);
    RecurrentOptions o = new RecurrentOptions(integer(op, path, meta, PREFIX + "input_size", 1),
        integer(op, path, meta, PREFIX + "hidden_size", 1))
        .numLayers(integer(op, path, meta, PREFIX + "num_layers", 1))
        .bias(bool(op, path, meta, PREFIX + "bias"))
        .batchFirst(bool(op, path, meta, PREFIX + "batch_first"))
        .bidirectional(bool(op, path, meta, PREFIX + "bidirectional"))
        .merge(enumValue(op, path, meta, PREFIX + "merge", MergeMode.class))
        .dropout(dropout(op, path, meta))
        .dtype(dtype(op, path, meta, PREFIX + "dtype"));
    if (meta.containsKey(PREFIX + "proj_size")) {
      o.projSize(integer(op, path, meta, PREFIX + "proj_size", 1));
    }
    if (meta.containsKey(PREFIX + "peephole")) {
      o.peephole(bool(op, path, meta, PREFIX + "peephole"));
    }
    return RecurrentLayer.create(kind, o);
  }

  static String dtypeName(DType dtype) {
    return dtype == DType.FLOAT64 ? "float64" : "float32";
  }

  private static String value(String op, Path path, Map<String, String> meta, String key) {
    String v = meta.get(key);
    if (v == null) {
      throw new IllegalArgumentException(op + ": " + path + ": metadata lacks '" + key + "'");
    }
    return v;
  }

  private static IllegalArgumentException bad(String op, Path path, String key, String v, String want) {
    return new IllegalArgumentException(op + ": " + path + ": metadata '" + key + "' is '" + v + "', expected "
        + want);
  }

  static int integer(String op, Path path, Map<String, String> meta, String key, int min) {
    String v = value(op, path, meta, key);
    try {
      int i = Integer.parseInt(v.trim());
      if (i >= min) {
        return i;
      }
    } catch (NumberFormatException e) {
      // reported below with the key and the value
    }
    throw bad(op, path, key, v, "an integer >= " + min);
  }

  static boolean bool(String op, Path path, Map<String, String> meta, String key) {
    String v = value(op, path, meta, key);
    if (v.equals("true") || v.equals("false")) {
      return v.equals("true");
    }
    throw bad(op, path, key, v, "true or false");
  }

  static DType dtype(String op, Path path, Map<String, String> meta, String key) {
    String v = value(op, path, meta, key);
    return switch (v) {
      case "float32" -> DType.FLOAT32;
      case "float64" -> DType.FLOAT64;
      default -> throw bad(op, path, key, v, "float32 or float64");
    };
  }

  private static double dropout(String op, Path path, Map<String, String> meta) {
    String key = PREFIX + "dropout";
    String v = value(op, path, meta, key);
    try {
      double p = Double.parseDouble(v);
      if (p >= 0 && p < 1) {
        return p;
      }
    } catch (NumberFormatException e) {
      // reported below with the key and the value
    }
    throw bad(op, path, key, v, "a number in [0, 1)");
  }

  private static <E extends Enum<E>> E enumValue(String op, Path path, Map<String, String> meta, String key,
      Class<E> type) {
    String v = value(op, path, meta, key);
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(v.toUpperCase(Locale.ROOT))) {
        return e;
      }
    }
    throw bad(op, path, key, v, "one of " + java.util.Arrays.toString(type.getEnumConstants()));
  }
}
