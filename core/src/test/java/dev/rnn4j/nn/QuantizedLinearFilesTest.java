package dev.rnn4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.io.Safetensors;
import dev.rnn4j.io.SafetensorsFile;
import dev.rnn4j.io.SafetensorsFormatException;
import dev.rnn4j.io.SafetensorsTensor;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Tensor;
import dev.rnn4j.testing.CorruptedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Saving and loading a {@link QuantizedLinear}: bit-exact round trips for both formats with and without a bias, the
 * caller's metadata kept, and whole-file rejection of corrupt files with the file and the tensor named.
 */
class QuantizedLinearFilesTest {

  private static final int IN = 23;
  private static final int OUT = 9;

  @TempDir
  Path dir;

  private static float[] random(int n, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) rnd.nextDouble(-3, 3);
    }
    return a;
  }

  @Test
  void aRoundTripGivesTheSameLayerBitForBit() throws IOException {
    for (WeightFormat format : WeightFormat.values()) {
      for (boolean bias : new boolean[] {true, false}) {
        QuantizedLinear q = new Linear(IN, OUT, bias, DType.FLOAT32, new SplittableRandom(3)).quantize(format);
        Path p = dir.resolve(format + "-" + bias + ".safetensors");
        q.save(p, Map.of("note", "kept"));
        QuantizedLinear back = QuantizedLinear.load(p);
        String what = format + " bias " + bias;
        assertEquals(IN, back.inFeatures(), what);
        assertEquals(OUT, back.outFeatures(), what);
        assertEquals(format, back.weight().format(), what);
        if (format == WeightFormat.INT8) {
          assertArrayEquals(q.weight().int8RowMajor(), back.weight().int8RowMajor(), what);
          assertArrayEquals(q.weight().scales(), back.weight().scales(), what);
        } else {
          assertArrayEquals(q.weight().bf16RowMajor(), back.weight().bf16RowMajor(), what);
        }
        if (bias) {
          assertArrayEquals(q.bias(), back.bias(), what);
        } else {
          assertNull(back.bias(), what);
        }
        Tensor x = Tensor.fromArray(random(4 * IN, 7), 4, IN);
        assertArrayEquals(q.forward(x).toFloatArray(), back.forward(x).toFloatArray(), what);
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
          assertEquals("kept", f.header().metadata().get("note"));
          assertEquals("QuantizedLinear", f.header().metadata().get("rnn4j.model"));
          assertEquals(format.name(), f.header().metadata().get("rnn4j.weight_format"));
        }
      }
    }
  }

  /** Rewrites a saved INT8 layer's tensors with {@code change} and returns the load's error message. */
  private String rejected(String file, Consumer<Map<String, SafetensorsTensor>> change) throws IOException {
    Path good = dir.resolve("good-" + file);
    new Linear(IN, OUT, new SplittableRandom(2)).quantize(WeightFormat.INT8).save(good);
    return CorruptedFiles.rejection(good, dir.resolve(file), change, QuantizedLinear::load);
  }

  @Test
  void corruptFilesAreRejectedWithTheFileAndTensorNamed() throws IOException {
    String m = rejected("missing-scale.safetensors", t -> t.remove("weight_scale"));
    assertTrue(m.contains("'weight_scale'") && m.contains("missing"), m);
    m = rejected("short-scale.safetensors", t -> t.put("weight_scale",
        SafetensorsTensor.ofFloats(new int[] {OUT - 1}, new float[OUT - 1])));
    assertTrue(m.contains("'weight_scale'") && m.contains("[" + (OUT - 1) + "]"), m);
    m = rejected("bf16-weight.safetensors", t -> t.put("weight",
        SafetensorsTensor.ofBf16(new int[] {OUT, IN}, new short[OUT * IN])));
    assertTrue(m.contains("'weight'") && m.contains("BF16") && m.contains("I8"), m);
    m = rejected("f32-bias-shape.safetensors", t -> t.put("bias",
        SafetensorsTensor.ofFloats(new int[] {OUT + 1}, new float[OUT + 1])));
    assertTrue(m.contains("'bias'") && m.contains("[" + (OUT + 1) + "]"), m);
    m = rejected("extra.safetensors", t -> t.put("weight2", t.get("bias")));
    assertTrue(m.contains("'weight2'"), m);
    m = rejected("minus-128.safetensors", t -> {
      byte[] q = t.get("weight").int8();
      q[IN + 2] = Byte.MIN_VALUE;
      t.put("weight", SafetensorsTensor.ofInt8(new int[] {OUT, IN}, q));
    });
    assertTrue(m.contains("weight") && m.contains("[1, 2]") && m.contains("-128"), m);
    for (float bad : new float[] {-0.5f, Float.NaN, Float.POSITIVE_INFINITY}) {
      m = rejected("scale-" + bad + ".safetensors", t -> {
        float[] s = t.get("weight_scale").floats();
        s[4] = bad;
        t.put("weight_scale", SafetensorsTensor.ofFloats(new int[] {OUT}, s));
      });
      assertTrue(m.contains("weight_scale") && m.contains("[4]") && m.contains(Float.toString(bad)), m);
    }
  }

  @Test
  void aTruncatedFileIsRefusedNamingTheFileAndTheTensorPastItsEnd() throws IOException {
    Path good = dir.resolve("good.safetensors");
    new Linear(IN, OUT, new SplittableRandom(2)).quantize(WeightFormat.BFLOAT16).save(good);
    byte[] bytes = Files.readAllBytes(good);
    Path cut = dir.resolve("cut.safetensors");
    Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 3));
    // A file that is not well-formed safetensors is the library's SafetensorsFormatException (an IOException, as for
    // every reader of the format), not an argument error: the bytes are corrupt, not the call.
    SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> QuantizedLinear.load(cut));
    String last = lastTensor(good);
    assertTrue(e.getMessage().contains(cut.toString()) && e.getMessage().contains("'" + last + "'"),
        last + ": " + e.getMessage());
  }

  /** The tensor whose bytes end the file: the one a cut at the end leaves short. */
  private static String lastTensor(Path file) throws IOException {
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      return f.header().entries().stream().filter(en -> en.end() == f.header().dataLength()).findFirst()
          .orElseThrow().name();
    }
  }

  @Test
  void otherFilesAndBadArgumentsAreRefusedWithTheReason() throws IOException {
    Linear linear = new Linear(IN, OUT, new SplittableRandom(2));
    Path plain = dir.resolve("plain.safetensors");
    Safetensors.save(linear, plain);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> QuantizedLinear.load(plain));
    assertTrue(e.getMessage().contains("no rnn4j model configuration"), e.getMessage());
    QuantizedLinear q = linear.quantize(WeightFormat.INT8);
    e = assertThrows(IllegalArgumentException.class, () -> q.save(dir.resolve("x.safetensors"),
        Map.of("rnn4j.model", "LSTM")));
    assertTrue(e.getMessage().contains("'rnn4j.model'") && e.getMessage().contains("prefix"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> q.save(dir.resolve("x.safetensors"), null));
    assertTrue(e.getMessage().contains("metadata is null"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> QuantizedLinear.load(null));
    assertTrue(e.getMessage().contains("path is null"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> QuantizedLinear.of(q.weight(), new float[OUT + 1]));
    assertTrue(e.getMessage().contains("bias has " + (OUT + 1)), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> QuantizedLinear.of(null, null));
    assertTrue(e.getMessage().contains("weight is null"), e.getMessage());
  }
}
