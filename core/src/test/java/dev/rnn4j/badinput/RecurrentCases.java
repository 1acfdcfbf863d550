package dev.rnn4j.badinput;

import static dev.rnn4j.tensor.DType.FLOAT32;
import static dev.rnn4j.tensor.DType.FLOAT64;

import dev.rnn4j.nn.recurrent.CellState;
import dev.rnn4j.nn.recurrent.GRU;
import dev.rnn4j.nn.recurrent.GRUCell;
import dev.rnn4j.nn.recurrent.LSTM;
import dev.rnn4j.nn.recurrent.LSTMCell;
import dev.rnn4j.nn.recurrent.RNN;
import dev.rnn4j.nn.recurrent.RNNCell;
import dev.rnn4j.nn.recurrent.RecurrentOptions;
import dev.rnn4j.nn.recurrent.RecurrentOptions.Nonlinearity;
import dev.rnn4j.nn.recurrent.StreamState;
import dev.rnn4j.tensor.Tensor;

/** Options, layer and cell constructors, whole-sequence forward, streaming steps and cell steps. */
final class RecurrentCases {

  private RecurrentCases() {}

  static void add(Catalog c) {
    options(c);
    constructors(c);
    forward(c);
    streaming(c);
    cells(c);
  }

  private static void options(Catalog c) {
    RecurrentOptions o = new RecurrentOptions(3, 4);
    c.iae("create with a null kind", () -> dev.rnn4j.nn.recurrent.RecurrentLayer.create(null,
        new RecurrentOptions(3, 4)), "RecurrentLayer.create", "kind", "null");
    c.iae("create with null options", () -> dev.rnn4j.nn.recurrent.RecurrentLayer.create(
        dev.rnn4j.nn.recurrent.CellKind.LSTM, null), "RecurrentLayer.create", "options", "null");
    c.iae("options zero input size", () -> new RecurrentOptions(0, 4), "RecurrentOptions", "inputSize", "0");
    c.iae("options negative input size", () -> new RecurrentOptions(-3, 4), "RecurrentOptions", "inputSize", "-3");
    c.iae("options zero hidden size", () -> new RecurrentOptions(3, 0), "RecurrentOptions", "hiddenSize", "0");
    c.iae("options numLayers zero", () -> o.numLayers(0), "RecurrentOptions", "numLayers", "0")
        .unchanged(() -> new LSTM(o).config().numLayers());
    c.iae("options numLayers negative", () -> o.numLayers(-2), "RecurrentOptions", "numLayers", "-2")
        .unchanged(() -> new LSTM(o).config().numLayers());
    c.iae("options dropout negative", () -> o.dropout(-0.1), "RecurrentOptions", "dropout", "-0.1")
        .unchanged(() -> new LSTM(o).config().dropout());
    c.iae("options dropout one", () -> o.dropout(1), "RecurrentOptions", "dropout", "1.0")
        .unchanged(() -> new LSTM(o).config().dropout());
    c.iae("options dropout NaN", () -> o.dropout(Double.NaN), "RecurrentOptions", "dropout", "NaN")
        .unchanged(() -> new LSTM(o).config().dropout());
    c.iae("options dropout infinite", () -> o.dropout(Double.POSITIVE_INFINITY), "RecurrentOptions", "dropout",
        "Infinity").unchanged(() -> new LSTM(o).config().dropout());
    c.iae("options merge null", () -> o.merge(null), "RecurrentOptions", "merge", "null")
        .unchanged(() -> new LSTM(o).config().merge());
    c.iae("options nonlinearity null", () -> o.nonlinearity(null), "RecurrentOptions", "nonlinearity", "null")
        .unchanged(() -> new RNN(o).config().kind());
    c.iae("options dtype null", () -> o.dtype(null), "RecurrentOptions", "dtype", "null")
        .unchanged(() -> new LSTM(o).dtype());
  }

