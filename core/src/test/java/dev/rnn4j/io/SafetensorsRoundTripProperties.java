package dev.rnn4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Write then read gives back the same tensors bit for bit (any bit pattern, NaN payloads included), for random
 * sets of F32 and F64 tensors of rank 0 to 3 with zero-size dimensions; the header tiles the data section and every
 * tensor starts at a multiple of its element size.
 */
class SafetensorsRoundTripProperties {

  private static Path dir;

  @BeforeContainer
  static void createDir() throws IOException {
    dir = Files.createTempDirectory("rnn4j-safetensors-roundtrip");
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

  private static Map<String, SafetensorsTensor> randomTensors(long seed, int count) {
    Random r = new Random(seed);
    Map<String, SafetensorsTensor> out = new LinkedHashMap<>();
    String alphabet = "abz._0AZ";
    while (out.size() < count) {
      StringBuilder name = new StringBuilder();
      for (int i = 0, n = 1 + r.nextInt(6); i < n; i++) {
        name.append(alphabet.charAt(r.nextInt(alphabet.length())));
      }
      int[] shape = new int[r.nextInt(4)];
      int numel = 1;
      for (int d = 0; d < shape.length; d++) {
        shape[d] = r.nextInt(5);
        numel *= shape[d];
      }
      if (r.nextBoolean()) {
        float[] v = new float[numel];
        for (int i = 0; i < numel; i++) {
          v[i] = Float.intBitsToFloat(r.nextInt());
        }
        out.put(name.toString(), SafetensorsTensor.ofFloats(shape, v));
      } else {
        double[] v = new double[numel];
        for (int i = 0; i < numel; i++) {
          v[i] = Double.longBitsToDouble(r.nextLong());
        }
        out.put(name.toString(), SafetensorsTensor.ofDoubles(shape, v));
      }
    }
    return out;
  }

  @Property(tries = 60)
  void writeThenReadIsBitwise(@ForAll long seed, @ForAll @IntRange(min = 0, max = 6) int count) throws IOException {
    Map<String, SafetensorsTensor> tensors = randomTensors(seed, count);
    Path p = dir.resolve("rt.safetensors");
    Safetensors.write(p, tensors, Map.of("seed", Long.toString(seed)));
    assertEquals(tensors, Safetensors.read(p));
    try (SafetensorsFile f = SafetensorsFile.open(p)) {
      List<SafetensorsEntry> entries = f.header().entries();
      long expected = 0;
      for (SafetensorsEntry e : entries) {
        assertEquals(expected, e.begin(), e.toString());
        assertEquals(0, e.begin() % (e.dtype().bitsPerElement() / 8), e.toString());
        expected = e.end();
      }
      long headerLength = Files.size(p) - 8 - expected;
      assertTrue(headerLength % 8 == 0, "header length " + headerLength);
      assertEquals(Map.of("seed", Long.toString(seed)), f.header().metadata());
    }
  }
}
