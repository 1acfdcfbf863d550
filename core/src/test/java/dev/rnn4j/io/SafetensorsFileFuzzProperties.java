package dev.rnn4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The reader on hostile input: arbitrary bytes, and valid files with one byte changed or cut short, either read
 * successfully or fail with an {@link IOException} (usually {@link SafetensorsFormatException}); never another
 * exception type (no IndexOutOfBounds, NegativeArraySize, OutOfMemory, NumberFormat, IllegalState from the JSON
 * library).
 */
class SafetensorsFileFuzzProperties {

  private static Path dir;
  private static byte[] valid;

  @BeforeContainer
  static void createDir() throws IOException {
    dir = Files.createTempDirectory("rnn4j-safetensors-fuzz");
    valid = writeValidFile();
  }

  @AfterContainer
  static void deleteDir() throws IOException {
    try (var s = Files.list(dir)) {
      for (Path p : s.toList()) {
        Files.delete(p);
      }
    }
    Files.delete(dir);
  }

  /** A copy of the valid file. */
  static byte[] validFile() {
    return valid.clone();
  }

  /** A valid file with metadata, two dtypes, a scalar and an empty tensor. */
  static byte[] writeValidFile() {
    try {
      Map<String, SafetensorsTensor> t = new LinkedHashMap<>();
      t.put("layer.weight", SafetensorsTensor.ofFloats(new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}));
      t.put("layer.bias", SafetensorsTensor.ofFloats(new int[] {2}, new float[] {-1, -2}));
      t.put("scale", SafetensorsTensor.ofDoubles(new int[] {}, new double[] {0.125}));
      t.put("none", SafetensorsTensor.ofFloats(new int[] {0, 4}, new float[0]));
      Path p = Files.createTempFile(dir, "valid", ".safetensors");
      Safetensors.write(p, t, Map.of("format", "pt"));
      byte[] bytes = Files.readAllBytes(p);
      Files.delete(p);
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Outcome of reading {@code bytes}: "ok", or "rejected". Any other exception escapes and fails the property. */
  static String readOutcome(byte[] bytes) throws IOException {
    Path p = Files.createTempFile(dir, "fuzz", ".safetensors");
    try {
      Files.write(p, bytes);
      try (SafetensorsFile f = SafetensorsFile.open(p)) {
        f.readAll();
        return "ok";
      } catch (IOException e) {
        return "rejected";
      }
    } finally {
      Files.delete(p);
    }
  }

  @Property(tries = 200)
  void arbitraryBytes(@ForAll @Size(max = 200) byte[] bytes) throws IOException {
    readOutcome(bytes);
  }

  /** Garbage behind a plausible length field, so the JSON parser sees it. */
  @Property(tries = 200)
  void arbitraryHeaderText(@ForAll("jsonish") String header, @ForAll @Size(max = 24) byte[] data)
      throws IOException {
    readOutcome(SafetensorsBytes.file(header, data));
  }

  @Provide
  Arbitrary<String> jsonish() {
    return Arbitraries.strings().withChars("{}[]\":,0123456789-.eE aF3264__metadtyshpofs\\u").ofMaxLength(80)
        .map(s -> "{" + s);
  }

  @Property(tries = 300)
  void singleByteMutation(@ForAll @IntRange(min = 0, max = 10_000) int where, @ForAll byte value)
      throws IOException {
    byte[] bytes = validFile();
    int i = where % bytes.length;
    bytes[i] = value;
    readOutcome(bytes);
  }

  @Property(tries = 100)
  void truncation(@ForAll @IntRange(min = 0, max = 10_000) int cut) throws IOException {
    byte[] bytes = validFile();
    int keep = cut % bytes.length;
    // Every strict prefix of a valid file is invalid: the data section no longer matches the offsets.
    assertEquals("rejected", readOutcome(Arrays.copyOf(bytes, keep)));
  }

  @Property(tries = 50)
  void appendedBytesAreRejected(@ForAll @Size(min = 1, max = 16) byte[] extra) throws IOException {
    byte[] bytes = validFile();
    assertEquals("rejected", readOutcome(SafetensorsBytes.concat(bytes, extra)));
  }
}
