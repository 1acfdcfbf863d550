package dev.rnn4j.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The scorers loaded in this JVM, keyed by the SHA-256 of the model file's bytes and the spec: an executor loads a
 * model once, however many tasks and jobs score with it, and its tasks share the scorer (and so the layer's pool of
 * runners). At most {@value #CAPACITY} models are kept, the least recently used leaving first.
 */
final class ModelCache {

  static final int CAPACITY = 4;

  private static final Map<String, SequenceScorer> CACHE = new LinkedHashMap<>(8, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, SequenceScorer> eldest) {
      return size() > CAPACITY;
    }
  };
  private static long loads; // guarded by CACHE

  private ModelCache() {}

  /** The hex SHA-256 of {@code bytes}. */
  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }

  /**
   * The cached scorer for the model whose bytes hash to {@code sha256}, loading it from {@code bytes} (only read
   * on a miss, so a broadcast is fetched once per JVM) the first time.
   */
  static SequenceScorer get(ModelSpec spec, String sha256, Supplier<byte[]> bytes) {
    String key = sha256 + "|" + spec;
    synchronized (CACHE) {
      SequenceScorer s = CACHE.get(key);
      if (s == null) {
        try {
          s = SequenceScorer.fromBytes(spec, bytes.get());
        } catch (IOException e) {
          throw new UncheckedIOException("rnn4j spark: cannot load the broadcast model " + sha256, e);
        }
        CACHE.put(key, s);
        loads++;
      }
      return s;
    }
  }

  /** How many models this JVM has loaded so far (for tests and logs). */
  static long loads() {
    synchronized (CACHE) {
      return loads;
    }
  }
}
