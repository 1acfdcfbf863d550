package dev.rnn4j.examples;

import dev.rnn4j.autograd.NoGrad;
import dev.rnn4j.autograd.Ops;
import dev.rnn4j.examples.data.IntentData;
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
import dev.rnn4j.nn.recurrent.GRU;
import dev.rnn4j.nn.recurrent.LSTM;
import dev.rnn4j.nn.recurrent.RecurrentLayer;
import dev.rnn4j.nn.recurrent.RecurrentOptions;
import dev.rnn4j.optim.Adam;
import dev.rnn4j.tensor.Tensor;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Many-to-one: an utterance ("what time is it?") goes in word by word, the recurrent layer's final state comes out,
 * and a linear layer maps it to one of a few intents (ask-time, ask-weather, set-alarm, play-music, greeting,
 * thanks). Utterances are written from templates by a seeded generator; accuracy is measured on held-out
 * utterances that never occur in training, against always answering the most frequent intent.
 */
// try-with-resources on a NoGrad scope never names the resource: that is the point of the scope.
@SuppressWarnings("try")
@Command(
    name = "IntentClassifier",
    mixinStandardHelpOptions = true,
    version = "rnn4j examples 0.1.0-SNAPSHOT",
    description = "Classifies short utterances into intents with an embedding + LSTM/GRU + linear model.")
public final class IntentClassifier implements Callable<Integer> {

  /** The recurrent cell of the encoder. */
  public enum Cell { LSTM, GRU }

  /** Model size and training length. */
  public record Config(Cell cell, int embedding, int hidden, int batch, int steps, double learningRate, long seed) {
    public static Config full(long seed) {
      return new Config(Cell.LSTM, 32, 64, 32, 600, 5e-3, seed);
    }

    public static Config quick(long seed) {
      return new Config(Cell.LSTM, 16, 32, 32, 200, 1e-2, seed);
    }

    public Config with(Cell newCell, int newSteps) {
      return new Config(newCell, embedding, hidden, batch, newSteps, learningRate, seed);
    }
  }

  /** Accuracy on the held-out split, of the model and of the majority-class baseline. */
  public record Result(Model model, WordVocab vocab, double[] losses, double accuracy, double baselineAccuracy,
      int[][] confusion) {}

  /** Embedding -> LSTM or GRU -> final hidden state -> linear layer to one logit per intent. */
  public static final class Model extends Module {
    private final Embedding embedding;
    private final RecurrentLayer rnn;
    private final Linear classifier;
    private final int hidden;

    public Model(Cell cell, int vocab, int embeddingSize, int hidden, int classes, SplittableRandom rng) {
      this.hidden = hidden;
      embedding = registerModule("embedding", new Embedding(vocab, embeddingSize, rng));
      RecurrentOptions options = new RecurrentOptions(embeddingSize, hidden).seed(rng.nextLong());
      rnn = registerModule("rnn", cell == Cell.LSTM ? new LSTM(options) : new GRU(options));
      classifier = registerModule("classifier", new Linear(hidden, classes, rng));
    }

    /** Logits [B, C] for a padded time-major batch. */
    public Tensor forward(Batches.Padded batch) {
      Tensor x = embedding.forward(batch.tokens(), batch.steps(), batch.batch());
      Tensor hN = rnn.forward(x, null, null, batch.lengths()).hN();
      return classifier.forward(hN.reshape(batch.batch(), hidden));
    }
  }

  @Mixin CommonOptions common;

  @Option(names = "--cell", paramLabel = "CELL", defaultValue = "LSTM", description = "LSTM or GRU (default: ${DEFAULT-VALUE}).")
  Cell cell;

  @Option(names = "--data", paramLabel = "FILE", description = "Your own data: one 'intent<TAB>utterance' per line.")
  Path dataFile;

  @Option(names = "--ask", paramLabel = "TEXT", description = "Classify this utterance after training (repeatable).")
  List<String> questions = new ArrayList<>();

  public static void main(String[] args) {
    System.exit(new CommandLine(new IntentClassifier()).execute(args));
  }

