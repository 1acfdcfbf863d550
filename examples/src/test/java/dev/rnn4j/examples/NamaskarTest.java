package dev.rnn4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.examples.support.TrainingProgress;
import org.junit.jupiter.api.Test;

class NamaskarTest {

  @Test
  void predictsTheEighthLetterFromTheFirstSeven() {
    Namaskar.Result r = Namaskar.train("namaskar", Namaskar.Config.defaults(42), TrainingProgress.Listener.SILENT);
    // The 8th letter of n-a-m-a-s-k-a-r.
    assertEquals('r', r.predicted());
    // After 'a' come 'm', 's' and 'r': guessing from the current letter alone gives p('r') <= 1/3 at best.
    assertTrue(r.probability() > 0.5, "p('r') = " + r.probability());
  }

  @Test
  void predictsEveryNextLetterOfTheWord() {
    Namaskar.Result r = Namaskar.train("namaskar", Namaskar.Config.defaults(7), TrainingProgress.Listener.SILENT);
    assertEquals("amaskar", Namaskar.predictAll(r.model(), r.vocab(), "namaska"));
  }
}
