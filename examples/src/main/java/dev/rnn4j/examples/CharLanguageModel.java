package dev.rnn4j.examples;

import dev.rnn4j.autograd.NoGrad;
import dev.rnn4j.autograd.Ops;
import dev.rnn4j.examples.data.CharVocab;
import dev.rnn4j.examples.data.TextCorpus;
import dev.rnn4j.examples.support.Charts;
import dev.rnn4j.examples.support.CommonOptions;
import dev.rnn4j.examples.support.KernelBanner;
import dev.rnn4j.examples.support.OptionChecks;
import dev.rnn4j.examples.support.TemperatureSampler;
import dev.rnn4j.examples.support.TrainingProgress;
import dev.rnn4j.optim.Adam;
import dev.rnn4j.optim.CosineAnnealingLR;
import dev.rnn4j.nn.recurrent.GradientClipping;
import dev.rnn4j.nn.WeightFormat;
import dev.rnn4j.nn.recurrent.SequenceModel;
import dev.rnn4j.nn.Embedding;
import dev.rnn4j.nn.Module;
import dev.rnn4j.nn.recurrent.LSTM;
import dev.rnn4j.nn.recurrent.RecurrentOptions;
import dev.rnn4j.nn.recurrent.RecurrentOutput;
import dev.rnn4j.nn.Linear;
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
 * A character-level LSTM language model: it reads a text one character at a time, learns to predict the next
 * character, and then writes new text from a prompt, one sampled character after another.
 *
 * <p>The default text is English-like prose written by a small probabilistic grammar ({@code EnglishGrammar}),
 * so nothing is downloaded; {@code --text FILE} trains on any UTF-8 text instead.
 */
// try-with-resources on a NoGrad scope never names the resource: that is the point of the scope.
@SuppressWarnings("try")
@Command(
    name = "CharLanguageModel",
    mixinStandardHelpOptions = true,
    version = "rnn4j examples 0.1.0-SNAPSHOT",
    description = "Trains a character-level LSTM language model and samples text from it.")
public final class CharLanguageModel implements Callable<Integer> {

  /** Model size and training length. */
  public record Config(int embedding, int hidden, int layers, int seqLen, int batch, int steps, double learningRate,
      double clipNorm, long seed) {

    /** The full run: about a minute of training on two cores. */
    public static Config full(long seed) {
      return new Config(32, 192, 1, 64, 32, 600, 4e-3, 1.0, seed);
    }

    /** The reduced run for {@code --quick} and the tests. */
    public static Config quick(long seed) {
      return new Config(16, 96, 1, 32, 16, 250, 8e-3, 1.0, seed);
    }

    public Config withSteps(int newSteps) {
      return new Config(embedding, hidden, layers, seqLen, batch, newSteps, learningRate, clipNorm, seed);
    }
  }

  /** A trained model with its vocabulary, per-step training losses and the held-out loss (nats per character). */
  public record Result(Model model, CharVocab vocab, double[] losses, double validationLoss) {}

  /** Embedding -> LSTM -> linear read-out to one logit per character. */
  public static final class Model extends Module {
    private final Embedding embedding;
    private final LSTM lstm;
    private final Linear readout;
    private final int hidden;

    /** The LSTM state carried between calls (for sampling one character at a time). */
    public record State(Tensor h, Tensor c) {}

    /** Logits [T*B, V] (row t*B + b) and the final state. */
    public record Output(Tensor logits, State state) {}

    public Model(int vocab, int embeddingSize, int hidden, int layers, SplittableRandom rng) {
      this.hidden = hidden;
      embedding = registerModule("embedding", new Embedding(vocab, embeddingSize, rng));
      lstm = registerModule("lstm", new LSTM(new RecurrentOptions(embeddingSize, hidden).numLayers(layers).seed(rng.nextLong())));
      readout = registerModule("readout", new Linear(hidden, vocab, rng));
    }

    /** Runs {@code tokens} (time-major [T, B]) from {@code state} (zeros when null). */
    public Output forward(int[] tokens, int steps, int batch, State state) {
      Tensor x = embedding.forward(tokens, steps, batch);
      RecurrentOutput r = state == null ? lstm.forward(x) : lstm.forward(x, state.h(), state.c(), null);
      Tensor logits = readout.forward(r.output().reshape(steps * batch, hidden));
      return new Output(logits, new State(r.hN(), r.cN()));
    }
  }

