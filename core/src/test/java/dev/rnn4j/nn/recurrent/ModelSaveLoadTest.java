package dev.rnn4j.nn.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.autograd.NoGrad;
import dev.rnn4j.io.Safetensors;
import dev.rnn4j.io.SafetensorsTensor;
import dev.rnn4j.nn.Embedding;
import dev.rnn4j.nn.Linear;
import dev.rnn4j.nn.Module;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layers and sequence models that record their configuration when saved and rebuild themselves when loaded. */
// try-with-resources on a NoGrad scope never names the resource: that is the point of the scope.
@SuppressWarnings("try")
class ModelSaveLoadTest {

  @TempDir Path dir;

  private static List<RecurrentLayer> everyKind() {
    return List.of(
        new LSTM(new RecurrentOptions(3, 4).numLayers(2).bidirectional(true).merge(MergeMode.SUM).batchFirst(true)
            .dropout(0.25).dtype(DType.FLOAT64).seed(1)),
        new LSTM(new RecurrentOptions(3, 5).seed(2)),
        new LSTM(new RecurrentOptions(3, 5).projSize(2).numLayers(2).bidirectional(true).seed(7)),
        new GRU(new RecurrentOptions(4, 3).numLayers(2).seed(3)),
        new GRU(new RecurrentOptions(4, 3).resetAfter(false).bidirectional(true).seed(4)),
        new RNN(new RecurrentOptions(2, 6).nonlinearity(RecurrentOptions.Nonlinearity.RELU).bias(false).seed(5)),
        new RNN(new RecurrentOptions(2, 6).numLayers(3).dtype(DType.FLOAT64).seed(6)));
  }

  @Test
  void everyCellKindRoundTripsItsConfigurationAndWeights() throws IOException {
    int n = 0;
    for (RecurrentLayer original : everyKind()) {
      Path file = dir.resolve("layer" + n++ + ".safetensors");
      original.save(file, Map.of("note", "kept"));
      RecurrentLayer generic = RecurrentLayer.load(file);
      RecurrentLayer specific = switch (original.config().name()) {
        case "LSTM" -> LSTM.load(file);
        case "GRU" -> GRU.load(file);
        default -> RNN.load(file);
      };
      for (RecurrentLayer loaded : List.of(generic, specific)) {
        assertEquals(original.getClass(), loaded.getClass());
        assertEquals(original.config(), loaded.config(), "configuration of " + file);
        assertEquals(original.dtype(), loaded.dtype());
        assertSameParameters(original, loaded);
        assertSameForward(original, loaded);
      }
      assertEquals(Map.of("note", "kept"), SequenceModel.userMetadata(file));
    }
  }

  @Test
  void metadataNamesTheCellVariantAndTheFormat() throws IOException {
    Path file = dir.resolve("gru.safetensors");
    new GRU(new RecurrentOptions(4, 3).resetAfter(false)).save(file);
    Map<String, String> meta = ModelMetadata.read(file);
    assertEquals("1", meta.get("rnn4j.format"));
    assertEquals("GRU", meta.get("rnn4j.model"));
    assertEquals("GRU_RESET_BEFORE", meta.get("rnn4j.cell"));
    assertEquals("float32", meta.get("rnn4j.dtype"));
    assertEquals("3", meta.get("rnn4j.hidden_size"));
  }

  @Test
  void loadingAsAnotherCellNamesBoth() throws IOException {
    Path file = dir.resolve("gru.safetensors");
    new GRU(4, 3).save(file);
    String m = assertThrows(IllegalArgumentException.class, () -> LSTM.load(file)).getMessage();
    assertTrue(m.contains("LSTM.load") && m.contains("holds a GRU") && m.contains("not a LSTM")
        && m.contains("GRU.load"), m);
    Path rnn = dir.resolve("rnn.safetensors");
    new RNN(4, 3).save(rnn);
    m = assertThrows(IllegalArgumentException.class, () -> GRU.load(rnn)).getMessage();
    assertTrue(m.contains("GRU.load") && m.contains("holds a RNN") && m.contains("RNN_TANH"), m);
  }

