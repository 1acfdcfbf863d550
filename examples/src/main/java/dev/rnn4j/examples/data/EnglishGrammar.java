package dev.rnn4j.examples.data;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A small probabilistic grammar that writes English-like prose: the default training text of the character
 * language model. It is generated, not copied, so the project ships no third-party text, and a fixed seed always
 * gives the same text.
 *
 * <p>The grammar has subject-verb agreement (third person singular and plural), adjectives, prepositional phrases,
 * adverbs, a few subordinate clauses and dialogue lines, so that a character model has spelling, word order and
 * punctuation to learn, and there is still plenty of variety for sampling to show.
 */
public final class EnglishGrammar {

  private static final List<String> SINGULAR_NOUNS =
      List.of(
          "fisherman", "child", "teacher", "dog", "cat", "sailor", "baker", "farmer", "king", "queen", "girl", "boy",
          "river", "storm", "garden", "village", "ship", "bird", "horse", "stranger", "doctor", "painter", "wolf",
          "lantern", "letter", "song", "mountain", "window");
  private static final List<String> PLURAL_NOUNS =
      List.of(
          "fishermen", "children", "teachers", "dogs", "cats", "sailors", "bakers", "farmers", "birds", "horses",
          "strangers", "wolves", "neighbours", "soldiers", "travellers", "sisters", "brothers");
  private static final List<String> NAMES =
      List.of("Anna", "Tom", "Maria", "Peter", "Lena", "Omar", "Sofia", "Jonas", "Ravi", "Clara");
  private static final List<String> OBJECTS =
      List.of(
          "the bread", "a letter", "the old map", "the door", "a small boat", "the fire", "the key", "a green apple",
          "the lantern", "a warm coat", "the silver cup", "the last song", "a long story", "the red box",
          "the garden gate", "a basket of fish");
  private static final List<String> ADJECTIVES =
      List.of(
          "old", "young", "quiet", "small", "tired", "happy", "brave", "clever", "kind", "cold", "dark", "bright",
          "little", "strange", "gentle", "proud");
  private static final List<String> PLACES =
      List.of(
          "the river", "the market", "the old bridge", "the forest", "the harbour", "the village", "the hill",
          "the kitchen", "the garden", "the sea", "the church", "the mill", "the school", "the castle");
  private static final List<String> PREPOSITIONS =
      List.of("to", "near", "across", "behind", "through", "along", "towards", "past");
  private static final List<String> ADVERBS =
      List.of(
          "slowly", "quickly", "quietly", "again", "every morning", "at night", "before dawn", "all day", "alone",
          "together", "once more", "in silence");
  // {singular, plural, past} forms.
  private static final List<String[]> MOTION_VERBS =
      List.of(
          new String[] {"walks", "walk", "walked"},
          new String[] {"runs", "run", "ran"},
          new String[] {"goes", "go", "went"},
          new String[] {"rides", "ride", "rode"},
          new String[] {"sails", "sail", "sailed"},
          new String[] {"hurries", "hurry", "hurried"});
  private static final List<String[]> TRANSITIVE_VERBS =
      List.of(
          new String[] {"finds", "find", "found"},
          new String[] {"carries", "carry", "carried"},
          new String[] {"opens", "open", "opened"},
          new String[] {"watches", "watch", "watched"},
          new String[] {"holds", "hold", "held"},
          new String[] {"loves", "love", "loved"},
          new String[] {"brings", "bring", "brought"},
          new String[] {"keeps", "keep", "kept"},
          new String[] {"sees", "see", "saw"},
          new String[] {"wants", "want", "wanted"});
  private static final List<String[]> INTRANSITIVE_VERBS =
      List.of(
          new String[] {"sleeps", "sleep", "slept"},
          new String[] {"sings", "sing", "sang"},
          new String[] {"waits", "wait", "waited"},
          new String[] {"laughs", "laugh", "laughed"},
          new String[] {"listens", "listen", "listened"},
          new String[] {"dreams", "dream", "dreamed"},
          new String[] {"works", "work", "worked"});
  private static final List<String> SAY_OPENINGS =
      List.of("Come with me", "Where is the key", "It is late", "Look at the sky", "I know the way",
          "We must go home", "Listen to the wind", "The water is cold", "Do not be afraid", "Who is there");
  private static final List<String> CONNECTIVES = List.of("and", "but", "so", "while");
  private static final List<String> OPENERS =
      List.of("In the morning", "At night", "One day", "After the storm", "Long ago", "Later", "Then",
          "Every spring", "Before the rain");

