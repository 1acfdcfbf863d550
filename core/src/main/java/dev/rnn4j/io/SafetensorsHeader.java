package dev.rnn4j.io;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The validated header of a safetensors file: its tensor entries in data order and its optional
 * {@code __metadata__} string map.
 *
 * <p>An instance exists only for a header that passed every check of {@link #parse}: UTF-8, one JSON object that
 * starts at the first byte, only known keys, known dtypes, non-negative integer shapes and offsets, byte lengths
 * equal to element count times element size, offsets that tile the data section exactly (no gap, no overlap, nothing
 * left over), no duplicate names. The JSON is read with Gson's streaming reader in strict mode so that duplicate keys,
 * non-integer numbers and unknown fields are seen rather than silently merged or coerced.
 */
public final class SafetensorsHeader {

  /** The key of the optional string-to-string metadata object. */
  public static final String METADATA_KEY = "__metadata__";

  /** Largest header accepted, as in the reference implementation (100 MB): a guard against absurd lengths. */
  public static final long MAX_HEADER_BYTES = 100_000_000L;

  /** JSON integers as the format writes them: no sign, no fraction, no exponent, no leading zero. */
  private static final Pattern NON_NEGATIVE_INTEGER = Pattern.compile("0|[1-9][0-9]*");

  private final List<SafetensorsEntry> entries;
  private final Map<String, SafetensorsEntry> byName;
  private final Map<String, String> metadata;

  private SafetensorsHeader(List<SafetensorsEntry> entries, Map<String, String> metadata) {
    this.entries = List.copyOf(entries);
    Map<String, SafetensorsEntry> index = new LinkedHashMap<>();
    for (SafetensorsEntry e : entries) {
      index.put(e.name(), e);
    }
    this.byName = Collections.unmodifiableMap(index);
    this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
  }

  /** The tensors in data order (increasing offsets). */
  public List<SafetensorsEntry> entries() {
    return entries;
  }

  /** The tensor called {@code name}, if present. */
  public Optional<SafetensorsEntry> entry(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** The tensor names in data order. */
  public List<String> names() {
    return List.copyOf(byName.keySet());
  }

  /** The {@code __metadata__} map (empty when the header has none), in file order. */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** Total bytes of the data section: the end of the last tensor (0 without tensors). */
  public long dataLength() {
    return entries.isEmpty() ? 0 : entries.get(entries.size() - 1).end();
  }

  /**
   * Parses and validates a header.
   *
   * @param source names the file in messages
   * @param json the N header bytes (after the 8-byte length)
   * @param dataLength bytes that follow the header in the file: the tensors must cover exactly this many
   * @throws SafetensorsFormatException naming the tensor and the problem
   */
  static SafetensorsHeader parse(String source, byte[] json, long dataLength) throws SafetensorsFormatException {
    if (json.length < 2 || json[0] != '{') {
      throw new SafetensorsFormatException(source + ": header does not start with '{' (a JSON object)");
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(json)).toString();
    } catch (CharacterCodingException e) {
      throw new SafetensorsFormatException(source + ": header is not valid UTF-8", e);
    }
    List<SafetensorsEntry> entries = new ArrayList<>();
    Map<String, String> metadata = new LinkedHashMap<>();
    try (JsonReader reader = new JsonReader(new StringReader(text))) {
      reader.setStrictness(Strictness.STRICT);
      readTopLevel(source, reader, entries, metadata);
    } catch (SafetensorsFormatException e) {
      throw e;
    } catch (IOException | IllegalStateException | NumberFormatException e) {
      // Gson signals syntax errors with MalformedJsonException (an IOException) and IllegalStateException.
      throw jsonError(source, e);
    }
    validateLayout(source, entries, dataLength);
    entries.sort(Comparator.comparingLong(SafetensorsEntry::begin).thenComparingLong(SafetensorsEntry::end));
    return new SafetensorsHeader(entries, metadata);
  }

  /** Gson's messages: "{what} at line {l} column {c} path {p}", optionally followed by "\nSee {url}". */
  private static final Pattern GSON_MESSAGE = Pattern.compile("(?s)(.*?) at line (\\d+) column (\\d+) path (\\S*).*");

  /**
   * The library's own message for a JSON syntax error: the file, the position and what is wrong, without the
   * parser's advice (Gson suggests lenient parsing and links its troubleshooting guide; neither helps a user whose
   * file is corrupt, and a safetensors header must be strict JSON).
   */
  static SafetensorsFormatException jsonError(String source, Exception e) {
    String raw = e.getMessage() == null ? "" : e.getMessage();
    Matcher m = GSON_MESSAGE.matcher(raw);
    String what = m.matches() ? m.group(1) : raw.lines().findFirst().orElse("");
    String where = m.matches() ? " at line " + m.group(2) + " column " + m.group(3) + " (JSON path " + m.group(4)
        + ")" : "";
    String lower = what.toLowerCase(Locale.ROOT);
    if (lower.contains("lenient") || lower.contains("strictness") || lower.contains("malformed")) {
      // Gson's advice for anything strict JSON forbids: name the usual culprits instead.
      what = "syntax that strict JSON does not allow (an unquoted or single-quoted name, a comment, a missing "
          + "separator, or text after the header object)";
    } else if (lower.startsWith("end of input")) {
      what = "the header ends before its JSON is complete";
    } else {
      what = what.replace("BEGIN_OBJECT", "'{'").replace("END_OBJECT", "'}'").replace("BEGIN_ARRAY", "'['")
          .replace("END_ARRAY", "']'").replace("END_DOCUMENT", "the end");
    }
    return new SafetensorsFormatException(source + ": header is not valid JSON" + where + ": " + what, e);
  }

  private static void readTopLevel(String source, JsonReader reader, List<SafetensorsEntry> entries,
                                   Map<String, String> metadata) throws IOException {
    expect(source, reader, JsonToken.BEGIN_OBJECT, "the header");
    reader.beginObject();
    Set<String> seen = new HashSet<>();
    while (reader.hasNext()) {
      String name = reader.nextName();
      if (!seen.add(name)) {
        throw new SafetensorsFormatException(source + ": duplicate name '" + name + "' in the header");
      }
      if (name.equals(METADATA_KEY)) {
        readMetadata(source, reader, metadata);
      } else {
        entries.add(readEntry(source, reader, name));
      }
    }
    reader.endObject();
    if (reader.peek() != JsonToken.END_DOCUMENT) {
      throw new SafetensorsFormatException(source + ": header has content after its JSON object");
    }
  }

  private static void readMetadata(String source, JsonReader reader, Map<String, String> metadata)
      throws IOException {
    expect(source, reader, JsonToken.BEGIN_OBJECT, "'" + METADATA_KEY + "'");
    reader.beginObject();
    while (reader.hasNext()) {
      String key = reader.nextName();
      if (reader.peek() != JsonToken.STRING) {
        throw new SafetensorsFormatException(source + ": '" + METADATA_KEY + "' value of '" + key
            + "' is not a string (found " + reader.peek() + ")");
      }
      if (metadata.put(key, reader.nextString()) != null) {
        throw new SafetensorsFormatException(source + ": duplicate key '" + key + "' in '" + METADATA_KEY + "'");
      }
    }
    reader.endObject();
  }

  private static SafetensorsEntry readEntry(String source, JsonReader reader, String name) throws IOException {
    String where = source + ": tensor '" + name + "'";
    expect(source, reader, JsonToken.BEGIN_OBJECT, "tensor '" + name + "'");
    reader.beginObject();
    SafetensorsDtype dtype = null;
    long[] shape = null;
    long[] offsets = null;
    while (reader.hasNext()) {
      String key = reader.nextName();
      switch (key) {
        case "dtype" -> {
          if (dtype != null) {
            throw new SafetensorsFormatException(where + ": duplicate key 'dtype'");
          }
          if (reader.peek() != JsonToken.STRING) {
            throw new SafetensorsFormatException(where + ": dtype is not a string (found " + reader.peek() + ")");
          }
          String code = reader.nextString();
          dtype = SafetensorsDtype.fromCode(code).orElseThrow(() -> new SafetensorsFormatException(
              where + ": unknown dtype '" + code + "'"));
        }
        case "shape" -> {
          if (shape != null) {
            throw new SafetensorsFormatException(where + ": duplicate key 'shape'");
          }
          shape = readIntegers(where, reader, "shape");
        }
        case "data_offsets" -> {
          if (offsets != null) {
            throw new SafetensorsFormatException(where + ": duplicate key 'data_offsets'");
          }
          offsets = readIntegers(where, reader, "data_offsets");
          if (offsets.length != 2) {
            throw new SafetensorsFormatException(where + ": data_offsets has " + offsets.length
                + " values, expected 2 [begin, end]");
          }
        }
        default -> throw new SafetensorsFormatException(where + ": unknown key '" + key
            + "' (expected dtype, shape, data_offsets)");
      }
    }
    reader.endObject();
    if (dtype == null || shape == null || offsets == null) {
      throw new SafetensorsFormatException(where + ": missing " + (dtype == null ? "dtype"
          : shape == null ? "shape" : "data_offsets"));
    }
    if (offsets[1] < offsets[0]) {
      throw new SafetensorsFormatException(where + ": data_offsets [" + offsets[0] + ", " + offsets[1]
          + "] end before they begin");
    }
    long bytes = byteLength(where, dtype, shape);
    if (bytes != offsets[1] - offsets[0]) {
      throw new SafetensorsFormatException(where + ": shape " + Arrays.toString(shape) + " of " + dtype
          + " needs " + bytes + " bytes but data_offsets [" + offsets[0] + ", " + offsets[1] + "] span "
          + (offsets[1] - offsets[0]));
    }
    return new SafetensorsEntry(name, dtype, shape, offsets[0], offsets[1]);
  }

  /** Element count times element size in bytes, rejecting overflow and packed sizes that are not whole bytes. */
  private static long byteLength(String where, SafetensorsDtype dtype, long[] shape)
      throws SafetensorsFormatException {
    try {
      long count = 1;
      for (long d : shape) {
        count = Math.multiplyExact(count, d);
      }
      long bits = Math.multiplyExact(count, (long) dtype.bitsPerElement());
      if (bits % 8 != 0) {
        throw new SafetensorsFormatException(where + ": " + count + " elements of " + dtype
            + " do not fill whole bytes");
      }
      return bits / 8;
    } catch (ArithmeticException e) {
      throw new SafetensorsFormatException(where + ": shape " + Arrays.toString(shape)
          + " overflows a 64-bit byte count", e);
    }
  }

  private static long[] readIntegers(String where, JsonReader reader, String what) throws IOException {
    if (reader.peek() != JsonToken.BEGIN_ARRAY) {
      throw new SafetensorsFormatException(where + ": " + what + " is not an array (found " + reader.peek() + ")");
    }
    reader.beginArray();
    List<Long> values = new ArrayList<>();
    while (reader.hasNext()) {
      if (reader.peek() != JsonToken.NUMBER) {
        throw new SafetensorsFormatException(where + ": " + what + " holds a " + reader.peek()
            + ", expected non-negative integers");
      }
      // nextString gives the literal as written, so 1.0, 1e3 and -0 are seen and refused rather than coerced.
      String literal = reader.nextString();
      if (!NON_NEGATIVE_INTEGER.matcher(literal).matches()) {
        throw new SafetensorsFormatException(where + ": " + what + " holds " + literal
            + ", expected non-negative integers");
      }
      try {
        values.add(Long.parseLong(literal));
      } catch (NumberFormatException e) {
        throw new SafetensorsFormatException(where + ": " + what + " value " + literal + " exceeds 2^63 - 1", e);
      }
    }
    reader.endArray();
    long[] out = new long[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

  private static void expect(String source, JsonReader reader, JsonToken token, String what) throws IOException {
    JsonToken found = reader.peek();
    if (found != token) {
      throw new SafetensorsFormatException(source + ": " + what + " is not a JSON object (found " + found + ")");
    }
  }

  /**
   * The offsets must tile {@code [0, dataLength)}: sorted by begin, each tensor starts where the previous one ended
   * (empty tensors may sit at any boundary), and the last one ends at the end of the file.
   */
  private static void validateLayout(String source, List<SafetensorsEntry> entries, long dataLength)
      throws SafetensorsFormatException {
    for (SafetensorsEntry e : entries) {
      if (e.end() > dataLength) {
        throw new SafetensorsFormatException(source + ": tensor '" + e.name() + "': data_offsets [" + e.begin()
            + ", " + e.end() + "] extend past the data section of " + dataLength + " bytes (file truncated?)");
      }
    }
    List<SafetensorsEntry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparingLong(SafetensorsEntry::begin).thenComparingLong(SafetensorsEntry::end));
    long expected = 0;
    SafetensorsEntry previous = null;
    for (SafetensorsEntry e : sorted) {
      if (e.begin() < expected) {
        throw new SafetensorsFormatException(source + ": tensor '" + e.name() + "': data_offsets [" + e.begin()
            + ", " + e.end() + "] overlap tensor '" + previous.name() + "' [" + previous.begin() + ", "
            + previous.end() + "]");
      }
      if (e.begin() > expected) {
        throw new SafetensorsFormatException(source + ": tensor '" + e.name() + "': gap of "
            + (e.begin() - expected) + " bytes before its data_offsets [" + e.begin() + ", " + e.end() + "]");
      }
      expected = e.end();
      if (e.end() > e.begin()) {
        previous = e;
      }
    }
    if (expected != dataLength) {
      throw new SafetensorsFormatException(source + ": the tensors cover " + expected
          + " bytes but the data section holds " + dataLength + " (trailing bytes after the last tensor)");
    }
  }
}
