package dev.rnn4j.examples.data;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A toy translation task: numbers spelled in English digit words to digits ("four two seven" -> "427"), read
 * character by character, so the encoder must find the word boundaries and recognise each word.
 */
public final class DigitWordsData {

  /** A source phrase and its target digits. */
  public record Pair(String source, String target) {}

  private static final String[] WORDS = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"};

  /** The source alphabet: index 0 is padding, then space and the letters the digit words use. */
  public static final String SOURCE_CHARS = "_ efghinorstuvwxz";
  /** The target alphabet: 0 = start of sequence, 1 = end of sequence, then the digits. */
  public static final String TARGET_CHARS = "^$0123456789";
  public static final int START = 0;
  public static final int END = 1;

  private DigitWordsData() {}

  /** {@code count} distinct pairs of 1 to {@code maxDigits} digits; {@code exclude}d sources are skipped. */
  public static List<Pair> generate(int count, int maxDigits, long seed, Set<String> exclude) {
    SplittableRandom rng = new SplittableRandom(seed);
    Set<String> seen = new LinkedHashSet<>();
    List<Pair> out = new ArrayList<>();
    int attempts = 0;
    while (out.size() < count && attempts++ < count * 20) {
      int n = 1 + rng.nextInt(maxDigits);
      StringBuilder src = new StringBuilder();
      StringBuilder tgt = new StringBuilder();
      for (int i = 0; i < n; i++) {
        int d = rng.nextInt(10);
        if (i > 0) {
          src.append(' ');
        }
        src.append(WORDS[d]);
        tgt.append((char) ('0' + d));
      }
      String s = src.toString();
      if (!exclude.contains(s) && seen.add(s)) {
        out.add(new Pair(s, tgt.toString()));
      }
    }
    return out;
  }

  /**
   * A phrase as the model reads it: lower case, words separated by single spaces.
   *
   * @throws IllegalArgumentException naming the first word that is not a digit word, or for a phrase without words
   */
  public static String normalise(String phrase) {
    String[] words = phrase.strip().toLowerCase(java.util.Locale.ROOT).split("\\s+");
    if (words[0].isEmpty()) {
      throw new IllegalArgumentException("the phrase has no words");
    }
    for (String w : words) {
      if (!List.of(WORDS).contains(w)) {
        throw new IllegalArgumentException("\"" + w + "\" is not a digit word (" + String.join(", ", WORDS) + ")");
      }
    }
    return String.join(" ", words);
  }

  /** Source characters as indices (no padding). */
  public static int[] encodeSource(String source) {
    int[] out = new int[source.length()];
    for (int i = 0; i < out.length; i++) {
      int k = SOURCE_CHARS.indexOf(source.charAt(i), 1);
      if (k < 0) {
        throw new IllegalArgumentException(
            "DigitWordsData: character '" + source.charAt(i) + "' is not in the source alphabet \"" + SOURCE_CHARS.substring(1) + "\"");
      }
      out[i] = k;
    }
    return out;
  }

  /** Target digits as indices followed by END. */
  public static int[] encodeTarget(String target) {
    int[] out = new int[target.length() + 1];
    for (int i = 0; i < target.length(); i++) {
      out[i] = TARGET_CHARS.indexOf(target.charAt(i));
    }
    out[target.length()] = END;
    return out;
  }
}
