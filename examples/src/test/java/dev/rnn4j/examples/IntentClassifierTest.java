package dev.rnn4j.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.examples.data.IntentData;
import dev.rnn4j.examples.support.TrainingProgress;
import org.junit.jupiter.api.Test;

class IntentClassifierTest {

  @Test
  void beatsTheMajorityClassBaselineOnHeldOutUtterances() {
    IntentData.Split split = IntentData.generate(600, 0.25, 3);
    // The baseline computed here: always answer the intent most frequent in training.
    int[] counts = new int[split.intents().size()];
    split.train().forEach(e -> counts[e.label()]++);
    int majority = 0;
    for (int c = 1; c < counts.length; c++) {
      majority = counts[c] > counts[majority] ? c : majority;
    }
    int m = majority;
    double baseline = split.test().stream().filter(e -> e.label() == m).count() / (double) split.test().size();
    for (IntentClassifier.Cell cell : IntentClassifier.Cell.values()) {
      IntentClassifier.Result r = IntentClassifier.train(split,
          IntentClassifier.Config.quick(5).with(cell, 150), TrainingProgress.Listener.SILENT);
      // Six intents, the largest about 30% of the data: a classifier that reads the words should get most right.
      assertTrue(r.accuracy() > baseline + 0.4, cell + ": accuracy " + r.accuracy() + " vs baseline " + baseline);
    }
  }
}
