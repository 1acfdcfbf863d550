package dev.rnn4j.examples.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** The text a character model trains on: the user's file, or prose written by {@link EnglishGrammar}. */
public record TextCorpus(String name, String text) {

  /** The default text: {@code chars} characters from the grammar, always the same for the same seed. */
  public static TextCorpus generated(int chars, long seed) {
    return new TextCorpus(
        "generated English-like prose (" + chars + " chars, grammar seed " + seed + ")",
        new EnglishGrammar(new SplittableRandom(seed)).text(chars).substring(0, chars));
  }

  /**
   * A UTF-8 text file, with {@code \r\n} folded to {@code \n}. Files need at least 100 characters so that the
   * model has something to learn.
   */
  public static TextCorpus fromFile(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8).replace("\r\n", "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read text file " + file, e);
    }
    if (text.length() < 100) {
      throw new IllegalArgumentException(
          "text file " + file + " has " + text.length() + " characters; at least 100 are needed");
    }
    return new TextCorpus(file.toString(), text);
  }

  /**
   * The unigram entropy of the text in nats: -sum p(c) ln p(c) over character frequencies. A model that ignores
   * context cannot reach a lower cross-entropy on this text.
   */
  public double unigramEntropyNats() {
    java.util.Map<Character, Integer> counts = new java.util.HashMap<>();
    for (int i = 0; i < text.length(); i++) {
      counts.merge(text.charAt(i), 1, Integer::sum);
    }
    double h = 0;
    for (int c : counts.values()) {
      double p = (double) c / text.length();
      h -= p * Math.log(p);
    }
    return h;
  }
}
