package dev.rnn4j.examples.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Short utterances labelled with an intent, written from templates by a seeded generator. The intents overlap in
 * vocabulary on purpose ("what time is it" / "what is the weather at noon" / "set an alarm for noon") so that
 * the classifier must read the whole utterance, and their frequencies differ so that the majority-class baseline
 * is a real bar.
 */
public final class IntentData {

  /** One utterance and its intent index. */
  public record Example(String text, List<String> tokens, int label) {}

  /** Train and test examples with the intent names. */
  public record Split(List<String> intents, List<Example> train, List<Example> test) {}

  private static final String[] TIMES = {
    "seven", "eight", "nine", "six thirty", "noon", "midnight", "ten", "five fifteen", "7", "8 am", "6:30"
  };
  private static final String[] DAYS = {"today", "tomorrow", "tonight", "this weekend", "on monday", "on friday"};
  private static final String[] CITIES = {"london", "paris", "tokyo", "berlin", "madrid", "the city", "here"};
  private static final String[] ARTISTS = {"the beatles", "some jazz", "miles davis", "rock music", "my playlist",
      "something relaxing", "the radio", "classical music", "a song"};
  private static final String[] POLITE = {"", "", "", "please ", "hey, ", "um, ", "ok, "};

  private static final String[][] TEMPLATES = {
    // ask-time
    {"what time is it?", "what's the time?", "tell me the time", "do you know what time it is?",
      "what time is it now?", "time please", "how late is it?", "what is the time in {city}?",
      "what hour is it?", "can you tell me the time?"},
    // ask-weather
    {"what's the weather {day}?", "is it going to rain {day}?", "will it be sunny {day}?",
      "how cold is it in {city}?", "what is the weather like in {city}?", "do i need an umbrella {day}?",
      "is it raining in {city}?", "what's the forecast for {city}?", "how hot will it be {day}?",
      "will it snow {day}?", "what is the weather at {time}?"},
    // set-alarm
    {"set an alarm for {time}", "wake me up at {time}", "set my alarm to {time} {day}",
      "i need an alarm at {time}", "alarm at {time} please", "can you wake me at {time}?",
      "create an alarm for {time} {day}", "remind me to get up at {time}"},
    // play-music
    {"play {artist}", "put on {artist}", "i want to hear {artist}", "can you play {artist}?",
      "play {artist} in the kitchen", "start {artist}", "let's listen to {artist}", "turn on {artist}"},
    // greeting
    {"hello", "hi there", "good morning", "hey", "good evening", "hi, how are you?", "hello, nice to meet you",
      "good afternoon", "hey, what's up?", "morning!"},
    // thanks
    {"thanks", "thank you", "thank you very much", "thanks a lot", "great, thanks!", "that's helpful, thank you",
      "cheers", "much appreciated"},
  };
  private static final List<String> INTENTS =
      List.of("ask-time", "ask-weather", "set-alarm", "play-music", "greeting", "thanks");
  // Relative frequencies: the weather is asked about most, so the majority class is ask-weather.
  private static final double[] WEIGHTS = {0.18, 0.30, 0.18, 0.16, 0.10, 0.08};

  private IntentData() {}

  /**
   * {@code count} distinct utterances (fewer if the templates cannot produce so many), shuffled and split so that
   * {@code testFraction} of them are held out; no test utterance occurs in training.
   */
  public static Split generate(int count, double testFraction, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    Set<String> seen = new LinkedHashSet<>();
    List<Example> all = new ArrayList<>();
    int attempts = 0;
    while (all.size() < count && attempts++ < count * 50) {
      int label = sample(rng);
      String[] templates = TEMPLATES[label];
      String text = POLITE[rng.nextInt(POLITE.length)] + fill(templates[rng.nextInt(templates.length)], rng);
      if (seen.add(text)) {
        all.add(new Example(text, WordVocab.tokenize(text), label));
      }
    }
    Collections.shuffle(all, new Random(seed));
    int testSize = (int) Math.round(all.size() * testFraction);
    return new Split(INTENTS, List.copyOf(all.subList(testSize, all.size())), List.copyOf(all.subList(0, testSize)));
  }

  /**
   * Utterances from a user's file, one per line as {@code intent<TAB>text} (blank lines and lines starting with #
   * are skipped), split like {@link #generate}.
   */
  public static Split fromFile(Path file, double testFraction, long seed) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read intent file " + file, e);
    }
    List<String[]> rows = new ArrayList<>();
    TreeSet<String> names = new TreeSet<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int tab = line.indexOf('\t');
      if (tab <= 0 || tab == line.length() - 1) {
        throw new IllegalArgumentException(
            "intent file " + file + " line " + (i + 1) + ": expected 'intent<TAB>text', got: " + line);
      }
      rows.add(new String[] {line.substring(0, tab).strip(), line.substring(tab + 1).strip()});
      names.add(line.substring(0, tab).strip());
    }
    if (names.size() < 2 || rows.size() < 10) {
      throw new IllegalArgumentException(
          "intent file " + file + " needs at least 2 intents and 10 lines, got " + names.size() + " and "
              + rows.size());
    }
    List<String> intents = List.copyOf(names);
    List<Example> all = new ArrayList<>();
    for (String[] r : rows) {
      all.add(new Example(r[1], WordVocab.tokenize(r[1]), intents.indexOf(r[0])));
    }
    Collections.shuffle(all, new Random(seed));
    int testSize = Math.max(1, (int) Math.round(all.size() * testFraction));
    return new Split(intents, List.copyOf(all.subList(testSize, all.size())), List.copyOf(all.subList(0, testSize)));
  }

  /** The intent most frequent in {@code train}. */
  public static int majorityLabel(List<Example> train, int classes) {
    int[] counts = new int[classes];
    for (Example e : train) {
      counts[e.label()]++;
    }
    int best = 0;
    for (int c = 1; c < classes; c++) {
      if (counts[c] > counts[best]) {
        best = c;
      }
    }
    return best;
  }

  private static int sample(SplittableRandom rng) {
    double u = rng.nextDouble();
    for (int i = 0; i < WEIGHTS.length - 1; i++) {
      u -= WEIGHTS[i];
      if (u < 0) {
        return i;
      }
    }
    return WEIGHTS.length - 1;
  }

  private static String fill(String template, SplittableRandom rng) {
    return template
        .replace("{time}", TIMES[rng.nextInt(TIMES.length)])
        .replace("{day}", DAYS[rng.nextInt(DAYS.length)])
        .replace("{city}", CITIES[rng.nextInt(CITIES.length)])
        .replace("{artist}", ARTISTS[rng.nextInt(ARTISTS.length)]);
  }
}
