package dev.rnn4j.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.examples.support.TrainingProgress;
import org.junit.jupiter.api.Test;

class Seq2SeqTest {

  @Test
  void greedyDecodingBeatsTheTrivialBaseline() {
    Seq2Seq.Result r = Seq2Seq.train(Seq2Seq.Config.quick(6), TrainingProgress.Listener.SILENT);
    // The trivial answer (one fixed digit string) matches a held-out phrase only by chance: with 1 to 3 uniformly
    // random digits that is at most 1/10 of the one-digit third of the phrases. Its per-digit accuracy is about 1/10.
    assertTrue(r.baselineExactMatch() < 0.05, "baseline " + r.baselineExactMatch());
    assertTrue(r.exactMatch() > 0.6, "exact match " + r.exactMatch());
    assertTrue(r.digitAccuracy() > r.baselineDigitAccuracy() + 0.5,
        "per digit " + r.digitAccuracy() + " vs baseline " + r.baselineDigitAccuracy());
  }
}
