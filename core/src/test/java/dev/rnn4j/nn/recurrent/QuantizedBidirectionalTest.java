package dev.rnn4j.nn.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bidirectional quantized layers: the forward pass is two unidirectional quantized passes (the reverse one over the
 * time-reversed sequence) merged as the float layer merges them, bit for bit; it is within
 * {@link QuantizedStepBoundTest}'s derived bound of the float32 bidirectional layer; files round-trip bit for bit
 * under PyTorch's {@code _reverse} names and corrupt reverse tensors are rejected; streaming is refused.
 */
class QuantizedBidirectionalTest {

  private static final int I = 6;
  private static final int H = 9;
  private static final int B = 2;
  private static final int T = 5;

  @TempDir
  Path dir;

  static Stream<Kernels> kernels() {
    return Stream.of(Kernels.scalar(), Kernels.get()).distinct();
  }

  private static float[] random(int n, long seed) {
    return RandomArrays.uniform(n, seed);
  }

  private static String suffix(int layer, int d) {
    return "_l" + layer + (d == 1 ? "_reverse" : "");
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Structure, bit for bit
  // ---------------------------------------------------------------------------------------------------------------

  @ParameterizedTest
  @MethodSource("kernels")
  void forwardIsTwoUnidirectionalPassesMergedBitForBit(Kernels kernels) {
    KernelScope.run(kernels, () -> {
      for (CellKind kind : CellKind.values()) {
        for (WeightFormat format : WeightFormat.values()) {
          for (MergeMode merge : MergeMode.values()) {
            checkStructure(kind, format, merge, kind + " " + format + " " + merge + " " + kernels.name());
          }
        }
      }
    });
  }

  private static void checkStructure(CellKind kind, WeightFormat format, MergeMode merge, String what) {
    RecurrentLayer bi = RecurrentLayer.create(kind, new RecurrentOptions(I, H).numLayers(2).bidirectional(true)
        .merge(merge).seed(kind.ordinal() + 3));
    QuantizedRecurrentLayer q = bi.quantize(format);
    int outW = bi.config().outputSize();
    float[] x = random(T * B * I, 4);
    float[] h0 = random(4 * B * H, 5);
    float[] c0 = kind.hasCellState() ? random(4 * B * H, 6) : null;
    RecurrentOutput got = q.forward(Tensor.fromArray(x, T, B, I), Tensor.fromArray(h0, 4, B, H),
        c0 == null ? null : Tensor.fromArray(c0, 4, B, H));
    assertArrayEquals(new int[] {T, B, outW}, got.output().shape(), what);
    assertArrayEquals(new int[] {4, B, H}, got.hN().shape(), what);

    float[] in = x;
    int inW = I;
    float[] hN = new float[4 * B * H];
    float[] cN = new float[4 * B * H];
    float[] y = null;
    for (int l = 0; l < 2; l++) {
      y = new float[T * B * outW];
      for (int d = 0; d < 2; d++) {
        int i = 2 * l + d;
        QuantizedRecurrentLayer uq = direction(bi, l, d, inW).quantize(format);
        assertSame(q.weightIh(l, d), uq.weightIh(0), what);
        float[] xs = d == 0 ? in : reversed(in, inW);
        RecurrentOutput o = uq.forward(Tensor.fromArray(xs, T, B, inW),
            Tensor.fromArray(java.util.Arrays.copyOfRange(h0, i * B * H, (i + 1) * B * H), 1, B, H),
            c0 == null ? null : Tensor.fromArray(java.util.Arrays.copyOfRange(c0, i * B * H, (i + 1) * B * H), 1, B,
                H));
        float[] ys = d == 0 ? o.output().toFloatArray() : reversed(o.output().toFloatArray(), H);
        for (int r = 0; r < T * B; r++) {
          for (int u = 0; u < H; u++) {
            if (merge == MergeMode.CONCAT) {
              y[r * outW + d * H + u] = ys[r * H + u];
            } else {
              y[r * outW + u] = d == 0 ? ys[r * H + u] : y[r * outW + u] + ys[r * H + u];
            }
          }
        }
        System.arraycopy(o.hN().toFloatArray(), 0, hN, i * B * H, B * H);
        if (c0 != null) {
          System.arraycopy(o.cN().toFloatArray(), 0, cN, i * B * H, B * H);
        }
      }
      in = y;
      inW = outW;
    }
    assertArrayEquals(y, got.output().toFloatArray(), what + ": output");
    assertArrayEquals(hN, got.hN().toFloatArray(), what + ": hN [L*2, B, H], layer-major, forward first");
    if (c0 != null) {
      assertArrayEquals(cN, got.cN().toFloatArray(), what + ": cN");
    }
  }

  /** A unidirectional float layer holding direction d of layer l of {@code bi}. */
  private static RecurrentLayer direction(RecurrentLayer bi, int l, int d, int inW) {
    RecurrentLayer uni = RecurrentLayer.create(bi.config().kind(), new RecurrentOptions(inW, H));
    for (String p : new String[] {"weight_ih", "weight_hh", "bias_ih", "bias_hh"}) {
      uni.namedParameters().get(p + "_l0").copyFrom(bi.namedParameters().get(p + suffix(l, d)));
    }
    return uni;
  }

  private static void assertSame(QuantizedMatrix a, QuantizedMatrix b, String what) {
    if (a.format() == WeightFormat.INT8) {
      assertArrayEquals(a.int8RowMajor(), b.int8RowMajor(), what);
      assertArrayEquals(a.scales(), b.scales(), what);
    } else {
      assertArrayEquals(a.bf16RowMajor(), b.bf16RowMajor(), what);
    }
  }

  /** Rows [T, B, w] in reverse time order. */
  private static float[] reversed(float[] a, int w) {
    float[] r = new float[a.length];
    for (int t = 0; t < T; t++) {
      System.arraycopy(a, t * B * w, r, (T - 1 - t) * B * w, B * w);
    }
    return r;
  }

  @Test
  void batchFirstIsTheTransposeOfTimeMajor() {
    RecurrentOptions o = new RecurrentOptions(I, H).numLayers(2).bidirectional(true).seed(8);
    QuantizedRecurrentLayer timeMajor = new GRU(o).quantize(WeightFormat.INT8);
    QuantizedRecurrentLayer batchFirst = new GRU(o.batchFirst(true)).quantize(WeightFormat.INT8);
    float[] x = random(T * B * I, 8);
    float[] xb = new float[x.length];
    for (int t = 0; t < T; t++) {
      for (int b = 0; b < B; b++) {
        System.arraycopy(x, (t * B + b) * I, xb, (b * T + t) * I, I);
      }
    }
    RecurrentOutput ot = timeMajor.forward(Tensor.fromArray(x, T, B, I));
    RecurrentOutput ob = batchFirst.forward(Tensor.fromArray(xb, B, T, I));
    assertArrayEquals(new int[] {B, T, 2 * H}, ob.output().shape());
    float[] y = ot.output().toFloatArray();
    float[] yb = ob.output().toFloatArray();
    for (int t = 0; t < T; t++) {
      for (int b = 0; b < B; b++) {
        for (int u = 0; u < 2 * H; u++) {
          assertEquals(y[(t * B + b) * 2 * H + u], yb[(b * T + t) * 2 * H + u]);
        }
      }
    }
    assertArrayEquals(ot.hN().toFloatArray(), ob.hN().toFloatArray());
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Against the float32 bidirectional layer, within QuantizedStepBoundTest's bound
  // ---------------------------------------------------------------------------------------------------------------

  /**
   * One time step (T = 1) of a one-layer bidirectional layer: each direction is one step from its own initial state,
   * so {@link QuantizedStepBoundTest#stepViolations}'s per-step bound applies to each half of the output unchanged,
   * with that direction's weights. Against the float32 weights and against the dequantized ones.
   */
  @ParameterizedTest
  @MethodSource("kernels")
  void oneStepOfEachDirectionIsWithinTheBoundOfTheFloatLayer(Kernels kernels) {
    KernelScope.run(kernels, () -> {
      for (CellKind kind : CellKind.values()) {
        for (WeightFormat format : WeightFormat.values()) {
          for (boolean batchFirst : new boolean[] {false, true}) {
            RecurrentLayer layer = boundLayer(kind, batchFirst);
            QuantizedRecurrentLayer q = layer.quantize(format);
            String what = kind + " " + format + (batchFirst ? " batch-first" : "");
            assertEquals(List.of(), boundViolations(layer, q, false, false), what + " against the float32 weights");
            assertEquals(List.of(), boundViolations(dequantized(layer, q), q, true, false),
                what + " against the dequantized weights");
            // the check can fail: the output's two halves taken the other way round
            assertFalse(boundViolations(dequantized(layer, q), q, true, true).isEmpty(), what + ": swapped");
          }
        }
      }
    });
  }

  private static final int BI = QuantizedStepBoundTest.I;
  private static final int BH = QuantizedStepBoundTest.H;
  private static final int BB = QuantizedStepBoundTest.B;

  /** Gate rows scaled by 1/2, 1, 2, 4 in turn, as in QuantizedStepBoundTest, in both directions. */
  private static RecurrentLayer boundLayer(CellKind kind, boolean batchFirst) {
    RecurrentLayer layer = RecurrentLayer.create(kind, new RecurrentOptions(BI, BH).bidirectional(true)
        .batchFirst(batchFirst).seed(kind.ordinal() + 5));
    for (String name : new String[] {"weight_ih_l0", "weight_hh_l0", "weight_ih_l0_reverse", "weight_hh_l0_reverse"}) {
      Tensor w = layer.namedParameters().get(name);
      float[] a = w.toFloatArray();
      int cols = w.size(1);
      for (int i = 0; i < a.length; i++) {
        a[i] *= (float) Math.scalb(1.0, (i / cols) % 4 - 1);
      }
      w.copyFrom(a, 0);
    }
    return layer;
  }

  private static RecurrentLayer dequantized(RecurrentLayer layer, QuantizedRecurrentLayer q) {
    RecurrentLayer copy = RecurrentLayer.create(layer.config().kind(), new RecurrentOptions(BI, BH).bidirectional(true)
        .batchFirst(layer.config().batchFirst()));
    for (int d = 0; d < 2; d++) {
      String s = suffix(0, d);
      copy.namedParameters().get("bias_ih" + s).copyFrom(layer.namedParameters().get("bias_ih" + s));
      copy.namedParameters().get("bias_hh" + s).copyFrom(layer.namedParameters().get("bias_hh" + s));
      copy.namedParameters().get("weight_ih" + s).copyFrom(q.weightIh(0, d).dequantize());
      copy.namedParameters().get("weight_hh" + s).copyFrom(q.weightHh(0, d).dequantize());
    }
    return copy;
  }

  private static List<String> boundViolations(RecurrentLayer ref, QuantizedRecurrentLayer q, boolean dequantized,
                                              boolean swapped) {
    CellKind kind = ref.config().kind();
    SplittableRandom rnd = new SplittableRandom(31);
    List<String> bad = new ArrayList<>();
    for (int round = 0; round < 4; round++) {
      float[] x = QuantizedStepBoundTest.random(rnd, BB * BI, 2);
      float[] h0 = QuantizedStepBoundTest.random(rnd, 2 * BB * BH, 1);
      float[] c0 = QuantizedStepBoundTest.random(rnd, 2 * BB * BH, 3);
      int[] shape = ref.config().batchFirst() ? new int[] {BB, 1, BI} : new int[] {1, BB, BI};
      Tensor h0t = Tensor.fromArray(h0, 2, BB, BH);
      Tensor c0t = kind.hasCellState() ? Tensor.fromArray(c0, 2, BB, BH) : null;
      float[] want = ref.forward(Tensor.fromArray(x, shape), h0t, c0t, null).output().toFloatArray();
      RecurrentOutput qo = q.forward(Tensor.fromArray(x, shape), h0t, c0t);
      float[] got = qo.output().toFloatArray();
      for (int d = 0; d < 2; d++) {
        int wd = d;
        int gd = swapped ? 1 - d : d; // a mutant that puts the directions' halves the other way round
        String s = suffix(0, wd);
        float[][] w = {
            ref.namedParameters().get("weight_ih" + s).toFloatArray(),
            ref.namedParameters().get("weight_hh" + s).toFloatArray(),
            ref.namedParameters().get("bias_ih" + s).toFloatArray(),
            ref.namedParameters().get("bias_hh" + s).toFloatArray(),
            q.weightIh(0, wd).dequantize().toFloatArray(), q.weightHh(0, wd).dequantize().toFloatArray(),
            q.weightIh(0, wd).scales(), q.weightHh(0, wd).scales()};
        float[] hd = java.util.Arrays.copyOfRange(h0, d * BB * BH, (d + 1) * BB * BH);
        float[] cd = java.util.Arrays.copyOfRange(c0, d * BB * BH, (d + 1) * BB * BH);
        float[] wantD = new float[BB * BH];
        float[] gotD = new float[BB * BH];
        for (int b = 0; b < BB; b++) {
          System.arraycopy(want, b * 2 * BH + d * BH, wantD, b * BH, BH);
          System.arraycopy(got, b * 2 * BH + gd * BH, gotD, b * BH, BH);
        }
        if (!swapped) { // at T = 1 the final state of each direction is its only output
          assertArrayEquals(gotD, java.util.Arrays.copyOfRange(qo.hN().toFloatArray(), d * BB * BH,
              (d + 1) * BB * BH));
        }
        bad.addAll(QuantizedStepBoundTest.stepViolations(kind, q.format(), w, x, hd, cd, wantD, gotD, dequantized,
            "round " + round + " direction " + d));
      }
    }
    return bad;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Files
  // ---------------------------------------------------------------------------------------------------------------

  @Test
  void aRoundTripUnderReverseNamesGivesTheSameLayerBitForBit() throws IOException {
    for (CellKind kind : CellKind.values()) {
      for (WeightFormat format : WeightFormat.values()) {
        MergeMode merge = kind.ordinal() % 2 == 0 ? MergeMode.CONCAT : MergeMode.SUM;
        QuantizedRecurrentLayer q = RecurrentLayer.create(kind, new RecurrentOptions(I, H).numLayers(2)
            .bidirectional(true).merge(merge).seed(kind.ordinal() + 1)).quantize(format);
        Path p = dir.resolve(kind + "-" + format + ".safetensors");
        q.save(p);
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
          assertTrue(f.header().names().contains("weight_hh_l1_reverse"), f.header().names().toString());
          assertEquals(format == WeightFormat.INT8, f.header().names().contains("weight_ih_l1_reverse_scale"));
          assertTrue(f.header().names().contains("bias_ih_l0_reverse"));
        }
        QuantizedRecurrentLayer r = QuantizedRecurrentLayer.load(p);
        assertTrue(r.config().bidirectional());
        assertEquals(merge, r.config().merge());
        for (int l = 0; l < 2; l++) {
          for (int d = 0; d < 2; d++) {
            assertSame(q.weightIh(l, d), r.weightIh(l, d), kind + " " + format);
            assertSame(q.weightHh(l, d), r.weightHh(l, d), kind + " " + format);
          }
        }
        Tensor x = Tensor.fromArray(random(T * B * I, 3), T, B, I);
        RecurrentOutput a = q.forward(x);
        RecurrentOutput b = r.forward(x);
        assertArrayEquals(a.output().toFloatArray(), b.output().toFloatArray(), kind + " " + format);
        assertArrayEquals(a.hN().toFloatArray(), b.hN().toFloatArray(), kind + " " + format);
      }
    }
  }

  /** Rewrites a saved bidirectional INT8 LSTM's tensors with {@code change} and returns the load's error message. */
  private String rejected(String file, Consumer<Map<String, SafetensorsTensor>> change) throws IOException {
    Path good = dir.resolve("good-" + file);
    new LSTM(new RecurrentOptions(I, H).numLayers(2).bidirectional(true).seed(2)).quantize(WeightFormat.INT8)
        .save(good);
    return CorruptedFiles.rejection(good, dir.resolve(file), change, QuantizedRecurrentLayer::load);
  }

  @Test
  void corruptOrMissingReverseTensorsAreRejected() throws IOException {
    int gw = 4 * H;
    String m = rejected("missing.safetensors", t -> t.remove("weight_hh_l1_reverse"));
    assertTrue(m.contains("'weight_hh_l1_reverse'") && m.contains("missing"), m);
    m = rejected("missing-scale.safetensors", t -> t.remove("weight_ih_l0_reverse_scale"));
    assertTrue(m.contains("'weight_ih_l0_reverse_scale'") && m.contains("missing"), m);
    m = rejected("missing-bias.safetensors", t -> t.remove("bias_hh_l1_reverse"));
    assertTrue(m.contains("'bias_hh_l1_reverse'") && m.contains("missing"), m);
    // layer 1 reads both directions of layer 0: its W_ih is [4H, 2H]; one of [4H, H] is the wrong shape
    m = rejected("narrow.safetensors", t -> t.put("weight_ih_l1_reverse",
        SafetensorsTensor.ofInt8(new int[] {gw, H}, new byte[gw * H])));
    assertTrue(m.contains("'weight_ih_l1_reverse'") && m.contains("[" + gw + ", " + 2 * H + "]"), m);
    m = rejected("short-scale.safetensors", t -> t.put("weight_hh_l0_reverse_scale",
        SafetensorsTensor.ofFloats(new int[] {gw - 1}, new float[gw - 1])));
    assertTrue(m.contains("'weight_hh_l0_reverse_scale'"), m);
    m = rejected("nan-scale.safetensors", t -> {
      float[] s = t.get("weight_ih_l1_reverse_scale").floats();
      s[2] = Float.NaN;
      t.put("weight_ih_l1_reverse_scale", SafetensorsTensor.ofFloats(new int[] {gw}, s));
    });
    assertTrue(m.contains("weight_ih_l1_reverse_scale"), m);
    m = rejected("extra.safetensors", t -> t.put("weight_hh_l2_reverse", t.get("weight_hh_l1_reverse")));
    assertTrue(m.contains("'weight_hh_l2_reverse'"), m);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Streaming
  // ---------------------------------------------------------------------------------------------------------------

  @Test
  void streamingIsRefusedBecauseAStreamCannotSeeTheFuture() {
    QuantizedRecurrentLayer bi = new LSTM(new RecurrentOptions(I, H).bidirectional(true)).quantize(
        WeightFormat.BFLOAT16);
    QuantizedStreamState other = new LSTM(new RecurrentOptions(I, H)).quantize(WeightFormat.BFLOAT16)
        .newStreamState(1);
    List<Runnable> calls = List.of(
        () -> bi.newStreamState(1),
        () -> bi.step(Tensor.zeros(dev.rnn4j.tensor.DType.FLOAT32, 1, I), other),
        () -> bi.step(new float[I], 0, other, new float[H], 0),
        () -> bi.steps(new float[I], 0, 1, other, new float[H], 0));
    for (Runnable call : calls) {
      IllegalStateException e = assertThrows(IllegalStateException.class, call::run);
      assertTrue(e.getMessage().contains("LSTM (BFLOAT16)") && e.getMessage().contains("bidirectional")
          && e.getMessage().contains("cannot stream"), e.getMessage());
    }
  }
}
