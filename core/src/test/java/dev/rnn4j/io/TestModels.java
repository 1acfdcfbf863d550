package dev.rnn4j.io;

import dev.rnn4j.nn.Embedding;
import dev.rnn4j.nn.Linear;
import dev.rnn4j.nn.Module;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** Small models for the load/save tests, and a bitwise snapshot of their parameters. */
final class TestModels {

  private TestModels() {
  }

  /** embedding.weight [5, 3], fc.weight [2, 3], fc.bias [2]. */
  static final class Small extends Module {
    final Embedding embedding;
    final Linear fc;

    Small(long seed, DType dtype) {
      SplittableRandom rng = new SplittableRandom(seed);
      embedding = registerModule("embedding", new Embedding(5, 3, dtype, rng));
      fc = registerModule("fc", new Linear(3, 2, true, dtype, rng));
    }
  }

  /** fc.weight [1, 2] = [[0.5, -1]], fc.bias [1] = [2], float32. */
  static final class Tiny extends Module {
    final Linear fc = registerModule("fc", new Linear(2, 1, true, DType.FLOAT32, new SplittableRandom(0)));

    Tiny() {
      fc.weight().copyFrom(Tensor.fromArray(new float[] {0.5f, -1f}, 1, 2));
      fc.bias().copyFrom(Tensor.fromArray(new float[] {2f}, 1));
    }
  }

  /** Raw bits of every parameter element, by name: equal snapshots mean bitwise-equal models. */
  static Map<String, java.util.List<Long>> snapshot(Module m) {
    Map<String, java.util.List<Long>> out = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : m.namedParameters().entrySet()) {
      Tensor t = e.getValue();
      java.util.List<Long> bits = new java.util.ArrayList<>();
      if (t.dtype() == DType.FLOAT32) {
        for (float v : t.toFloatArray()) {
          bits.add((long) Float.floatToRawIntBits(v));
        }
      } else {
        for (double v : t.toDoubleArray()) {
          bits.add(Double.doubleToRawLongBits(v));
        }
      }
      out.put(e.getKey() + " " + java.util.Arrays.toString(t.shape()), bits);
    }
    return out;
  }
}