  private static void constructors(Catalog c) {
    c.iae("LSTM null options", () -> new LSTM(null), "LSTM", "options", "null");
    c.iae("GRU null options", () -> new GRU(null), "GRU", "options", "null");
    c.iae("RNN null options", () -> new RNN(null), "RNN", "options", "null");
    c.iae("LSTMCell null options", () -> new LSTMCell(null), "LSTMCell", "options", "null");
    c.iae("GRUCell null options", () -> new GRUCell(null), "GRUCell", "options", "null");
    c.iae("RNNCell null options", () -> new RNNCell(null), "RNNCell", "options", "null");
    c.iae("LSTM zero input size", () -> new LSTM(0, 2), "LSTM", "inputSize", "0");
    c.iae("GRU negative hidden size", () -> new GRU(2, -1), "GRU", "hiddenSize", "-1");
    c.iae("RNN zero hidden size", () -> new RNN(2, 0), "RNN", "hiddenSize", "0");
    c.iae("LSTMCell zero input size", () -> new LSTMCell(0, 2), "LSTMCell", "inputSize", "0");
    c.iae("GRUCell zero hidden size", () -> new GRUCell(2, 0), "GRUCell", "hiddenSize", "0");
    c.iae("RNNCell negative input size", () -> new RNNCell(-1, 2), "RNNCell", "inputSize", "-1");
    RecurrentOptions relu = new RecurrentOptions(3, 4).nonlinearity(Nonlinearity.RELU);
    c.iae("LSTM with relu", () -> new LSTM(relu), "LSTM", "nonlinearity(RELU)", "RNN");
    c.iae("GRU with relu", () -> new GRU(relu), "GRU", "nonlinearity(RELU)");
    c.iae("LSTMCell with relu", () -> new LSTMCell(relu), "LSTMCell", "nonlinearity(RELU)");
    c.iae("GRUCell with relu", () -> new GRUCell(relu), "GRUCell", "nonlinearity(RELU)");
    RecurrentOptions before = new RecurrentOptions(3, 4).resetAfter(false);
    c.iae("LSTM with resetAfter(false)", () -> new LSTM(before), "LSTM", "resetAfter(false)", "GRU");
    c.iae("RNN with resetAfter(false)", () -> new RNN(before), "RNN", "resetAfter(false)");
    c.iae("LSTMCell with resetAfter(false)", () -> new LSTMCell(before), "LSTMCell", "resetAfter(false)");
    c.iae("RNNCell with resetAfter(false)", () -> new RNNCell(before), "RNNCell", "resetAfter(false)");
    c.iae("LSTM hidden size overflowing the gates", () -> new LSTM(10, 1_000_000_000), "LSTM",
        "hiddenSize 1000000000", "weight_hh_l0", "2^31");
    c.iae("GRU hidden size too large", () -> new GRU(10, 40_000), "GRU", "hiddenSize 40000", "[120000, 40000]");
    c.iae("RNN input size too large", () -> new RNN(3_000_000, 1000), "RNN", "inputSize 3000000",
        "weight_ih_l0", "[1000, 3000000]");
    c.iae("RNN second layer too large", () -> new RNN(new RecurrentOptions(1, 40_000).numLayers(2)
        .bidirectional(true)), "RNN", "hiddenSize 40000", "weight_ih_l1", "[40000, 80000]");
    c.iae("LSTMCell hidden size too large", () -> new LSTMCell(10, 1_000_000_000), "LSTMCell",
        "hiddenSize 1000000000");
    c.iae("GRUCell input size too large", () -> new GRUCell(1_000_000, 1000), "GRUCell", "inputSize 1000000",
        "weight_ih_l0");
  }

