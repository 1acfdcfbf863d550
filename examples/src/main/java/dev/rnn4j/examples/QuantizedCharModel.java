package dev.rnn4j.examples;

import dev.rnn4j.autograd.NoGrad;
import dev.rnn4j.autograd.Ops;
import dev.rnn4j.nn.Embedding;
import dev.rnn4j.nn.Linear;
import dev.rnn4j.nn.WeightFormat;
import dev.rnn4j.nn.recurrent.LSTM;
import dev.rnn4j.nn.recurrent.QuantizedSequenceModel;
import dev.rnn4j.nn.recurrent.SequenceModel;
import dev.rnn4j.tensor.Tensor;

/**
 * A trained {@link CharLanguageModel.Model} for inference with its LSTM and read-out weights stored as bfloat16 or
 * int8 (the embedding is a table lookup and stays float32): the library's {@link QuantizedSequenceModel}, which a
 * service would save and load ({@link Generate} {@code --quantize}, {@code --save}). Its held-out loss, next to the
 * float32 model's, shows what the quantization costs in accuracy.
 *
 * @param model the quantized model
 */
public record QuantizedCharModel(QuantizedSequenceModel model) {

  /** Quantizes the LSTM and read-out of {@code model} (the embedding table is copied). */
  public static QuantizedCharModel of(CharLanguageModel.Model model, WeightFormat format) {
    // The same children under the same names: SequenceModel is the library's name for this composition.
    SequenceModel asSequence = new SequenceModel((Embedding) model.children().get("embedding"),
        (LSTM) model.children().get("lstm"), (Linear) model.children().get("readout"));
    return new QuantizedCharModel(asSequence.quantize(format));
  }

  /** Logits [T*B, V] (row t*B + b) for time-major tokens [T, B], from zero states. */
  public Tensor logits(int[] tokens, int steps, int batch) {
    return model.forward(tokens, steps, batch, null, null).output().reshape(steps * batch, model.outputSize());
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
