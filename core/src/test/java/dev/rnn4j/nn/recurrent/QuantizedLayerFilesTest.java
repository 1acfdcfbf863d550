package dev.rnn4j.nn.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.io.Safetensors;
import dev.rnn4j.io.SafetensorsFile;
import dev.rnn4j.io.SafetensorsTensor;
import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.nn.QuantizedMatrix;
import dev.rnn4j.nn.WeightFormat;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.Tensor;
import dev.rnn4j.testing.CorruptedFiles;
import dev.rnn4j.testing.RandomArrays;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Saving and loading quantized layers: bit-exact round trips for every cell and format, the file sizes the formats
 * promise, whole-file rejection of corrupt or inconsistent files with the tensor named, and a load under other
 * kernels (another panel width) that repacks and computes what the original computes.
 */
class QuantizedLayerFilesTest {

  private static final int I = 10;
  private static final int H = 19; // GRU reset-before: W_hh's candidate rows start at 38, not a panel multiple

  @TempDir
  Path dir;

  private static float[] random(int n, long seed) {
    return RandomArrays.uniform(n, seed);
  }

  private static void assertSameWeights(QuantizedMatrix a, QuantizedMatrix b) {
    assertEquals(a.format(), b.format());
    assertEquals(a.rows(), b.rows());
    assertEquals(a.cols(), b.cols());
    if (a.format() == WeightFormat.BFLOAT16) {
      assertArrayEquals(a.bf16RowMajor(), b.bf16RowMajor());
    } else {
      assertArrayEquals(a.int8RowMajor(), b.int8RowMajor());
      assertArrayEquals(a.scales(), b.scales());
    }
  }

