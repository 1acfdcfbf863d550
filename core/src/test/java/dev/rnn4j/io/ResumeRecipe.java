package dev.rnn4j.io;

import dev.rnn4j.autograd.Ops;
import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.nn.Dropout;
import dev.rnn4j.nn.Embedding;
import dev.rnn4j.nn.Linear;
import dev.rnn4j.nn.Module;
import dev.rnn4j.nn.recurrent.LSTM;
import dev.rnn4j.nn.recurrent.RecurrentOptions;
import dev.rnn4j.optim.Adam;
import dev.rnn4j.optim.AdamW;
import dev.rnn4j.optim.CosineAnnealingLR;
import dev.rnn4j.optim.LearningRateSchedule;
import dev.rnn4j.optim.Optimizer;
import dev.rnn4j.optim.SGD;
import dev.rnn4j.optim.StepLR;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.SplitMix64;
import dev.rnn4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small next-token model trained with everything random a real loop has: batches sampled from a generator, a
 * {@link Dropout} module with its own generator, and dropout between the two LSTM layers (the layer's generator).
 * The same recipe in two JVMs, built from the same arguments, is the same training run.
 */
final class ResumeRecipe {

  static final int VOCAB = 7;
  static final int T = 5;
  static final int B = 3;

  /** The optimizer/schedule/dtype combinations of the resume tests. */
  enum Config {
    ADAM_COSINE_F32, SGD_NESTEROV_STEP_F64, ADAMW_STEP_F32
  }

  static final class Net extends Module {
    final Embedding embedding;
    final LSTM lstm;
    final Dropout dropout;
    final Linear head;

    Net(DType dtype, SplitMix64 dropoutRandom) {
      SplitMix64 init = new SplitMix64(11);
      embedding = registerModule("embedding", new Embedding(VOCAB, 6, dtype, init));
      lstm = registerModule("lstm", new LSTM(new RecurrentOptions(6, 8).numLayers(2).dropout(0.25).dtype(dtype)
          .seed(5)));
      dropout = registerModule("dropout", new Dropout(0.3, dropoutRandom));
      head = registerModule("head", new Linear(8, VOCAB, true, dtype, init));
    }
  }

  final Kernels kernels;
  final SplitMix64 data = new SplitMix64(2024);
  final SplitMix64 dropoutRandom = new SplitMix64(77);
  final Net model;
  final Optimizer optimizer;
  final LearningRateSchedule schedule;
  final Checkpoint checkpoint;

  ResumeRecipe(Config config, Kernels kernels) {
    this.kernels = kernels;
    DType dtype = config == Config.SGD_NESTEROV_STEP_F64 ? DType.FLOAT64 : DType.FLOAT32;
    model = new Net(dtype, dropoutRandom);
    switch (config) {
      case ADAM_COSINE_F32 -> {
        optimizer = new Adam(model.parameters(), 0.02);
        schedule = new CosineAnnealingLR(optimizer, 6, 0.001);
      }
      case SGD_NESTEROV_STEP_F64 -> {
        optimizer = new SGD(model.parameters(), 0.1, 0.9, 0, 1e-4, true);
        schedule = new StepLR(optimizer, 3, 0.5);
      }
      default -> {
        optimizer = new AdamW(model.parameters(), 0.02);
        schedule = new StepLR(optimizer, 2, 0.7);
      }
    }
    checkpoint = Checkpoint.of(model, optimizer).withSchedule(schedule)
        .withRandom("data", data).withRandom("dropout", dropoutRandom)
        .withRandom("lstm.dropout", model.lstm.dropoutRandom());
  }

  /** One training step on a batch drawn from {@link #data}; returns the loss. */
  double step() {
    return KernelScope.get(kernels, () -> {
      int[] tokens = new int[(T + 1) * B];
      for (int i = 0; i < tokens.length; i++) {
        tokens[i] = data.nextInt(VOCAB);
      }
      int[] input = java.util.Arrays.copyOfRange(tokens, 0, T * B);
      int[] target = java.util.Arrays.copyOfRange(tokens, B, (T + 1) * B);
      Tensor x = model.embedding.forward(input, T, B);
      Tensor h = model.dropout.forward(model.lstm.forward(x).output());
      Tensor loss = Ops.crossEntropy(model.head.forward(h.reshape(T * B, 8)), target);
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
      schedule.step();
      return loss.item();
    });
  }

  /**
   * Everything a resumed run must reproduce, as raw bits: parameters, optimizer buffers and step counts, learning
   * rate, schedule epoch and the generators' states.
   */
  Map<String, List<Long>> snapshot() {
    Map<String, List<Long>> out = new LinkedHashMap<>(TestModels.snapshot(model));
    var state = optimizer.state();
    for (int i = 0; i < state.parameters().size(); i++) {
      var ps = state.parameters().get(i);
      out.put("step " + i, List.of((long) ps.step()));
      for (var b : ps.buffers().entrySet()) {
        out.put(b.getKey() + " " + i, bits(b.getValue()));
      }
    }
    out.put("lr", List.of(Double.doubleToRawLongBits(optimizer.learningRate())));
    out.put("epoch", List.of((long) schedule.epoch()));
    out.put("randoms", List.of(data.state(), dropoutRandom.state(), model.lstm.dropoutRandom().state()));
    return out;
  }

  private static List<Long> bits(Tensor t) {
    List<Long> out = new ArrayList<>();
    if (t.dtype() == DType.FLOAT32) {
      for (float v : t.toFloatArray()) {
        out.add((long) Float.floatToRawIntBits(v));
      }
    } else {
      for (double v : t.toDoubleArray()) {
        out.add(Double.doubleToRawLongBits(v));
      }
    }
    return out;
  }

  static Kernels kernelsNamed(String name) {
    Kernels k = name.equals(Kernels.scalar().name()) ? Kernels.scalar() : Kernels.get();
    if (!k.name().equals(name)) {
      throw new IllegalStateException("kernels '" + name + "' are not available here; selected: " + k.name());
    }
    return k;
  }
}
