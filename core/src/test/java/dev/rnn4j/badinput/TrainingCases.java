package dev.rnn4j.badinput;

import static dev.rnn4j.tensor.DType.FLOAT32;
import static dev.rnn4j.tensor.DType.FLOAT64;

import dev.rnn4j.nn.recurrent.GradientClipping;
import dev.rnn4j.nn.recurrent.LSTM;
import dev.rnn4j.nn.recurrent.TruncatedBptt;
import dev.rnn4j.optim.Adam;
import dev.rnn4j.optim.AdamW;
import dev.rnn4j.optim.CosineAnnealingLR;
import dev.rnn4j.optim.SGD;
import dev.rnn4j.optim.StepLR;
import dev.rnn4j.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * Truncated BPTT, gradient clipping, and the optimizers' and schedules' existing constructors and arguments (their
 * null handling is left to the optimizer work).
 */
final class TrainingCases {

  private TrainingCases() {}

  static void add(Catalog c) {
    tbptt(c);
    clipping(c);
    optimizers(c);
    schedules(c);
  }

  private static void tbptt(Catalog c) {
    LSTM lstm = new LSTM(2, 3);
    Tensor x = Tensor.zeros(FLOAT32, 4, 1, 2);
    TruncatedBptt t = new TruncatedBptt(2);
    TruncatedBptt.ChunkLoss mean = (out, start) -> out.mean();
    c.iae("TruncatedBptt zero chunk", () -> new TruncatedBptt(0), "TruncatedBptt", "k1=0");
    c.iae("TruncatedBptt k2 above k1", () -> new TruncatedBptt(2, 3), "TruncatedBptt", "k1=2", "k2=3");
    c.iae("TruncatedBptt zero k2", () -> new TruncatedBptt(2, 0), "TruncatedBptt", "k2=0");
    c.iae("TruncatedBptt null layer", () -> t.run(null, x, mean, null), "TruncatedBptt", "layer", "null");
    c.iae("TruncatedBptt null input", () -> t.run(lstm, null, mean, null), "TruncatedBptt", "input", "null");
    c.iae("TruncatedBptt rank-2 input", () -> t.run(lstm, Tensor.zeros(FLOAT32, 4, 2), mean, null),
        "TruncatedBptt", "input", "rank 3", "[4, 2]");
    c.iae("TruncatedBptt null loss", () -> t.run(lstm, x, null, null), "TruncatedBptt", "loss", "null")
        .unchanged(() -> Probes.grads(lstm.parameters()));
    c.iae("TruncatedBptt loss returning null", () -> t.run(lstm, x, (out, start) -> null, null), "TruncatedBptt",
        "loss of chunk 0", "steps [0, 2)", "null").unchanged(() -> Probes.grads(lstm.parameters()));
    c.iae("TruncatedBptt loss returning the output", () -> t.run(lstm, x, (out, start) -> out, null),
        "TruncatedBptt", "loss of chunk 0", "[2, 1, 3]", "scalar").unchanged(() -> Probes.grads(lstm.parameters()));
    c.iae("TruncatedBptt loss without a gradient", () -> t.run(lstm, x, (out, start) -> out.mean().detach(), null),
        "TruncatedBptt", "loss of chunk 0", "no gradient").unchanged(() -> Probes.grads(lstm.parameters()));
    c.iae("TruncatedBptt input of another dtype", () -> t.run(lstm, Tensor.zeros(FLOAT64, 4, 1, 2), mean, null),
        "LSTM", "input", "float64");
    c.iae("TruncatedBptt input of another size", () -> t.run(lstm, Tensor.zeros(FLOAT32, 4, 1, 3), mean, null),
        "LSTM", "input size 2", "[2, 1, 3]");
  }