  @Test
  void aRoundTripGivesTheSameLayerBitForBit() throws IOException {
    for (CellKind kind : CellKind.values()) {
      for (WeightFormat format : WeightFormat.values()) {
        for (boolean bias : new boolean[] {true, false}) {
          RecurrentLayer layer = RecurrentLayer.create(kind, new RecurrentOptions(I, H).numLayers(2).bias(bias)
              .batchFirst(bias).seed(kind.ordinal()));
          QuantizedRecurrentLayer q = layer.quantize(format);
          Path p = dir.resolve(kind + "-" + format + "-" + bias + ".safetensors");
          q.save(p, Map.of("note", "kept"));
          QuantizedRecurrentLayer back = QuantizedRecurrentLayer.load(p);
          String what = kind + " " + format + " bias " + bias;
          assertEquals(q.config(), back.config(), what);
          assertEquals(format, back.format(), what);
          for (int l = 0; l < 2; l++) {
            assertSameWeights(q.weightIh(l), back.weightIh(l));
            assertSameWeights(q.weightHh(l), back.weightHh(l));
          }
          Tensor x = Tensor.fromArray(random(5 * 3 * I, 11), 5, 3, I);
          RecurrentOutput a = q.forward(x);
          RecurrentOutput b = back.forward(x);
          assertArrayEquals(a.output().toFloatArray(), b.output().toFloatArray(), what);
          assertArrayEquals(a.hN().toFloatArray(), b.hN().toFloatArray(), what);
          try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertEquals("kept", f.header().metadata().get("note"));
            assertEquals(format.name(), f.header().metadata().get("rnn4j.weight_format"));
          }
        }
      }
    }
  }

  @Test
  void theFilesAreAQuarterAndAHalfOfFloat32() throws IOException {
    int in = 64;
    int hd = 128;
    LSTM lstm = new LSTM(new RecurrentOptions(in, hd).seed(1));
    Path f32 = dir.resolve("f32.safetensors");
    Path i8 = dir.resolve("i8.safetensors");
    Path bf = dir.resolve("bf16.safetensors");
    lstm.save(f32);
    lstm.quantize(WeightFormat.INT8).save(i8);
    lstm.quantize(WeightFormat.BFLOAT16).save(bf);
    // data bytes: n = 4H (I + H) weights, biases 2 * 4H floats, int8 scales 2 * 4H floats; the headers differ by a
    // few hundred bytes, so each size is its data bytes plus at most 2 KB
    long n = 4L * hd * (in + hd);
    long biases = 2 * 4L * 4 * hd;
    assertSize(f32, 4 * n + biases);
    assertSize(i8, n + biases + 2 * 4L * 4 * hd);
    assertSize(bf, 2 * n + biases);
    double int8Ratio = (double) Files.size(i8) / Files.size(f32);
    double bf16Ratio = (double) Files.size(bf) / Files.size(f32);
    assertTrue(int8Ratio < 0.28, "int8 file / float32 file = " + int8Ratio); // 0.268 in data bytes
    assertTrue(bf16Ratio < 0.52, "bfloat16 file / float32 file = " + bf16Ratio); // 0.505 in data bytes
  }

  private static void assertSize(Path p, long data) throws IOException {
    long size = Files.size(p);
    assertTrue(size >= data && size <= data + 2048, p.getFileName() + ": " + size + " bytes for " + data
        + " data bytes");
  }

  @Test
  void aLoadUnderOtherKernelsRepacksAndComputesTheSame() throws IOException {
    // Quantized (and packed) with the JVM's kernels, loaded inside a scalar scope knowing only the path: the loaded
    // matrices are packed for the scalar kernels' panel width; the scalar spec sums in index order whatever the
    // panel width, so both layers give the same bits under the scalar kernels.
    for (WeightFormat format : WeightFormat.values()) {
      QuantizedRecurrentLayer q = new GRU(new RecurrentOptions(I, H).seed(4)).quantize(format);
      Path p = dir.resolve("gru-" + format + ".safetensors");
      q.save(p);
      QuantizedRecurrentLayer back = KernelScope.get(Kernels.scalar(), () -> loadKnowingOnlyThePath(p));
      assertEquals(1, back.weightHh(0).panelRows()); // the scalar spec's width
      Tensor x = Tensor.fromArray(random(4 * 2 * I, 12), 4, 2, I);
      float[] want = KernelScope.get(Kernels.scalar(), () -> q.forward(x).output().toFloatArray());
      float[] got = KernelScope.get(Kernels.scalar(), () -> back.forward(x).output().toFloatArray());
      assertArrayEquals(want, got, format.toString());
    }
  }

  private static QuantizedRecurrentLayer loadKnowingOnlyThePath(Path p) {
    try {
      return QuantizedRecurrentLayer.load(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Rewrites a saved INT8 LSTM's tensors with {@code change} and returns the load's error message. */
  private String rejected(String file, Consumer<Map<String, SafetensorsTensor>> change) throws IOException {
    Path good = dir.resolve("good-" + file);
    new LSTM(new RecurrentOptions(I, H).seed(2)).quantize(WeightFormat.INT8).save(good);
    return CorruptedFiles.rejection(good, dir.resolve(file), change, QuantizedRecurrentLayer::load);
  }

  @Test
  void corruptOrInconsistentFilesAreRejectedWithTheTensorNamed() throws IOException {
    int gw = 4 * H;
    String m = rejected("short-scale.safetensors", t -> t.put("weight_hh_l0_scale",
        SafetensorsTensor.ofFloats(new int[] {gw - 1}, new float[gw - 1])));
    assertTrue(m.contains("'weight_hh_l0_scale'") && m.contains("[" + (gw - 1) + "]"), m);
    m = rejected("missing-scale.safetensors", t -> t.remove("weight_ih_l0_scale"));
    assertTrue(m.contains("'weight_ih_l0_scale'") && m.contains("missing"), m);
    m = rejected("wrong-dtype.safetensors", t -> t.put("weight_ih_l0",
        SafetensorsTensor.ofBf16(new int[] {gw, I}, new short[gw * I])));
    assertTrue(m.contains("'weight_ih_l0'") && m.contains("BF16") && m.contains("I8"), m);
    m = rejected("float-weight.safetensors", t -> t.put("weight_hh_l0",
        SafetensorsTensor.ofFloats(new int[] {gw, H}, new float[gw * H])));
    assertTrue(m.contains("'weight_hh_l0'") && m.contains("F32"), m);
    m = rejected("extra.safetensors", t -> t.put("weight_ih_l1", t.get("weight_ih_l0")));
    assertTrue(m.contains("'weight_ih_l1'"), m);
    m = rejected("minus-128.safetensors", t -> {
      byte[] q = t.get("weight_hh_l0").int8();
      q[5] = Byte.MIN_VALUE;
      t.put("weight_hh_l0", SafetensorsTensor.ofInt8(new int[] {gw, H}, q));
    });
    assertTrue(m.contains("weight_hh_l0") && m.contains("-128"), m);
    m = rejected("negative-scale.safetensors", t -> {
      float[] s = t.get("weight_ih_l0_scale").floats();
      s[3] = -s[3];
      t.put("weight_ih_l0_scale", SafetensorsTensor.ofFloats(new int[] {gw}, s));
    });
    assertTrue(m.contains("weight_ih_l0_scale") && m.contains("[3]"), m);
  }

  @Test
  void aQuantizedFileIsNotTakenForAFloatLayerNorTheOtherWayRound() throws IOException {
    LSTM lstm = new LSTM(new RecurrentOptions(I, H).seed(2));
    Path q = dir.resolve("q.safetensors");
    Path f = dir.resolve("f.safetensors");
    lstm.quantize(WeightFormat.BFLOAT16).save(q);
    lstm.save(f);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RecurrentLayer.load(q));
    assertTrue(e.getMessage().contains("QuantizedLSTM"), e.getMessage());
    IOException io = assertThrows(dev.rnn4j.io.SafetensorsFormatException.class, () -> Safetensors.load(
        new LSTM(new RecurrentOptions(I, H)), q, dev.rnn4j.io.LoadOptions.strict().allowUnexpected(true)));
    assertTrue(io.getMessage().contains("weight_") && io.getMessage().contains("BF16"), io.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> QuantizedRecurrentLayer.load(f));
    assertTrue(e.getMessage().contains("not a quantized layer"), e.getMessage());
  }
}
