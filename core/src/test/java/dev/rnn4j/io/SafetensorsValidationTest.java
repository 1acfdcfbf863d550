package dev.rnn4j.io;

import static dev.rnn4j.io.SafetensorsBytes.concat;
import static dev.rnn4j.io.SafetensorsBytes.f32;
import static dev.rnn4j.io.SafetensorsBytes.file;
import static dev.rnn4j.io.SafetensorsBytes.le64;
import static dev.rnn4j.io.SafetensorsBytes.zeros;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every malformed-file case is rejected at open with a message naming the tensor and the problem. */
class SafetensorsValidationTest {

  @TempDir
  Path dir;

  private static String tensor(String name, String dtype, String shape, long begin, long end) {
    return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + ","
        + end + "]}";
  }

  /** Writes {@code bytes}, opens it, expects rejection, and returns the message. */
  private String rejected(byte[] bytes) throws IOException {
    Path p = dir.resolve("bad.safetensors");
    Files.write(p, bytes);
    SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> {
      try (SafetensorsFile f = SafetensorsFile.open(p)) {
        f.readAll();
      }
    });
    assertTrue(e.getMessage().startsWith(p.toString() + ": "), e.getMessage());
    return e.getMessage();
  }

  private static void assertMentions(String message, String... parts) {
    for (String part : parts) {
      assertTrue(message.contains(part), () -> "'" + part + "' not in: " + message);
    }
  }

  /** A valid two-tensor file: "a" F32 [2] at [0, 8), "b" F32 [1] at [8, 12). */
  private static byte[] valid() {
    return file("{" + tensor("a", "F32", "[2]", 0, 8) + "," + tensor("b", "F32", "[1]", 8, 12) + "}",
        f32(1, 2, 3));
  }

  @Test
  void theBaselineIsValid() throws IOException {
    Path p = dir.resolve("ok.safetensors");
    Files.write(p, valid());
    Map<String, SafetensorsTensor> t = Safetensors.read(p);
    assertEquals(2, t.size());
  }

  @Test
  void fileShorterThanTheLengthField() throws IOException {
    assertMentions(rejected(new byte[] {8, 0, 0}), "3 bytes", "8-byte header length");
  }

  @Test
  void truncatedData() throws IOException {
    byte[] v = valid();
    assertMentions(rejected(Arrays.copyOf(v, v.length - 1)), "tensor 'b'", "[8, 12]", "extend past",
        "11 bytes");
  }

  @Test
  void truncatedHeader() throws IOException {
    byte[] v = valid();
    assertMentions(rejected(Arrays.copyOf(v, 20)), "header length", "exceeds the 12 bytes");
  }

  @Test
  void headerLengthAboveTheCap() throws IOException {
    byte[] v = valid();
    System.arraycopy(le64(100_000_001L), 0, v, 0, 8);
    assertMentions(rejected(v), "header length 100000001", "limit of 100000000");
    // All bits set: 2^64 - 1 as the unsigned value the format defines.
    System.arraycopy(le64(-1L), 0, v, 0, 8);
    assertMentions(rejected(v), "header length 18446744073709551615");
  }

  @Test
  void headerLengthBeyondTheFile() throws IOException {
    byte[] v = valid();
    long n = v.length - 8 + 1;
    System.arraycopy(le64(n), 0, v, 0, 8);
    assertMentions(rejected(v), "header length " + n, "exceeds the " + (v.length - 8) + " bytes");
  }

  @Test
  void headerLengthTooSmall() throws IOException {
    assertMentions(rejected(concat(le64(1), "{".getBytes(StandardCharsets.US_ASCII))), "header length 1",
        "too small");
    assertMentions(rejected(concat(le64(0), zeros(4))), "header length 0");
  }

  @Test
  void invalidJson() throws IOException {
    assertMentions(rejected(file("{\"a\":{\"dtype\":\"F32\",", zeros(0))), "not valid JSON");
    assertMentions(rejected(file("{\"a\" 1}", zeros(0))), "not valid JSON");
    // Lenient-only syntax: unquoted names, single quotes, trailing comma, comments.
    assertMentions(rejected(file("{a:{}}", zeros(0))), "not valid JSON");
    assertMentions(rejected(file("{'a':{}}", zeros(0))), "not valid JSON");
    assertMentions(rejected(file("{" + tensor("a", "F32", "[1]", 0, 4) + ",}", f32(1))), "not valid JSON");
    assertMentions(rejected(file("{/*c*/}", zeros(0))), "not valid JSON");
  }

  @Test
  void headerIsNotAnObjectOrHasTrailingContent() throws IOException {
    assertMentions(rejected(file("[1,2]   ", zeros(0))), "does not start with '{'");
    assertMentions(rejected(file("  {}    ", zeros(0))), "does not start with '{'");
    assertMentions(rejected(file("{}{}    ", zeros(0))), "not valid JSON");
    assertMentions(rejected(file("{}   x  ", zeros(0))), "not valid JSON");
    assertMentions(rejected(file("{\"a\":[]}", zeros(0))), "tensor 'a' is not a JSON object");
  }

  @Test
  void trailingWhitespacePaddingIsAccepted() throws IOException {
    Path p = dir.resolve("pad.safetensors");
    Files.write(p, file("{" + tensor("a", "F32", "[1]", 0, 4) + "}\n  \t ", f32(5)));
    assertEquals(5f, Safetensors.read(p).get("a").floats()[0]);
  }

  @Test
  void invalidUtf8() throws IOException {
    byte[] bytes = concat(le64(8), new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'});
    assertMentions(rejected(bytes), "not valid UTF-8");
  }

  @Test
  void unknownDtype() throws IOException {
    assertMentions(rejected(file("{" + tensor("w", "F33", "[1]", 0, 4) + "}", f32(1))), "tensor 'w'",
        "unknown dtype 'F33'");
    assertMentions(rejected(file("{" + tensor("w", "f32", "[1]", 0, 4) + "}", f32(1))), "unknown dtype 'f32'");
  }

  /** A known dtype that rnn4j does not read: the header is valid, reading the tensor is refused by name. */
  @Test
  void knownButUnreadableDtype() throws IOException {
    byte[] bytes = file("{" + tensor("emb", "F16", "[2]", 0, 4) + "}", zeros(4));
    Path p = dir.resolve("f16.safetensors");
    Files.write(p, bytes);
    try (SafetensorsFile f = SafetensorsFile.open(p)) {
      assertEquals(SafetensorsDtype.F16, f.header().entry("emb").orElseThrow().dtype());
      SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> f.read("emb"));
      assertMentions(e.getMessage(), "tensor 'emb'", "dtype F16", "only F32, F64, BF16 and I8");
    }
    assertMentions(rejected(bytes), "tensor 'emb'", "F16");
  }

  /** Packed sub-byte dtypes: 3 F4 elements are 12 bits, not a whole number of bytes. */
  @Test
  void packedDtypeMustFillWholeBytes() throws IOException {
    assertMentions(rejected(file("{" + tensor("q", "F4", "[3]", 0, 2) + "}", zeros(2))), "tensor 'q'",
        "3 elements of F4", "whole bytes");
  }

  @Test
  void shapeAndByteLengthMismatch() throws IOException {
    assertMentions(rejected(file("{" + tensor("w", "F32", "[2,3]", 0, 20) + "}", zeros(20))), "tensor 'w'",
        "shape [2, 3] of F32 needs 24 bytes", "[0, 20] span 20");
  }

  @Test
  void badShapes() throws IOException {
    assertMentions(rejected(file("{" + tensor("w", "F32", "[-1]", 0, 0) + "}", zeros(0))), "tensor 'w'",
        "shape holds -1");
    assertMentions(rejected(file("{" + tensor("w", "F32", "[1.0]", 0, 4) + "}", zeros(4))), "tensor 'w'",
        "shape holds 1.0");
    assertMentions(rejected(file("{" + tensor("w", "F32", "[1e0]", 0, 4) + "}", zeros(4))), "shape holds 1e0");
    assertMentions(rejected(file("{" + tensor("w", "F32", "[\"2\"]", 0, 8) + "}", zeros(8))), "shape holds a STRING");
    assertMentions(rejected(file("{" + tensor("w", "F32", "2", 0, 8) + "}", zeros(8))), "shape is not an array");
    assertMentions(rejected(file("{" + tensor("w", "F32", "[99999999999999999999]", 0, 8) + "}", zeros(8))),
        "exceeds 2^63 - 1");
    assertMentions(rejected(file("{" + tensor("w", "F32", "[4294967296,4294967296]", 0, 8) + "}", zeros(8))),
        "tensor 'w'", "overflows");
  }

  @Test
  void badOffsets() throws IOException {
    assertMentions(rejected(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", zeros(4))),
        "tensor 'w'", "data_offsets has 3 values");
    assertMentions(rejected(file("{" + tensor("w", "F32", "[0]", 4, 0) + "}", zeros(4))), "tensor 'w'",
        "end before they begin");
    assertMentions(rejected(file("{" + tensor("w", "F32", "[1]", 4, 8) + "}", zeros(4))), "tensor 'w'",
        "[4, 8] extend past the data section of 4 bytes");
  }

  @Test
  void overlappingOffsets() throws IOException {
    String h = "{" + tensor("a", "F32", "[2]", 0, 8) + "," + tensor("b", "F32", "[2]", 4, 12) + "}";
    assertMentions(rejected(file(h, zeros(12))), "tensor 'b'", "[4, 12] overlap tensor 'a' [0, 8]");
    // The same range twice.
    String twice = "{" + tensor("a", "F32", "[1]", 0, 4) + "," + tensor("b", "F32", "[1]", 0, 4) + "}";
    assertMentions(rejected(file(twice, zeros(4))), "overlap");
    // An empty tensor pointing inside another one.
    String inside = "{" + tensor("a", "F32", "[2]", 0, 8) + "," + tensor("e", "F32", "[0]", 4, 4) + "}";
    assertMentions(rejected(file(inside, zeros(8))), "tensor 'e'", "overlap tensor 'a'");
  }

  @Test
  void emptyTensorsAtBoundariesAreFine() throws IOException {
    String h = "{" + tensor("a", "F32", "[1]", 0, 4) + "," + tensor("e", "F64", "[0,5]", 4, 4) + ","
        + tensor("b", "F32", "[1]", 4, 8) + "," + tensor("z", "F32", "[0]", 8, 8) + "}";
    Path p = dir.resolve("empties.safetensors");
    Files.write(p, file(h, f32(1, 2)));
    assertEquals(4, Safetensors.read(p).size());
  }

  @Test
  void gapBetweenTensors() throws IOException {
    String h = "{" + tensor("a", "F32", "[1]", 0, 4) + "," + tensor("b", "F32", "[1]", 8, 12) + "}";
    assertMentions(rejected(file(h, zeros(12))), "tensor 'b'", "gap of 4 bytes");
    String start = "{" + tensor("a", "F32", "[1]", 4, 8) + "}";
    assertMentions(rejected(file(start, zeros(8))), "tensor 'a'", "gap of 4 bytes");
  }

  @Test
  void trailingBytesAfterTheLastTensor() throws IOException {
    String h = "{" + tensor("a", "F32", "[1]", 0, 4) + "}";
    assertMentions(rejected(file(h, zeros(6))), "cover 4 bytes but the data section holds 6");
  }

  @Test
  void duplicateNames() throws IOException {
    String h = "{" + tensor("a", "F32", "[1]", 0, 4) + "," + tensor("a", "F32", "[1]", 4, 8) + "}";
    assertMentions(rejected(file(h, zeros(8))), "duplicate name 'a'");
    String meta = "{\"__metadata__\":{},\"__metadata__\":{}}";
    assertMentions(rejected(file(meta, zeros(0))), "duplicate name '__metadata__'");
    String key = "{\"w\":{\"dtype\":\"F32\",\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
    assertMentions(rejected(file(key, zeros(4))), "tensor 'w'", "duplicate key 'dtype'");
  }

  @Test
  void missingAndUnknownKeys() throws IOException {
    assertMentions(rejected(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", zeros(4))), "tensor 'w'",
        "missing data_offsets");
    assertMentions(rejected(file("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", zeros(4))), "missing dtype");
    assertMentions(rejected(file(
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"stride\":[1]}}", zeros(4))),
        "tensor 'w'", "unknown key 'stride'");
  }

  @Test
  void metadataMustMapStringsToStrings() throws IOException {
    assertMentions(rejected(file("{\"__metadata__\":{\"epoch\":3}}", zeros(0))), "'epoch' is not a string");
    assertMentions(rejected(file("{\"__metadata__\":[]}", zeros(0))), "'__metadata__' is not a JSON object");
    assertMentions(rejected(file("{\"__metadata__\":{\"a\":\"1\",\"a\":\"2\"}}", zeros(0))), "duplicate key 'a'");
  }
}
