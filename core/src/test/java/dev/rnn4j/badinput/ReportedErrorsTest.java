package dev.rnn4j.badinput;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.rnn4j.autograd.Function;
import dev.rnn4j.autograd.Ops;
import dev.rnn4j.check.GradientChecker;
import dev.rnn4j.io.Safetensors;
import dev.rnn4j.io.SafetensorsFormatException;
import dev.rnn4j.nn.Embedding;
import dev.rnn4j.nn.Linear;
import dev.rnn4j.nn.recurrent.GRU;
import dev.rnn4j.nn.recurrent.GRUCell;
import dev.rnn4j.nn.recurrent.LSTM;
import dev.rnn4j.nn.recurrent.LSTMCell;
import dev.rnn4j.nn.recurrent.RNN;
import dev.rnn4j.nn.recurrent.RNNCell;
import dev.rnn4j.nn.recurrent.RecurrentOptions;
import dev.rnn4j.nn.recurrent.StreamState;
import dev.rnn4j.nn.recurrent.TruncatedBptt;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The poor errors reported in issue 14, item 6: each must be an {@link IllegalArgumentException} or
 * {@link IllegalStateException} whose message names the op, the argument and the values (or, for file-system
 * conditions, an {@link IOException} naming the path).
 */
class ReportedErrorsTest {

  @TempDir
  Path dir;

  private static <T extends Throwable> String message(Class<T> type, Executable call, String... parts) {
    T e = assertThrows(type, call);
    String m = e.getMessage();
    for (String p : parts) {
      assertTrue(m != null && m.contains(p), () -> "message lacks '" + p + "': " + m);
    }
    return m;
  }

  @Test
  void flatIndexOutOfRangeNamesOpIndexAndSize() {
    Tensor t = Tensor.zeros(DType.FLOAT32, 2, 3);
    message(IllegalArgumentException.class, () -> t.getFlat(6), "getFlat", "index 6", "[0, 6)", "[2, 3]");
    message(IllegalArgumentException.class, () -> t.getFlat(-1), "getFlat", "index -1");
    long version = t.version();
    message(IllegalArgumentException.class, () -> t.setFlat(6, 1), "setFlat", "index 6", "[0, 6)");
    assertEquals(version, t.version(), "a rejected write must not count as a write");
  }

  @Test
  void streamStateLayerOutOfRangeNamesLayer() {
    StreamState s = new LSTM(new RecurrentOptions(3, 4).numLayers(2)).newStreamState(1);
    message(IllegalArgumentException.class, () -> s.hidden(5), "LSTM", "hidden", "layer 5", "2 layers");
    message(IllegalArgumentException.class, () -> s.hidden(-1), "hidden", "layer -1");
    message(IllegalArgumentException.class, () -> s.cell(2), "cell", "layer 2");
  }

  @Test
  void cellStateOfGruOrRnnStreamIsAnError() {
    StreamState g = new GRU(3, 4).newStreamState(1);
    message(IllegalStateException.class, () -> g.cell(0), "GRU", "no cell state");
    StreamState r = new RNN(3, 4).newStreamState(1);
    message(IllegalStateException.class, () -> r.cell(0), "RNN", "no cell state");
  }

  @Test
  void optionSettersRejectNullAndOutOfRange() {
    RecurrentOptions o = new RecurrentOptions(3, 4);
    message(IllegalArgumentException.class, () -> o.dtype(null), "RecurrentOptions", "dtype", "null");
    message(IllegalArgumentException.class, () -> o.merge(null), "RecurrentOptions", "merge", "null");
    message(IllegalArgumentException.class, () -> o.nonlinearity(null), "RecurrentOptions", "nonlinearity", "null");
    message(IllegalArgumentException.class, () -> o.numLayers(0), "RecurrentOptions", "numLayers", "0");
    message(IllegalArgumentException.class, () -> o.dropout(-0.5), "RecurrentOptions", "dropout", "-0.5");
    message(IllegalArgumentException.class, () -> o.dropout(Double.NaN), "RecurrentOptions", "dropout", "NaN");
    message(IllegalArgumentException.class, () -> o.dropout(1), "RecurrentOptions", "dropout", "1.0");
    message(IllegalArgumentException.class, () -> new RecurrentOptions(0, 4), "RecurrentOptions", "inputSize", "0");
    message(IllegalArgumentException.class, () -> new RecurrentOptions(3, -2), "RecurrentOptions", "hiddenSize",
        "-2");
  }

  @Test
  void optionThatTheLayerIgnoresIsRejected() {
    RecurrentOptions relu = new RecurrentOptions(3, 4).nonlinearity(RecurrentOptions.Nonlinearity.RELU);
    message(IllegalArgumentException.class, () -> new LSTM(relu), "LSTM", "nonlinearity", "RELU");
    message(IllegalArgumentException.class, () -> new GRU(relu), "GRU", "nonlinearity", "RELU");
    message(IllegalArgumentException.class, () -> new LSTMCell(relu), "LSTMCell", "nonlinearity", "RELU");
    message(IllegalArgumentException.class, () -> new GRUCell(relu), "GRUCell", "nonlinearity", "RELU");
    RecurrentOptions before = new RecurrentOptions(3, 4).resetAfter(false);
    message(IllegalArgumentException.class, () -> new LSTM(before), "LSTM", "resetAfter");
    message(IllegalArgumentException.class, () -> new RNN(before), "RNN", "resetAfter");
    message(IllegalArgumentException.class, () -> new RNNCell(before), "RNNCell", "resetAfter");
  }

