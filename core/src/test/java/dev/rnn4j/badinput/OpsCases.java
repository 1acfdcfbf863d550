package dev.rnn4j.badinput;

import static dev.rnn4j.tensor.DType.FLOAT32;
import static dev.rnn4j.tensor.DType.FLOAT64;

import dev.rnn4j.autograd.Ops;
import dev.rnn4j.tensor.Tensor;
import java.util.SplittableRandom;

/** The differentiable ops, through {@link Tensor}'s methods and {@link Ops}. */
final class OpsCases {

  private OpsCases() {}

  static void add(Catalog c) {
    arithmetic(c);
    reductionsAndMaps(c);
    shapes(c);
    gathers(c);
    joins(c);
    losses(c);
  }

  private static final Tensor M = Tensor.ones(FLOAT32, 2, 3);
  private static final Tensor M64 = Tensor.ones(FLOAT64, 2, 3);
  private static final Tensor V4 = Tensor.ones(FLOAT32, 4);
  private static final Tensor S = Tensor.scalar(FLOAT32, 1);

  private static void arithmetic(Catalog c) {
    String[] names = {"add", "sub", "mul", "div"};
    for (String op : names) {
      c.iae(op + " null operand", () -> binary(op, M, null), op, "second operand", "null");
      c.iae(op + " null first operand", () -> binaryStatic(op, null, M), op, "first operand", "null");
      c.iae(op + " mixed dtypes", () -> binary(op, M, M64), op, "dtypes differ", "float32 [2, 3]", "float64 [2, 3]");
      c.iae(op + " shapes that do not broadcast", () -> binary(op, M, V4), op, "broadcast", "[2, 3]", "[4]");
    }
    c.iae("add scalar to null", () -> Ops.add((Tensor) null, 1.0), "add", "input", "null");
    c.iae("mul null by a scalar", () -> Ops.mul((Tensor) null, 2.0), "mul", "input", "null");
    c.iae("neg null", () -> Ops.neg(null), "neg", "input", "null");
    c.iae("square null", () -> Ops.square(null), "square", "input", "null");
    c.iae("matmul null", () -> M.matmul(null), "matmul", "second operand", "null");
    c.iae("matmul vector", () -> V4.matmul(V4), "matmul", "unsupported ranks", "[4] x [4]");
    c.iae("matmul rank 4", () -> Tensor.ones(FLOAT32, 1, 1, 2, 3).matmul(M.transpose()), "matmul",
        "unsupported ranks", "[1, 1, 2, 3]");
    c.iae("matmul inner dimensions", () -> M.matmul(M), "matmul", "inner dimensions differ", "[2, 3] x [2, 3]");
    c.iae("matmul batch sizes", () -> Tensor.ones(FLOAT32, 2, 2, 3).matmul(Tensor.ones(FLOAT32, 3, 3, 2)),
        "matmul", "batch sizes differ", "[2, 2, 3] x [3, 3, 2]");
    c.iae("matmul matrix by batch", () -> M.matmul(Tensor.ones(FLOAT32, 2, 3, 2)), "matmul", "unsupported ranks",
        "[2, 3] x [2, 3, 2]");
    c.iae("matmul mixed dtypes", () -> M.matmul(M64.transpose()), "matmul", "dtypes differ", "float64");
    c.iae("linear null input", () -> Ops.linear(null, M, null), "linear", "input", "null");
    c.iae("linear null weight", () -> Ops.linear(M, null, null), "linear", "weight", "null");
    c.iae("linear weight of rank 1", () -> Ops.linear(M, V4, null), "linear", "weight", "[4]");
    c.iae("linear input features", () -> Ops.linear(V4, M, null), "linear", "input features", "[4]", "[2, 3]");
    c.iae("linear bias shape", () -> Ops.linear(M, M, V4), "linear", "bias", "[2]", "[4]");
    c.iae("linear bias dtype", () -> Ops.linear(M, M, Tensor.ones(FLOAT64, 2)), "linear", "dtypes differ",
        "float64 [2]");
    c.iae("linear mixed dtypes", () -> Ops.linear(M64, M, null), "linear", "dtypes differ", "float64 [2, 3]");
    c.iae("linear scalar input", () -> Ops.linear(S, M, null), "linear", "input", "at least 1 dimension", "[]");
  }

  private static Tensor binary(String op, Tensor a, Tensor b) {
    return switch (op) {
      case "add" -> a.add(b);
      case "sub" -> a.sub(b);
      case "mul" -> a.mul(b);
      default -> a.div(b);
    };
  }

  private static Tensor binaryStatic(String op, Tensor a, Tensor b) {
    return switch (op) {
      case "add" -> Ops.add(a, b);
      case "sub" -> Ops.sub(a, b);
      case "mul" -> Ops.mul(a, b);
      default -> Ops.div(a, b);
    };
  }

