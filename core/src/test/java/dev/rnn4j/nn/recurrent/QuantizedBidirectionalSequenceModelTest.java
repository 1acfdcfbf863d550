package dev.rnn4j.nn.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.io.Safetensors;
import dev.rnn4j.io.SafetensorsFile;
import dev.rnn4j.io.SafetensorsFormatException;
import dev.rnn4j.io.SafetensorsTensor;
import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.nn.Embedding;
import dev.rnn4j.nn.Linear;
import dev.rnn4j.nn.QuantizedMatrix;
import dev.rnn4j.nn.WeightFormat;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.Tensor;
import dev.rnn4j.testing.CorruptedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link SequenceModel#quantize} of a model with a bidirectional stack, which it refused before: the quantized model's
 * forward is within the derived bounds of the float model's, its stream is refused with an
 * {@link IllegalStateException} naming the op and why, a saved model loads back bit for bit from the file alone under
 * the float model's names ({@code _reverse} included), corrupt or mismatched files are refused whole, and bad
 * arguments are named.
 */
class QuantizedBidirectionalSequenceModelTest {

  private static final int V = 7;
  private static final int B = 3;
  private static final int STEPS = 5;
  private static final int E = 6;
  private static final int H = 9;

  @TempDir
  Path dir;

  static Stream<Kernels> kernels() {
    return Stream.of(Kernels.scalar(), Kernels.get()).distinct();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Forward against the float model, within the derived bounds
  // ---------------------------------------------------------------------------------------------------------------

  /** An embedding, {@link QuantizedBidirectionalTest#boundLayer}'s one-layer bidirectional stack, a head over its width. */
  private static SequenceModel boundModel(CellKind kind, MergeMode merge, boolean batchFirst) {
    RecurrentLayer layer = QuantizedBidirectionalTest.boundLayer(kind, batchFirst, merge);
    SplittableRandom rng = new SplittableRandom(kind.ordinal() + 11);
    SequenceModel m = new SequenceModel(new Embedding(V, layer.config().inputSize(), rng), layer,
        new Linear(layer.config().outputSize(), V, rng));
    m.eval();
    return m;
  }

  /**
   * The bounds of {@link QuantizedSequenceModelBoundTest}, here on whole sequences through {@code forward}:
   * <ul>
   *   <li>the stack: {@link QuantizedBidirectionalTest#boundViolations}, the per-step bound of
   *       {@link QuantizedStepBoundTest} applied to one step of each direction, on the model's own quantized stack,
   *       against the float32 weights and against the dequantized ones (it reads the halves of a CONCAT output, so it
   *       runs for CONCAT);</li>
   *   <li>the logits: {@link QuantizedSequenceModelBoundTest#logitViolations} at every row of T = 5 steps, given the
   *       two stacks' merged outputs (the heads' inputs, width 2H for CONCAT, H for SUM) measured, so it holds however
   *       the stack's error grows over the steps; and the head alone against the exact product with the dequantized
   *       weights, within float32 rounding.</li>
   * </ul>
   * The logits check can fail: fed the forward's stack output with its two halves swapped, it finds violations.
   */
  @ParameterizedTest
  @MethodSource("kernels")
  void logitsAreWithinTheDerivedBoundOfTheFloatModel(Kernels kernels) {
    KernelScope.run(kernels, () -> {
      for (CellKind kind : CellKind.values()) {
        for (WeightFormat format : WeightFormat.values()) {
          for (MergeMode merge : MergeMode.values()) {
            boolean batchFirst = merge == MergeMode.SUM;
            String what = kind + " " + format + " " + merge + (batchFirst ? " batch-first" : "");
            SequenceModel model = boundModel(kind, merge, batchFirst);
            QuantizedSequenceModel q = model.quantize(format);
            assertTrue(q.recurrent().config().bidirectional(), what);
            if (merge == MergeMode.CONCAT) {
              assertEquals(List.of(), QuantizedBidirectionalTest.boundViolations(model.recurrent(), q.recurrent(),
                  false, false), what + ": the stack against the float32 weights");
              assertEquals(List.of(), QuantizedBidirectionalTest.boundViolations(
                  QuantizedBidirectionalTest.dequantized(model.recurrent(), q.recurrent()), q.recurrent(), true,
                  false), what + ": the stack against the dequantized weights");
            }
            int[] tokens = new SplittableRandom(kind.ordinal() + 17).ints(STEPS * B, 0, V).toArray();
            int[] shape = batchFirst ? new int[] {B, STEPS} : new int[] {STEPS, B};
            RecurrentOutput yf = model.forward(tokens, STEPS, B, null, null);
            RecurrentOutput yq = q.forward(tokens, STEPS, B, null, null);
            int outW = model.recurrent().config().outputSize();
            assertArrayEquals(new int[] {shape[0], shape[1], V}, yq.output().shape(), what);
            assertArrayEquals(new int[] {2, B, QuantizedStepBoundTest.H}, yq.hN().shape(), what);
            // the stacks' outputs, the heads' inputs: the quantized one is what forward fed its head, bit for bit
            Tensor x = model.embedding().forward(tokens, shape);
            float[] hf = model.recurrent().forward(x, null, null, null).output().toFloatArray();
            RecurrentOutput sq = q.recurrent().forward(Tensor.fromArray(x.toFloatArray(), x.shape()));
            float[] hq = sq.output().toFloatArray();
            assertArrayEquals(q.head().forward(sq.output()).toFloatArray(), yq.output().toFloatArray(), what);
            assertArrayEquals(sq.hN().toFloatArray(), yq.hN().toFloatArray(), what);
            float[] lf = yf.output().toFloatArray();
            float[] lq = yq.output().toFloatArray();
            assertEquals(List.of(), QuantizedSequenceModelBoundTest.logitViolations(model, q, hf, hq, lf, lq,
                STEPS * B, "forward"), what + ": the logits");
            if (merge == MergeMode.CONCAT) {
              assertFalse(QuantizedSequenceModelBoundTest.logitViolations(model, q, hf, swappedHalves(hq, outW), lf,
                  lq, STEPS * B, "swapped").isEmpty(), what + ": the check misses the directions swapped");
            }
          }
        }
      }
    });
  }

  /** Rows [n, w] with their two halves exchanged. */
  private static float[] swappedHalves(float[] a, int w) {
    float[] s = new float[a.length];
    for (int r = 0; r < a.length / w; r++) {
      System.arraycopy(a, r * w, s, r * w + w / 2, w / 2);
      System.arraycopy(a, r * w + w / 2, s, r * w, w / 2);
    }
    return s;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Streaming
  // ---------------------------------------------------------------------------------------------------------------

  @Test
  void aStreamIsRefusedNamingTheOpAndWhy() {
    for (WeightFormat format : WeightFormat.values()) {
      QuantizedSequenceModel q = model(CellKind.GRU, MergeMode.CONCAT, true, 1).quantize(format);
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> q.newStream(1));
      assertTrue(e.getMessage().contains("QuantizedSequenceModel: newStream") && e.getMessage().contains("GRU is "
          + "bidirectional") && e.getMessage().contains("reverse direction starts from the last time step"),
          e.getMessage());
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Files
  // ---------------------------------------------------------------------------------------------------------------

  /**
   * Two bidirectional layers; with embedding, head and biases, time-major ({@code full}), or dense, without head and
   * biases, batch-first.
   */
  static SequenceModel model(CellKind kind, MergeMode merge, boolean full, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    RecurrentLayer layer = RecurrentLayer.create(kind, new RecurrentOptions(E, H).numLayers(2).bidirectional(true)
        .merge(merge).bias(full).batchFirst(!full).seed(seed));
    return new SequenceModel(full ? new Embedding(V, E, rng) : null, layer,
        full ? new Linear(layer.config().outputSize(), V, true, DType.FLOAT32, rng) : null);
  }

  private static void assertSameMatrix(QuantizedMatrix a, QuantizedMatrix b, String what) {
    assertEquals(a.format(), b.format(), what);
    assertArrayEquals(new int[] {a.rows(), a.cols()}, new int[] {b.rows(), b.cols()}, what);
    if (a.format() == WeightFormat.BFLOAT16) {
      assertArrayEquals(a.bf16RowMajor(), b.bf16RowMajor(), what);
    } else {
      assertArrayEquals(a.int8RowMajor(), b.int8RowMajor(), what);
      assertArrayEquals(a.scales(), b.scales(), what);
    }
  }

  @Test
  void aSavedModelLoadsBackFromTheFileAloneBitForBitUnderTheFloatModelsNames() throws IOException {
    for (CellKind kind : CellKind.values()) {
      for (WeightFormat format : WeightFormat.values()) {
        for (boolean full : new boolean[] {true, false}) {
          MergeMode merge = (kind.ordinal() + format.ordinal()) % 2 == 0 ? MergeMode.CONCAT : MergeMode.SUM;
          String what = kind + " " + format + " " + merge + (full ? " embedding+head+bias" : " dense, no head");
          SequenceModel model = model(kind, merge, full, kind.ordinal() + 1);
          QuantizedSequenceModel q = model.quantize(format);
          Path p = dir.resolve(kind + "-" + format + "-" + full + ".safetensors");
          q.save(p, Map.of("vocabulary", "abcdefg"));

          // the float model's names, each weight with its scale for int8, and nothing else
          Set<String> names;
          try (SafetensorsFile f = SafetensorsFile.open(p)) {
            names = new HashSet<>(f.header().names());
          }
          Set<String> want = new HashSet<>();
          for (String name : model.namedParameters().keySet()) {
            want.add(name);
            if (format == WeightFormat.INT8 && name.contains("weight") && !name.startsWith("embedding")) {
              want.add(name + "_scale");
            }
          }
          assertEquals(want, names, what);
          String r = model.recurrent().config().name().toLowerCase(java.util.Locale.ROOT);
          assertTrue(names.contains(r + ".weight_ih_l1_reverse"), what + ": " + names);

          QuantizedSequenceModel back = QuantizedSequenceModel.load(p);
          assertEquals(model.recurrent().config(), back.recurrent().config(), what);
          assertEquals(format, back.format(), what);
          assertEquals(Map.of("vocabulary", "abcdefg"), SequenceModel.userMetadata(p), what);
          for (int l = 0; l < 2; l++) {
            for (int d = 0; d < 2; d++) {
              assertSameMatrix(q.recurrent().weightIh(l, d), back.recurrent().weightIh(l, d), what);
              assertSameMatrix(q.recurrent().weightHh(l, d), back.recurrent().weightHh(l, d), what);
              assertArrayEquals(q.recurrent().cell(2 * l + d).bih, back.recurrent().cell(2 * l + d).bih, what);
              assertArrayEquals(q.recurrent().cell(2 * l + d).bhh, back.recurrent().cell(2 * l + d).bhh, what);
            }
          }
          assertEquals(q.outputSize(), back.outputSize(), what);
          RecurrentOutput a;
          RecurrentOutput b;
          if (full) {
            assertSameMatrix(q.head().weight(), back.head().weight(), what);
            assertArrayEquals(q.head().bias(), back.head().bias(), what);
            assertArrayEquals(model.embedding().weight().toFloatArray(), back.embeddingWeight().toFloatArray(), what);
            int[] t = new SplittableRandom(9).ints(STEPS * B, 0, V).toArray();
            a = q.forward(t, STEPS, B, null, null);
            b = back.forward(t, STEPS, B, null, null);
          } else {
            assertNull(back.head(), what);
            assertEquals(model.recurrent().config().outputSize(), back.outputSize(), what);
            Tensor x = Tensor.fromArray(QuantizedSequenceModelBoundTest.random(new SplittableRandom(3),
                B * STEPS * E, 1), B, STEPS, E); // batch-first
            a = q.forward(x, null, null);
            b = back.forward(x, null, null);
          }
          assertArrayEquals(a.output().toFloatArray(), b.output().toFloatArray(), what);
          assertArrayEquals(a.hN().toFloatArray(), b.hN().toFloatArray(), what);
          if (kind.hasCellState()) {
            assertArrayEquals(a.cN().toFloatArray(), b.cN().toFloatArray(), what);
          }
        }
      }
    }
  }

  /** A saved INT8 bidirectional LSTM model (CONCAT, embedding, head) rewritten with {@code change}; the refusal. */
  private String rejected(String file, Consumer<Map<String, SafetensorsTensor>> change) throws IOException {
    Path good = dir.resolve("good-" + file);
    model(CellKind.LSTM, MergeMode.CONCAT, true, 2).quantize(WeightFormat.INT8).save(good);
    return CorruptedFiles.rejection(good, dir.resolve(file), change, QuantizedSequenceModel::load);
  }

  @Test
  void corruptTensorsAreRefusedWholeWithTheTensorNamed() throws IOException {
    int gw = 4 * H;
    String m = rejected("missing.safetensors", t -> t.remove("lstm.weight_hh_l1_reverse"));
    assertTrue(m.contains("'lstm.weight_hh_l1_reverse'") && m.contains("missing"), m);
    m = rejected("missing-scale.safetensors", t -> t.remove("lstm.weight_ih_l0_reverse_scale"));
    assertTrue(m.contains("'lstm.weight_ih_l0_reverse_scale'") && m.contains("missing"), m);
    // layer 1 reads both directions of layer 0: its W_ih is [4H, 2H]
    m = rejected("narrow.safetensors", t -> t.put("lstm.weight_ih_l1_reverse",
        SafetensorsTensor.ofInt8(new int[] {gw, H}, new byte[gw * H])));
    assertTrue(m.contains("'lstm.weight_ih_l1_reverse'") && m.contains("[" + gw + ", " + 2 * H + "]"), m);
    // the head reads the merged width 2H
    m = rejected("narrow-head.safetensors", t -> t.put("readout.weight",
        SafetensorsTensor.ofInt8(new int[] {V, H}, new byte[V * H])));
    assertTrue(m.contains("'readout.weight'") && m.contains("[" + V + ", " + 2 * H + "]"), m);
    m = rejected("nan-scale.safetensors", t -> {
      float[] s = t.get("lstm.weight_hh_l0_reverse_scale").floats();
      s[3] = Float.NaN;
      t.put("lstm.weight_hh_l0_reverse_scale", SafetensorsTensor.ofFloats(new int[] {gw}, s));
    });
    assertTrue(m.contains("lstm.weight_hh_l0_reverse_scale") && m.contains("NaN"), m);
    m = rejected("extra.safetensors", t -> t.put("lstm.weight_hh_l2_reverse", t.get("lstm.weight_hh_l1_reverse")));
    assertTrue(m.contains("'lstm.weight_hh_l2_reverse'"), m);
  }

  /** The saved model of {@code source} with its metadata changed by {@code change}; the refusal, naming the file. */
  private String rejectedMetadata(String file, SequenceModel source, Consumer<Map<String, String>> change)
      throws IOException {
    Path good = dir.resolve("good-" + file);
    source.quantize(WeightFormat.INT8).save(good);
    Map<String, String> meta;
    try (SafetensorsFile f = SafetensorsFile.open(good)) {
      meta = new LinkedHashMap<>(f.header().metadata());
    }
    change.accept(meta);
    Path bad = dir.resolve(file);
    Safetensors.write(bad, Safetensors.read(good), meta);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> QuantizedSequenceModel.load(bad));
    assertTrue(e.getMessage().contains("QuantizedSequenceModel.load") && e.getMessage().contains(bad.toString()),
        e.getMessage());
    return e.getMessage();
  }

  @Test
  void filesWhoseMetadataDisagreesWithTheirTensorsAreRefusedWhole() throws IOException {
    SequenceModel bi = model(CellKind.LSTM, MergeMode.CONCAT, true, 4);
    // said unidirectional: the reverse tensors are unexpected
    String m = rejectedMetadata("uni.safetensors", bi, meta -> meta.put("rnn4j.bidirectional", "false"));
    assertTrue(m.contains("_reverse'") && m.contains("is not part of") && !m.contains("bidirectional"), m);
    // said SUM: layer 1 and the head would read H, the file's read 2H
    m = rejectedMetadata("sum.safetensors", bi, meta -> meta.put("rnn4j.merge", "SUM"));
    assertTrue(m.contains("[" + 4 * H + ", " + H + "]") || m.contains("[" + V + ", " + H + "]"), m);
    // a unidirectional model's file said bidirectional: the reverse tensors are missing
    SequenceModel uni = new SequenceModel(null, new GRU(new RecurrentOptions(E, H).seed(5)), null);
    m = rejectedMetadata("bi.safetensors", uni, meta -> meta.put("rnn4j.bidirectional", "true"));
    assertTrue(m.contains("_reverse' is missing")
        && m.contains("bidirectional GRU"), m);
  }

  @Test
  void aTruncatedFileIsTheLibrarysFormatException() throws IOException {
    Path good = dir.resolve("good.safetensors");
    model(CellKind.GRU, MergeMode.SUM, true, 6).quantize(WeightFormat.BFLOAT16).save(good);
    byte[] bytes = Files.readAllBytes(good);
    Path cut = dir.resolve("cut.safetensors");
    Files.write(cut, Arrays.copyOf(bytes, bytes.length - 5));
    // as SequenceModel.load and RecurrentLayer.load: corrupt bytes are an IOException, not a bad call
    SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class,
        () -> QuantizedSequenceModel.load(cut));
    String last = QuantizedSequenceModelFilesTest.lastTensor(good);
    assertTrue(e.getMessage().contains(cut.toString()) && e.getMessage().contains(last), last + ": " + e.getMessage());
    assertThrows(SafetensorsFormatException.class, () -> SequenceModel.load(cut));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Bad arguments
  // ---------------------------------------------------------------------------------------------------------------

  @Test
  void badStatesAndFilesOfTheOtherKindAreNamed() throws IOException {
    SequenceModel model = model(CellKind.LSTM, MergeMode.CONCAT, true, 7);
    QuantizedSequenceModel q = model.quantize(WeightFormat.INT8);
    int[] tokens = new int[STEPS * B];
    // states [L*2, B, H] = [4, 3, 9]; [L, B, H] (the directions forgotten) is named with the shape expected
    Tensor h0 = Tensor.zeros(DType.FLOAT32, 2, B, H);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> q.forward(tokens, STEPS, B, h0, null));
    assertTrue(e.getMessage().contains("forward: h0") && e.getMessage().contains("[4, 3, 9]")
        && e.getMessage().contains("[2, 3, 9]"), e.getMessage());
    Tensor c0 = Tensor.zeros(DType.FLOAT32, 4, B + 1, H);
    e = assertThrows(IllegalArgumentException.class, () -> q.forward(tokens, STEPS, B, null, c0));
    assertTrue(e.getMessage().contains("forward: c0") && e.getMessage().contains("[4, 3, 9]")
        && e.getMessage().contains("[4, 4, 9]"), e.getMessage());
    // states of the right shape are taken
    RecurrentOutput o = q.forward(tokens, STEPS, B, Tensor.zeros(DType.FLOAT32, 4, B, H),
        Tensor.zeros(DType.FLOAT32, 4, B, H));
    assertArrayEquals(q.forward(tokens, STEPS, B, null, null).output().toFloatArray(), o.output().toFloatArray());

    Path qf = dir.resolve("q.safetensors");
    Path ff = dir.resolve("f.safetensors");
    q.save(qf);
    model.save(ff, Map.of());
    e = assertThrows(IllegalArgumentException.class, () -> SequenceModel.load(qf));
    assertTrue(e.getMessage().contains("QuantizedSequenceModel.load"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> QuantizedSequenceModel.load(ff));
    assertTrue(e.getMessage().contains("SequenceModel.load, then quantize it"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> QuantizedRecurrentLayer.load(qf));
    assertTrue(e.getMessage().contains("QuantizedSequenceModel"), e.getMessage());
    // a missing file: the JDK's exception, from either loader
    Path none = dir.resolve("none.safetensors");
    assertThrows(java.nio.file.NoSuchFileException.class, () -> QuantizedSequenceModel.load(none));
    assertThrows(java.nio.file.NoSuchFileException.class, () -> SequenceModel.load(none));
    // the float file of the same model loads and quantizes to the same stored weights
    QuantizedSequenceModel again = SequenceModel.load(ff).quantize(WeightFormat.INT8);
    assertSameMatrix(q.recurrent().weightIh(1, 1), again.recurrent().weightIh(1, 1), "weight_ih_l1_reverse");
  }
}
