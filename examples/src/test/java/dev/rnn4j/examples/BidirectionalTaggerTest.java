package dev.rnn4j.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.examples.data.TaggingData;
import dev.rnn4j.examples.support.TrainingProgress;
import org.junit.jupiter.api.Test;

class BidirectionalTaggerTest {

  @Test
  void bothModelsBeatTheMajorityTagAndTheBiLstmWinsOnAmbiguousWords() {
    TaggingData.Split split = TaggingData.generate(1200, 0.25, 9);
    // Majority-tag baseline computed here: the most frequent tag in training, everywhere.
    int[] counts = new int[split.tagNames().size()];
    split.train().forEach(s -> {
      for (int t : s.tags()) {
        counts[t]++;
      }
    });
    int majority = 0;
    for (int t = 1; t < counts.length; t++) {
      majority = counts[t] > counts[majority] ? t : majority;
    }
    int right = 0;
    int all = 0;
    for (TaggingData.Sentence s : split.test()) {
      for (int t : s.tags()) {
        right += t == majority ? 1 : 0;
        all++;
      }
    }
    double baseline = (double) right / all;
    BidirectionalTagger.Comparison c = BidirectionalTagger.compare(split, BidirectionalTagger.Config.quick(4),
        TrainingProgress.Factory.SILENT);
    assertTrue(c.bidirectional().scores().overall() > baseline + 0.3, "BiLSTM " + c.bidirectional().scores());
    assertTrue(c.unidirectional().scores().overall() > baseline + 0.3, "LSTM " + c.unidirectional().scores());
    // Half of the ambiguous tokens open their sentence, where only the right context decides: three of the five
    // sentence-initial patterns are verbs, so a left-to-right model gets at most about 0.5 + 0.5 * 0.6 = 0.8 of the
    // ambiguous tokens; the bidirectional model can get all of them.
    assertTrue(c.unidirectional().scores().ambiguous() < 0.9, "LSTM " + c.unidirectional().scores());
    assertTrue(c.bidirectional().scores().ambiguous() > c.unidirectional().scores().ambiguous() + 0.1,
        "BiLSTM " + c.bidirectional().scores() + " vs LSTM " + c.unidirectional().scores());
  }
}