  private static void reductionsAndMaps(Catalog c) {
    c.iae("sum null", () -> Ops.sum(null), "sum", "input", "null");
    c.iae("sum along null", () -> Ops.sum(null, 0, true), "sum", "input", "null");
    c.iae("sum axis past the rank", () -> M.sum(2, false), "sum", "axis 2", "rank 2");
    c.iae("sum negative axis past the rank", () -> M.sum(-3, true), "sum", "axis -3", "rank 2");
    c.iae("sum axis of a scalar", () -> S.sum(0, false), "sum", "axis 0", "rank 0");
    c.iae("mean null", () -> Ops.mean(null), "mean", "input", "null");
    c.iae("mean along null", () -> Ops.mean(null, 0, false), "mean", "input", "null");
    c.iae("mean axis past the rank", () -> M.mean(5, true), "mean", "axis 5", "rank 2");
    c.iae("sigmoid null", () -> Ops.sigmoid(null), "sigmoid", "input", "null");
    c.iae("tanh null", () -> Ops.tanh(null), "tanh", "input", "null");
    c.iae("relu null", () -> Ops.relu(null), "relu", "input", "null");
    c.iae("exp null", () -> Ops.exp(null), "exp", "input", "null");
    c.iae("log null", () -> Ops.log(null), "log", "input", "null");
    c.iae("softmax null", () -> Ops.softmax(null), "softmax", "input", "null");
    c.iae("logSoftmax null", () -> Ops.logSoftmax(null), "logSoftmax", "input", "null");
    c.iae("softmax of a scalar", S::softmax, "softmax", "input", "at least 1 dimension", "[]");
    c.iae("logSoftmax of a scalar", S::logSoftmax, "logSoftmax", "input", "[]");
  }

  private static void shapes(Catalog c) {
    c.iae("reshape null", () -> Ops.reshape(null, 6), "reshape", "input", "null");
    c.iae("reshape null shape", () -> M.reshape((int[]) null), "reshape", "shape", "null");
    c.iae("reshape two inferred dimensions", () -> M.reshape(-1, -1), "reshape", "more than one -1", "[-1, -1]");
    c.iae("reshape negative dimension", () -> M.reshape(-2, 3), "reshape", "negative dimension", "[-2, 3]");
    c.iae("reshape to another size", () -> M.reshape(4, 2), "reshape", "[2, 3]", "6 elements", "[4, 2]");
    c.iae("reshape inferred from zero", () -> M.reshape(0, -1), "reshape", "[2, 3]", "[0, -1]");
    c.iae("reshape inferred not dividing", () -> M.reshape(4, -1), "reshape", "[2, 3]", "[4, -1]");
    c.iae("transpose of rank 3", () -> Tensor.ones(FLOAT32, 1, 2, 3).transpose(), "transpose", "2-D",
        "[1, 2, 3]");
    c.iae("transpose of a vector", V4::transpose, "transpose", "2-D", "[4]");
    c.iae("transpose dimension past the rank", () -> M.transpose(0, 3), "transpose", "axis 3", "rank 2");
    c.iae("transpose negative dimension", () -> M.transpose(-4, 0), "transpose", "axis -4", "rank 2");
    c.iae("transpose null", () -> Ops.transpose(null), "transpose", "input", "null");
    c.iae("permute too few dimensions", () -> Ops.permute(M, 0), "permute", "[0]", "[2, 3]");
    c.iae("permute repeated dimension", () -> Ops.permute(M, 0, 0), "permute", "[0, 0]", "not a permutation");
    c.iae("permute dimension past the rank", () -> Ops.permute(M, 0, 5), "permute", "axis 5", "rank 2");
    c.iae("permute null dims", () -> Ops.permute(M, (int[]) null), "permute", "dims", "null");
    c.iae("permute null", () -> Ops.permute(null, 0), "permute", "input", "null");
    c.iae("slice of a scalar", () -> S.slice(0, 1), "slice", "input", "[]");
    c.iae("slice negative start", () -> M.slice(-1, 1), "slice", "[-1, 1)", "[2, 3]");
    c.iae("slice end before start", () -> M.slice(2, 1), "slice", "[2, 1)", "[2, 3]");
    c.iae("slice past the end", () -> M.slice(0, 5), "slice", "[0, 5)", "[2, 3]");
    c.iae("slice null", () -> Ops.slice(null, 0, 1), "slice", "input", "null");
    c.iae("narrow dimension past the rank", () -> M.narrow(2, 0, 1), "narrow", "axis 2", "rank 2");
    c.iae("narrow negative start", () -> M.narrow(1, -1, 1), "narrow", "[-1, 0)", "dimension 1");
    c.iae("narrow negative length", () -> M.narrow(0, 0, -1), "narrow", "[0, -1)", "dimension 0");
    c.iae("narrow past the end", () -> M.narrow(1, 1, 5), "narrow", "[1, 6)", "[2, 3]");
    c.iae("narrow null", () -> Ops.narrow(null, 0, 0, 1), "narrow", "input", "null");
    c.iae("select past the end", () -> M.select(5), "select", "index 5", "[2, 3]");
    c.iae("select negative", () -> M.select(-1), "select", "index -1", "[2, 3]");
    c.iae("select of a scalar", () -> S.select(0), "select", "input", "[]");
    c.iae("select null", () -> Ops.select(null, 0), "select", "input", "null");
    c.iae("broadcastTo incompatible", () -> M.broadcastTo(2, 4), "broadcastTo", "[2, 3]", "[2, 4]");
    c.iae("broadcastTo lower rank", () -> M.broadcastTo(3), "broadcastTo", "[2, 3]", "[3]");
    c.iae("broadcastTo negative dimension", () -> V4.broadcastTo(-1, 4), "broadcastTo", "negative");
    c.iae("broadcastTo null shape", () -> V4.broadcastTo((int[]) null), "broadcastTo", "shape", "null");
    c.iae("broadcastTo null", () -> Ops.broadcastTo(null, 2), "broadcastTo", "input", "null");
    c.iae("to of null", () -> Ops.to(null, FLOAT64), "to", "input", "null");
  }

