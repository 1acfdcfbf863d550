package dev.rnn4j.examples.data;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Words to indices, with index 0 for padding and 1 for words never seen in training. */
public final class WordVocab {
  public static final int PAD = 0;
  public static final int UNKNOWN = 1;

  private final List<String> words = new ArrayList<>(List.of("<pad>", "<unk>"));
  private final Map<String, Integer> index = new HashMap<>();

  private WordVocab(Collection<String> sortedWords) {
    for (String w : sortedWords) {
      index.put(w, words.size());
      words.add(w);
    }
  }

  /** Every distinct word of the sentences, in sorted order after the two reserved entries. */
  public static WordVocab of(Collection<List<String>> sentences) {
    TreeSet<String> set = new TreeSet<>();
    for (List<String> s : sentences) {
      set.addAll(s);
    }
    return new WordVocab(set);
  }

  public int size() {
    return words.size();
  }

  public String word(int i) {
    return words.get(i);
  }

  /** The index of {@code word}, or {@link #UNKNOWN}. */
  public int indexOf(String word) {
    return index.getOrDefault(word, UNKNOWN);
  }

  public int[] encode(List<String> sentence) {
    int[] out = new int[sentence.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = indexOf(sentence.get(i));
    }
    return out;
  }

  /** Lower-case words and punctuation marks as separate tokens: "What time is it?" -> [what, time, is, it, ?]. */
  public static List<String> tokenize(String text) {
    List<String> out = new ArrayList<>();
    for (String raw : text.toLowerCase(java.util.Locale.ROOT).split("\\s+")) {
      String w = raw;
      List<String> trailing = new ArrayList<>();
      while (!w.isEmpty() && ",.?!;:".indexOf(w.charAt(w.length() - 1)) >= 0) {
        trailing.add(0, w.substring(w.length() - 1));
        w = w.substring(0, w.length() - 1);
      }
      if (!w.isEmpty()) {
        out.add(w);
      }
      out.addAll(trailing);
    }
    return out;
  }
}
