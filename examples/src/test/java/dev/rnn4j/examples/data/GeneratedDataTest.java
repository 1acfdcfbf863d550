package dev.rnn4j.examples.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GeneratedDataTest {

  @Test
  void grammarTextIsDeterministicForASeedAndDiffersAcrossSeeds() {
    assertEquals(TextCorpus.generated(5000, 7).text(), TextCorpus.generated(5000, 7).text());
    assertNotEquals(TextCorpus.generated(5000, 7).text(), TextCorpus.generated(5000, 8).text());
    assertEquals(5000, TextCorpus.generated(5000, 7).text().length());
  }

  @Test
  void grammarWritesCapitalisedPunctuatedSentences() {
    EnglishGrammar g = new EnglishGrammar(new java.util.SplittableRandom(3));
    for (int i = 0; i < 200; i++) {
      String s = g.sentence();
      assertTrue(Character.isUpperCase(s.charAt(0)) || s.charAt(0) == '"', s);
      assertTrue(s.endsWith("."), s);
    }
  }

  @Test
  void unigramEntropyOfTwoEquallyFrequentCharactersIsLn2() {
    // H = -2 * (1/2) ln(1/2) = ln 2.
    String text = "ab".repeat(60);
    assertEquals(Math.log(2), new TextCorpus("t", text).unigramEntropyNats(), 1e-15);
  }

  @Test
  void charVocabRoundTripsAndNamesUnknownCharacters() {
    CharVocab v = CharVocab.of("namaskar");
    assertEquals(6, v.size()); // a, k, m, n, r, s
    assertEquals("namaskar", v.decode(v.encode("namaskar")));
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> v.indexOf('z'));
    assertTrue(e.getMessage().contains("'z'"), e.getMessage());
  }

  @Test
  void intentTestUtterancesNeverOccurInTraining() {
    IntentData.Split split = IntentData.generate(600, 0.2, 11);
    Set<String> train = new HashSet<>();
    split.train().forEach(e -> train.add(e.text()));
    split.test().forEach(e -> assertFalse(train.contains(e.text()), e.text()));
    assertEquals(120, split.test().size());
    assertEquals(6, split.intents().size());
  }

  @Test
  void tokenizerSplitsPunctuation() {
    assertEquals(List.of("what", "time", "is", "it", "?"), WordVocab.tokenize("What time is it?"));
    assertEquals(List.of("hey", ",", "play", "jazz"), WordVocab.tokenize("hey, play jazz"));
  }

  @Test
  void everyAmbiguousTaggingWordOccursAsNounAndAsVerb() {
    TaggingData.Split split = TaggingData.generate(2000, 0.2, 5);
    assertEquals(Set.copyOf(TaggingData.AMBIGUOUS), TaggingData.ambiguousWords(split.train()));
  }

  @Test
  void digitWordsTargetsSpellTheSources() {
    for (DigitWordsData.Pair p : DigitWordsData.generate(100, 5, 1, Set.of())) {
      String[] words = p.source().split(" ");
      assertEquals(words.length, p.target().length());
      for (int i = 0; i < words.length; i++) {
        int digit = p.target().charAt(i) - '0';
        assertEquals(List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine").get(digit), words[i]);
      }
    }
  }

  @Test
  void noisySinesHaveTheRequestedNoiseLevel() {
    // The residual after subtracting the noiseless signal is the noise: its sample std over 20000 draws of
    // N(0, 0.1^2) lies within 0.1 * (1 +- 3/sqrt(2 * 20000)) with overwhelming probability.
    double[] x = SeriesData.noisySines(20000, 0.1, 1);
    double ss = 0;
    for (int t = 0; t < x.length; t++) {
      double clean = Math.sin(2 * Math.PI * t / 50.0) + 0.5 * Math.sin(2 * Math.PI * t / 17.0 + 1.0);
      ss += (x[t] - clean) * (x[t] - clean);
    }
    double std = Math.sqrt(ss / x.length);
    assertEquals(0.1, std, 0.1 * 3 / Math.sqrt(40000));
  }
}