  private static void gathers(Catalog c) {
    c.iae("indexSelect past the end", () -> M.indexSelect(0, 5), "indexSelect", "index 5", "position 1", "[0, 2)");
    c.iae("indexSelect negative", () -> M.indexSelect(-1), "indexSelect", "index -1", "position 0");
    c.iae("indexSelect null indices", () -> M.indexSelect((int[]) null), "indexSelect", "indices", "null");
    c.iae("indexSelect of a scalar", () -> S.indexSelect(0), "indexSelect", "input", "[]");
    c.iae("indexSelect null", () -> Ops.indexSelect(null, 0), "indexSelect", "input", "null");
    c.iae("embedding null weight", () -> Ops.embedding(null, new int[] {0}), "embedding", "weight", "null");
    c.iae("embedding weight of rank 1", () -> Ops.embedding(V4, new int[] {0}), "embedding", "weight", "[4]");
    c.iae("embedding null indices", () -> Ops.embedding(M, null), "embedding", "indices", "null");
    c.iae("embedding index past the vocabulary", () -> Ops.embedding(M, new int[] {0, 2}), "embedding", "index 2",
        "position 1", "[0, 2)");
    c.iae("embedding negative index", () -> Ops.embedding(M, new int[] {-3}), "embedding", "index -3");
    c.iae("embedding index shape mismatch", () -> Ops.embedding(M, new int[] {0, 1, 1}, 2, 2), "embedding",
        "3 indices", "[2, 2]");
    c.iae("embedding null index shape", () -> Ops.embedding(M, new int[] {0}, (int[]) null), "embedding",
        "indexShape", "null");
  }

  private static void joins(Catalog c) {
    c.iae("concat nothing", () -> Ops.concat(0), "concat", "no tensors");
    c.iae("concat null array", () -> Ops.concat(0, (Tensor[]) null), "concat", "tensors", "null");
    c.iae("concat null element", () -> Ops.concat(0, M, null), "concat", "tensors[1]", "null");
    c.iae("concat mixed dtypes", () -> Ops.concat(0, M, M64), "concat", "dtypes differ");
    c.iae("concat other dimensions differ", () -> Ops.concat(0, M, Tensor.ones(FLOAT32, 2, 4)), "concat",
        "tensor 1", "[2, 4]", "[2, 3]");
    c.iae("concat axis past the rank", () -> Ops.concat(2, M, M), "concat", "axis 2", "rank 2");
    c.iae("concat ranks differ", () -> Ops.concat(0, M, V4), "concat", "tensor 1", "[4]");
    c.iae("stack nothing", () -> Ops.stack(0), "stack", "no tensors");
    c.iae("stack dimension past the rank", () -> Ops.stack(3, M, M), "stack", "dimension 3", "[0, 2]");
    c.iae("stack negative dimension", () -> Ops.stack(-1, M, M), "stack", "dimension -1");
    c.iae("stack shapes differ", () -> Ops.stack(0, M, Tensor.ones(FLOAT32, 3, 2)), "stack", "tensor 1", "[3, 2]",
        "[2, 3]");
    c.iae("stack null element", () -> Ops.stack(0, M, null), "stack", "tensors[1]", "null");
    c.iae("split sizes do not add up", () -> Ops.split(M, 1, 1, 1), "split", "[1, 1]", "add up to 2",
        "dimension 1");
    c.iae("split negative size", () -> Ops.split(M, 1, 4, -1), "split", "negative size", "[4, -1]");
    c.iae("split null sizes", () -> Ops.split(M, 0, (int[]) null), "split", "sizes", "null");
    c.iae("split axis past the rank", () -> Ops.split(M, 2, 1), "split", "axis 2", "rank 2");
    c.iae("split null", () -> Ops.split(null, 0, 1), "split", "input", "null");
  }

