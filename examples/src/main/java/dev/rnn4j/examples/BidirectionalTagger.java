package dev.rnn4j.examples;

import dev.rnn4j.autograd.NoGrad;
import dev.rnn4j.autograd.Ops;
import dev.rnn4j.examples.data.TaggingData;
import dev.rnn4j.examples.data.WordVocab;
import dev.rnn4j.examples.support.Batches;
import dev.rnn4j.examples.support.Charts;
import dev.rnn4j.examples.support.CommonOptions;
import dev.rnn4j.examples.support.KernelBanner;
import dev.rnn4j.examples.support.OptionChecks;
import dev.rnn4j.nn.Linear;
import dev.rnn4j.examples.support.TrainingProgress;
import dev.rnn4j.nn.Embedding;
import dev.rnn4j.nn.Module;
import dev.rnn4j.nn.recurrent.LSTM;
import dev.rnn4j.nn.recurrent.RecurrentOptions;
import dev.rnn4j.optim.Adam;
import dev.rnn4j.tensor.Tensor;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Many-to-many: one part-of-speech tag per word. In this toy language "love", "watch", "play" and others are verbs
 * or nouns depending on their neighbours ("i love you" vs "this is love"), and many sentences start with such a word,
 * so that only the words after it decide ("love is blind" vs "love the music"). A left-to-right LSTM has not seen
 * those words yet when it tags the first one; a bidirectional LSTM has. Both are trained identically and compared.
 */
// try-with-resources on a NoGrad scope never names the resource: that is the point of the scope.
@SuppressWarnings("try")
@Command(
    name = "BidirectionalTagger",
    mixinStandardHelpOptions = true,
    version = "rnn4j examples 0.1.0-SNAPSHOT",
    description = "Toy part-of-speech tagging: a BiLSTM against a left-to-right LSTM on words that are nouns or verbs by context.")
public final class BidirectionalTagger implements Callable<Integer> {

  /** Model size and training length. */
  public record Config(int embedding, int hidden, int batch, int steps, double learningRate, long seed) {
    public static Config full(long seed) {
      return new Config(24, 48, 32, 400, 1e-2, seed);
    }

    public static Config quick(long seed) {
      return new Config(16, 24, 32, 150, 2e-2, seed);
    }

    public Config withSteps(int newSteps) {
      return new Config(embedding, hidden, batch, newSteps, learningRate, seed);
    }
  }

  /** Token accuracies on the held-out sentences: all words, and the words with more than one tag in training. */
  public record Scores(double overall, double ambiguous) {}

  /** One trained model's losses and scores. */
  public record Result(Model model, double[] losses, Scores scores) {}

  /** Both models and the two baselines. */
  public record Comparison(Result bidirectional, Result unidirectional, Scores majorityTag, Scores wordMajority,
      Set<String> ambiguousWords, WordVocab vocab) {}

  /** Embedding -> (Bi)LSTM -> linear layer to one logit per tag, at every step. */
  public static final class Model extends Module {
    private final Embedding embedding;
    private final LSTM lstm;
    private final Linear tagger;
    private final int width;

    public Model(boolean bidirectional, int vocab, int embeddingSize, int hidden, int tags, SplittableRandom rng) {
      embedding = registerModule("embedding", new Embedding(vocab, embeddingSize, rng));
      lstm = registerModule("lstm",
          new LSTM(new RecurrentOptions(embeddingSize, hidden).bidirectional(bidirectional).seed(rng.nextLong())));
      width = bidirectional ? 2 * hidden : hidden;
      tagger = registerModule("tagger", new Linear(width, tags, rng));
    }

    /** Logits [T*B, tags], row t*B + b. */
    public Tensor forward(Batches.Padded batch) {
      Tensor x = embedding.forward(batch.tokens(), batch.steps(), batch.batch());
      Tensor out = lstm.forward(x, null, null, batch.lengths()).output();
      return tagger.forward(out.reshape(batch.steps() * batch.batch(), width));
    }
  }

  @Mixin CommonOptions common;

  @Option(names = "--data", paramLabel = "FILE", description = "Your own data: one sentence per line as word/TAG pairs.")
  Path dataFile;

  public static void main(String[] args) {
    System.exit(new CommandLine(new BidirectionalTagger()).execute(args));
  }

