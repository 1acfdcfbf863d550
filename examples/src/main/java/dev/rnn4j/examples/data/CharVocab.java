package dev.rnn4j.examples.data;

import java.util.Arrays;
import java.util.TreeSet;

/** The characters of a text, each given an index in sorted order. */
public final class CharVocab {
  private final char[] chars;
  private final int[] indexOf = new int[Character.MAX_VALUE + 1];

  private CharVocab(char[] chars) {
    this.chars = chars;
    Arrays.fill(indexOf, -1);
    for (int i = 0; i < chars.length; i++) {
      indexOf[chars[i]] = i;
    }
  }

  /** The vocabulary of every distinct character of {@code text}. */
  public static CharVocab of(CharSequence text) {
    TreeSet<Character> set = new TreeSet<>();
    for (int i = 0; i < text.length(); i++) {
      set.add(text.charAt(i));
    }
    char[] chars = new char[set.size()];
    int i = 0;
    for (char c : set) {
      chars[i++] = c;
    }
    return new CharVocab(chars);
  }

  public int size() {
    return chars.length;
  }

  public char charAt(int index) {
    return chars[index];
  }

  public boolean contains(char c) {
    return indexOf[c] >= 0;
  }

  /** The index of {@code c}; an error names the character if it is not in the vocabulary. */
  public int indexOf(char c) {
    int i = indexOf[c];
    if (i < 0) {
      throw new IllegalArgumentException(
          "CharVocab: character " + printable(c) + " is not in the vocabulary of " + size() + " characters");
    }
    return i;
  }

  /** Every character of {@code text} as an index. */
  public int[] encode(CharSequence text) {
    int[] out = new int[text.length()];
    for (int i = 0; i < out.length; i++) {
      out[i] = indexOf(text.charAt(i));
    }
    return out;
  }

  public String decode(int[] indices) {
    StringBuilder sb = new StringBuilder(indices.length);
    for (int i : indices) {
      sb.append(chars[i]);
    }
    return sb.toString();
  }

  static String printable(char c) {
    return c == '\n' ? "'\\n'" : c < 32 ? String.format("U+%04X", (int) c) : "'" + c + "'";
  }
}
