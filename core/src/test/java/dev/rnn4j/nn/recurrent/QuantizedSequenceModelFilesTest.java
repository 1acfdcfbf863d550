package dev.rnn4j.nn.recurrent;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.io.Safetensors;
import dev.rnn4j.io.SafetensorsFile;
import dev.rnn4j.io.SafetensorsFormatException;
import dev.rnn4j.io.SafetensorsTensor;
import dev.rnn4j.nn.WeightFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A saved quantized sequence model that is corrupt or inconsistent is refused as a whole, with the file and the tensor
 * (or metadata entry) named; float and quantized files are not taken for each other.
 */
class QuantizedSequenceModelFilesTest {

  private static final int V = 11;
  private static final int H = 19;

  @TempDir
  Path dir;

  /** Rewrites a saved INT8 LSTM model's tensors and metadata and returns the load's error message. */
  private String rejected(String file, Consumer<Map<String, SafetensorsTensor>> tensors,
                          Consumer<Map<String, String>> metadata) throws IOException {
    Path good = dir.resolve("good-" + file);
    QuantizedSequenceModelTest.model(CellKind.LSTM, true, true, true, 2).quantize(WeightFormat.INT8)
        .save(good, Map.of("vocabulary", "abcdefghijk"));
    Map<String, SafetensorsTensor> t = new LinkedHashMap<>(Safetensors.read(good));
    Map<String, String> meta;
    try (SafetensorsFile f = SafetensorsFile.open(good)) {
      meta = new LinkedHashMap<>(f.header().metadata());
    }
    tensors.accept(t);
    metadata.accept(meta);
    Path bad = dir.resolve(file);
    Safetensors.write(bad, t, meta);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> QuantizedSequenceModel.load(bad));
    assertTrue(e.getMessage().contains(bad.toString()) && e.getMessage().contains("QuantizedSequenceModel.load"),
        e.getMessage());
    return e.getMessage();
  }

  private String rejected(String file, Consumer<Map<String, SafetensorsTensor>> tensors) throws IOException {
    return rejected(file, tensors, m -> { });
  }

  @Test
  void corruptTensorsAreRefusedWithTheTensorNamed() throws IOException {
    int gw = 4 * H;
    String m = rejected("missing-head-scale.safetensors", t -> t.remove("readout.weight_scale"));
    assertTrue(m.contains("'readout.weight_scale'") && m.contains("missing"), m);
    m = rejected("short-scale.safetensors", t -> t.put("lstm.weight_hh_l1_scale",
        SafetensorsTensor.ofFloats(new int[] {gw - 1}, new float[gw - 1])));
    assertTrue(m.contains("'lstm.weight_hh_l1_scale'") && m.contains("[" + (gw - 1) + "]"), m);
    m = rejected("bf16-in-int8.safetensors", t -> t.put("lstm.weight_ih_l0",
        SafetensorsTensor.ofBf16(new int[] {gw, 6}, new short[gw * 6])));
    assertTrue(m.contains("'lstm.weight_ih_l0'") && m.contains("BF16") && m.contains("I8"), m);
    m = rejected("embedding-shape.safetensors", t -> t.put("embedding.weight",
        SafetensorsTensor.ofFloats(new int[] {V + 1, 6}, new float[(V + 1) * 6])));
    assertTrue(m.contains("'embedding.weight'") && m.contains("[" + (V + 1) + ", 6]"), m);
    m = rejected("extra.safetensors", t -> t.put("readout.extra", t.get("readout.bias")));
    assertTrue(m.contains("'readout.extra'"), m);
    m = rejected("minus-128.safetensors", t -> {
      byte[] q = t.get("lstm.weight_hh_l0").int8();
      q[H + 1] = Byte.MIN_VALUE;
      t.put("lstm.weight_hh_l0", SafetensorsTensor.ofInt8(new int[] {gw, H}, q));
    });
    assertTrue(m.contains("lstm.weight_hh_l0") && m.contains("[1, 1]") && m.contains("-128"), m);
    for (float bad : new float[] {-1f, Float.NaN, Float.NEGATIVE_INFINITY}) {
      m = rejected("head-scale-" + bad + ".safetensors", t -> {
        float[] s = t.get("readout.weight_scale").floats();
        s[2] = bad;
        t.put("readout.weight_scale", SafetensorsTensor.ofFloats(new int[] {V}, s));
      });
      assertTrue(m.contains("readout.weight_scale") && m.contains("[2]") && m.contains(Float.toString(bad)), m);
    }
  }

  @Test
  void inconsistentMetadataIsRefusedWithTheEntryNamed() throws IOException {
    String m = rejected("format.safetensors", t -> { }, meta -> meta.put("rnn4j.weight_format", "INT4"));
    assertTrue(m.contains("'rnn4j.weight_format'") && m.contains("'INT4'"), m);
    m = rejected("dim.safetensors", t -> { }, meta -> meta.put("rnn4j.embedding.dim", "7"));
    assertTrue(m.contains("embedding dim 7"), m);
    m = rejected("head-size.safetensors", t -> { }, meta -> meta.put("rnn4j.head.out_features", "12"));
    assertTrue(m.contains("'readout.weight'") && m.contains("[12, " + H + "]"), m);
    m = rejected("no-recurrent.safetensors", t -> { }, meta -> meta.remove("rnn4j.recurrent.module"));
    assertTrue(m.contains("'rnn4j.recurrent.module'"), m);
  }

  @Test
  void aTruncatedFileIsRefusedNamingTheFileAndTheTensor() throws IOException {
    Path good = dir.resolve("good.safetensors");
    QuantizedSequenceModelTest.model(CellKind.GRU, true, true, true, 2).quantize(WeightFormat.BFLOAT16).save(good);
    byte[] bytes = Files.readAllBytes(good);
    Path cut = dir.resolve("cut.safetensors");
    Files.write(cut, Arrays.copyOf(bytes, bytes.length - 5));
    // not well-formed safetensors: the library's SafetensorsFormatException, as from every reader of the format
    SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class,
        () -> QuantizedSequenceModel.load(cut));
    String last = lastTensor(good);
    assertTrue(e.getMessage().contains(cut.toString()) && e.getMessage().contains(last), last + ": " + e.getMessage());
  }

  /** The tensor whose bytes end the file: the one a cut at the end leaves short. */
  static String lastTensor(Path file) throws IOException {
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      return f.header().entries().stream().filter(en -> en.end() == f.header().dataLength()).findFirst()
          .orElseThrow().name();
    }
  }

  @Test
  void floatAndQuantizedFilesAreNotTakenForEachOther() throws IOException {
    SequenceModel model = QuantizedSequenceModelTest.model(CellKind.LSTM, true, true, true, 2);
    Path f = dir.resolve("f.safetensors");
    Path q = dir.resolve("q.safetensors");
    Path layer = dir.resolve("layer.safetensors");
    model.save(f, Map.of());
    model.quantize(WeightFormat.INT8).save(q);
    model.recurrent().quantize(WeightFormat.INT8).save(layer);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> QuantizedSequenceModel.load(f));
    assertTrue(e.getMessage().contains("SequenceModel.load, then quantize it"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> QuantizedSequenceModel.load(layer));
    assertTrue(e.getMessage().contains("'QuantizedLSTM'") && e.getMessage().contains("not a quantized sequence"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> SequenceModel.load(q));
    assertTrue(e.getMessage().contains("QuantizedSequenceModel.load"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> SequenceModel.load(layer));
    assertTrue(e.getMessage().contains("QuantizedRecurrentLayer.load"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> QuantizedRecurrentLayer.load(q));
    assertTrue(e.getMessage().contains("QuantizedSequenceModel"), e.getMessage());
  }
}