  @Test
  void plainStateDictWithoutMetadataLoadsIntoALayerTheCallerBuilt() throws IOException {
    // The tensors of a PyTorch nn.LSTM(3, 4) state_dict, written without any __metadata__.
    SplittableRandom rng = new SplittableRandom(9);
    Map<String, SafetensorsTensor> tensors = new LinkedHashMap<>();
    Map<String, float[]> values = new LinkedHashMap<>();
    for (String name : List.of("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0")) {
      int[] shape = name.startsWith("weight_ih") ? new int[] {16, 3} : name.startsWith("weight") ? new int[] {16, 4}
          : new int[] {16};
      float[] v = new float[name.startsWith("weight_ih") ? 48 : name.startsWith("weight") ? 64 : 16];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) rng.nextDouble(-1, 1);
      }
      values.put(name, v);
      tensors.put(name, SafetensorsTensor.of(Tensor.fromArray(v.clone(), shape)));
    }
    Path file = dir.resolve("pytorch.safetensors");
    Safetensors.write(file, tensors);

    String m = assertThrows(IllegalArgumentException.class, () -> LSTM.load(file)).getMessage();
    assertTrue(m.contains("no rnn4j model configuration") && m.contains("Safetensors.load"), m);
    LSTM built = new LSTM(3, 4);
    Safetensors.load(built, file);
    for (Map.Entry<String, float[]> e : values.entrySet()) {
      assertArrayEquals(e.getValue(), built.namedParameters().get(e.getKey()).toFloatArray(), e.getKey());
    }
  }

  @Test
  void badOrNewerMetadataIsNamed() throws IOException {
    LSTM lstm = new LSTM(3, 4);
    Map<String, String> meta = new LinkedHashMap<>(ModelMetadata.describe(lstm.config(), lstm.dtype()));
    meta.put("rnn4j.format", "2");
    Path newer = dir.resolve("newer.safetensors");
    Safetensors.save(lstm, newer, meta);
    String m = assertThrows(IllegalArgumentException.class, () -> LSTM.load(newer)).getMessage();
    assertTrue(m.contains("version 2") && m.contains("up to 1"), m);

    meta.put("rnn4j.format", "1");
    meta.put("rnn4j.hidden_size", "four");
    Path bad = dir.resolve("bad.safetensors");
    Safetensors.save(lstm, bad, meta);
    m = assertThrows(IllegalArgumentException.class, () -> RecurrentLayer.load(bad)).getMessage();
    assertTrue(m.contains("'rnn4j.hidden_size' is 'four'") && m.contains("integer"), m);

    meta.put("rnn4j.hidden_size", "5"); // disagrees with the tensors: the strict load names the tensor
    Path shapes = dir.resolve("shapes.safetensors");
    Safetensors.save(lstm, shapes, meta);
    m = assertThrows(IllegalArgumentException.class, () -> LSTM.load(shapes)).getMessage();
    assertTrue(m.contains("weight_ih_l0") && m.contains("[16, 3]"), m);

    String reserved = assertThrows(IllegalArgumentException.class,
        () -> lstm.save(dir.resolve("x.safetensors"), Map.of("rnn4j.cell", "GRU"))).getMessage();
    assertTrue(reserved.contains("rnn4j.cell") && reserved.contains("prefix"), reserved);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // SequenceModel
  // ---------------------------------------------------------------------------------------------------------------

  private static SequenceModel charModel(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    return new SequenceModel(new Embedding(11, 5, rng), new LSTM(new RecurrentOptions(5, 8).numLayers(2).seed(seed)),
        new Linear(8, 11, rng));
  }

  @Test
  void sequenceModelRoundTripsAndRunsTheSame() throws IOException {
    SequenceModel original = charModel(3);
    Path file = dir.resolve("char.safetensors");
    original.save(file, Map.of("vocabulary", "abcdefghij\n"));
    SequenceModel loaded = SequenceModel.load(file);
    assertEquals(List.copyOf(original.namedParameters().keySet()), List.copyOf(loaded.namedParameters().keySet()));
    assertEquals("embedding.weight", loaded.namedParameters().keySet().iterator().next());
    assertTrue(loaded.namedParameters().containsKey("lstm.weight_hh_l1"));
    assertTrue(loaded.namedParameters().containsKey("readout.bias"));
    assertSameParameters(original, loaded);
    assertEquals("abcdefghij\n", SequenceModel.userMetadata(file).get("vocabulary"));
    int[] tokens = {1, 4, 10, 0, 3, 3, 7, 2, 9}; // [T = 3, B = 3]
    try (var g = NoGrad.enter()) {
      assertArrayEquals(original.forward(tokens, 3, 3, null, null).output().toFloatArray(),
          loaded.forward(tokens, 3, 3, null, null).output().toFloatArray());
    }
    String m = assertThrows(IllegalArgumentException.class, () -> LSTM.load(file)).getMessage();
    assertTrue(m.contains("SequenceModel.load"), m);
    Path layer = dir.resolve("layer.safetensors");
    new LSTM(5, 8).save(layer);
    m = assertThrows(IllegalArgumentException.class, () -> SequenceModel.load(layer)).getMessage();
    assertTrue(m.contains("single LSTM") && m.contains("LSTM.load"), m);
  }

  /** A composition of the caller's own, with its own child names, as the character LM example builds it. */
  static final class OwnModel extends Module {
    OwnModel(SplittableRandom rng) {
      registerModule("emb", new Embedding(7, 4, rng));
      registerModule("encoder", new GRU(new RecurrentOptions(4, 6).resetAfter(false)));
      registerModule("fc", new Linear(6, 3, rng));
    }
  }

  @Test
  void ownCompositionLoadsBackAsASequenceModelWithItsNames() throws IOException {
    OwnModel own = new OwnModel(new SplittableRandom(4));
    Path file = dir.resolve("own.safetensors");
    SequenceModel.save(own, file, Map.of());
    SequenceModel loaded = SequenceModel.load(file);
    assertEquals(List.copyOf(own.namedParameters().keySet()), List.copyOf(loaded.namedParameters().keySet()));
    assertSameParameters(own, loaded);
    assertEquals(CellKind.GRU_RESET_BEFORE, loaded.recurrent().config().kind());

    final class Wrong extends Module {
      Wrong() {
        registerModule("fc", new Linear(6, 3, new SplittableRandom(1)));
      }
    }
    String m = assertThrows(IllegalArgumentException.class,
        () -> SequenceModel.save(new Wrong(), dir.resolve("w.safetensors"), Map.of())).getMessage();
    assertTrue(m.contains("child 'fc' is a Linear where the recurrent layer should be"), m);
  }

  @Test
  void streamStepsFollowTheWholeSequenceForward() {
    SequenceModel model = charModel(8);
    model.eval();
    int[] seq = {3, 1, 4, 1, 5, 9, 2, 6};
    float[] whole;
    try (var g = NoGrad.enter()) {
      whole = model.forward(seq, seq.length, 1, null, null).output().toFloatArray(); // [T, 1, 11]
    }
    SequenceModel.Stream stream = model.newStream(1);
    int[] token = new int[1];
    Linear head = model.head();
    float[] w = head.weight().toFloatArray();
    float[] b = head.bias().toFloatArray();
    double u = Math.ulp(1.0f) / 2; // float32 unit roundoff
    for (int t = 0; t < seq.length; t++) {
      token[0] = seq[t];
      Tensor out = stream.step(token);
      float[] h = stream.state().hidden(1).toFloatArray(); // the top layer's state, bitwise the forward's
      for (int v = 0; v < 11; v++) {
        // The stream's head and Ops.linear each compute a dot of length 8 plus a bias, within gamma_9 * (sum |w h| +
        // |b|) of the exact value (gamma_n = n u / (1 - n u)); so they differ by at most twice that.
        double mag = Math.abs(b[v]);
        for (int j = 0; j < 8; j++) {
          mag += Math.abs(w[v * 8 + j] * h[j]);
        }
        double bound = 2 * (9 * u / (1 - 9 * u)) * mag;
        assertEquals(whole[t * 11 + v], out.get(0, v), bound, "step " + t + " logit " + v);
      }
    }
    String m = assertThrows(IllegalArgumentException.class, () -> stream.step(new int[] {11})).getMessage();
    assertTrue(m.contains("token[0] = 11") && m.contains("[0, 11)"), m);
  }

  private static void assertSameParameters(Module a, Module b) {
    assertEquals(a.namedParameters().keySet(), b.namedParameters().keySet());
    for (Map.Entry<String, Tensor> e : a.namedParameters().entrySet()) {
      assertArrayEquals(e.getValue().toDoubleArray(), b.namedParameters().get(e.getKey()).toDoubleArray(),
          e.getKey());
    }
  }

  /** Same weights and configuration give the same bits on the same input (eval: no dropout). */
  private static void assertSameForward(RecurrentLayer a, RecurrentLayer b) {
    RecurrentConfig c = a.config();
    Tensor x = Tensor.normal(a.dtype(), new SplittableRandom(1), 0, 1, 3, 2, c.inputSize());
    a.eval();
    b.eval();
    try (var g = NoGrad.enter()) {
      assertArrayEquals(a.forward(x).output().toDoubleArray(), b.forward(x).output().toDoubleArray());
    }
    a.train();
  }
}
