package dev.rnn4j.io;

import static dev.rnn4j.io.SafetensorsBytes.concat;
import static dev.rnn4j.io.SafetensorsBytes.f32;
import static dev.rnn4j.io.SafetensorsBytes.f64;
import static dev.rnn4j.io.SafetensorsBytes.file;
import static dev.rnn4j.io.SafetensorsBytes.le64;
import static dev.rnn4j.io.SafetensorsBytes.spaces;
import static dev.rnn4j.io.SafetensorsBytes.zeros;
import static dev.rnn4j.io.TestModels.snapshot;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.io.TestModels.Small;
import dev.rnn4j.io.TestModels.Tiny;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saving and loading models: names, bitwise round trips, and all-or-nothing loading. */
class SafetensorsModelTest {

  @TempDir
  Path dir;

  private static String tensor(String name, String dtype, String shape, long begin, long end) {
    return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + ","
        + end + "]}";
  }

  /**
   * The file PyTorch's {@code save_file({"fc.weight": tensor([[0.5, -1.]]), "fc.bias": tensor([2.])})} writes by the
   * format's rules: one dtype, so sorted by name ("fc.bias" < "fc.weight"); the 124-byte JSON (counted piecewise:
   * {=1, "fc.bias":=10, {"dtype":"F32",=15, "shape":[1],=12, "data_offsets":[0,4]}=21, ,=1, "fc.weight":=12,
   * {"dtype":"F32",=15, "shape":[1,2],=14, "data_offsets":[4,12]}=22, }=1) padded with 4 spaces to 128;
   * data 2.0f = 0x40000000, 0.5f = 0x3F000000, -1.0f = 0xBF800000, little-endian.
   */
  private static byte[] tinyFileBytes() {
    String json = "{\"fc.bias\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
        + "\"fc.weight\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[4,12]}}";
    assertEquals(124, json.length());
    return concat(new byte[] {(byte) 128, 0, 0, 0, 0, 0, 0, 0}, json.getBytes(StandardCharsets.US_ASCII), spaces(4),
        new byte[] {0, 0, 0, 0x40}, new byte[] {0, 0, 0, 0x3F}, new byte[] {0, 0, (byte) 0x80, (byte) 0xBF});
  }

  @Test
  void savedModelMatchesTheFormatByteForByte() throws IOException {
    Path p = dir.resolve("tiny.safetensors");
    Safetensors.save(new Tiny(), p);
    assertArrayEquals(tinyFileBytes(), Files.readAllBytes(p));
  }

  /** The same bytes, as a PyTorch-saved file, load into a model initialised otherwise. */
  @Test
  void pytorchStyleFileLoads() throws IOException {
    Path p = dir.resolve("from-torch.safetensors");
    Files.write(p, tinyFileBytes());
    Tiny model = new Tiny();
    model.fc.weight().fill(7);
    model.fc.bias().fill(7);
    LoadResult r = Safetensors.load(model, p);
    assertEquals(List.of("fc.weight", "fc.bias"), r.loaded());
    assertArrayEquals(new float[] {0.5f, -1f}, model.fc.weight().toFloatArray());
    assertArrayEquals(new float[] {2f}, model.fc.bias().toFloatArray());
  }

  @Test
  void roundTripIsBitwiseInBothDtypes() throws IOException {
    for (DType dtype : DType.values()) {
      Small saved = new Small(1, dtype);
      Path p = dir.resolve("small-" + dtype + ".safetensors");
      Safetensors.save(saved, p, Map.of("epoch", "3"));
      Small other = new Small(2, dtype);
      assertNotEquals(snapshot(saved), snapshot(other));
      LoadResult r = Safetensors.load(other, p);
      assertEquals(snapshot(saved), snapshot(other));
      assertEquals(List.of("embedding.weight", "fc.weight", "fc.bias"), r.loaded());
      assertEquals(List.of(), r.missing());
      assertEquals(List.of(), r.unexpected());
      try (SafetensorsFile f = SafetensorsFile.open(p)) {
        assertEquals(Map.of("epoch", "3"), f.header().metadata());
        assertEquals(dtype == DType.FLOAT32 ? SafetensorsDtype.F32 : SafetensorsDtype.F64,
            f.header().entry("fc.weight").orElseThrow().dtype());
      }
    }
  }

