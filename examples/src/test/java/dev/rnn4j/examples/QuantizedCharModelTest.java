package dev.rnn4j.examples;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.examples.data.CharVocab;
import dev.rnn4j.examples.data.TextCorpus;
import dev.rnn4j.examples.support.TrainingProgress;
import dev.rnn4j.nn.WeightFormat;
import org.junit.jupiter.api.Test;

/**
 * The acceptance figure of weight-only quantization: a briefly trained character LM keeps its held-out loss within
 * 0.5% of float32's with bfloat16 and with int8 weights (LSTM and read-out). The losses must also differ, or the
 * quantized path was not what ran.
 */
class QuantizedCharModelTest {

  @Test
  void heldOutLossStaysWithinHalfAPercentOfFloat32() {
    String text = TextCorpus.generated(12000, 2024).text();
    CharLanguageModel.Config cfg = new CharLanguageModel.Config(16, 64, 1, 32, 16, 120, 1e-2, 1.0, 3);
    CharLanguageModel.Result r = CharLanguageModel.train(text, cfg, TrainingProgress.Listener.SILENT);
    int[] encoded = CharVocab.of(text).encode(text);
    int split = (int) (encoded.length * 0.9);
    for (WeightFormat format : WeightFormat.values()) {
      double loss = QuantizedCharModel.of(r.model(), format).evaluate(encoded, split, encoded.length, cfg.seqLen());
      double relative = Math.abs(loss / r.validationLoss() - 1);
      assertTrue(relative <= 0.005, format + ": held-out loss " + loss + " vs float32 " + r.validationLoss());
      assertNotEquals(r.validationLoss(), loss, format + ": the quantized model gave float32's loss exactly");
    }
  }
}
