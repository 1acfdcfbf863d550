package dev.rnn4j.badinput;

import static dev.rnn4j.tensor.DType.FLOAT32;
import static dev.rnn4j.tensor.DType.FLOAT64;

import dev.rnn4j.nn.Dropout;
import dev.rnn4j.nn.Embedding;
import dev.rnn4j.nn.Linear;
import dev.rnn4j.nn.Module;
import dev.rnn4j.tensor.Tensor;
import java.util.SplittableRandom;

/** {@link Module}'s registry, {@link Linear}, {@link Embedding} and {@link Dropout}. */
final class NnCases {

  private NnCases() {}

  /** A module that registers whatever the test gives it. */
  static final class Open extends Module {
    Tensor parameter(String name, Tensor t) {
      return registerParameter(name, t);
    }

    Module module(String name, Module m) {
      return registerModule(name, m);
    }
  }

  static void add(Catalog c) {
    module(c);
    linear(c);
    embedding(c);
    dropout(c);
  }

  private static void module(Catalog c) {
    Open m = new Open();
    m.parameter("w", Tensor.zeros(FLOAT32, 2));
    Tensor leaf = Tensor.zeros(FLOAT32, 2).requiresGrad(true);
    c.iae("registerParameter null name", () -> m.parameter(null, Tensor.zeros(FLOAT32, 1)), "Open",
        "parameter name", "null").unchanged(() -> m.namedParameters().keySet().toString());
    c.iae("registerParameter dotted name", () -> m.parameter("a.b", Tensor.zeros(FLOAT32, 1)), "Open",
        "parameter name 'a.b'").unchanged(() -> m.namedParameters().keySet().toString());
    c.iae("registerParameter empty name", () -> m.parameter("", Tensor.zeros(FLOAT32, 1)), "Open",
        "parameter name ''").unchanged(() -> m.namedParameters().keySet().toString());
    c.iae("registerParameter name taken", () -> m.parameter("w", Tensor.zeros(FLOAT32, 1)), "Open", "'w'",
        "already registered").unchanged(() -> m.namedParameters().get("w").numel());
    c.iae("registerParameter null tensor", () -> m.parameter("v", null), "Open", "parameter 'v'", "null")
        .unchanged(() -> m.namedParameters().keySet().toString());
    c.iae("registerParameter non-leaf", () -> m.parameter("v", leaf.mul(2.0)), "Open", "parameter 'v'",
        "result of an op").unchanged(() -> m.namedParameters().keySet().toString());
    c.iae("registerModule null module", () -> m.module("child", null), "Open", "module 'child'", "null")
        .unchanged(() -> m.children().keySet().toString());
    c.iae("registerModule itself", () -> m.module("self", m), "Open", "cannot contain itself")
        .unchanged(() -> m.children().keySet().toString());
    c.iae("registerModule bad name", () -> m.module("a-b", new Open()), "Open", "module name 'a-b'")
        .unchanged(() -> m.children().keySet().toString());
    c.iae("registerModule name of a parameter", () -> m.module("w", new Open()), "Open", "'w'",
        "already registered").unchanged(() -> m.children().keySet().toString());
  }

  private static void linear(Catalog c) {
    SplittableRandom rng = new SplittableRandom(1);
    Linear lin = new Linear(3, 2, rng);
    c.iae("Linear zero inputs", () -> new Linear(0, 2, rng), "Linear", "inFeatures", "0");
    c.iae("Linear negative outputs", () -> new Linear(2, -1, rng), "Linear", "outFeatures", "-1");
    c.iae("Linear weight too large", () -> new Linear(70_000, 70_000, rng), "Linear", "inFeatures 70000",
        "outFeatures 70000", "2^31");
    c.iae("Linear null dtype", () -> new Linear(2, 2, true, null, rng), "Linear", "dtype", "null");
    c.iae("Linear null rng", () -> new Linear(2, 2, null), "Linear", "rng", "null");
    c.iae("Linear forward null", () -> lin.forward(null), "Linear", "input", "null");
    c.iae("Linear forward wrong features", () -> lin.forward(Tensor.zeros(FLOAT32, 4, 2)), "Linear",
        "[..., 3]", "[4, 2]");
    c.iae("Linear forward scalar", () -> lin.forward(Tensor.scalar(FLOAT32, 1)), "Linear", "[..., 3]", "[]");
    c.iae("Linear forward wrong dtype", () -> lin.forward(Tensor.zeros(FLOAT64, 4, 3)), "Linear", "float64",
        "float32");
  }

  private static void embedding(Catalog c) {
    SplittableRandom rng = new SplittableRandom(1);
    Embedding emb = new Embedding(5, 2, rng);
    c.iae("Embedding empty vocabulary", () -> new Embedding(0, 2, rng), "Embedding", "numEmbeddings", "0");
    c.iae("Embedding negative dimension", () -> new Embedding(2, -1, rng), "Embedding", "embeddingDim", "-1");
    c.iae("Embedding table too large", () -> new Embedding(100_000, 100_000, rng), "Embedding",
        "numEmbeddings 100000", "embeddingDim 100000", "2^31");
    c.iae("Embedding null dtype", () -> new Embedding(2, 2, null, rng), "Embedding", "dtype", "null");
    c.iae("Embedding null rng", () -> new Embedding(2, 2, null), "Embedding", "rng", "null");
    c.iae("Embedding forward null indices", () -> emb.forward(null), "Embedding", "indices", "null");
    c.iae("Embedding forward null index shape", () -> emb.forward(new int[] {1}, (int[]) null), "Embedding",
        "indexShape", "null");
    c.iae("Embedding forward index past the vocabulary", () -> emb.forward(new int[] {1, 5}), "embedding",
        "index 5", "position 1", "[0, 5)");
    c.iae("Embedding forward negative index", () -> emb.forward(new int[] {-1}), "embedding", "index -1");
    c.iae("Embedding forward index shape mismatch", () -> emb.forward(new int[] {1, 2, 3}, 2, 2), "embedding",
        "3 indices", "[2, 2]");
  }

  private static void dropout(Catalog c) {
    SplittableRandom rng = new SplittableRandom(1);
    c.iae("Dropout negative probability", () -> new Dropout(-0.1, rng), "Dropout", "probability", "-0.1");
    c.iae("Dropout probability above one", () -> new Dropout(1.1, rng), "Dropout", "probability", "1.1");
    c.iae("Dropout NaN probability", () -> new Dropout(Double.NaN, rng), "Dropout", "probability", "NaN");
    c.iae("Dropout null rng", () -> new Dropout(0.5, null), "Dropout", "rng", "null");
    c.iae("Dropout forward null", () -> new Dropout(0.5, rng).forward(null), "Dropout", "input", "null");
  }
}
