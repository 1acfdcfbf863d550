package dev.rnn4j.examples;

import dev.rnn4j.autograd.NoGrad;
import dev.rnn4j.autograd.Ops;
import dev.rnn4j.nn.Embedding;
import dev.rnn4j.nn.Linear;
import dev.rnn4j.nn.QuantizedLinear;
import dev.rnn4j.nn.WeightFormat;
import dev.rnn4j.nn.recurrent.LSTM;
import dev.rnn4j.nn.recurrent.QuantizedRecurrentLayer;
import dev.rnn4j.tensor.Tensor;

/**
 * A trained {@link CharLanguageModel.Model} for inference with its LSTM and read-out weights stored as bfloat16 or
 * int8 (the embedding is a table lookup and stays float32): what a service would load to save memory and time per
 * character. Its held-out loss, next to the float32 model's, shows what the quantization costs in accuracy.
 *
 * @param embedding the trained model's embedding (shared, float32)
 * @param lstm the quantized LSTM
 * @param readout the quantized read-out
 */
public record QuantizedCharModel(Embedding embedding, QuantizedRecurrentLayer lstm, QuantizedLinear readout) {

  /** Quantizes the LSTM and read-out of {@code model}. */
  public static QuantizedCharModel of(CharLanguageModel.Model model, WeightFormat format) {
    return new QuantizedCharModel((Embedding) model.children().get("embedding"),
        ((LSTM) model.children().get("lstm")).quantize(format),
        ((Linear) model.children().get("readout")).quantize(format));
  }

  /** Logits [T*B, V] (row t*B + b) for time-major tokens [T, B], from zero states. */
  public Tensor logits(int[] tokens, int steps, int batch) {
    Tensor x = NoGrad.get(() -> embedding.forward(tokens, steps, batch));
    Tensor out = lstm.forward(x).output();
    return readout.forward(out.reshape(steps * batch, lstm.config().hiddenSize()));
  }

  /**
   * Mean cross-entropy (nats/char) of predicting {@code encoded[from+1 .. to)} in consecutive windows: the windows of
   * {@link CharLanguageModel#evaluate}, so that the two losses are comparable.
   */
  public double evaluate(int[] encoded, int from, int to, int seqLen) {
    CharLanguageModel.Windows w = CharLanguageModel.Windows.of(encoded, from, to, seqLen);
    return NoGrad.get(() -> Ops.crossEntropy(logits(w.inputs(), seqLen, w.count()), w.targets())).item();
  }
}
