package dev.rnn4j.examples;

import dev.rnn4j.examples.data.CharVocab;
import dev.rnn4j.examples.support.TemperatureSampler;
import dev.rnn4j.nn.recurrent.SequenceModel;
import dev.rnn4j.tensor.Tensor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Writes text with a character language model saved by {@link CharLanguageModel} (its {@code char-lstm.safetensors}),
 * without training: the file holds the model's configuration and vocabulary, so {@link SequenceModel#load} rebuilds
 * it. The prompt is fed one character at a time through a {@link SequenceModel.Stream}, then each sampled character
 * is fed back in. Reports the time per generated character (one stream step plus sampling).
 */
@Command(
    name = "Generate",
    mixinStandardHelpOptions = true,
    version = "rnn4j examples 0.1.0-SNAPSHOT",
    description = "Samples text from a saved character language model (CharLanguageModel's char-lstm.safetensors).")
public final class Generate implements Callable<Integer> {

  /** Text (prompt + generated characters) and the nanoseconds each generated character took. */
  public record Sample(String text, long[] nanosPerChar, long promptNanos) {}

  @Spec CommandSpec spec;

  @Option(names = "--load", required = true, paramLabel = "FILE",
      description = "Model saved by CharLanguageModel (examples/target/CharLanguageModel/char-lstm.safetensors).")
  Path file;

  @Option(names = "--generate", paramLabel = "N", defaultValue = "400",
      description = "Characters to generate after the prompt (default: ${DEFAULT-VALUE}).")
  int count;

  @Option(names = "--prompt", paramLabel = "TEXT", defaultValue = "The ",
      description = "Text to start from, kept verbatim; every character must be in the model's vocabulary "
          + "(default: \"${DEFAULT-VALUE}\").")
  String prompt;

  @Option(names = "--temperature", paramLabel = "T", defaultValue = "0.7",
      description = "Sampling temperature, > 0: < 1 is safer, > 1 wilder (default: ${DEFAULT-VALUE}).")
  double temperature;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "Sampling seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--warmup", paramLabel = "N", defaultValue = "0",
      description = "Untimed characters to generate first, on a separate stream, so that the timings show the JIT-compiled "
          + "steady state rather than a fresh JVM's first calls; the text does not change (default: ${DEFAULT-VALUE}).")
  int warmup;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Generate()).execute(args));
  }

  @Override
  public Integer call() {
    if (count < 1) {
      throw usage("--generate must be >= 1, got " + count);
    }
    if (!(temperature > 0) || Double.isInfinite(temperature)) {
      throw usage("--temperature must be a finite number > 0, got " + temperature);
    }
    if (warmup < 0) {
      throw usage("--warmup must be >= 0, got " + warmup);
    }
    if (prompt.isEmpty()) {
      throw usage("--prompt must have at least one character (the model needs an input to start from)");
    }
    if (!Files.isRegularFile(file)) {
      throw usage("--load: no such file: " + file.toAbsolutePath()
          + " (train one with CharLanguageModel, which writes char-lstm.safetensors)");
    }
    SequenceModel model;
    CharVocab vocab;
    try {
      model = SequenceModel.load(file);
      vocab = vocabulary(file, model);
    } catch (IOException | IllegalArgumentException e) {
      throw usage("--load " + file + ": " + e.getMessage());
    }
    Set<String> unknown = new LinkedHashSet<>();
    for (char c : prompt.toCharArray()) {
      if (!vocab.contains(c)) {
        unknown.add(c == '\n' ? "\\n" : String.valueOf(c));
      }
    }
    if (!unknown.isEmpty()) {
      throw usage("--prompt: character(s) " + unknown + " are not in the model's vocabulary of " + vocab.size()
          + " characters: \"" + vocab.decode(java.util.stream.IntStream.range(0, vocab.size()).toArray()) + "\"");
    }

    PrintWriter out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "model: %s, %s, vocabulary of %d characters%n", file, model, vocab.size());
    if (warmup > 0) {
      generate(model, vocab, prompt, warmup, temperature, seed + 1); // its own stream and generator: text unchanged
    }
    Sample s = generate(model, vocab, prompt, count, temperature, seed);
    out.println("--- prompt + " + count + " generated characters (temperature " + temperature + ", seed " + seed
        + ") ---");
    out.println(s.text());
    out.println("---");
    long[] sorted = s.nanosPerChar().clone();
    Arrays.sort(sorted);
    out.printf(Locale.ROOT, "per character (one step + sampling), %d characters: median %.1f us, min %.1f us, "
        + "p99 %.1f us, max %.1f us; the prompt's %d characters took %.2f ms%s%n", sorted.length,
        micros(sorted[sorted.length / 2]), micros(sorted[0]), micros(percentile(sorted, 0.99)),
        micros(sorted[sorted.length - 1]), prompt.length(), s.promptNanos() / 1e6,
        warmup > 0 ? " (after " + warmup + " untimed warm-up characters)" : " (a fresh JVM: the first calls run "
            + "before the JIT has compiled the kernels; --warmup N shows the steady state)");
    out.flush();
    return 0;
  }

  /**
   * Feeds {@code prompt} through a fresh stream of {@code model}, then samples {@code count} characters, each fed back
   * in; returns the prompt followed by them, with the time of each.
   */
  public static Sample generate(SequenceModel model, CharVocab vocab, String prompt, int count, double temperature,
      long seed) {
    model.eval();
    SplittableRandom rng = new SplittableRandom(seed);
    SequenceModel.Stream stream = model.newStream(1);
    int[] token = new int[1];
    long start = System.nanoTime();
    Tensor logits = null;
    for (int i = 0; i < prompt.length(); i++) {
      token[0] = vocab.indexOf(prompt.charAt(i));
      logits = stream.step(token);
    }
    long promptNanos = System.nanoTime() - start;
    StringBuilder text = new StringBuilder(prompt.length() + count).append(prompt);
    long[] nanos = new long[count];
    double[] weights = new double[vocab.size()];
    for (int i = 0; i < count; i++) {
      long t0 = System.nanoTime();
      int next = TemperatureSampler.sample(logits, 0, temperature, rng, weights);
      token[0] = next;
      logits = stream.step(token);
      nanos[i] = System.nanoTime() - t0;
      text.append(vocab.charAt(next));
    }
    return new Sample(text.toString(), nanos, promptNanos);
  }

  /** The vocabulary CharLanguageModel stored in the file, checked against the model's sizes. */
  static CharVocab vocabulary(Path file, SequenceModel model) throws IOException {
    String chars = SequenceModel.userMetadata(file).get("vocabulary");
    if (chars == null) {
      throw new IllegalArgumentException("the file has no 'vocabulary' metadata entry (CharLanguageModel writes one)");
    }
    CharVocab vocab = CharVocab.of(chars);
    // CharVocab numbers the distinct characters in sorted order, as CharLanguageModel stored them.
    if (!vocab.decode(java.util.stream.IntStream.range(0, vocab.size()).toArray()).equals(chars)) {
      throw new IllegalArgumentException("the 'vocabulary' metadata entry is not distinct characters in sorted order");
    }
    if (model.embedding() == null || model.head() == null || model.embedding().numEmbeddings() != vocab.size()
        || model.outputSize() != vocab.size()) {
      throw new IllegalArgumentException("the model (" + model + ") does not fit its vocabulary of " + vocab.size()
          + " characters: expected an embedding and a head of that size");
    }
    return vocab;
  }

  private static double percentile(long[] sorted, double q) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
  }

  private static double micros(double nanos) {
    return nanos / 1e3;
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