  @Mixin CommonOptions common;

  @Option(names = "--text", paramLabel = "FILE", description = "Train on this UTF-8 text file instead of the built-in prose.")
  Path textFile;

  @Option(names = "--chars", paramLabel = "N", description = "Length of the generated default text (default: 120000; 30000 with --quick).")
  Integer chars;

  @Option(names = "--prompt", paramLabel = "TEXT", defaultValue = "The ", description = "Text the samples start from (default: \"${DEFAULT-VALUE}\").")
  String prompt;

  @Option(names = "--temperature", paramLabel = "T", defaultValue = "0.7", description = "Sampling temperature: < 1 is safer, > 1 wilder (default: ${DEFAULT-VALUE}).")
  double temperature;

  @Option(names = "--length", paramLabel = "N", defaultValue = "400", description = "Characters to sample (default: ${DEFAULT-VALUE}).")
  int sampleLength;

  /** The most characters the generated text may have, and the longest sample. */
  static final int MAX_CHARS = 50_000_000;
  static final int MAX_SAMPLE = 1_000_000;

  public static void main(String[] args) {
    System.exit(new CommandLine(new CharLanguageModel()).execute(args));
  }

  /** The checked options: the text to train on, the configuration and the prompt. */
  private record Plan(TextCorpus corpus, Config cfg, CharVocab vocab, String prompt) {}

