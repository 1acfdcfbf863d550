package dev.rnn4j.io;

import static dev.rnn4j.io.SafetensorsBytes.concat;
import static dev.rnn4j.io.SafetensorsBytes.f32;
import static dev.rnn4j.io.SafetensorsBytes.f64;
import static dev.rnn4j.io.SafetensorsBytes.le64;
import static dev.rnn4j.io.SafetensorsBytes.spaces;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer's bytes against the format definition, and the reader on well-formed files. */
class SafetensorsFormatTest {

  @TempDir
  Path dir;

  /**
   * A scalar F64 "b" = 0.5 and an F32 "a" = [1, -2]. Expected bytes written out from the format definition:
   * F64 sorts before F32 (descending alignment), so "b" comes first at [0, 8) and "a" at [8, 16).
   * The JSON below has 107 bytes (counted piecewise: {=1, "b":=4, {"dtype":"F64",=15, "shape":[],=11,
   * "data_offsets":[0,8]}=21, ,=1, "a":=4, {"dtype":"F32",=15, "shape":[2],=12, "data_offsets":[8,16]}=22, }=1),
   * padded with 5 spaces to N = 112.
   * Float bits: 0.5 = 0x3FE0000000000000, 1.0f = 0x3F800000, -2.0f = 0xC0000000, stored little-endian.
   */
  @Test
  void smallFileMatchesTheFormatByteForByte() throws IOException {
    Map<String, SafetensorsTensor> tensors = new LinkedHashMap<>();
    tensors.put("a", SafetensorsTensor.ofFloats(new int[] {2}, new float[] {1f, -2f}));
    tensors.put("b", SafetensorsTensor.ofDoubles(new int[] {}, new double[] {0.5}));
    Path file = dir.resolve("small.safetensors");
    Safetensors.write(file, tensors);

    String json = "{\"b\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[0,8]},"
        + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}";
    assertEquals(107, json.length());
    byte[] expected = concat(
        new byte[] {112, 0, 0, 0, 0, 0, 0, 0},
        json.getBytes(StandardCharsets.US_ASCII), spaces(5),
        new byte[] {0, 0, 0, 0, 0, 0, (byte) 0xE0, 0x3F},
        new byte[] {0, 0, (byte) 0x80, 0x3F},
        new byte[] {0, 0, 0, (byte) 0xC0});
    assertEquals(136, expected.length);
    assertArrayEquals(expected, Files.readAllBytes(file));
    assertEquals(tensors, Safetensors.read(file));
  }

  /**
   * The serialization vector of the reference implementation's own tests: "attn.0", F32, shape [1, 2, 3], values
   * 0..5. The 64-byte JSON needs no padding.
   */
  @Test
  void referenceSerializationVector() throws IOException {
    Path file = dir.resolve("attn.safetensors");
    Safetensors.write(file, Map.of("attn.0",
        SafetensorsTensor.ofFloats(new int[] {1, 2, 3}, new float[] {0, 1, 2, 3, 4, 5})));
    byte[] expected = {
        64, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 46, 48, 34, 58, 123, 34, 100,
        116, 121, 112, 101, 34, 58, 34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34,
        58, 91, 49, 44, 50, 44, 51, 93, 44, 34, 100, 97, 116, 97, 95, 111, 102, 102, 115,
        101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125, 125, 0, 0, 0, 0, 0, 0, (byte) 128, 63,
        0, 0, 0, 64, 0, 0, 64, 64, 0, 0, (byte) 128, 64, 0, 0, (byte) 160, 64};
    assertArrayEquals(expected, Files.readAllBytes(file));
  }

  /** "attn0" with shape [1, 1, 2, 3]: a 65-byte JSON, padded with 7 spaces to 72 (the reference's alignment case). */
  @Test
  void headerIsPaddedWithSpacesToEightBytes() throws IOException {
    Path file = dir.resolve("attn0.safetensors");
    Safetensors.write(file, Map.of("attn0",
        SafetensorsTensor.ofFloats(new int[] {1, 1, 2, 3}, new float[] {0, 1, 2, 3, 4, 5})));
    String json = "{\"attn0\":{\"dtype\":\"F32\",\"shape\":[1,1,2,3],\"data_offsets\":[0,24]}}";
    assertEquals(65, json.length());
    byte[] expected = concat(le64(72), json.getBytes(StandardCharsets.US_ASCII), spaces(7),
        f32(0, 1, 2, 3, 4, 5));
    assertArrayEquals(expected, Files.readAllBytes(file));
  }

  /** No tensors: "{}" plus 6 spaces; with metadata the 35-byte object is padded to 40. */
  @Test
  void emptyFileAndMetadata() throws IOException {
    Path empty = dir.resolve("empty.safetensors");
    Safetensors.write(empty, Map.of());
    assertArrayEquals(concat(le64(8), "{}".getBytes(StandardCharsets.US_ASCII), spaces(6)),
        Files.readAllBytes(empty));
    assertEquals(Map.of(), Safetensors.read(empty));

    Path meta = dir.resolve("meta.safetensors");
    Safetensors.write(meta, Map.of(), Map.of("framework", "pt"));
    String json = "{\"__metadata__\":{\"framework\":\"pt\"}}";
    assertEquals(35, json.length());
    assertArrayEquals(concat(le64(40), json.getBytes(StandardCharsets.US_ASCII), spaces(5)),
        Files.readAllBytes(meta));
    try (SafetensorsFile f = SafetensorsFile.open(meta)) {
      assertEquals(Map.of("framework", "pt"), f.header().metadata());
      assertTrue(f.header().entries().isEmpty());
    }
  }

  /** Same dtype: by name, in UTF-8 byte order ("B" 0x42 < "a" 0x61 < "b" 0x62); offsets follow that order. */
  @Test
  void tensorsOfOneDtypeAreOrderedByName() throws IOException {
    Map<String, SafetensorsTensor> tensors = new LinkedHashMap<>();
    tensors.put("b", SafetensorsTensor.ofFloats(new int[] {1}, new float[] {3}));
    tensors.put("a", SafetensorsTensor.ofFloats(new int[] {1}, new float[] {2}));
    tensors.put("B", SafetensorsTensor.ofFloats(new int[] {1}, new float[] {1}));
    Path file = dir.resolve("order.safetensors");
    Safetensors.write(file, tensors);
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      assertEquals(List.of("B", "a", "b"), f.header().names());
      assertEquals(new SafetensorsEntry("a", SafetensorsDtype.F32, new long[] {1}, 4, 8),
          f.header().entry("a").orElseThrow());
    }
    byte[] bytes = Files.readAllBytes(file);
    byte[] data = java.util.Arrays.copyOfRange(bytes, bytes.length - 12, bytes.length);
    assertArrayEquals(f32(1, 2, 3), data);
  }

  /** A file laid out in another valid order (names unsorted, F32 before F64) reads back by offsets. */
  @Test
  void readsAnyValidOrder() throws IOException {
    String json = "{\"z\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
        + "\"__metadata__\":{\"k\":\"v\"},"
        + "\"y\":{\"shape\":[2],\"data_offsets\":[4,20],\"dtype\":\"F64\"}}";
    Path file = dir.resolve("order2.safetensors");
    Files.write(file, SafetensorsBytes.file(json, concat(f32(7f), f64(-1.5, 2.25))));
    Map<String, SafetensorsTensor> t = Safetensors.read(file);
    assertEquals(List.of("z", "y"), List.copyOf(t.keySet()));
    assertArrayEquals(new float[] {7f}, t.get("z").floats());
    assertArrayEquals(new double[] {-1.5, 2.25}, t.get("y").doubles());
  }

  /** Special values and NaN payloads survive bit for bit; empty and scalar shapes survive. */
  @Test
  void roundTripIsBitwiseForSpecialValuesEmptyAndScalar() throws IOException {
    float nanPayload = Float.intBitsToFloat(0x7fc00123);
    double dNanPayload = Double.longBitsToDouble(0xfff0000000000abcL);
    Map<String, SafetensorsTensor> tensors = new LinkedHashMap<>();
    tensors.put("f", SafetensorsTensor.ofFloats(new int[] {2, 4}, new float[] {
        -0f, 0f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NEGATIVE_INFINITY, nanPayload, 1e-40f, -3.5f}));
    tensors.put("d", SafetensorsTensor.ofDoubles(new int[] {5}, new double[] {
        -0d, Double.MIN_VALUE, Double.POSITIVE_INFINITY, dNanPayload, Math.PI}));
    tensors.put("empty32", SafetensorsTensor.ofFloats(new int[] {0}, new float[0]));
    tensors.put("empty64", SafetensorsTensor.ofDoubles(new int[] {3, 0, 2}, new double[0]));
    tensors.put("scalar32", SafetensorsTensor.ofFloats(new int[] {}, new float[] {42f}));
    tensors.put("scalar64", SafetensorsTensor.ofDoubles(new int[] {}, new double[] {-7.25}));
    Path file = dir.resolve("special.safetensors");
    Safetensors.write(file, tensors);
    Map<String, SafetensorsTensor> back = Safetensors.read(file);
    assertEquals(tensors, back);
    assertEquals(0x7fc00123, Float.floatToRawIntBits(back.get("f").floats()[5]));
    assertEquals(0xfff0000000000abcL, Double.doubleToRawLongBits(back.get("d").doubles()[3]));
    assertArrayEquals(new int[] {3, 0, 2}, back.get("empty64").shape());
    assertArrayEquals(new int[] {}, back.get("scalar32").shape());
  }

  /** Larger than one staging chunk (64 KiB): the chunked read and write paths join up correctly. */
  @Test
  void roundTripAcrossChunks() throws IOException {
    float[] f = new float[40_000];
    double[] d = new double[20_001];
    for (int i = 0; i < f.length; i++) {
      f[i] = i * 0.25f - 7;
    }
    for (int i = 0; i < d.length; i++) {
      d[i] = Math.sin(i);
    }
    Path file = dir.resolve("big.safetensors");
    Map<String, SafetensorsTensor> tensors = Map.of(
        "f", SafetensorsTensor.ofFloats(new int[] {200, 200}, f),
        "d", SafetensorsTensor.ofDoubles(new int[] {20_001}, d));
    Safetensors.write(file, tensors);
    assertEquals(tensors, Safetensors.read(file));
  }

  @Test
  void writerRejectsReservedAndNullNames() {
    Path file = dir.resolve("x.safetensors");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Safetensors.write(file,
        Map.of("__metadata__", SafetensorsTensor.ofFloats(new int[] {}, new float[] {1}))));
    assertTrue(e.getMessage().contains("__metadata__"), e.getMessage());
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("k", null);
    assertThrows(IllegalArgumentException.class, () -> Safetensors.write(file, Map.of(), meta));
    assertTrue(Files.notExists(file));
  }

  @Test
  void tensorFactoriesCheckShapes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SafetensorsTensor.ofFloats(new int[] {2, 3}, new float[5]));
    assertEquals("SafetensorsTensor: shape [2, 3] holds 6 elements but data has 5", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SafetensorsTensor.ofDoubles(new int[] {-1}, new double[0]));
  }

  @Test
  void readingAMissingTensorNamesIt() throws IOException {
    Path file = dir.resolve("one.safetensors");
    Safetensors.write(file, Map.of("w", SafetensorsTensor.ofFloats(new int[] {1}, new float[] {1})));
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.read("v"));
      assertTrue(e.getMessage().contains("no tensor 'v'"), e.getMessage());
    }
  }
}