  private static void forward(Catalog c) {
    LSTM lstm = new LSTM(3, 4);
    GRU gru = new GRU(3, 4);
    RNN bidi = new RNN(new RecurrentOptions(3, 4).bidirectional(true));
    LSTM batchFirst = new LSTM(new RecurrentOptions(3, 4).batchFirst(true));
    Tensor x = Tensor.zeros(FLOAT32, 5, 2, 3);
    c.iae("forward null input", () -> lstm.forward(null), "LSTM", "input", "null");
    c.iae("forward rank-2 input", () -> lstm.forward(Tensor.zeros(FLOAT32, 5, 3)), "LSTM", "input", "rank 3",
        "[5, 3]");
    c.iae("forward rank-4 input", () -> lstm.forward(Tensor.zeros(FLOAT32, 5, 2, 1, 3)), "LSTM", "input",
        "rank 3", "[5, 2, 1, 3]");
    c.iae("forward float64 input to a float32 layer", () -> lstm.forward(Tensor.zeros(FLOAT64, 5, 2, 3)), "LSTM",
        "input", "float64", "float32");
    c.iae("forward wrong input size", () -> gru.forward(Tensor.zeros(FLOAT32, 5, 2, 4)), "GRU", "input",
        "input size 3", "[5, 2, 4]");
    c.iae("forward batch-first wrong input size", () -> batchFirst.forward(Tensor.zeros(FLOAT32, 2, 5, 2)),
        "LSTM", "input size 3", "[B, T, 3]");
    c.iae("forward zero steps", () -> lstm.forward(Tensor.zeros(FLOAT32, 0, 2, 3)), "LSTM", "input",
        "at least one step", "[0, 2, 3]");
    c.iae("forward zero sequences", () -> lstm.forward(Tensor.zeros(FLOAT32, 5, 0, 3)), "LSTM", "input",
        "one sequence", "[5, 0, 3]");
    c.iae("forward h0 wrong batch", () -> lstm.forward(x, Tensor.zeros(FLOAT32, 1, 3, 4), null, null), "LSTM",
        "h0", "[1, 2, 4]", "[1, 3, 4]");
    c.iae("forward h0 rank 2", () -> lstm.forward(x, Tensor.zeros(FLOAT32, 2, 4), null, null), "LSTM", "h0",
        "[1, 2, 4]", "[2, 4]");
    c.iae("forward h0 wrong dtype", () -> lstm.forward(x, Tensor.zeros(FLOAT64, 1, 2, 4), null, null), "LSTM",
        "h0", "float64");
    c.iae("forward h0 with reverse states for a unidirectional layer", () -> gru.forward(x,
        Tensor.zeros(FLOAT32, 2, 2, 4), null, null), "GRU", "h0", "reverse-direction", "[2, 2, 4]");
    c.iae("forward h0 missing the reverse direction", () -> bidi.forward(x, Tensor.zeros(FLOAT32, 1, 2, 4), null,
        null), "RNN", "h0", "[2, 2, 4]", "[1, 2, 4]");
    c.iae("forward c0 for a GRU", () -> gru.forward(x, null, Tensor.zeros(FLOAT32, 1, 2, 4), null), "GRU", "c0",
        "only an LSTM");
    c.iae("forward c0 wrong hidden size", () -> lstm.forward(x, null, Tensor.zeros(FLOAT32, 1, 2, 5), null),
        "LSTM", "c0", "[1, 2, 4]", "[1, 2, 5]");
    c.iae("forward c0 wrong dtype", () -> lstm.forward(x, null, Tensor.zeros(FLOAT64, 1, 2, 4), null), "LSTM",
        "c0", "float64");
    c.iae("forward lengths count", () -> lstm.forward(x, null, null, new int[] {5}), "LSTM", "lengths",
        "expected 2", "got 1");
    c.iae("forward length zero", () -> lstm.forward(x, null, null, new int[] {5, 0}), "LSTM", "lengths[1] = 0",
        "T = 5");
    c.iae("forward length past the steps", () -> lstm.forward(x, null, null, new int[] {6, 5}), "LSTM",
        "lengths[0] = 6", "T = 5");
    c.iae("forward negative length", () -> gru.forward(x, null, null, new int[] {-1, 5}), "GRU", "lengths[0] = -1");
    LSTM wide = new LSTM(1, 1024);
    Tensor longInput = Tensor.zeros(FLOAT32, 1 << 20, 1, 1);
    c.iae("forward trace too large for arrays", () -> wide.forward(longInput), "LSTM", "input [1048576, 1, 1]",
        "hiddenSize 1024", "gate trace", "2^31");
  }

  private static void streaming(Catalog c) {
    LSTM lstm = new LSTM(new RecurrentOptions(3, 4).numLayers(2));
    GRU gru = new GRU(3, 4);
    RNN rnn = new RNN(3, 4);
    StreamState ls = lstm.newStreamState(2);
    StreamState gs = gru.newStreamState(2);
    StreamState rs = rnn.newStreamState(1);
    Tensor x = Tensor.ones(FLOAT32, 2, 3);
    lstm.step(x, ls); // a state that is not all zeros, so that "unchanged" means something
    c.iae("newStreamState zero batch", () -> lstm.newStreamState(0), "LSTM", "batch", "0");
    c.iae("newStreamState negative batch", () -> gru.newStreamState(-1), "GRU", "batch", "-1");
    c.iae("newStreamState of a bidirectional layer", () -> new GRU(new RecurrentOptions(3, 4).bidirectional(true))
        .newStreamState(1), "GRU", "streaming", "unidirectional");
    c.iae("newStreamState batch too large", () -> lstm.newStreamState(Integer.MAX_VALUE), "LSTM",
        "newStreamState", "batch " + Integer.MAX_VALUE, "2^31");
    c.iae("step null input", () -> lstm.step(null, ls), "LSTM", "step", "input", "null")
        .unchanged(() -> Probes.tensors(ls.hidden(0), ls.hidden(1), ls.cell(1)));
    c.iae("step null state", () -> lstm.step(x, null), "LSTM", "step", "state", "null");
    c.iae("step wrong dtype", () -> lstm.step(Tensor.ones(FLOAT64, 2, 3), ls), "LSTM", "step input", "float64",
        "[2, 3]").unchanged(() -> Probes.tensors(ls.hidden(0), ls.hidden(1), ls.cell(1)));
    c.iae("step wrong batch", () -> lstm.step(Tensor.ones(FLOAT32, 3, 3), ls), "LSTM", "step input", "[2, 3]",
        "[3, 3]").unchanged(() -> Probes.tensors(ls.hidden(0), ls.hidden(1), ls.cell(1)));
    c.iae("step wrong input size", () -> gru.step(Tensor.ones(FLOAT32, 2, 4), gs), "GRU", "step input", "[2, 3]",
        "[2, 4]").unchanged(() -> Probes.tensors(gs.hidden(0)));
    c.iae("step rank-3 input", () -> gru.step(Tensor.ones(FLOAT32, 1, 2, 3), gs), "GRU", "step input",
        "[1, 2, 3]").unchanged(() -> Probes.tensors(gs.hidden(0)));
    c.iae("step with another layer's state", () -> gru.step(x, lstm.newStreamState(2)), "GRU", "state",
        "another layer").unchanged(() -> Probes.tensors(gs.hidden(0)));
    c.iae("hidden layer past the stack", () -> ls.hidden(2), "LSTM", "StreamState.hidden", "layer 2", "2 layers");
    c.iae("hidden negative layer", () -> gs.hidden(-1), "GRU", "StreamState.hidden", "layer -1", "1 layer");
    c.iae("cell layer past the stack", () -> ls.cell(5), "LSTM", "StreamState.cell", "layer 5");
    c.ise("cell of a GRU state", () -> gs.cell(0), "GRU", "StreamState.cell", "no cell state");
    c.ise("cell of an RNN state", () -> rs.cell(0), "RNN", "StreamState.cell", "no cell state");
    c.iae("StreamState copyFrom null", () -> ls.copyFrom(null), "LSTM", "StreamState.copyFrom", "other", "null")
        .unchanged(() -> Probes.tensors(ls.hidden(0), ls.hidden(1), ls.cell(0), ls.cell(1)));
    c.iae("StreamState copyFrom another batch", () -> ls.copyFrom(lstm.newStreamState(3)), "LSTM", "batch 3", "batch 2")
        .unchanged(() -> Probes.tensors(ls.hidden(0), ls.hidden(1), ls.cell(0), ls.cell(1)));
    c.iae("StreamState copyFrom another dtype", () -> gs.copyFrom(new GRU(new RecurrentOptions(3, 4).dtype(FLOAT64))
        .newStreamState(2)), "GRU", "float64", "float32").unchanged(() -> Probes.tensors(gs.hidden(0)));
    c.iae("StreamState copyFrom another stack", () -> ls.copyFrom(new LSTM(3, 4).newStreamState(2)), "LSTM", "1 layers",
        "2 layers").unchanged(() -> Probes.tensors(ls.hidden(0), ls.hidden(1), ls.cell(0), ls.cell(1)));
  }

