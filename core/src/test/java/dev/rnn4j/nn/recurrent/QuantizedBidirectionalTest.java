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
    checkStructure(kind, format, merge, T, B, 2, what);
  }

  /**
   * The bidirectional forward of {@code layers} layers at [steps, batch] against unidirectional quantized passes of
   * each direction (the reverse one over the time-reversed sequence) merged by hand, bit for bit.
   */
  private static void checkStructure(CellKind kind, WeightFormat format, MergeMode merge, int steps, int batch,
                                     int layers, String what) {
    RecurrentLayer bi = RecurrentLayer.create(kind, new RecurrentOptions(I, H).numLayers(layers).bidirectional(true)
        .merge(merge).seed(kind.ordinal() + 3));
    QuantizedRecurrentLayer q = bi.quantize(format);
    int outW = bi.config().outputSize();
    int states = 2 * layers;
    float[] x = random(steps * batch * I, 4);
    float[] h0 = random(states * batch * H, 5);
    float[] c0 = kind.hasCellState() ? random(states * batch * H, 6) : null;
    RecurrentOutput got = q.forward(Tensor.fromArray(x, steps, batch, I), Tensor.fromArray(h0, states, batch, H),
        c0 == null ? null : Tensor.fromArray(c0, states, batch, H));
    assertArrayEquals(new int[] {steps, batch, outW}, got.output().shape(), what);
    assertArrayEquals(new int[] {states, batch, H}, got.hN().shape(), what);

    float[] in = x;
    int inW = I;
    int bh = batch * H;
    float[] hN = new float[states * bh];
    float[] cN = new float[states * bh];
    float[] y = null;
    for (int l = 0; l < layers; l++) {
      y = new float[steps * batch * outW];
      for (int d = 0; d < 2; d++) {
        int i = 2 * l + d;
        QuantizedRecurrentLayer uq = direction(bi, l, d, inW).quantize(format);
        assertSame(q.weightIh(l, d), uq.weightIh(0), what);
        float[] xs = d == 0 ? in : reversed(in, steps, batch, inW);
        RecurrentOutput o = uq.forward(Tensor.fromArray(xs, steps, batch, inW),
            Tensor.fromArray(java.util.Arrays.copyOfRange(h0, i * bh, (i + 1) * bh), 1, batch, H),
            c0 == null ? null : Tensor.fromArray(java.util.Arrays.copyOfRange(c0, i * bh, (i + 1) * bh), 1, batch,
                H));
        float[] ys = d == 0 ? o.output().toFloatArray() : reversed(o.output().toFloatArray(), steps, batch, H);
        for (int r = 0; r < steps * batch; r++) {
          for (int u = 0; u < H; u++) {
            if (merge == MergeMode.CONCAT) {
              y[r * outW + d * H + u] = ys[r * H + u];
            } else {
              y[r * outW + u] = d == 0 ? ys[r * H + u] : y[r * outW + u] + ys[r * H + u];
            }
          }
        }
        System.arraycopy(o.hN().toFloatArray(), 0, hN, i * bh, bh);
        if (c0 != null) {
          System.arraycopy(o.cN().toFloatArray(), 0, cN, i * bh, bh);
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

  /** Rows [steps, batch, w] in reverse time order. */
  private static float[] reversed(float[] a, int steps, int batch, int w) {
    float[] r = new float[a.length];
    for (int t = 0; t < steps; t++) {
      System.arraycopy(a, t * batch * w, r, (steps - 1 - t) * batch * w, batch * w);
    }
    return r;
  }

  /**
   * Sequences longer than the forward's chunks of time (64 rows of T * B) and an odd number of layers: B = 3, T = 50
   * is 150 rows, so each direction projects its input in three chunks (21, 21 and 8 steps), the reverse direction from
   * the last; three layers put the top layer's output where the lowest layer's went. Bit for bit as above.
   */
  @ParameterizedTest
  @MethodSource("kernels")
  void longSequencesAndThreeLayersKeepTheBitsOfUnidirectionalPasses(Kernels kernels) {
    KernelScope.run(kernels, () -> {
      for (CellKind kind : new CellKind[] {CellKind.LSTM, CellKind.GRU_RESET_BEFORE}) {
        for (MergeMode merge : MergeMode.values()) {
          WeightFormat format = merge == MergeMode.SUM ? WeightFormat.BFLOAT16 : WeightFormat.INT8;
          String what = kind + " " + format + " " + merge + " " + kernels.name();
          checkStructure(kind, format, merge, 50, 3, 3, what + " T=50 B=3 3 layers");
          checkStructure(kind, format, merge, 70, 1, 2, what + " T=70 B=1 2 layers");
        }
      }
    });
  }

  @Test
  void batchFirstIsTheTransposeOfTimeMajor() {
    checkBatchFirst(T, B, 2, MergeMode.CONCAT);
    // several chunks of time (3 x 40 = 120 rows), three layers (the lower ones' outputs time-major), summed halves
    checkBatchFirst(40, 3, 3, MergeMode.SUM);
  }

  private static void checkBatchFirst(int steps, int batch, int layers, MergeMode merge) {
    String what = "T=" + steps + " B=" + batch + " " + layers + " layers " + merge;
    RecurrentOptions o = new RecurrentOptions(I, H).numLayers(layers).bidirectional(true).merge(merge).seed(8);
    QuantizedRecurrentLayer timeMajor = new GRU(o).quantize(WeightFormat.INT8);
    QuantizedRecurrentLayer batchFirst = new GRU(o.batchFirst(true)).quantize(WeightFormat.INT8);
    int outW = timeMajor.config().outputSize();
    float[] x = random(steps * batch * I, 8);
    float[] xb = new float[x.length];
    for (int t = 0; t < steps; t++) {
      for (int b = 0; b < batch; b++) {
        System.arraycopy(x, (t * batch + b) * I, xb, (b * steps + t) * I, I);
      }
    }
    RecurrentOutput ot = timeMajor.forward(Tensor.fromArray(x, steps, batch, I));
    RecurrentOutput ob = batchFirst.forward(Tensor.fromArray(xb, batch, steps, I));
    assertArrayEquals(new int[] {batch, steps, outW}, ob.output().shape(), what);
    float[] y = ot.output().toFloatArray();
    float[] yb = ob.output().toFloatArray();
    for (int t = 0; t < steps; t++) {
      for (int b = 0; b < batch; b++) {
        for (int u = 0; u < outW; u++) {
          assertEquals(y[(t * batch + b) * outW + u], yb[(b * steps + t) * outW + u], what);
        }
      }
    }
    assertArrayEquals(ot.hN().toFloatArray(), ob.hN().toFloatArray(), what);
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
  static RecurrentLayer boundLayer(CellKind kind, boolean batchFirst) {
    return boundLayer(kind, batchFirst, MergeMode.CONCAT);
  }

  /** {@link #boundLayer(CellKind, boolean)} with the directions merged by {@code merge}. */
  static RecurrentLayer boundLayer(CellKind kind, boolean batchFirst, MergeMode merge) {
    RecurrentLayer layer = RecurrentLayer.create(kind, new RecurrentOptions(BI, BH).bidirectional(true)
        .batchFirst(batchFirst).merge(merge).seed(kind.ordinal() + 5));
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

  static RecurrentLayer dequantized(RecurrentLayer layer, QuantizedRecurrentLayer q) {
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

  static List<String> boundViolations(RecurrentLayer ref, QuantizedRecurrentLayer q, boolean dequantized,
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
  // Scratch: borrowed from the layer's spare engines, shared safely
  // ---------------------------------------------------------------------------------------------------------------

  /**
   * A bidirectional forward allocates its outputs (output [T, B, outW], hN and cN [L*2, B, H]) and a few small objects
   * (three tensors with their shapes and the result, allowed 2 KB as for the unidirectional forward in
   * {@link QuantizedRecurrentLayerTest#forwardAllocatesItsOutputsOnly}), nothing in proportion to T * B * G * H: the
   * gates, each direction's states and the layer below's output come from the layer's spare engine. Thread allocation
   * counter after a warm-up, quietest of 10 windows. At the stream configuration (2-layer LSTM, B = 1, T = 100,
   * I = 64, H = 128, int8, time-major CONCAT) the forward that allocated its buffers per call took 467,504 bytes per
   * call and this test failed; on the spare engine it takes 107,128, of which 106,544 are the output arrays.
   */
  @Test
  void forwardAllocatesItsOutputsOnly() {
    int steps = 100;
    int in = 64;
    int hidden = 128;
    int layers = 2;
    for (MergeMode merge : MergeMode.values()) {
      boolean batchFirst = merge == MergeMode.SUM; // CONCAT time-major, SUM batch-first
      QuantizedRecurrentLayer q = new LSTM(new RecurrentOptions(in, hidden).numLayers(layers).bidirectional(true)
          .merge(merge).batchFirst(batchFirst).seed(3)).quantize(WeightFormat.INT8);
      Tensor x = batchFirst ? Tensor.fromArray(random(steps * in, 12), 1, steps, in)
          : Tensor.fromArray(random(steps * in, 12), steps, 1, in);
      for (int i = 0; i < 200; i++) {
        q.forward(x);
      }
      int outW = q.config().outputSize();
      long outputs = 4L * (steps * outW + 2 * (2 * layers) * hidden) + 3 * 16;
      // the quietest of windows of 20 calls, until one is within the bound (QuietWindows: C2 may come late)
      long quietest = dev.rnn4j.testing.QuietWindows.quietestBytes(() -> {
        for (int i = 0; i < 20; i++) {
          q.forward(x);
        }
      }, 1, 20 * (outputs + 2048)) / 20;
      assertTrue(quietest <= outputs + 2048, merge + (batchFirst ? " batch-first" : " time-major") + ": " + quietest
          + " bytes per forward, outputs " + outputs + " bytes");
    }
  }

  /**
   * Threads calling one bidirectional layer at once, with batches of 1 and 3 and lengths of 7 and 40 steps in turn (a
   * spare engine made for a batch of 3 serves a call of 1; one made for 7 steps grows for 40), get the bits of calls
   * on a fresh layer each: no two calls share scratch.
   */
  @Test
  void concurrentForwardsOfMixedShapesGiveTheBitsOfFreshLayers() throws Exception {
    for (boolean batchFirst : new boolean[] {false, true}) {
      RecurrentLayer lstm = new LSTM(new RecurrentOptions(I, H).numLayers(2).bidirectional(true)
          .batchFirst(batchFirst).seed(4));
      QuantizedRecurrentLayer shared = lstm.quantize(WeightFormat.INT8);
      int inputs = 6;
      Tensor[] x = new Tensor[inputs];
      float[][] want = new float[inputs][];
      for (int i = 0; i < inputs; i++) {
        int batch = i % 2 == 0 ? 1 : 3;
        int steps = i % 3 == 0 ? 40 : 7;
        float[] a = random(steps * batch * I, 40 + i);
        x[i] = batchFirst ? Tensor.fromArray(a, batch, steps, I) : Tensor.fromArray(a, steps, batch, I);
        RecurrentOutput o = lstm.quantize(WeightFormat.INT8).forward(x[i]);
        want[i] = concat(o.output().toFloatArray(), o.hN().toFloatArray(), o.cN().toFloatArray());
      }
      int threads = 4;
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
      try {
        List<java.util.concurrent.Future<String>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int first = t;
          results.add(pool.submit(() -> {
            for (int k = 0; k < 40; k++) {
              int i = (first + k) % inputs;
              RecurrentOutput o = shared.forward(x[i]);
              if (!java.util.Arrays.equals(want[i], concat(o.output().toFloatArray(), o.hN().toFloatArray(),
                  o.cN().toFloatArray()))) {
                return "thread " + first + " call " + k + " input " + i + " differs";
              }
            }
            return "";
          }));
        }
        for (java.util.concurrent.Future<String> r : results) {
          assertEquals("", r.get(), batchFirst ? "batch-first" : "time-major");
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  private static float[] concat(float[]... parts) {
    int n = 0;
    for (float[] p : parts) {
      n += p.length;
    }
    float[] c = new float[n];
    int at = 0;
    for (float[] p : parts) {
      System.arraycopy(p, 0, c, at, p.length);
      at += p.length;
    }
    return c;
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
