package dev.rnn4j.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.examples.support.TrainingProgress;
import org.junit.jupiter.api.Test;

class Seq2SeqTest {

  @Test
  void greedyDecodingBeatsTheTrivialBaseline() {
    Seq2Seq.Result r = Seq2Seq.train(Seq2Seq.Config.quick(6), TrainingProgress.Listener.SILENT);
    // The trivial answer is one fixed digit string and the held-out phrases are distinct, so it matches at most one
    // of them (under 1/400 here). Its per-digit accuracy is about 1/10: one digit value out of ten.
    assertTrue(r.baselineExactMatch() < 0.05, "baseline " + r.baselineExactMatch());
    assertTrue(r.exactMatch() > 0.6, "exact match " + r.exactMatch());
    assertTrue(r.digitAccuracy() > r.baselineDigitAccuracy() + 0.5,
        "per digit " + r.digitAccuracy() + " vs baseline " + r.baselineDigitAccuracy());
  }
}
