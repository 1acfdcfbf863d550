package dev.rnn4j.nn.internal;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The entries every saved model's safetensors metadata shares: the prefix {@value #PREFIX} reserved for the library's
 * own entries, the format version {@value #FORMAT}, and the model entry {@value #MODEL}. The recurrent models' full
 * configuration is {@code dev.rnn4j.nn.recurrent.ModelMetadata}'s; this is the part a model outside that package
 * (a {@code QuantizedLinear}) needs too.
 */
public final class SavedMetadata {

  /** The prefix of every entry this library writes; callers' own entries must not use it. */
  public static final String PREFIX = "rnn4j.";
  public static final String FORMAT = PREFIX + "format";
  public static final String MODEL = PREFIX + "model";
  /** The format version written; readers accept this one and older. */
  public static final int VERSION = 1;

  private SavedMetadata() {}

  /**
   * {@code own} plus the caller's entries, which must not use the prefix.
   *
   * @throws IllegalArgumentException naming op, for a null key or value or a key with the prefix
   */
  public static Map<String, String> merge(String op, Map<String, String> own, Map<String, String> callers) {
    if (callers == null) {
      throw new IllegalArgumentException(op + ": metadata is null (Map.of() for none)");
    }
    Map<String, String> all = new LinkedHashMap<>(own);
    for (Map.Entry<String, String> e : callers.entrySet()) {
      if (e.getKey() == null || e.getValue() == null) {
        throw new IllegalArgumentException(op + ": metadata has a null key or value: " + e.getKey() + " = "
            + e.getValue());
      }
      if (e.getKey().startsWith(PREFIX)) {
        throw new IllegalArgumentException(op + ": metadata key '" + e.getKey() + "' uses the prefix '" + PREFIX
            + "', which holds the model's own configuration; choose another name");
      }
      all.put(e.getKey(), e.getValue());
    }
    return all;
  }

  /**
   * Checks that {@code meta} is this format in a version this code reads and returns its model entry.
   *
   * @throws IllegalArgumentException naming op and file, for a file without the entries (a plain state_dict) or of
   *     a newer version
   */
  public static String model(String op, Path path, Map<String, String> meta) {
    String version = meta.get(FORMAT);
    if (version == null || !meta.containsKey(MODEL)) {
      throw new IllegalArgumentException(op + ": " + path + " has no rnn4j model configuration in its metadata "
          + "(a plain state_dict, e.g. saved by PyTorch or by Safetensors.save): build the model with its options "
          + "and load the weights into it with Safetensors.load(model, path)");
    }
    int v;
    try {
      v = Integer.parseInt(version.trim());
    } catch (NumberFormatException e) {
      v = 0;
    }
    if (v < 1) {
      throw new IllegalArgumentException(op + ": " + path + ": metadata '" + FORMAT + "' is '" + version
          + "', expected an integer >= 1");
    }
    if (v > VERSION) {
      throw new IllegalArgumentException(op + ": " + path + " has model format version " + v + "; this version of "
          + "rnn4j reads versions up to " + VERSION);
    }
    return meta.get(MODEL);
  }
}