  @Override
  public Integer call() {
    OptionChecks checks = common.validate("BidirectionalTagger");
    Config base = common.quick() ? Config.quick(common.seed()) : Config.full(common.seed());
    Config cfg = base.withSteps(common.steps(base.steps(), base.steps()));
    TaggingData.Split split = dataFile != null
        ? checks.read("--data", dataFile, f -> TaggingData.fromFile(f, 0.2, common.seed()))
        : TaggingData.generate(2000, 0.2, common.seed());
    PrintStream out = System.out;
    KernelBanner.print(out, "Bidirectional tagger (many-to-many)");
    out.printf(Locale.ROOT, "%d training and %d held-out sentences; tags %s%n", split.train().size(),
        split.test().size(), split.tagNames());
    for (int i = 0; i < Math.min(4, split.train().size()); i++) {
      out.println("  " + format(split.train().get(i).words(), split.train().get(i).tags(), split.tagNames()));
    }
    Comparison c = compare(split, cfg, (task, total) -> TrainingProgress.create(common, task, total, out));
    out.println("ambiguous words (more than one tag in training): " + c.ambiguousWords());
    out.println("held-out token accuracy        all words   ambiguous words");
    row(out, "majority tag everywhere", c.majorityTag());
    row(out, "most frequent tag of the word", c.wordMajority());
    row(out, "left-to-right LSTM", c.unidirectional().scores());
    row(out, "bidirectional LSTM", c.bidirectional().scores());
    List<List<String>> demo = List.of(List.of("i", "love", "you"), List.of("this", "is", "love"),
        List.of("love", "is", "strange"), List.of("love", "the", "music"), List.of("watch", "the", "game"),
        List.of("my", "watch", "is", "slow"));
    out.println("tags of a few sentences (BiLSTM | LSTM):");
    for (List<String> s : demo) {
      int[] bi = tag(c.bidirectional().model(), c.vocab(), s);
      int[] uni = tag(c.unidirectional().model(), c.vocab(), s);
      out.printf(Locale.ROOT, "  %-34s | %s%n", format(s, bi, split.tagNames()), format(s, uni, split.tagNames()));
    }
    Path dir = common.outputDir("BidirectionalTagger");
    int half = Charts.smoothingHalfWidth(cfg.steps());
    Path png = Charts.line(dir.resolve("loss.png"),
        "Tagger: training loss (centred moving average over " + (2 * half + 1) + " steps)", "training step", "loss",
        false, List.of(Charts.Series.indexed("BiLSTM", Charts.centredMovingAverage(c.bidirectional().losses(), half)),
            Charts.Series.indexed("LSTM (left to right)",
                Charts.centredMovingAverage(c.unidirectional().losses(), half))));
    out.println("loss curves: " + png.toAbsolutePath());
    return 0;
  }

  /** Trains a bidirectional and a left-to-right model with the same configuration and scores both. */
  public static Comparison compare(TaggingData.Split split, Config cfg, TrainingProgress.Factory progress) {
    List<List<String>> sentences = new ArrayList<>();
    split.train().forEach(s -> sentences.add(s.words()));
    WordVocab vocab = WordVocab.of(sentences);
    Set<String> ambiguous = TaggingData.ambiguousWords(split.train());
    Result biResult;
    try (TrainingProgress p = progress.open("BiLSTM", cfg.steps())) {
      biResult = train(split, vocab, true, cfg, ambiguous, p.listener());
    }
    Result uniResult;
    try (TrainingProgress p = progress.open("LSTM  ", cfg.steps())) {
      uniResult = train(split, vocab, false, cfg, ambiguous, p.listener());
    }
    return new Comparison(biResult, uniResult, majorityTagBaseline(split, ambiguous),
        wordMajorityBaseline(split, ambiguous), ambiguous, vocab);
  }

  /** Trains one model and scores it on {@code split.test()}. */
  public static Result train(TaggingData.Split split, WordVocab vocab, boolean bidirectional, Config cfg,
      Set<String> ambiguous, TrainingProgress.Listener listener) {
    SplittableRandom rng = new SplittableRandom(cfg.seed());
    Model model = new Model(bidirectional, vocab.size(), cfg.embedding(), cfg.hidden(), split.tagNames().size(), rng.split());
    Adam adam = new Adam(model.parameters(), cfg.learningRate());
    double[] losses = new double[cfg.steps()];
    for (int step = 0; step < cfg.steps(); step++) {
      List<int[]> seqs = new ArrayList<>();
      List<int[]> tags = new ArrayList<>();
      for (int b = 0; b < cfg.batch(); b++) {
        TaggingData.Sentence s = split.train().get(rng.nextInt(split.train().size()));
        seqs.add(vocab.encode(s.words()));
        tags.add(s.tags());
      }
      Batches.Padded batch = Batches.pad(seqs);
      model.zeroGrad();
      Tensor loss = Ops.crossEntropy(model.forward(batch), targets(batch, tags), Ops.DEFAULT_IGNORE_INDEX);
      loss.backward();
      adam.step();
      losses[step] = loss.item();
      listener.step(step + 1, losses[step]);
    }
    return new Result(model, losses, score(split.test(), ambiguous, s -> tag(model, vocab, s.words())));
  }

