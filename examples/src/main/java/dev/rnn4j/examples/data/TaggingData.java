package dev.rnn4j.examples.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Toy part-of-speech tagging in which some words are a verb or a noun depending on the words around them: "i love
 * you" (verb) vs "this is love" (noun), "watch the game" (verb, an imperative) vs "watch is broken" (noun).
 * Many sentences start with the ambiguous word, so only the words to its right decide its tag: a left-to-right
 * model has to guess there, a bidirectional one can see.
 */
public final class TaggingData {

  /** A tagged sentence: one tag index per word. */
  public record Sentence(List<String> words, int[] tags) {}

  /** Train and test sentences with the tag names. */
  public record Split(List<String> tagNames, List<Sentence> train, List<Sentence> test) {}

  public static final List<String> TAGS = List.of("DET", "NOUN", "VERB", "PRON", "ADJ", "ADP", "ADV");
  private static final int DET = 0, NOUN = 1, VERB = 2, PRON = 3, ADJ = 4, ADP = 5, ADV = 6;

  /** Words that are both nouns and verbs. */
  public static final List<String> AMBIGUOUS =
      List.of("love", "watch", "play", "walk", "drink", "dance", "fish", "work", "cook", "run", "rain", "call");
  private static final List<String> NOUNS =
      List.of("music", "game", "river", "coffee", "city", "film", "book", "garden", "friend", "dog", "house", "car");
  private static final List<String> VERBS = List.of("see", "know", "need", "like", "eat", "find", "help", "hear");
  private static final List<String> SUBJECTS = List.of("i", "you", "we", "they");
  private static final List<String> OBJECTS = List.of("you", "me", "them", "us", "it");
  private static final List<String> ADJECTIVES =
      List.of("good", "long", "new", "great", "cold", "hard", "slow", "nice", "short", "strange");
  private static final List<String> DETERMINERS = List.of("the", "a", "this", "that", "my", "your");
  private static final List<String> ADVERBS = List.of("now", "today", "again", "often", "slowly", "here");
  private static final List<String> PREPOSITIONS = List.of("with", "in", "near", "after", "for");

  private TaggingData() {}

  /** {@code count} sentences (train and test drawn from the same generator, test the last fraction). */
  public static Split generate(int count, double testFraction, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Sentence> all = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      all.add(sentence(rng));
    }
    int testSize = (int) Math.round(count * testFraction);
    return new Split(TAGS, List.copyOf(all.subList(testSize, count)), List.copyOf(all.subList(0, testSize)));
  }

  /**
   * Sentences from a user's file, one per line as space-separated {@code word/TAG} pairs (blank lines and lines
   * starting with # skipped), shuffled with the seed and split.
   */
  public static Split fromFile(Path file, double testFraction, long seed) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read tagging file " + file, e);
    }
    List<List<String[]>> parsed = new ArrayList<>();
    TreeSet<String> tagSet = new TreeSet<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      List<String[]> pairs = new ArrayList<>();
      for (String item : line.split("\\s+")) {
        int slash = item.lastIndexOf('/');
        if (slash <= 0 || slash == item.length() - 1) {
          throw new IllegalArgumentException(
              "tagging file " + file + " line " + (i + 1) + ": expected word/TAG, got '" + item + "'");
        }
        pairs.add(new String[] {item.substring(0, slash).toLowerCase(java.util.Locale.ROOT), item.substring(slash + 1)});
        tagSet.add(item.substring(slash + 1));
      }
      parsed.add(pairs);
    }
    if (parsed.size() < 10) {
      throw new IllegalArgumentException("tagging file " + file + " needs at least 10 sentences, got " + parsed.size());
    }
    List<String> tags = List.copyOf(tagSet);
    List<Sentence> all = new ArrayList<>();
    for (List<String[]> pairs : parsed) {
      List<String> words = new ArrayList<>();
      int[] t = new int[pairs.size()];
      for (int j = 0; j < t.length; j++) {
        words.add(pairs.get(j)[0]);
        t[j] = tags.indexOf(pairs.get(j)[1]);
      }
      all.add(new Sentence(List.copyOf(words), t));
    }
    Collections.shuffle(all, new Random(seed));
    int testSize = Math.max(1, (int) Math.round(all.size() * testFraction));
    return new Split(tags, List.copyOf(all.subList(testSize, all.size())), List.copyOf(all.subList(0, testSize)));
  }

  /** Words that carry more than one tag in {@code sentences}. */
  public static java.util.Set<String> ambiguousWords(List<Sentence> sentences) {
    Map<String, java.util.Set<Integer>> tagsOf = new HashMap<>();
    for (Sentence s : sentences) {
      for (int i = 0; i < s.tags().length; i++) {
        tagsOf.computeIfAbsent(s.words().get(i), k -> new java.util.HashSet<>()).add(s.tags()[i]);
      }
    }
    java.util.Set<String> out = new java.util.TreeSet<>();
    tagsOf.forEach((w, t) -> {
      if (t.size() > 1) {
        out.add(w);
      }
    });
    return out;
  }

  private static Sentence sentence(SplittableRandom rng) {
    Builder b = new Builder();
    String amb = pick(AMBIGUOUS, rng);
    switch (rng.nextInt(10)) {
      // Sentence-initial ambiguous word: only the right context tells its tag.
      case 0 -> b.add(amb, NOUN).add("is", VERB).add(pick(ADJECTIVES, rng), ADJ);
      case 1 -> b.add(amb, VERB).add(pick(DETERMINERS.subList(0, 2), rng), DET).add(pick(NOUNS, rng), NOUN);
      case 2 -> b.add(amb, NOUN).add("was", VERB).add(pick(ADJECTIVES, rng), ADJ).add(pick(ADVERBS, rng), ADV);
      case 3 -> b.add(amb, VERB).add(pick(PREPOSITIONS, rng), ADP).add(pick(OBJECTS, rng), PRON);
      case 4 -> b.add(amb, VERB).add(pick(OBJECTS, rng), PRON).add(pick(ADVERBS, rng), ADV);
      // Left context decides.
      case 5 -> b.add(pick(SUBJECTS, rng), PRON).add(amb, VERB).add(pick(OBJECTS, rng), PRON);
      case 6 -> b.add("this", DET).add("is", VERB).add(amb, NOUN);
      case 7 -> b.add(pick(DETERMINERS, rng), DET).add(amb, NOUN).add("is", VERB).add(pick(ADJECTIVES, rng), ADJ);
      case 8 -> b.add(pick(SUBJECTS, rng), PRON).add(pick(VERBS, rng), VERB).add(pick(DETERMINERS, rng), DET)
          .add(amb, NOUN);
      default -> b.add(pick(SUBJECTS, rng), PRON).add(amb, VERB).add(pick(PREPOSITIONS, rng), ADP)
          .add(pick(DETERMINERS, rng), DET).add(pick(NOUNS, rng), NOUN);
    }
    return b.build();
  }

  private static <T> T pick(List<T> items, SplittableRandom rng) {
    return items.get(rng.nextInt(items.size()));
  }

  private static final class Builder {
    final List<String> words = new ArrayList<>();
    final List<Integer> tags = new ArrayList<>();

    Builder add(String word, int tag) {
      words.add(word);
      tags.add(tag);
      return this;
    }

    Sentence build() {
      return new Sentence(List.copyOf(words), tags.stream().mapToInt(Integer::intValue).toArray());
    }
  }
}