  @Test
  void truncatedBpttLossReturningNullOrNonScalarNamesTheChunk() {
    LSTM lstm = new LSTM(2, 3);
    Tensor x = Tensor.zeros(DType.FLOAT32, 4, 1, 2);
    TruncatedBptt tbptt = new TruncatedBptt(2);
    message(IllegalArgumentException.class, () -> tbptt.run(lstm, x, (out, start) -> null, null),
        "TruncatedBptt", "loss", "null", "chunk 0");
    message(IllegalArgumentException.class, () -> tbptt.run(lstm, x, (out, start) -> out, null),
        "TruncatedBptt", "loss", "chunk 0", "[2, 1, 3]");
    message(IllegalArgumentException.class, () -> tbptt.run(lstm, x, (out, start) -> out.sum().detach(), null),
        "TruncatedBptt", "loss", "gradient");
  }

  @Test
  void hugeSizesNameTheLayerAndOption() {
    message(IllegalArgumentException.class, () -> new LSTM(10, 1_000_000_000), "LSTM", "hiddenSize", "1000000000");
    message(IllegalArgumentException.class, () -> new GRU(10, 40_000), "GRU", "hiddenSize", "40000");
    message(IllegalArgumentException.class, () -> new RNN(3_000_000, 1000), "RNN", "inputSize", "3000000");
    message(IllegalArgumentException.class, () -> new LSTMCell(10, 1_000_000_000), "LSTMCell", "hiddenSize");
    message(IllegalArgumentException.class, () -> new Linear(100_000, 100_000, new SplittableRandom(1)), "Linear",
        "inFeatures", "outFeatures", "100000");
    message(IllegalArgumentException.class, () -> new Embedding(100_000, 100_000, new SplittableRandom(1)),
        "Embedding", "numEmbeddings", "embeddingDim", "100000");
  }

  @Test
  void crossEntropyWithEveryTargetIgnoredIsZeroWithZeroGradient() {
    Tensor logits = Tensor.fromArray(new double[] {1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad(true);
    Tensor loss = Ops.crossEntropy(logits, new int[] {-100, -100});
    assertEquals(0.0, loss.item(), 0.0);
    loss.backward();
    for (double g : logits.grad().toDoubleArray()) {
      assertEquals(0.0, g, 0.0);
    }
  }

  @Test
  void gradientCheckerFunctionReturningNullIsNamed() {
    Tensor x = Tensor.zeros(DType.FLOAT64, 2).requiresGrad(true);
    message(IllegalArgumentException.class, () -> GradientChecker.defaults().check(in -> null, x),
        "GradientChecker", "returned null");
  }

  /** Returns no gradient although its input needs one. */
  private static final class ForgetfulIdentity extends Function {
    @Override
    protected Tensor[] forward(Tensor... in) {
      return new Tensor[] {in[0].copy()};
    }

    @Override
    protected Tensor[] backward(Tensor... g) {
      return new Tensor[] {null};
    }
  }

  @Test
  void backwardReturningNullForAnInputThatNeedsAGradientIsAnError() {
    Tensor x = Tensor.zeros(DType.FLOAT64, 3).requiresGrad(true);
    Tensor y = new ForgetfulIdentity().apply1(x).sum();
    message(IllegalStateException.class, y::backward, "ForgetfulIdentity", "backward", "null", "input 0");
  }

  @Test
  void loadingFromADirectoryNamesThePath() {
    message(IllegalArgumentException.class, () -> Safetensors.load(new Linear(2, 2, new SplittableRandom(1)), dir),
        dir.toString(), "directory");
    message(IllegalArgumentException.class, () -> Safetensors.read(dir), dir.toString(), "directory");
  }

  @Test
  void loadingAMissingFileNamesThePath() {
    Path missing = dir.resolve("nope.safetensors");
    String m = message(NoSuchFileException.class, () -> Safetensors.read(missing), missing.toString(),
        "safetensors");
    assertTrue(m.contains("no such file"), m);
  }

  @Test
  void loadingAnUnreadableFileNamesThePath() throws IOException {
    Path p = dir.resolve("locked.safetensors");
    Safetensors.save(new Linear(2, 2, new SplittableRandom(1)), p);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("---------"));
    assumeFalse(Files.isReadable(p), "running with privileges that read any file");
    message(IOException.class, () -> Safetensors.read(p), p.toString(), "safetensors", "not readable");
  }

  @Test
  void jsonParserAdviceDoesNotReachTheUser() throws IOException {
    String[] headers = {"{\"a\":{\"dtype\":\"F32\",", "{a:{}}", "{'a':{}}", "{\"a\" 1}", "{/*c*/}", "{}   x  "};
    for (String h : headers) {
      byte[] json = h.getBytes(StandardCharsets.UTF_8);
      ByteBuffer b = ByteBuffer.allocate(8 + json.length).order(ByteOrder.LITTLE_ENDIAN);
      b.putLong(json.length).put(json);
      Path p = dir.resolve("bad.safetensors");
      Files.write(p, b.array());
      SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> Safetensors.read(p));
      String m = e.getMessage();
      assertTrue(m.contains(p.toString()) && m.contains("not valid JSON"), m);
      assertTrue(m.matches("(?s).*line \\d+ column \\d+.*"), "the position of the error: " + m);
      for (String advice : new String[] {"lenient", "Lenient", "LENIENT", "setStrictness", "setLenient", "gson",
          "Troubleshooting", "https://", "\n"}) {
        assertFalse(m.contains(advice), () -> "parser advice '" + advice + "' in: " + m);
      }
      assertInstanceOf(SafetensorsFormatException.class, e);
    }
  }
}
