package dev.rnn4j.nn.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.nn.Embedding;
import dev.rnn4j.nn.Linear;
import dev.rnn4j.nn.QuantizedLinear;
import dev.rnn4j.nn.QuantizedMatrix;
import dev.rnn4j.nn.WeightFormat;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.Tensor;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link SequenceModel#quantize} and {@link QuantizedSequenceModel}: a saved model loads back bit for bit from the file
 * alone (every cell and format, with and without embedding and head), its stream gives forward's bits and allocates
 * nothing, and its logits stay within the bound derived for the quantized layers of the float model's.
 */
class QuantizedSequenceModelTest {

  private static final int V = 11;
  private static final int E = 6;
  private static final int H = 19; // GRU reset-before: W_hh's candidate rows start at 38, not a panel multiple
  private static final double U = Math.scalb(1.0, -24);

  @TempDir
  Path dir;

  static SequenceModel model(CellKind kind, boolean embedding, boolean head, boolean bias, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    RecurrentLayer layer = RecurrentLayer.create(kind, new RecurrentOptions(E, H).numLayers(2).bias(bias)
        .batchFirst(!bias).seed(seed));
    return new SequenceModel(embedding ? new Embedding(V, E, rng) : null, layer,
        head ? new Linear(H, V, bias, DType.FLOAT32, rng) : null);
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

  private static int[] tokens(int n, long seed) {
    return new SplittableRandom(seed).ints(n, 0, V).toArray();
  }

  @Test
  void aSavedModelLoadsBackFromTheFileAloneBitForBit() throws IOException {
    for (CellKind kind : CellKind.values()) {
      for (WeightFormat format : WeightFormat.values()) {
        for (boolean full : new boolean[] {true, false}) {
          String what = kind + " " + format + (full ? " embedding+head+bias" : " dense, no head, no bias");
          SequenceModel model = model(kind, full, full, full, kind.ordinal());
          QuantizedSequenceModel q = model.quantize(format);
          Path p = dir.resolve(kind + "-" + format + "-" + full + ".safetensors");
          q.save(p, Map.of("vocabulary", "abcdefghijk", "note", "kept"));
          QuantizedSequenceModel back = QuantizedSequenceModel.load(p);
          assertEquals(model.recurrent().config(), back.recurrent().config(), what);
          assertEquals(format, back.format(), what);
          assertEquals(Map.of("vocabulary", "abcdefghijk", "note", "kept"), SequenceModel.userMetadata(p), what);
          for (int l = 0; l < 2; l++) {
            assertSameMatrix(q.recurrent().weightIh(l), back.recurrent().weightIh(l), what);
            assertSameMatrix(q.recurrent().weightHh(l), back.recurrent().weightHh(l), what);
            assertArrayEquals(q.recurrent().cell(l).bih, back.recurrent().cell(l).bih, what);
            assertArrayEquals(q.recurrent().cell(l).bhh, back.recurrent().cell(l).bhh, what);
          }
          RecurrentOutput a;
          RecurrentOutput b;
          if (full) {
            assertSameMatrix(q.head().weight(), back.head().weight(), what);
            assertArrayEquals(q.head().bias(), back.head().bias(), what);
            assertArrayEquals(model.embedding().weight().toFloatArray(), back.embeddingWeight().toFloatArray(), what);
            int[] t = tokens(5 * 3, 9);
            a = q.forward(t, 5, 3, null, null);
            b = back.forward(t, 5, 3, null, null);
          } else {
            assertNull(back.head(), what);
            assertNull(back.embeddingWeight(), what);
            Tensor x = Tensor.fromArray(QuantizedSequenceModelBoundTest.random(new SplittableRandom(3), 3 * 5 * E, 1),
                3, 5, E); // batch-first
            a = q.forward(x, null, null);
            b = back.forward(x, null, null);
          }
          assertArrayEquals(a.output().toFloatArray(), b.output().toFloatArray(), what);
          assertArrayEquals(a.hN().toFloatArray(), b.hN().toFloatArray(), what);
        }
      }
    }
  }

  @Test
  void theFileKeepsTheFloatModelsNamesAndIsSmaller() throws IOException {
    SequenceModel model = model(CellKind.LSTM, true, true, true, 1);
    Path f32 = dir.resolve("f32.safetensors");
    Path i8 = dir.resolve("i8.safetensors");
    model.save(f32, Map.of());
    model.quantize(WeightFormat.INT8).save(i8);
    Map<String, dev.rnn4j.io.SafetensorsTensor> t = dev.rnn4j.io.Safetensors.read(i8);
    for (String name : model.namedParameters().keySet()) {
      assertTrue(t.containsKey(name), name + " not in " + t.keySet());
    }
    assertTrue(t.containsKey("lstm.weight_hh_l1_scale") && t.containsKey("readout.weight_scale"), t.keySet()
        .toString());
    assertTrue(java.nio.file.Files.size(i8) < java.nio.file.Files.size(f32) / 2, "int8 file not smaller");
  }

  static Stream<Kernels> kernels() {
    return Stream.of(Kernels.scalar(), Kernels.get()).distinct();
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void streamingStepsGiveTheForwardPassBitForBit(Kernels kernels) {
    KernelScope.run(kernels, () -> {
      for (CellKind kind : List.of(CellKind.LSTM, CellKind.GRU_RESET_BEFORE, CellKind.RNN_TANH)) {
        for (WeightFormat format : WeightFormat.values()) {
          QuantizedSequenceModel q = model(kind, true, true, true, 4).quantize(format);
          int steps = 6;
          int batch = 2;
          int[] t = tokens(steps * batch, 5);
          float[] want = q.forward(t, steps, batch, null, null).output().toFloatArray();
          QuantizedSequenceModel.Stream s = q.newStream(batch);
          for (int round = 0; round < 2; round++) { // the second round after reset: the state starts from zero
            for (int i = 0; i < steps; i++) {
              float[] got = s.step(new int[] {t[i * batch], t[i * batch + 1]}).toFloatArray();
              float[] row = java.util.Arrays.copyOfRange(want, i * batch * V, (i + 1) * batch * V);
              assertArrayEquals(row, got, kind + " " + format + " step " + i);
            }
            s.reset();
          }
        }
      }
    });
  }

  /**
   * A step allocates nothing: the thread's allocation counter over windows of steps on the scalar kernels (which
   * allocate nothing in any compilation state), after a warm-up; the quietest window must be 0 bytes. The float
   * model's stream is measured beside it for the record (its head is a gemv per row, no packing).
   */
  @Test
  @SuppressWarnings("try")
  void aStreamStepAllocatesNothing() {
    var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().threadId();
    try (KernelScope ignored = KernelScope.use(Kernels.scalar())) {
      QuantizedSequenceModel.Stream s = model(CellKind.LSTM, true, true, true, 2).quantize(WeightFormat.INT8)
          .newStream(2);
      int[] token = {3, 7};
      long quietest = Long.MAX_VALUE;
      long deadline = System.nanoTime() + 30_000_000_000L;
      for (int i = 0; i < 200; i++) {
        s.step(token);
      }
      do {
        long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 20; i++) {
          s.step(token);
        }
        quietest = Math.min(quietest, mx.getThreadAllocatedBytes(tid) - before);
      } while (quietest > 0 && System.nanoTime() < deadline);
      assertEquals(0, quietest, "bytes allocated by 20 steps");
    }
  }

  @Test
  void badArgumentsAreNamed() {
    SequenceModel model = model(CellKind.GRU, true, true, true, 3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.quantize(null));
    assertTrue(e.getMessage().contains("SequenceModel.quantize: format is null"), e.getMessage());
    SplittableRandom rng = new SplittableRandom(1);
    SequenceModel f64 = new SequenceModel(new Embedding(V, E, DType.FLOAT64, rng),
        new LSTM(new RecurrentOptions(E, H).dtype(DType.FLOAT64)), null);
    e = assertThrows(IllegalArgumentException.class, () -> f64.quantize(WeightFormat.INT8));
    assertTrue(e.getMessage().contains("SequenceModel.quantize") && e.getMessage().contains("float64"),
        e.getMessage());

    QuantizedSequenceModel q = model.quantize(WeightFormat.BFLOAT16);
    e = assertThrows(IllegalArgumentException.class, () -> q.forward(new int[] {1, 2, V}, 3, 1, null, null));
    assertTrue(e.getMessage().contains("token[2] = " + V) && e.getMessage().contains("[0, " + V + ")"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> q.forward(new int[] {1, 2}, 3, 1, null, null));
    assertTrue(e.getMessage().contains("3 * 1") && e.getMessage().contains("got 2"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> q.forward(Tensor.zeros(DType.FLOAT32, 2, 1, E), null,
        null));
    assertTrue(e.getMessage().contains("starts with an embedding"), e.getMessage());
    QuantizedSequenceModel.Stream s = q.newStream(2);
    e = assertThrows(IllegalArgumentException.class, () -> s.step(new int[] {1}));
    assertTrue(e.getMessage().contains("expected 2 token(s)"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> s.step(new int[] {1, -1}));
    assertTrue(e.getMessage().contains("token[1] = -1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> s.step(Tensor.zeros(DType.FLOAT32, 2, E)));
    assertTrue(e.getMessage().contains("starts with an embedding"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> q.newStream(0));
    assertTrue(e.getMessage().contains("batch must be >= 1"), e.getMessage());

    QuantizedSequenceModel dense = model(CellKind.RNN_RELU, false, false, true, 3).quantize(WeightFormat.INT8);
    e = assertThrows(IllegalArgumentException.class, () -> dense.forward(new int[] {1}, 1, 1, null, null));
    assertTrue(e.getMessage().contains("no embedding"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> dense.newStream(1).step(new int[] {1}));
    assertTrue(e.getMessage().contains("no embedding"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> dense.save(dir.resolve("d.safetensors"),
        Map.of("rnn4j.vocabulary", "x")));
    assertTrue(e.getMessage().contains("'rnn4j.vocabulary'"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> QuantizedSequenceModel.load(null));
    assertTrue(e.getMessage().contains("path is null"), e.getMessage());
    QuantizedLinear head = q.head();
    assertEquals(V, head.outFeatures());
  }
}