  private static void clipping(Catalog c) {
    Tensor p = Tensor.zeros(FLOAT32, 3).requiresGrad(true);
    p.mul(Tensor.fromArray(new float[] {3, 4, 12}, 3)).sum().backward();
    List<Tensor> ps = List.of(p);
    List<Tensor> withNull = Arrays.asList(p, null);
    c.iae("clipByNorm null list", () -> GradientClipping.clipByNorm(null, 1), "clipByNorm", "parameters", "null");
    c.iae("clipByNorm null parameter", () -> GradientClipping.clipByNorm(withNull, 1), "clipByNorm",
        "parameter #1", "null").unchanged(() -> Probes.grads(ps));
    c.iae("clipByNorm zero norm", () -> GradientClipping.clipByNorm(ps, 0), "clipByNorm", "maxNorm", "0.0")
        .unchanged(() -> Probes.grads(ps));
    c.iae("clipByNorm negative norm", () -> GradientClipping.clipByNorm(ps, -1), "clipByNorm", "maxNorm", "-1.0")
        .unchanged(() -> Probes.grads(ps));
    c.iae("clipByNorm NaN norm", () -> GradientClipping.clipByNorm(ps, Double.NaN), "clipByNorm", "maxNorm", "NaN")
        .unchanged(() -> Probes.grads(ps));
    c.iae("clipByValue null list", () -> GradientClipping.clipByValue(null, 1), "clipByValue", "parameters",
        "null");
    c.iae("clipByValue null parameter", () -> GradientClipping.clipByValue(withNull, 1), "clipByValue",
        "parameters[1]", "null").unchanged(() -> Probes.grads(ps));
    c.iae("clipByValue zero", () -> GradientClipping.clipByValue(ps, 0), "clipByValue", "clipValue", "0.0")
        .unchanged(() -> Probes.grads(ps));
    c.iae("clipByValue negative", () -> GradientClipping.clipByValue(ps, -2), "clipByValue", "clipValue", "-2.0")
        .unchanged(() -> Probes.grads(ps));
    c.iae("clipByValue NaN", () -> GradientClipping.clipByValue(ps, Double.NaN), "clipByValue", "clipValue", "NaN")
        .unchanged(() -> Probes.grads(ps));
  }

  private static void optimizers(Catalog c) {
    Tensor w = Tensor.zeros(FLOAT32, 2).requiresGrad(true);
    List<Tensor> ps = List.of(w);
    c.iae("SGD null parameters", () -> new SGD(null, 0.1), "SGD", "parameters", "null");
    c.iae("Adam null parameter in the list", () -> new Adam(java.util.Arrays.asList(w, null), 1e-3), "Adam",
        "parameter 1", "null");
    c.iae("StepLR null optimizer", () -> new StepLR(null, 2, 0.5), "StepLR", "optimizer", "null");
    c.iae("CosineAnnealingLR null optimizer", () -> new CosineAnnealingLR(null, 10, 0), "CosineAnnealingLR",
        "optimizer", "null");
    c.iae("SGD negative learning rate", () -> new SGD(ps, -0.1), "SGD", "learning rate", "-0.1");
    c.iae("SGD NaN learning rate", () -> new SGD(ps, Double.NaN), "SGD", "learning rate", "NaN");
    c.iae("SGD infinite learning rate", () -> new SGD(ps, Double.POSITIVE_INFINITY), "SGD", "learning rate",
        "Infinity");
    c.iae("SGD negative momentum", () -> new SGD(ps, 0.1, -0.9), "SGD", "momentum", "-0.9");
    c.iae("SGD NaN momentum", () -> new SGD(ps, 0.1, Double.NaN), "SGD", "momentum", "NaN");
    c.iae("SGD negative dampening", () -> new SGD(ps, 0.1, 0.9, -1, 0, false), "SGD", "dampening", "-1.0");
    c.iae("SGD negative weight decay", () -> new SGD(ps, 0.1, 0.9, 0, -0.01, false), "SGD", "weightDecay",
        "-0.01");
    c.iae("SGD infinite weight decay", () -> new SGD(ps, 0.1, 0, 0, Double.POSITIVE_INFINITY, false), "SGD",
        "weightDecay", "Infinity");
    c.iae("SGD Nesterov without momentum", () -> new SGD(ps, 0.1, 0, 0, 0, true), "SGD", "Nesterov",
        "momentum 0.0");
    c.iae("SGD Nesterov with dampening", () -> new SGD(ps, 0.1, 0.9, 0.1, 0, true), "SGD", "Nesterov",
        "dampening 0.1");
    c.iae("SGD empty parameter list", () -> new SGD(List.of(), 0.1), "SGD", "empty parameter list");
    c.iae("SGD parameter without gradient", () -> new SGD(List.of(Tensor.zeros(FLOAT32, 2)), 0.1), "SGD",
        "parameter 0", "does not require a gradient");
    c.iae("SGD parameter twice", () -> new SGD(List.of(w, w), 0.1), "SGD", "parameter 1", "more than once");
    SGD sgd = new SGD(ps, 0.1);
    c.iae("setLearningRate NaN", () -> sgd.setLearningRate(Double.NaN), "SGD", "learning rate", "NaN")
        .unchanged(sgd::learningRate);
    c.iae("setLearningRate negative", () -> sgd.setLearningRate(-1), "SGD", "learning rate", "-1.0")
        .unchanged(sgd::learningRate);
    c.iae("setLearningRate infinite", () -> sgd.setLearningRate(Double.NEGATIVE_INFINITY), "SGD",
        "learning rate", "-Infinity").unchanged(sgd::learningRate);
    c.iae("Adam negative learning rate", () -> new Adam(ps, -1e-3), "Adam", "learning rate", "-0.001");
    c.iae("Adam beta1 one", () -> new Adam(ps, 1e-3, 1, 0.999, 1e-8, 0), "Adam", "betas", "(1.0, 0.999)");
    c.iae("Adam beta2 negative", () -> new Adam(ps, 1e-3, 0.9, -0.1, 1e-8, 0), "Adam", "betas", "(0.9, -0.1)");
    c.iae("Adam beta1 NaN", () -> new Adam(ps, 1e-3, Double.NaN, 0.999, 1e-8, 0), "Adam", "betas", "NaN");
    c.iae("Adam negative eps", () -> new Adam(ps, 1e-3, 0.9, 0.999, -1e-8, 0), "Adam", "eps", "-1.0E-8");
    c.iae("Adam NaN weight decay", () -> new Adam(ps, 1e-3, 0.9, 0.999, 1e-8, Double.NaN), "Adam", "weightDecay",
        "NaN");
    c.iae("Adam empty parameter list", () -> new Adam(List.of(), 1e-3), "Adam", "empty parameter list");
    c.iae("AdamW NaN learning rate", () -> new AdamW(ps, Double.NaN), "AdamW", "learning rate", "NaN");
    c.iae("AdamW beta2 one", () -> new AdamW(ps, 1e-3, 0.9, 1, 1e-8, 0.01), "AdamW", "betas", "(0.9, 1.0)");
    c.iae("AdamW infinite eps", () -> new AdamW(ps, 1e-3, 0.9, 0.999, Double.POSITIVE_INFINITY, 0.01), "AdamW",
        "eps", "Infinity");
    c.iae("AdamW negative weight decay", () -> new AdamW(ps, 1e-3, 0.9, 0.999, 1e-8, -0.01), "AdamW",
        "weightDecay", "-0.01");
    c.iae("AdamW parameter twice", () -> new AdamW(List.of(w, w), 1e-3), "AdamW", "parameter 1", "more than once");
  }

