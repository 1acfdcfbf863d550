package dev.rnn4j.examples;

import dev.rnn4j.autograd.NoGrad;
import dev.rnn4j.autograd.Ops;
import dev.rnn4j.examples.data.DigitWordsData;
import dev.rnn4j.examples.support.Batches;
import dev.rnn4j.examples.support.Charts;
import dev.rnn4j.examples.support.CommonOptions;
import dev.rnn4j.examples.support.KernelBanner;
import dev.rnn4j.examples.support.OptionChecks;
import dev.rnn4j.nn.Linear;
import dev.rnn4j.examples.support.TrainingProgress;
import dev.rnn4j.nn.Embedding;
import dev.rnn4j.nn.Module;
import dev.rnn4j.nn.recurrent.GRU;
import dev.rnn4j.nn.recurrent.RecurrentOptions;
import dev.rnn4j.nn.recurrent.RecurrentOutput;
import dev.rnn4j.optim.Adam;
import dev.rnn4j.tensor.Tensor;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
 * Sequence to sequence: a GRU encoder reads "four two seven" character by character; its final state starts a GRU
 * decoder that writes "427" digit by digit. Training uses teacher forcing (the decoder reads the true previous
 * digit); evaluation decodes greedily (the decoder reads its own previous output) on phrases never seen in
 * training and counts exact matches.
 */
// try-with-resources on a NoGrad scope never names the resource: that is the point of the scope.
@SuppressWarnings("try")
@Command(
    name = "Seq2Seq",
    mixinStandardHelpOptions = true,
    version = "rnn4j examples 0.1.0-SNAPSHOT",
    description = "GRU encoder-decoder translating digit words to digits (\"four two seven\" -> 427).")
public final class Seq2Seq implements Callable<Integer> {

  /** Model size, data size and training length. */
  public record Config(int embedding, int hidden, int maxDigits, int trainPairs, int batch, int steps,
      double learningRate, long seed) {
    public static Config full(long seed) {
      return new Config(16, 96, 5, 4000, 32, 700, 8e-3, seed);
    }

    public static Config quick(long seed) {
      return new Config(12, 64, 3, 600, 32, 300, 1e-2, seed);
    }

    public Config withSteps(int newSteps) {
      return new Config(embedding, hidden, maxDigits, trainPairs, batch, newSteps, learningRate, seed);
    }
  }

  /** Exact-match and per-digit accuracy on held-out phrases, and the exact-match of the trivial baseline. */
  public record Result(Model model, double[] losses, double exactMatch, double digitAccuracy,
      double baselineExactMatch, double baselineDigitAccuracy, String baselineOutput, List<DigitWordsData.Pair> test, List<String> outputs) {}

  /** Encoder GRU over source characters, decoder GRU over target digits, linear read-out of the next digit. */
  public static final class Model extends Module {
    private final Embedding sourceEmbedding;
    private final Embedding targetEmbedding;
    private final GRU encoder;
    private final GRU decoder;
    private final Linear readout;
    private final int hidden;

    public Model(int embeddingSize, int hidden, SplittableRandom rng) {
      this.hidden = hidden;
      sourceEmbedding = registerModule("source_embedding", new Embedding(DigitWordsData.SOURCE_CHARS.length(), embeddingSize, rng));
      targetEmbedding = registerModule("target_embedding", new Embedding(DigitWordsData.TARGET_CHARS.length(), embeddingSize, rng));
      encoder = registerModule("encoder", new GRU(new RecurrentOptions(embeddingSize, hidden).seed(rng.nextLong())));
      decoder = registerModule("decoder", new GRU(new RecurrentOptions(embeddingSize, hidden).seed(rng.nextLong())));
      readout = registerModule("readout", new Linear(hidden, DigitWordsData.TARGET_CHARS.length(), rng));
    }

    /** The encoder's final state [1, B, H] (at each source's own last character). */
    public Tensor encode(Batches.Padded source) {
      Tensor x = sourceEmbedding.forward(source.tokens(), source.steps(), source.batch());
      return encoder.forward(x, null, null, source.lengths()).hN();
    }

    /** Decoder logits [T*B, V] for time-major target inputs [T, B], and the decoder's final state. */
    public RecurrentOutput decode(int[] inputs, int steps, int batch, Tensor h0) {
      Tensor x = targetEmbedding.forward(inputs, steps, batch);
      RecurrentOutput r = decoder.forward(x, h0, null, null);
      return new RecurrentOutput(readout.forward(r.output().reshape(steps * batch, hidden)), r.hN(), null);
    }
  }

  @Mixin CommonOptions common;

  @Option(names = "--translate", paramLabel = "WORDS", description = "Translate this phrase after training (repeatable), e.g. \"nine one one\".")
  List<String> phrases = new ArrayList<>();