  /** Checks every option and reads the text, before anything is printed or trained. */
  private Plan plan() {
    OptionChecks checks = common.validate("CharLanguageModel");
    Config base = common.quick() ? Config.quick(common.seed()) : Config.full(common.seed());
    Config cfg = base.withSteps(common.steps(base.steps(), base.steps()));
    checks.positive("--temperature", temperature, 100);
    checks.inRange("--length", sampleLength, 0, MAX_SAMPLE);
    int needed = minimumTextLength(cfg);
    TextCorpus corpus;
    if (textFile != null) {
      if (chars != null) {
        throw checks.error("--chars", "sets the length of the generated text; it cannot be combined with --text");
      }
      corpus = checks.read("--text", textFile, TextCorpus::fromFile);
      if (corpus.text().length() < needed) {
        throw checks.error("--text", "the text of " + textFile + " has " + corpus.text().length()
            + " characters; sequences of " + cfg.seqLen() + " with 10% held out need at least " + needed);
      }
    } else {
      int n = chars != null ? chars : common.quick() ? 30000 : 120000;
      corpus = TextCorpus.generated(checks.inRange("--chars", n, needed, MAX_CHARS), 2024);
    }
    CharVocab vocab = CharVocab.of(corpus.text());
    StringBuilder unknown = new StringBuilder();
    prompt.chars().filter(c -> !vocab.contains((char) c) && unknown.indexOf(String.valueOf((char) c)) < 0)
        .forEach(c -> unknown.append((char) c));
    String usable = prompt;
    if (unknown.length() > 0) {
      if (checks.given("--prompt")) {
        throw checks.error("--prompt", "the characters \"" + unknown + "\" do not occur in the training text");
      }
      // The default prompt keeps what the user's text knows of it.
      usable = prompt.chars().filter(c -> vocab.contains((char) c))
          .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
    return new Plan(corpus, cfg, vocab, usable);
  }

  /** The shortest text {@link #train} accepts: a window of {@code seqLen + 2} in both the 90% and the 10%. */
  static int minimumTextLength(Config cfg) {
    return 10 * (cfg.seqLen() + 2);
  }

  @Override
  public Integer call() {
    Plan plan = plan();
    TextCorpus corpus = plan.corpus();
    Config cfg = plan.cfg();
    CharVocab vocab = plan.vocab();
    String safePrompt = plan.prompt();
    PrintStream out = System.out;
    KernelBanner.print(out, "Character-level LSTM language model");
    out.printf(Locale.ROOT, "text: %s, %d characters, %d distinct%n", corpus.name(), corpus.text().length(), vocab.size());
    out.printf(Locale.ROOT, "unigram entropy of the text: %.3f nats/char (a model that ignores context cannot do better)%n",
        corpus.unigramEntropyNats());
    out.printf(Locale.ROOT, "model: embedding %d -> LSTM %d x %d layer(s) -> %d logits; %d steps of %d x %d characters%n",
        cfg.embedding(), cfg.hidden(), cfg.layers(), vocab.size(), cfg.steps(), cfg.batch(), cfg.seqLen());

    out.println();
    out.println("sample before training (temperature " + temperature + "):");
    out.println(indent(safePrompt + sample(initialModel(vocab, cfg), vocab, safePrompt, 120, temperature, cfg.seed())));
    out.println();
    Result result;
    double seconds;
    try (TrainingProgress progress = TrainingProgress.create(common, "training", cfg.steps(), out)) {
      result = train(corpus.text(), cfg, progress.listener());
      seconds = progress.elapsedSeconds();
    }
    out.printf(Locale.ROOT, "trained in %.1f s (%.1f steps/s)%n", seconds, cfg.steps() / seconds);
    out.printf(Locale.ROOT, "held-out loss: %.3f nats/char (%.3f bits/char); unigram entropy %.3f nats/char%n",
        result.validationLoss(), result.validationLoss() / Math.log(2), corpus.unigramEntropyNats());
    printQuantizedLosses(out, result, corpus.text(), cfg.seqLen());
    out.println();
    out.println("sample after training (prompt \"" + safePrompt + "\", temperature " + temperature + "):");
    out.println(indent(safePrompt + sample(result.model(), vocab, safePrompt, sampleLength, temperature, cfg.seed() + 1)));
    out.println();
    out.println("sample at temperature 0.3 (more conservative):");
    out.println(indent(safePrompt + sample(result.model(), vocab, safePrompt, 200, 0.3, cfg.seed() + 2)));
    Path dir = common.outputDir("CharLanguageModel");
    Path png = Charts.lossCurve(dir.resolve("loss.png"), "Character LSTM: training loss (nats/char)", result.losses());
    Path weights = dir.resolve("char-lstm.safetensors");
    try {
      // With the model's configuration, so that Generate (SequenceModel.load) rebuilds it from the file alone.
      SequenceModel.save(result.model(), weights, java.util.Map.of("vocabulary", vocab.decode(java.util.stream.IntStream.range(0, vocab.size()).toArray())));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot save weights to " + weights, e);
    }
    out.println();
    out.println("loss curve: " + png.toAbsolutePath());
    out.println("weights (safetensors, PyTorch parameter names): " + weights.toAbsolutePath());
    return 0;
  }

  /**
   * Trains a model on {@code text} (the last 10% held out) and returns it with its losses.
   */
  public static Result train(String text, Config cfg, TrainingProgress.Listener listener) {
    CharVocab vocab = CharVocab.of(text);
    int[] encoded = vocab.encode(text);
    int split = (int) (encoded.length * 0.9);
    if (split < cfg.seqLen() + 2 || encoded.length - split < cfg.seqLen() + 2) {
      throw new IllegalArgumentException("CharLanguageModel: text of " + text.length()
          + " characters is too short for sequences of " + cfg.seqLen());
    }
    Model model = initialModel(vocab, cfg);
    // The batches draw from their own stream, so that the model's initial weights do not depend on them.
    SplittableRandom rng = new SplittableRandom(cfg.seed() ^ 0x5DEECE66DL);
    Adam adam = new Adam(model.parameters(), cfg.learningRate());
    CosineAnnealingLR schedule = new CosineAnnealingLR(adam, cfg.steps(), cfg.learningRate() * 0.05);
    double[] losses = new double[cfg.steps()];
    int[] inputs = new int[cfg.seqLen() * cfg.batch()];
    int[] targets = new int[cfg.seqLen() * cfg.batch()];
    for (int step = 0; step < cfg.steps(); step++) {
      // Random windows of the training part, time-major: row t*B + b is character t of window b.
      for (int b = 0; b < cfg.batch(); b++) {
        int start = rng.nextInt(split - cfg.seqLen() - 1);
        for (int t = 0; t < cfg.seqLen(); t++) {
          inputs[t * cfg.batch() + b] = encoded[start + t];
          targets[t * cfg.batch() + b] = encoded[start + t + 1];
        }
      }
      model.zeroGrad();
      Tensor logits = model.forward(inputs, cfg.seqLen(), cfg.batch(), null).logits();
      Tensor loss = Ops.crossEntropy(logits, targets);
      loss.backward();
      GradientClipping.clipByNorm(model.parameters(), cfg.clipNorm());
      adam.step();
      schedule.step();
      losses[step] = loss.item();
      listener.step(step + 1, losses[step]);
    }
    double validation = evaluate(model, encoded, split, encoded.length, cfg.seqLen());
    return new Result(model, vocab, losses, validation);
  }

  /** The held-out loss with the LSTM and read-out weights stored as bfloat16 and as int8, next to float32's. */
  private static void printQuantizedLosses(PrintStream out, Result result, String text, int seqLen) {
    int[] encoded = result.vocab().encode(text);
    int split = (int) (encoded.length * 0.9);
    for (WeightFormat format : WeightFormat.values()) {
      double loss = QuantizedCharModel.of(result.model(), format).evaluate(encoded, split, encoded.length, seqLen);
      out.printf(Locale.ROOT, "held-out loss with %s weights: %.4f nats/char (%+.3f%% vs float32)%n",
          format.name().toLowerCase(Locale.ROOT), loss, 100 * (loss / result.validationLoss() - 1));
    }
  }

  /** The untrained model that {@link #train} starts from (the same weights for the same seed). */
  public static Model initialModel(CharVocab vocab, Config cfg) {
    return new Model(vocab.size(), cfg.embedding(), cfg.hidden(), cfg.layers(), new SplittableRandom(cfg.seed()));
  }

  /** Mean cross-entropy (nats/char) of predicting {@code encoded[from+1 .. to)} in consecutive windows. */
  public static double evaluate(Model model, int[] encoded, int from, int to, int seqLen) {
    Windows w = Windows.of(encoded, from, to, seqLen);
    try (NoGrad ignored = NoGrad.enter()) {
      model.eval();
      double loss = Ops.crossEntropy(model.forward(w.inputs(), seqLen, w.count(), null).logits(), w.targets()).item();
      model.train();
      return loss;
    }
  }

  /**
   * The held-out windows {@link #evaluate} scores: consecutive windows of {@code seqLen} characters from
   * {@code encoded[from...]}, time-major (row t * count + w is character t of window w), each target the next
   * character.
   */
  record Windows(int count, int[] inputs, int[] targets) {
    static Windows of(int[] encoded, int from, int to, int seqLen) {
      int windows = (to - from - 1) / seqLen;
      int[] inputs = new int[windows * seqLen];
      int[] targets = new int[windows * seqLen];
      for (int w = 0; w < windows; w++) {
        for (int t = 0; t < seqLen; t++) {
          inputs[t * windows + w] = encoded[from + w * seqLen + t];
          targets[t * windows + w] = encoded[from + w * seqLen + t + 1];
        }
      }
      return new Windows(windows, inputs, targets);
    }
  }

  /**
   * Samples {@code length} characters after {@code prompt}: the prompt warms up the LSTM state, then each sampled
   * character is fed back in. Temperature divides the logits before the softmax.
   */
  public static String sample(Model model, CharVocab vocab, String prompt, int length, double temperature, long seed) {
    if (!(temperature > 0)) {
      throw new IllegalArgumentException("sample: temperature must be > 0, got " + temperature);
    }
    SplittableRandom rng = new SplittableRandom(seed);
    StringBuilder sb = new StringBuilder();
    try (NoGrad ignored = NoGrad.enter()) {
      model.eval();
      int[] context = prompt.isEmpty() ? new int[] {vocab.indexOf(vocab.charAt(0))} : vocab.encode(prompt);
      Model.Output step = model.forward(context, context.length, 1, null);
      for (int i = 0; i < length; i++) {
        Tensor logits = step.logits();
        int last = logits.size(0) - 1;
        int next = sampleRow(logits, last, temperature, rng);
        sb.append(vocab.charAt(next));
        step = model.forward(new int[] {next}, 1, 1, step.state());
      }
      model.train();
    }
    return sb.toString();
  }

  static int sampleRow(Tensor logits, int row, double temperature, SplittableRandom rng) {
    return TemperatureSampler.sample(logits, row, temperature, rng, new double[logits.size(1)]);
  }

  private static String indent(String text) {
    return "    " + text.replace("\n", "\n    ");
  }
}