  private static void schedules(Catalog c) {
    SGD sgd = new SGD(List.of(Tensor.zeros(FLOAT32, 2).requiresGrad(true)), 0.1);
    StepLR step = new StepLR(sgd, 2, 0.5);
    CosineAnnealingLR cosine = new CosineAnnealingLR(sgd, 10, 0);
    c.iae("StepLR zero step size", () -> new StepLR(sgd, 0, 0.5), "StepLR", "stepSize", "0");
    c.iae("StepLR negative gamma", () -> new StepLR(sgd, 2, -0.5), "StepLR", "gamma", "-0.5");
    c.iae("StepLR NaN gamma", () -> new StepLR(sgd, 2, Double.NaN), "StepLR", "gamma", "NaN");
    c.iae("StepLR negative epoch", () -> step.learningRateAt(-1), "StepLR", "epoch", "-1");
    c.iae("CosineAnnealingLR zero tMax", () -> new CosineAnnealingLR(sgd, 0, 0), "CosineAnnealingLR", "tMax", "0");
    c.iae("CosineAnnealingLR negative etaMin", () -> new CosineAnnealingLR(sgd, 10, -1e-3), "CosineAnnealingLR",
        "etaMin", "-0.001");
    c.iae("CosineAnnealingLR infinite etaMin", () -> new CosineAnnealingLR(sgd, 10, Double.POSITIVE_INFINITY),
        "CosineAnnealingLR", "etaMin", "Infinity");
    c.iae("CosineAnnealingLR negative epoch", () -> cosine.learningRateAt(-3), "CosineAnnealingLR", "epoch", "-3");
  }
}