  @Override
  public Integer call() {
    OptionChecks checks = common.validate("IntentClassifier");
    Config base = common.quick() ? Config.quick(common.seed()) : Config.full(common.seed());
    Config cfg = base.with(cell, common.steps(base.steps(), base.steps()));
    for (String q : questions) {
      if (WordVocab.tokenize(q).stream().noneMatch(t -> t.chars().anyMatch(Character::isLetterOrDigit))) {
        throw checks.error("--ask", "\"" + q + "\" has no words to classify");
      }
    }
    IntentData.Split split = dataFile != null
        ? checks.read("--data", dataFile, f -> IntentData.fromFile(f, 0.2, common.seed()))
        : IntentData.generate(1000, 0.2, common.seed());
    PrintStream out = System.out;
    KernelBanner.print(out, "Intent classification (many-to-one)");
    out.printf(Locale.ROOT, "%d training and %d held-out utterances, intents %s%n", split.train().size(),
        split.test().size(), split.intents());
    out.println("examples: ");
    for (int i = 0; i < Math.min(4, split.train().size()); i++) {
      IntentData.Example e = split.train().get(i);
      out.printf(Locale.ROOT, "  %-45s -> %s%n", "\"" + e.text() + "\"", split.intents().get(e.label()));
    }
    Result r;
    double seconds;
    try (TrainingProgress progress = TrainingProgress.create(common, "training", cfg.steps(), out)) {
      r = train(split, cfg, progress.listener());
      seconds = progress.elapsedSeconds();
    }
    out.printf(Locale.ROOT, "trained %s in %.1f s%n", cfg.cell(), seconds);
    out.printf(Locale.ROOT, "held-out accuracy: %.1f%%  (majority-class baseline, always \"%s\": %.1f%%)%n",
        100 * r.accuracy(), split.intents().get(IntentData.majorityLabel(split.train(), split.intents().size())),
        100 * r.baselineAccuracy());
    out.println("confusion matrix (rows: true intent, columns: predicted):");
    out.print(confusionTable(split.intents(), r.confusion()));
    List<String> asks = questions.isEmpty()
        ? List.of("what's the weather in tokyo tomorrow?", "wake me at 6:30", "hi!", "play some music please",
            "what time is it in paris?")
        : questions;
    out.println("predictions:");
    for (String q : asks) {
      out.printf(Locale.ROOT, "  %-45s -> %s%n", "\"" + q + "\"", split.intents().get(predict(r.model(), r.vocab(), q)));
    }
    Path dir = common.outputDir("IntentClassifier");
    out.println("loss curve: " + Charts.lossCurve(dir.resolve("loss.png"), "Intent classifier: training loss", r.losses())
        .toAbsolutePath());
    return 0;
  }

  /** Trains on {@code split.train()} and measures accuracy on {@code split.test()}. */
  public static Result train(IntentData.Split split, Config cfg, TrainingProgress.Listener listener) {
    List<List<String>> sentences = new ArrayList<>();
    split.train().forEach(e -> sentences.add(e.tokens()));
    WordVocab vocab = WordVocab.of(sentences);
    int classes = split.intents().size();
    SplittableRandom rng = new SplittableRandom(cfg.seed());
    Model model = new Model(cfg.cell(), vocab.size(), cfg.embedding(), cfg.hidden(), classes, rng.split());
    Adam adam = new Adam(model.parameters(), cfg.learningRate());
    double[] losses = new double[cfg.steps()];
    List<IntentData.Example> train = split.train();
    for (int step = 0; step < cfg.steps(); step++) {
      List<int[]> seqs = new ArrayList<>();
      int[] labels = new int[cfg.batch()];
      for (int b = 0; b < cfg.batch(); b++) {
        IntentData.Example e = train.get(rng.nextInt(train.size()));
        seqs.add(vocab.encode(e.tokens()));
        labels[b] = e.label();
      }
      model.zeroGrad();
      Tensor loss = Ops.crossEntropy(model.forward(Batches.pad(seqs)), labels);
      loss.backward();
      adam.step();
      losses[step] = loss.item();
      listener.step(step + 1, losses[step]);
    }
    int[][] confusion = new int[classes][classes];
    int correct = 0;
    int majority = IntentData.majorityLabel(train, classes);
    int baseline = 0;
    for (IntentData.Example e : split.test()) {
      int p = predict(model, vocab, e.text());
      confusion[e.label()][p]++;
      correct += p == e.label() ? 1 : 0;
      baseline += majority == e.label() ? 1 : 0;
    }
    int n = split.test().size();
    return new Result(model, vocab, losses, (double) correct / n, (double) baseline / n, confusion);
  }

  /** The most likely intent of {@code text}. */
  public static int predict(Model model, WordVocab vocab, String text) {
    List<String> tokens = WordVocab.tokenize(text);
    if (tokens.isEmpty()) {
      tokens = List.of("<unk>");
    }
    try (NoGrad ignored = NoGrad.enter()) {
      Tensor logits = model.forward(Batches.pad(List.of(vocab.encode(tokens))));
      int best = 0;
      for (int j = 1; j < logits.size(1); j++) {
        if (logits.get(0, j) > logits.get(0, best)) {
          best = j;
        }
      }
      return best;
    }
  }

  static String confusionTable(List<String> names, int[][] confusion) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "  %-12s", ""));
    for (String n : names) {
      sb.append(String.format(Locale.ROOT, "%12s", n));
    }
    sb.append('\n');
    for (int i = 0; i < names.size(); i++) {
      sb.append(String.format(Locale.ROOT, "  %-12s", names.get(i)));
      for (int j = 0; j < names.size(); j++) {
        sb.append(String.format(Locale.ROOT, "%12d", confusion[i][j]));
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
