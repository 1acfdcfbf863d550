package dev.rnn4j.examples;

import dev.rnn4j.autograd.NoGrad;
import dev.rnn4j.autograd.Ops;
import dev.rnn4j.examples.data.CharVocab;
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
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The smallest character model, the one RNN primers start with: learn the word "namaskar" and predict its 8th
 * letter from the first 7. The letter 'a' occurs three times and is followed by 'm', 's' and 'r': a model that only
 * looks at the current letter cannot tell which, so the recurrent state has to remember how far into the word it is.
 */
// try-with-resources on a NoGrad scope never names the resource: that is the point of the scope.
@SuppressWarnings("try")
@Command(
    name = "Namaskar",
    mixinStandardHelpOptions = true,
    version = "rnn4j examples 0.1.0-SNAPSHOT",
    description = "Learns the word \"namaskar\" and predicts its 8th letter from the first 7.")
public final class Namaskar implements Callable<Integer> {

  /** Sizes and training length. */
  public record Config(int embedding, int hidden, int steps, double learningRate, long seed) {
    public static Config defaults(long seed) {
      return new Config(8, 16, 150, 0.03, seed);
    }
  }

  /** The trained model, the per-step losses and the predicted 8th letter with its probability. */
  public record Result(Model model, CharVocab vocab, double[] losses, char predicted, double probability) {}

  /** Embedding -> LSTM -> read-out. */
  public static final class Model extends Module {
    private final Embedding embedding;
    private final LSTM lstm;
    private final Linear readout;
    private final int hidden;

    public Model(int vocab, int embeddingSize, int hidden, SplittableRandom rng) {
      this.hidden = hidden;
      embedding = registerModule("embedding", new Embedding(vocab, embeddingSize, rng));
      lstm = registerModule("lstm", new LSTM(new RecurrentOptions(embeddingSize, hidden).seed(rng.nextLong())));
      readout = registerModule("readout", new Linear(hidden, vocab, rng));
    }

    /** Logits [T, V] for a single sequence of T letters: row t predicts letter t + 1. */
    public Tensor forward(int[] letters) {
      Tensor x = embedding.forward(letters, letters.length, 1);
      return readout.forward(lstm.forward(x).output().reshape(letters.length, hidden));
    }
  }

  public static final String WORD = "namaskar";

  @Mixin CommonOptions common;

  @Option(names = "--word", defaultValue = WORD, description = "The word to learn; the model predicts its last letter (default: ${DEFAULT-VALUE}).")
  String word;

  /** The longest word accepted: one sequence, trained whole at every step. */
  static final int MAX_WORD = 1000;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Namaskar()).execute(args));
  }

  @Override
  public Integer call() {
    OptionChecks checks = common.validate("Namaskar");
    if (word.length() < 2 || word.length() > MAX_WORD) {
      throw checks.error("--word", "needs 2 to " + MAX_WORD + " letters, got \"" + word + "\" (" + word.length() + ")");
    }
    Config base = Config.defaults(common.seed());
    Config cfg = new Config(base.embedding(), base.hidden(), common.steps(base.steps(), base.steps()),
        base.learningRate(), base.seed());
    PrintStream out = System.out;
    KernelBanner.print(out, word.equals(WORD) ? "Namaskar: predict the 8th letter from the first 7"
        : "Namaskar: predict the last letter of \"" + word + "\" from the others");
    Result r = train(word, cfg, TrainingProgress.lines(null, cfg.steps()).listener());
    out.printf(Locale.ROOT, "trained %d steps; final loss %.4f%n", cfg.steps(), r.losses()[cfg.steps() - 1]);
    String prefix = word.substring(0, word.length() - 1);
    out.println("next-letter predictions along the word:");
    String predictions = predictAll(r.model(), r.vocab(), prefix);
    for (int t = 0; t < prefix.length(); t++) {
      out.printf(Locale.ROOT, "  after \"%s\" -> '%c'%n", word.substring(0, t + 1), predictions.charAt(t));
    }
    out.printf(Locale.ROOT, "%s letter after \"%s\": '%c' (p = %.3f), expected '%c'%n",
        word.equals(WORD) ? "8th" : "last", prefix, r.predicted(), r.probability(), word.charAt(word.length() - 1));
    Path dir = common.outputDir("Namaskar");
    out.println("loss curve: " + Charts.lossCurve(dir.resolve("loss.png"), "Namaskar: training loss", r.losses()).toAbsolutePath());
    return r.predicted() == word.charAt(word.length() - 1) ? 0 : 1;
  }

  /** Trains on {@code word} (inputs: all letters but the last; targets: all letters but the first). */
  public static Result train(String word, Config cfg, TrainingProgress.Listener listener) {
    if (word.length() < 2) {
      throw new IllegalArgumentException("Namaskar: the word needs at least 2 letters, got \"" + word + "\"");
    }
    CharVocab vocab = CharVocab.of(word);
    int[] all = vocab.encode(word);
    int[] inputs = java.util.Arrays.copyOfRange(all, 0, all.length - 1);
    int[] targets = java.util.Arrays.copyOfRange(all, 1, all.length);
    SplittableRandom rng = new SplittableRandom(cfg.seed());
    Model model = new Model(vocab.size(), cfg.embedding(), cfg.hidden(), rng);
    Adam adam = new Adam(model.parameters(), cfg.learningRate());
    double[] losses = new double[cfg.steps()];
    for (int step = 0; step < cfg.steps(); step++) {
      model.zeroGrad();
      Tensor loss = Ops.crossEntropy(model.forward(inputs), targets);
      loss.backward();
      adam.step();
      losses[step] = loss.item();
      listener.step(step + 1, losses[step]);
    }
    try (NoGrad ignored = NoGrad.enter()) {
      Tensor probs = Ops.softmax(model.forward(inputs));
      int last = inputs.length - 1;
      int best = 0;
      for (int j = 1; j < vocab.size(); j++) {
        if (probs.get(last, j) > probs.get(last, best)) {
          best = j;
        }
      }
      return new Result(model, vocab, losses, vocab.charAt(best), probs.get(last, best));
    }
  }

  /** The most likely next letter after each prefix of {@code text}. */
  public static String predictAll(Model model, CharVocab vocab, String text) {
    try (NoGrad ignored = NoGrad.enter()) {
      Tensor logits = model.forward(vocab.encode(text));
      StringBuilder sb = new StringBuilder();
      for (int t = 0; t < text.length(); t++) {
        int best = 0;
        for (int j = 1; j < vocab.size(); j++) {
          if (logits.get(t, j) > logits.get(t, best)) {
            best = j;
          }
        }
        sb.append(vocab.charAt(best));
      }
      return sb.toString();
    }
  }
}