  private final RandomGenerator rng;

  public EnglishGrammar(RandomGenerator rng) {
    this.rng = rng;
  }

  /** About {@code chars} characters of text: paragraphs of 3 to 6 sentences separated by blank lines. */
  public String text(int chars) {
    if (chars < 1) {
      throw new IllegalArgumentException("EnglishGrammar.text: chars must be >= 1, got " + chars);
    }
    StringBuilder sb = new StringBuilder(chars + 200);
    while (sb.length() < chars) {
      int sentences = 3 + rng.nextInt(4);
      for (int i = 0; i < sentences; i++) {
        if (i > 0) {
          sb.append(' ');
        }
        sb.append(sentence());
      }
      sb.append("\n\n");
    }
    return sb.toString();
  }

  /** One sentence, capitalised and punctuated. */
  public String sentence() {
    String s;
    int kind = rng.nextInt(10);
    if (kind < 4) {
      s = clause(rng.nextInt(4) == 0) + ".";
    } else if (kind < 6) {
      s = clause(false) + ", " + pick(CONNECTIVES) + " " + clause(false) + ".";
    } else if (kind < 8) {
      s = pick(OPENERS) + ", " + clause(rng.nextBoolean()) + ".";
    } else if (kind < 9) {
      s = "When " + clause(true) + ", " + clause(true) + ".";
    } else {
      String line = pick(SAY_OPENINGS);
      String end = line.startsWith("Where") || line.startsWith("Who") ? "?" : ",";
      s = "\"" + line + end + "\" " + (rng.nextBoolean() ? "said " + subjectName() : "said the " + pick(SINGULAR_NOUNS)) + ".";
    }
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private String clause(boolean past) {
    boolean plural = rng.nextInt(3) == 0;
    String subject = plural ? pluralSubject() : singularSubject();
    int form = past ? 2 : plural ? 1 : 0;
    int kind = rng.nextInt(5);
    String predicate;
    if (kind < 2) {
      predicate = pick(TRANSITIVE_VERBS)[form] + " " + pick(OBJECTS);
      if (rng.nextInt(3) == 0) {
        predicate += " " + pick(PREPOSITIONS.subList(1, 3)) + " " + pick(PLACES);
      }
    } else if (kind < 4) {
      predicate = pick(MOTION_VERBS)[form] + " " + pick(PREPOSITIONS) + " " + pick(PLACES);
    } else {
      predicate = pick(INTRANSITIVE_VERBS)[form];
    }
    if (rng.nextInt(3) == 0) {
      predicate += " " + pick(ADVERBS);
    }
    return subject + " " + predicate;
  }

  private String singularSubject() {
    return switch (rng.nextInt(4)) {
      case 0 -> subjectName();
      case 1 -> "the " + pick(ADJECTIVES) + " " + pick(SINGULAR_NOUNS);
      default -> (rng.nextInt(3) == 0 ? "a " : "the ") + pick(SINGULAR_NOUNS);
    };
  }

  private String pluralSubject() {
    return rng.nextBoolean() ? "the " + pick(PLURAL_NOUNS) : "the " + pick(ADJECTIVES) + " " + pick(PLURAL_NOUNS);
  }

  private String subjectName() {
    return pick(NAMES);
  }

  private <T> T pick(List<T> items) {
    return items.get(rng.nextInt(items.size()));
  }
}
