package dev.rnn4j.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.io.Safetensors;
import dev.rnn4j.io.SafetensorsFile;
import dev.rnn4j.io.SafetensorsTensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/** Saved files with one thing changed, for the tests that a loader rejects them whole. */
public final class CorruptedFiles {

  /** A loader under test: {@code QuantizedRecurrentLayer::load}, {@code QuantizedLinear::load}, ... */
  @FunctionalInterface
  public interface Loader {
    Object load(Path path) throws IOException;
  }

  private CorruptedFiles() {}

  /**
   * Rewrites the tensors of the valid file {@code good} with {@code change} (keeping its metadata) into {@code bad},
   * checks that {@code loader} refuses it with an {@link IllegalArgumentException} naming {@code bad}, and returns
   * the message for the caller's checks of what it names.
   */
  public static String rejection(Path good, Path bad, Consumer<Map<String, SafetensorsTensor>> change, Loader loader)
      throws IOException {
    Map<String, SafetensorsTensor> tensors = new LinkedHashMap<>(Safetensors.read(good));
    Map<String, String> meta;
    try (SafetensorsFile f = SafetensorsFile.open(good)) {
      meta = f.header().metadata();
    }
    change.accept(tensors);
    Safetensors.write(bad, tensors, meta);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loader.load(bad));
    assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
    return e.getMessage();
  }
}