  /** The most words a --translate phrase may have. */
  static final int MAX_WORDS = 50;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Seq2Seq()).execute(args));
  }

  @Override
  public Integer call() {
    OptionChecks checks = common.validate("Seq2Seq");
    Config base = common.quick() ? Config.quick(common.seed()) : Config.full(common.seed());
    Config cfg = base.withSteps(common.steps(base.steps(), base.steps()));
    List<String> normalised = new ArrayList<>();
    int longest = cfg.maxDigits();
    for (String p : phrases) {
      try {
        normalised.add(DigitWordsData.normalise(p));
      } catch (IllegalArgumentException e) {
        throw checks.error("--translate", "\"" + p + "\": " + e.getMessage());
      }
      int words = normalised.get(normalised.size() - 1).split(" ").length;
      if (words > MAX_WORDS) {
        throw checks.error("--translate", "\"" + p + "\" has " + words + " words; at most " + MAX_WORDS);
      }
      longest = Math.max(longest, words);
    }
    PrintStream out = System.out;
    KernelBanner.print(out, "Sequence to sequence: digit words -> digits");
    out.printf(Locale.ROOT, "%d training phrases of 1 to %d digit words; GRU encoder and decoder, hidden %d%n",
        cfg.trainPairs(), cfg.maxDigits(), cfg.hidden());
    Result r;
    double seconds;
    try (TrainingProgress progress = TrainingProgress.create(common, "training", cfg.steps(), out)) {
      r = train(cfg, progress.listener());
      seconds = progress.elapsedSeconds();
    }
    out.printf(Locale.ROOT, "trained in %.1f s%n", seconds);
    out.printf(Locale.ROOT, "held-out exact match: %.1f%% of %d phrases (per digit: %.1f%%)%n", 100 * r.exactMatch(),
        r.test().size(), 100 * r.digitAccuracy());
    out.printf(Locale.ROOT, "trivial baseline (always \"%s\", the most frequent length of the most frequent digit): %.1f%% (per digit: %.1f%%)%n",
        r.baselineOutput(), 100 * r.baselineExactMatch(), 100 * r.baselineDigitAccuracy());
    out.println("greedy translations of held-out phrases:");
    for (int i = 0; i < Math.min(8, r.test().size()); i++) {
      DigitWordsData.Pair p = r.test().get(i);
      String o = r.outputs().get(i);
      out.printf(Locale.ROOT, "  %-36s -> %-6s %s%n", "\"" + p.source() + "\"", o, o.equals(p.target()) ? "ok" : "(expected " + p.target() + ")");
    }
    if (!normalised.isEmpty()) {
      out.println("your phrases (trained on 1 to " + cfg.maxDigits() + " words):");
      List<String> outputs = translate(r.model(), normalised, longest + 3);
      for (int i = 0; i < normalised.size(); i++) {
        out.printf(Locale.ROOT, "  %-36s -> %s%n", "\"" + normalised.get(i) + "\"", outputs.get(i));
      }
    }
    Path dir = common.outputDir("Seq2Seq");
    out.println("loss curve: " + Charts.lossCurve(dir.resolve("loss.png"), "Seq2Seq: training loss (teacher forcing)", r.losses())
        .toAbsolutePath());
    return 0;
  }

  /** Trains on generated pairs and evaluates greedy decoding on 500 phrases not in the training set. */
  public static Result train(Config cfg, TrainingProgress.Listener listener) {
    List<DigitWordsData.Pair> train = DigitWordsData.generate(cfg.trainPairs(), cfg.maxDigits(), cfg.seed(), Set.of());
    Set<String> seen = new HashSet<>();
    train.forEach(p -> seen.add(p.source()));
    List<DigitWordsData.Pair> test = DigitWordsData.generate(500, cfg.maxDigits(), cfg.seed() + 1, seen);
    SplittableRandom rng = new SplittableRandom(cfg.seed());
    Model model = new Model(cfg.embedding(), cfg.hidden(), rng.split());
    Adam adam = new Adam(model.parameters(), cfg.learningRate());
    double[] losses = new double[cfg.steps()];
    int b = cfg.batch();
    for (int step = 0; step < cfg.steps(); step++) {
      List<int[]> sources = new ArrayList<>();
      List<int[]> targets = new ArrayList<>();
      int steps = 0;
      for (int j = 0; j < b; j++) {
        DigitWordsData.Pair p = train.get(rng.nextInt(train.size()));
        sources.add(DigitWordsData.encodeSource(p.source()));
        int[] t = DigitWordsData.encodeTarget(p.target());
        targets.add(t);
        steps = Math.max(steps, t.length);
      }
      // Teacher forcing: the decoder reads START then the true digits, and predicts the digits then END.
      int[] decoderIn = new int[steps * b];
      int[] decoderOut = new int[steps * b];
      java.util.Arrays.fill(decoderOut, Ops.DEFAULT_IGNORE_INDEX);
      for (int j = 0; j < b; j++) {
        int[] t = targets.get(j);
        for (int i = 0; i < t.length; i++) {
          decoderIn[i * b + j] = i == 0 ? DigitWordsData.START : t[i - 1];
          decoderOut[i * b + j] = t[i];
        }
      }
      model.zeroGrad();
      Tensor h = model.encode(Batches.pad(sources));
      Tensor logits = model.decode(decoderIn, steps, b, h).output();
      Tensor loss = Ops.crossEntropy(logits, decoderOut, Ops.DEFAULT_IGNORE_INDEX);
      loss.backward();
      adam.step();
      losses[step] = loss.item();
      listener.step(step + 1, losses[step]);
    }
    List<String> sourcesOfTest = new ArrayList<>();
    test.forEach(p -> sourcesOfTest.add(p.source()));
    List<String> outputs = translate(model, sourcesOfTest, cfg.maxDigits() + 3);
    int exact = 0;
    int digitsRight = 0;
    int digits = 0;
    for (int i = 0; i < test.size(); i++) {
      String want = test.get(i).target();
      String got = outputs.get(i);
      exact += want.equals(got) ? 1 : 0;
      for (int k = 0; k < want.length(); k++) {
        digits++;
        digitsRight += k < got.length() && got.charAt(k) == want.charAt(k) ? 1 : 0;
      }
    }
    // Trivial baseline: no reading at all, always the most frequent answer length filled with the most frequent
    // digit of the training answers.
    Map<Integer, Integer> lengthCounts = new HashMap<>();
    int[] digitCounts = new int[10];
    for (DigitWordsData.Pair p : train) {
      lengthCounts.merge(p.target().length(), 1, Integer::sum);
      p.target().chars().forEach(ch -> digitCounts[ch - '0']++);
    }
    int commonLength = lengthCounts.entrySet().stream()
        .max(Map.Entry.<Integer, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey())).orElseThrow().getKey();
    int commonDigit = 0;
    for (int d = 1; d < 10; d++) {
      commonDigit = digitCounts[d] > digitCounts[commonDigit] ? d : commonDigit;
    }
    String mostFrequent = String.valueOf((char) ('0' + commonDigit)).repeat(commonLength);
    long baseline = test.stream().filter(p -> p.target().equals(mostFrequent)).count();
    int baselineDigits = 0;
    for (DigitWordsData.Pair p : test) {
      for (int k = 0; k < p.target().length(); k++) {
        baselineDigits += k < mostFrequent.length() && mostFrequent.charAt(k) == p.target().charAt(k) ? 1 : 0;
      }
    }
    return new Result(model, losses, (double) exact / test.size(), (double) digitsRight / digits,
        (double) baseline / test.size(), (double) baselineDigits / digits, mostFrequent, test, outputs);
  }

  /** Greedy decoding of every phrase, at most {@code maxLength} digits each. */
  public static List<String> translate(Model model, List<String> phrases, int maxLength) {
    List<int[]> sources = new ArrayList<>();
    for (String p : phrases) {
      sources.add(DigitWordsData.encodeSource(p.strip().toLowerCase(Locale.ROOT)));
    }
    int b = phrases.size();
    StringBuilder[] outs = new StringBuilder[b];
    boolean[] done = new boolean[b];
    for (int j = 0; j < b; j++) {
      outs[j] = new StringBuilder();
    }
    try (NoGrad ignored = NoGrad.enter()) {
      Tensor h = model.encode(Batches.pad(sources));
      int[] previous = new int[b];
      java.util.Arrays.fill(previous, DigitWordsData.START);
      for (int step = 0; step < maxLength + 1; step++) {
        RecurrentOutput r = model.decode(previous, 1, b, h);
        h = r.hN();
        Tensor logits = r.output();
        for (int j = 0; j < b; j++) {
          int best = 0;
          for (int v = 1; v < logits.size(1); v++) {
            best = logits.get(j, v) > logits.get(j, best) ? v : best;
          }
          previous[j] = best;
          if (!done[j]) {
            if (best == DigitWordsData.END || best == DigitWordsData.START) {
              done[j] = true;
            } else {
              outs[j].append(DigitWordsData.TARGET_CHARS.charAt(best));
            }
          }
        }
      }
    }
    List<String> result = new ArrayList<>();
    for (StringBuilder sb : outs) {
      result.add(sb.toString());
    }
    return result;
  }
}
