package dev.rnn4j.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.examples.data.TextCorpus;
import dev.rnn4j.examples.support.TrainingProgress;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CharLanguageModelTest {

  @Test
  void heldOutLossFallsClearlyBelowTheUnigramEntropyOfTheText() {
    String text = TextCorpus.generated(20000, 2024).text();
    // Unigram entropy from the character frequencies, computed here independently of the example's code.
    Map<Character, Integer> counts = new HashMap<>();
    for (char c : text.toCharArray()) {
      counts.merge(c, 1, Integer::sum);
    }
    double entropy = 0;
    for (int n : counts.values()) {
      double p = (double) n / text.length();
      entropy -= p * Math.log(p);
    }
    CharLanguageModel.Config cfg = new CharLanguageModel.Config(16, 64, 1, 32, 16, 200, 1e-2, 1.0, 3);
    CharLanguageModel.Result r = CharLanguageModel.train(text, cfg, TrainingProgress.Listener.SILENT);
    // A model that ignores context cannot beat the unigram entropy on average (about 2.97 nats here); "clearly
    // below" means it has learned spelling: at most 70% of it on text it never trained on.
    assertTrue(r.validationLoss() < 0.7 * entropy,
        "held-out loss " + r.validationLoss() + " vs unigram entropy " + entropy);
  }

  @Test
  void samplingIsReproducibleAndUsesOnlyTheVocabulary() {
    String text = TextCorpus.generated(5000, 1).text();
    CharLanguageModel.Config cfg = new CharLanguageModel.Config(8, 16, 1, 16, 4, 5, 1e-2, 1.0, 3);
    CharLanguageModel.Result r = CharLanguageModel.train(text, cfg, TrainingProgress.Listener.SILENT);
    String a = CharLanguageModel.sample(r.model(), r.vocab(), "The ", 50, 0.8, 9);
    String b = CharLanguageModel.sample(r.model(), r.vocab(), "The ", 50, 0.8, 9);
    assertTrue(a.equals(b) && a.length() == 50, a + " / " + b);
    for (char c : a.toCharArray()) {
      assertTrue(text.indexOf(c) >= 0, "sampled a character not in the text: " + c);
    }
  }
}