  private static void cells(Catalog c) {
    LSTMCell lstm = new LSTMCell(3, 4);
    GRUCell gru = new GRUCell(3, 4);
    RNNCell rnn = new RNNCell(new RecurrentOptions(3, 4).dtype(FLOAT64));
    Tensor x = Tensor.zeros(FLOAT32, 2, 3);
    Tensor h = Tensor.zeros(FLOAT32, 2, 4);
    c.iae("cell forward null input", () -> lstm.forward(null, null), "LSTMCell", "input", "null");
    c.iae("cell forward wrong input size", () -> lstm.forward(Tensor.zeros(FLOAT32, 2, 4), null), "LSTMCell",
        "input", "[B, 3]", "[2, 4]");
    c.iae("cell forward rank-3 input", () -> gru.forward(Tensor.zeros(FLOAT32, 1, 2, 3), null), "GRUCell",
        "input", "[1, 2, 3]");
    c.iae("cell forward wrong dtype", () -> rnn.forward(x, null), "RNNCell", "input", "float32", "float64");
    c.iae("cell forward h wrong batch", () -> gru.forward(x, new CellState(Tensor.zeros(FLOAT32, 3, 4), null)),
        "GRUCell", "h", "[2, 4]", "[3, 4]");
    c.iae("cell forward null h", () -> gru.forward(x, new CellState(null, null)), "GRUCell", "h", "null");
    c.iae("cell forward h wrong dtype", () -> gru.forward(x, new CellState(Tensor.zeros(FLOAT64, 2, 4), null)),
        "GRUCell", "h", "float64");
    c.iae("cell forward LSTM without c", () -> lstm.forward(x, new CellState(h, null)), "LSTMCell", "c", "null");
    c.iae("cell forward LSTM c wrong size", () -> lstm.forward(x, new CellState(h, Tensor.zeros(FLOAT32, 2, 5))),
        "LSTMCell", "c", "[2, 4]", "[2, 5]");
    c.iae("cell forward GRU given c", () -> gru.forward(x, new CellState(h, h)), "GRUCell", "c",
        "only an LSTM cell");
    c.iae("cell zeroState zero batch", () -> lstm.zeroState(0), "LSTMCell.zeroState", "batch", "0");
    c.iae("cell zeroState negative batch", () -> gru.zeroState(-4), "GRUCell.zeroState", "batch", "-4");
    c.iae("cell zeroState batch too large", () -> rnn.zeroState(Integer.MAX_VALUE), "RNNCell.zeroState",
        "batch " + Integer.MAX_VALUE, "2^31");
  }
}