  @Test
  void tensorConversionsKeepDtypeShapeAndBits() throws IOException {
    Tensor f = Tensor.fromArray(new float[] {1.5f, -0f, Float.NaN, 7}, 2, 2);
    Tensor d = Tensor.fromArray(new double[] {Math.PI}, 1);
    Path p = dir.resolve("tensors.safetensors");
    Safetensors.write(p, Map.of("f", SafetensorsTensor.of(f), "d", SafetensorsTensor.of(d)));
    Map<String, SafetensorsTensor> back = Safetensors.read(p);
    Tensor f2 = back.get("f").toTensor();
    assertEquals(DType.FLOAT32, f2.dtype());
    assertArrayEquals(new int[] {2, 2}, f2.shape());
    assertArrayEquals(f.toFloatArray(), f2.toFloatArray());
    assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(f2.toFloatArray()[1]));
    assertEquals(DType.FLOAT64, back.get("d").toTensor().dtype());
    assertEquals(Math.PI, back.get("d").toTensor().item());
  }

  // ----- all-or-nothing: every failure leaves the model exactly as it was -----

  /** Loads {@code bytes} into a fresh Small model, expects {@code type}, checks the model is unchanged. */
  private <T extends Exception> String rejectedUnchanged(byte[] bytes, Class<T> type, LoadOptions options)
      throws IOException {
    Path p = dir.resolve("bad.safetensors");
    Files.write(p, bytes);
    Small model = new Small(9, DType.FLOAT32);
    Map<String, List<Long>> before = snapshot(model);
    T e = assertThrows(type, () -> Safetensors.load(model, p, options));
    assertEquals(before, snapshot(model));
    return e.getMessage();
  }

  private <T extends Exception> String rejectedUnchanged(byte[] bytes, Class<T> type) throws IOException {
    return rejectedUnchanged(bytes, type, LoadOptions.strict());
  }

  /** A valid file for Small in float32: values 1..(15 + 6 + 2), in model order. */
  private static byte[] validSmall(String lastShape, String lastDtype, byte[] lastData) {
    float[] emb = new float[15];
    float[] w = new float[6];
    Arrays.fill(emb, 1);
    Arrays.fill(w, 2);
    String h = "{" + tensor("embedding.weight", "F32", "[5,3]", 0, 60) + ","
        + tensor("fc.weight", "F32", "[2,3]", 60, 84) + ","
        + tensor("fc.bias", lastDtype, lastShape, 84, 84 + lastData.length) + "}";
    return file(h, concat(f32(emb), f32(w), lastData));
  }

  @Test
  void theValidSmallFileLoads() throws IOException {
    Path p = dir.resolve("ok.safetensors");
    Files.write(p, validSmall("[2]", "F32", f32(3, 4)));
    Small model = new Small(9, DType.FLOAT32);
    Safetensors.load(model, p);
    assertArrayEquals(new float[] {3, 4}, model.fc.bias().toFloatArray());
    assertArrayEquals(new float[] {2, 2, 2, 2, 2, 2}, model.fc.weight().toFloatArray());
  }

  /** The bad tensor is the last one: a loader that copied as it went would already have changed the first two. */
  @Test
  void shapeMismatchInTheLastTensor() throws IOException {
    String m = rejectedUnchanged(validSmall("[1,2]", "F32", f32(3, 4)), IllegalArgumentException.class);
    assertTrue(m.contains("tensor 'fc.bias' has shape [1, 2] in the file but [2] in the model"), m);
  }

  @Test
  void dtypeMismatchInTheLastTensor() throws IOException {
    String m = rejectedUnchanged(validSmall("[2]", "F64", f64(3, 4)), IllegalArgumentException.class);
    assertTrue(m.contains("tensor 'fc.bias' is F64 in the file but the parameter is float32"), m);
  }

  @Test
  void unreadableDtypeInTheLastTensor() throws IOException {
    String m = rejectedUnchanged(validSmall("[2]", "BF16", zeros(4)), SafetensorsFormatException.class);
    assertTrue(m.contains("tensor 'fc.bias' has dtype BF16"), m);
  }

  @Test
  void unknownDtype() throws IOException {
    String m = rejectedUnchanged(validSmall("[2]", "Q8", zeros(2)), SafetensorsFormatException.class);
    assertTrue(m.contains("tensor 'fc.bias': unknown dtype 'Q8'"), m);
  }

  @Test
  void truncatedFile() throws IOException {
    byte[] v = validSmall("[2]", "F32", f32(3, 4));
    String m = rejectedUnchanged(Arrays.copyOf(v, v.length - 3), SafetensorsFormatException.class);
    assertTrue(m.contains("tensor 'fc.bias'") && m.contains("extend past"), m);
  }

  @Test
  void oversizedAndOutOfFileHeaderLengths() throws IOException {
    byte[] v = validSmall("[2]", "F32", f32(3, 4));
    System.arraycopy(le64(1L << 40), 0, v, 0, 8);
    assertTrue(rejectedUnchanged(v, SafetensorsFormatException.class).contains("exceeds the limit"));
    System.arraycopy(le64(v.length), 0, v, 0, 8);
    assertTrue(rejectedUnchanged(v, SafetensorsFormatException.class).contains("bytes that follow it"));
  }

  @Test
  void invalidJson() throws IOException {
    byte[] v = validSmall("[2]", "F32", f32(3, 4));
    v[8 + 20] = '}';
    assertTrue(rejectedUnchanged(v, SafetensorsFormatException.class).contains("not valid JSON"));
  }

  @Test
  void shapeAndByteLengthDisagree() throws IOException {
    String m = rejectedUnchanged(validSmall("[3]", "F32", f32(3, 4)), SafetensorsFormatException.class);
    assertTrue(m.contains("tensor 'fc.bias': shape [3] of F32 needs 12 bytes but data_offsets [84, 92] span 8"), m);
  }

  @Test
  void overlapAndGap() throws IOException {
    String overlap = "{" + tensor("embedding.weight", "F32", "[5,3]", 0, 60) + ","
        + tensor("fc.weight", "F32", "[2,3]", 56, 80) + "," + tensor("fc.bias", "F32", "[2]", 80, 88) + "}";
    String m = rejectedUnchanged(file(overlap, zeros(88)), SafetensorsFormatException.class);
    assertTrue(m.contains("tensor 'fc.weight'") && m.contains("overlap tensor 'embedding.weight'"), m);
    String gap = "{" + tensor("embedding.weight", "F32", "[5,3]", 0, 60) + ","
        + tensor("fc.weight", "F32", "[2,3]", 64, 88) + "," + tensor("fc.bias", "F32", "[2]", 88, 96) + "}";
    m = rejectedUnchanged(file(gap, zeros(96)), SafetensorsFormatException.class);
    assertTrue(m.contains("tensor 'fc.weight': gap of 4 bytes"), m);
  }

  @Test
  void missingAndUnexpectedNames() throws IOException {
    String missing = "{" + tensor("embedding.weight", "F32", "[5,3]", 0, 60) + ","
        + tensor("fc.weight", "F32", "[2,3]", 60, 84) + "}";
    String m = rejectedUnchanged(file(missing, zeros(84)), IllegalArgumentException.class);
    assertTrue(m.contains("lacks 1 parameter(s) of the model: [fc.bias]"), m);

    String renamed = "{" + tensor("embedding.weight", "F32", "[5,3]", 0, 60) + ","
        + tensor("fc.weight", "F32", "[2,3]", 60, 84) + "," + tensor("fc.b", "F32", "[2]", 84, 92) + "}";
    m = rejectedUnchanged(file(renamed, zeros(92)), IllegalArgumentException.class);
    assertTrue(m.contains("[fc.bias]") && m.contains("unexpected [fc.b]"), m);

    String extra = "{" + tensor("embedding.weight", "F32", "[5,3]", 0, 60) + ","
        + tensor("fc.weight", "F32", "[2,3]", 60, 84) + "," + tensor("fc.bias", "F32", "[2]", 84, 92) + ","
        + tensor("head.scale", "F32", "[]", 92, 96) + "}";
    m = rejectedUnchanged(file(extra, zeros(96)), IllegalArgumentException.class);
    assertTrue(m.contains("1 tensor(s) that name no parameter of the model: [head.scale]"), m);
  }

  // ----- options -----

  @Test
  void allowMissingLoadsASubset() throws IOException {
    String h = "{" + tensor("fc.bias", "F32", "[2]", 0, 8) + "}";
    Path p = dir.resolve("subset.safetensors");
    Files.write(p, file(h, f32(5, 6)));
    Small model = new Small(9, DType.FLOAT32);
    float[] embBefore = model.embedding.weight().toFloatArray();
    LoadResult r = Safetensors.load(model, p, LoadOptions.strict().allowMissing(true));
    assertEquals(List.of("fc.bias"), r.loaded());
    assertEquals(List.of("embedding.weight", "fc.weight"), r.missing());
    assertArrayEquals(new float[] {5, 6}, model.fc.bias().toFloatArray());
    assertArrayEquals(embBefore, model.embedding.weight().toFloatArray());
  }

  /** Unexpected tensors are ignored whatever their dtype (here BF16, which rnn4j cannot read). */
  @Test
  void allowUnexpectedIgnoresExtraTensors() throws IOException {
    String h = "{" + tensor("embedding.weight", "F32", "[5,3]", 0, 60) + ","
        + tensor("fc.weight", "F32", "[2,3]", 60, 84) + "," + tensor("fc.bias", "F32", "[2]", 84, 92) + ","
        + tensor("bn.running_mean", "BF16", "[2]", 92, 96) + "}";
    Path p = dir.resolve("extra.safetensors");
    Files.write(p, file(h, concat(zeros(84), f32(5, 6), zeros(4))));
    Small model = new Small(9, DType.FLOAT32);
    LoadResult r = Safetensors.load(model, p, LoadOptions.strict().allowUnexpected(true));
    assertEquals(List.of("bn.running_mean"), r.unexpected());
    assertArrayEquals(new float[] {5, 6}, model.fc.bias().toFloatArray());
  }

  /** F32 -> float64 widens exactly; F64 -> float32 rounds to nearest (0.1 -> 0.1f, 1 + 2^-30 -> 1). */
  @Test
  void convertDtypeOnRequest() throws IOException {
    Path p32 = dir.resolve("f32.safetensors");
    Safetensors.save(new Small(3, DType.FLOAT32), p32);
    Small wide = new Small(4, DType.FLOAT64);
    assertThrows(IllegalArgumentException.class, () -> Safetensors.load(wide, p32));
    Safetensors.load(wide, p32, LoadOptions.strict().convertDtype(true));
    float[] source = new Small(3, DType.FLOAT32).fc.weight().toFloatArray();
    double[] widened = wide.fc.weight().toDoubleArray();
    for (int i = 0; i < source.length; i++) {
      assertEquals((double) source[i], widened[i]);
    }

    String h = "{" + tensor("embedding.weight", "F64", "[5,3]", 0, 120) + ","
        + tensor("fc.weight", "F64", "[2,3]", 120, 168) + "," + tensor("fc.bias", "F64", "[2]", 168, 184) + "}";
    Path p64 = dir.resolve("f64.safetensors");
    Files.write(p64, file(h, concat(zeros(168), f64(0.1, 1 + 0x1p-30))));
    Small narrow = new Small(5, DType.FLOAT32);
    Safetensors.load(narrow, p64, LoadOptions.strict().convertDtype(true));
    assertArrayEquals(new float[] {0.1f, 1f}, narrow.fc.bias().toFloatArray());
  }
}