  /** Targets in the batch's time-major order, with the ignore index past each sentence's end. */
  static int[] targets(Batches.Padded batch, List<int[]> tags) {
    int[] out = new int[batch.steps() * batch.batch()];
    java.util.Arrays.fill(out, Ops.DEFAULT_IGNORE_INDEX);
    for (int b = 0; b < batch.batch(); b++) {
      int[] t = tags.get(b);
      for (int i = 0; i < t.length; i++) {
        out[i * batch.batch() + b] = t[i];
      }
    }
    return out;
  }

  /** The most likely tag of every word of {@code words}. */
  public static int[] tag(Model model, WordVocab vocab, List<String> words) {
    try (NoGrad ignored = NoGrad.enter()) {
      Tensor logits = model.forward(Batches.pad(List.of(vocab.encode(words))));
      int[] out = new int[words.size()];
      for (int t = 0; t < out.length; t++) {
        for (int j = 1; j < logits.size(1); j++) {
          if (logits.get(t, j) > logits.get(t, out[t])) {
            out[t] = j;
          }
        }
      }
      return out;
    }
  }

  static Scores score(List<TaggingData.Sentence> test, Set<String> ambiguous,
      java.util.function.Function<TaggingData.Sentence, int[]> tagger) {
    int all = 0;
    int allRight = 0;
    int amb = 0;
    int ambRight = 0;
    for (TaggingData.Sentence s : test) {
      int[] predicted = tagger.apply(s);
      for (int i = 0; i < predicted.length; i++) {
        boolean right = predicted[i] == s.tags()[i];
        all++;
        allRight += right ? 1 : 0;
        if (ambiguous.contains(s.words().get(i))) {
          amb++;
          ambRight += right ? 1 : 0;
        }
      }
    }
    return new Scores((double) allRight / all, amb == 0 ? Double.NaN : (double) ambRight / amb);
  }

  /** Always the tag most frequent in training. */
  static Scores majorityTagBaseline(TaggingData.Split split, Set<String> ambiguous) {
    int[] counts = new int[split.tagNames().size()];
    split.train().forEach(s -> {
      for (int t : s.tags()) {
        counts[t]++;
      }
    });
    int best = 0;
    for (int t = 1; t < counts.length; t++) {
      best = counts[t] > counts[best] ? t : best;
    }
    int majority = best;
    return score(split.test(), ambiguous, s -> {
      int[] out = new int[s.tags().length];
      java.util.Arrays.fill(out, majority);
      return out;
    });
  }

  /** Each word's most frequent tag in training (the overall majority tag for unseen words): context-free tagging. */
  static Scores wordMajorityBaseline(TaggingData.Split split, Set<String> ambiguous) {
    Map<String, int[]> counts = new HashMap<>();
    int[] overall = new int[split.tagNames().size()];
    for (TaggingData.Sentence s : split.train()) {
      for (int i = 0; i < s.tags().length; i++) {
        counts.computeIfAbsent(s.words().get(i), w -> new int[split.tagNames().size()])[s.tags()[i]]++;
        overall[s.tags()[i]]++;
      }
    }
    return score(split.test(), ambiguous, s -> {
      int[] out = new int[s.tags().length];
      for (int i = 0; i < out.length; i++) {
        int[] c = counts.getOrDefault(s.words().get(i), overall);
        for (int t = 1; t < c.length; t++) {
          out[i] = c[t] > c[out[i]] ? t : out[i];
        }
      }
      return out;
    });
  }

  private static void row(PrintStream out, String name, Scores s) {
    out.printf(Locale.ROOT, "  %-30s %7.1f%%   %7.1f%%%n", name, 100 * s.overall(), 100 * s.ambiguous());
  }

  private static String format(List<String> words, int[] tags, List<String> names) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < words.size(); i++) {
      sb.append(i == 0 ? "" : " ").append(words.get(i)).append('/').append(names.get(tags[i]));
    }
    return sb.toString();
  }
}