  private static void losses(Catalog c) {
    Tensor logits = Tensor.zeros(FLOAT64, 2, 3);
    int[] targets = {0, 1};
    c.iae("crossEntropy null logits", () -> Ops.crossEntropy(null, targets), "crossEntropy", "logits", "null");
    c.iae("crossEntropy null targets", () -> Ops.crossEntropy(logits, null), "crossEntropy", "targets", "null");
    c.iae("crossEntropy logits of rank 3", () -> Ops.crossEntropy(Tensor.zeros(FLOAT64, 1, 2, 3), targets),
        "crossEntropy", "[N, C]", "[1, 2, 3]");
    c.iae("crossEntropy logits of rank 1", () -> Ops.crossEntropy(Tensor.zeros(FLOAT64, 3), targets),
        "crossEntropy", "[N, C]", "[3]");
    c.iae("crossEntropy target count", () -> Ops.crossEntropy(logits, new int[] {0}), "crossEntropy", "1 targets",
        "[2, 3]");
    c.iae("crossEntropy target past the classes", () -> Ops.crossEntropy(logits, new int[] {0, 3}), "crossEntropy",
        "target 3", "position 1", "[0, 3)");
    c.iae("crossEntropy negative target", () -> Ops.crossEntropy(logits, new int[] {-1, 0}), "crossEntropy",
        "target -1", "position 0", "ignore index -100");
    c.iae("crossEntropy target with another ignore index", () -> Ops.crossEntropy(logits, new int[] {-100, 0}, 7),
        "crossEntropy", "target -100", "ignore index 7");
    c.iae("crossEntropy class weights shape", () -> Ops.crossEntropy(logits, targets, -100,
        Tensor.ones(FLOAT64, 2)), "crossEntropy", "class weights", "[3]", "[2]");
    c.iae("crossEntropy class weights dtype", () -> Ops.crossEntropy(logits, targets, -100,
        Tensor.ones(FLOAT32, 3)), "crossEntropy", "dtypes differ", "float32 [3]");
    c.iae("crossEntropy negative class weight", () -> Ops.crossEntropy(logits, targets, -100,
        Tensor.fromArray(new double[] {1, -1, 1}, 3)), "crossEntropy", "class weights", "-1.0", "class 1");
    c.iae("crossEntropy NaN class weight", () -> Ops.crossEntropy(logits, targets, -100,
        Tensor.fromArray(new double[] {Double.NaN, 1, 1}, 3)), "crossEntropy", "class weights", "NaN", "class 0");
    c.iae("crossEntropy infinite class weight", () -> Ops.crossEntropy(logits, targets, -100,
        Tensor.fromArray(new double[] {1, 1, Double.POSITIVE_INFINITY}, 3)), "crossEntropy", "class weights",
        "Infinity", "class 2");
    c.iae("nllLoss null", () -> Ops.nllLoss(null, targets, -100, null), "nllLoss", "logProbs", "null");
    c.iae("nllLoss input of rank 1", () -> Ops.nllLoss(Tensor.zeros(FLOAT64, 3), targets, -100, null), "nllLoss",
        "[N, C]", "[3]");
    c.iae("nllLoss null targets", () -> Ops.nllLoss(logits, null, -100, null), "nllLoss", "targets", "null");
    c.iae("mse null prediction", () -> Ops.mse(null, M), "mse", "prediction", "null");
    c.iae("mse null target", () -> Ops.mse(M, null), "mse", "target", "null");
    c.iae("mse shapes differ", () -> Ops.mse(M, Tensor.ones(FLOAT32, 3, 2)), "mse", "shapes differ", "[2, 3]",
        "[3, 2]");
    c.iae("mse dtypes differ", () -> Ops.mse(M, M64), "mse", "dtypes differ");
    SplittableRandom rng = new SplittableRandom(1);
    c.iae("dropout negative probability", () -> Ops.dropout(M, -0.1, true, rng), "dropout", "probability", "-0.1");
    c.iae("dropout probability above one", () -> Ops.dropout(M, 1.5, true, rng), "dropout", "probability", "1.5");
    c.iae("dropout NaN probability", () -> Ops.dropout(M, Double.NaN, false, rng), "dropout", "probability",
        "NaN");
    c.iae("dropout null rng in training", () -> Ops.dropout(M, 0.5, true, null), "dropout", "rng", "null");
    c.iae("dropout null", () -> Ops.dropout(null, 0.5, true, rng), "dropout", "input", "null");
  }
}
