package dev.rnn4j.examples;

import dev.rnn4j.examples.data.CharVocab;
import dev.rnn4j.examples.support.TemperatureSampler;
import dev.rnn4j.io.SafetensorsFile;
import dev.rnn4j.nn.WeightFormat;
import dev.rnn4j.nn.recurrent.QuantizedSequenceModel;
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
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Writes text with a character language model saved by {@link CharLanguageModel} (its {@code char-lstm.safetensors}),
 * without training: the file holds the model's configuration and vocabulary, so {@link SequenceModel#load} rebuilds
 * it. A quantized model's file ({@link QuantizedSequenceModel#save}, which {@code --quantize} with {@code --save}
 * writes) loads as well: the metadata's {@code rnn4j.model} says which it is. {@code --quantize int8|bfloat16} stores a
 * float model's LSTM and read-out weights in that format before sampling. The prompt is fed one character at a time
 * through the model's stream, then each sampled character is fed back in. Reports the time per generated character
 * (one stream step plus sampling).
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

  @Option(names = "--quantize", paramLabel = "FORMAT",
      description = "Store the LSTM and read-out weights of a float model as int8 or bfloat16 before sampling "
          + "(the embedding stays float32).")
  String quantize;

  @Option(names = "--save", paramLabel = "FILE",
      description = "With --quantize: also save the quantized model (with its vocabulary) to FILE, which --load reads "
          + "back.")
  Path saveTo;

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
    WeightFormat format = quantize == null ? null : weightFormat(quantize);
    if (saveTo != null && format == null) {
      throw usage("--save needs --quantize: it writes the quantized model");
    }
    Loaded model;
    CharVocab vocab;
    try {
      model = load(file, format);
      vocab = vocabulary(file, model.description(), model.numEmbeddings(), model.outputSize());
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

    if (saveTo != null) {
      try {
        model.quantized().save(saveTo, SequenceModel.userMetadata(file)); // the vocabulary travels along
      } catch (IOException | IllegalArgumentException e) {
        throw usage("--save " + saveTo + ": " + e.getMessage());
      }
    }

    PrintWriter out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "model: %s, %s, vocabulary of %d characters%n", file, model.description(), vocab.size());
    if (saveTo != null) {
      out.printf(Locale.ROOT, "saved the %s model to %s%n", format, saveTo);
    }
    if (warmup > 0) {
      // its own stream and generator: the text is unchanged
      generate(model.streams(), vocab, prompt, warmup, temperature, seed + 1);
    }
    Sample s = generate(model.streams(), vocab, prompt, count, temperature, seed);
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

  /** One step of a model's stream: the next token per stream in, the logits [B, V] out (a view). */
  interface TokenStream {
    Tensor step(int[] tokens);
  }

  /** A loaded model: float, or quantized (from the file or by --quantize; then {@code quantized} is it). */
  record Loaded(String description, int numEmbeddings, int outputSize, Supplier<TokenStream> streams,
                QuantizedSequenceModel quantized) {}

  /** Loads a float or a quantized model, as the file's metadata says, quantizing a float one to {@code format}. */
  static Loaded load(Path file, WeightFormat format) throws IOException {
    String kind;
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      kind = f.header().metadata().getOrDefault("rnn4j.model", "");
    }
    if (kind.equals(QuantizedSequenceModel.MODEL)) {
      QuantizedSequenceModel q = QuantizedSequenceModel.load(file);
      if (format != null) {
        throw new IllegalArgumentException("the file holds a model already quantized to " + q.format()
            + "; --quantize applies to a float model");
      }
      return loaded(q, q.toString());
    }
    SequenceModel m = SequenceModel.load(file);
    if (format == null) {
      m.eval();
      if (m.embedding() == null || m.head() == null) {
        throw new IllegalArgumentException("the model (" + m + ") has no embedding or no head; a character model "
            + "has both");
      }
      return new Loaded(m.toString(), m.embedding().numEmbeddings(), m.outputSize(),
          () -> m.newStream(1)::step, null);
    }
    QuantizedSequenceModel q = m.quantize(format);
    return loaded(q, q + ", quantized from float32 after loading");
  }

  private static Loaded loaded(QuantizedSequenceModel q, String description) {
    if (q.numEmbeddings() == 0 || q.head() == null) {
      throw new IllegalArgumentException("the model (" + q + ") has no embedding or no head; a character model has "
          + "both");
    }
    return new Loaded(description, q.numEmbeddings(), q.outputSize(), () -> q.newStream(1)::step, q);
  }

  /**
   * Feeds {@code prompt} through a fresh stream of {@code model}, then samples {@code count} characters, each fed back
   * in; returns the prompt followed by them, with the time of each.
   */
  public static Sample generate(SequenceModel model, CharVocab vocab, String prompt, int count, double temperature,
      long seed) {
    model.eval();
    return generate(() -> model.newStream(1)::step, vocab, prompt, count, temperature, seed);
  }

  /** {@link #generate(SequenceModel, CharVocab, String, int, double, long)} with a quantized model. */
  public static Sample generate(QuantizedSequenceModel model, CharVocab vocab, String prompt, int count,
      double temperature, long seed) {
    return generate(() -> model.newStream(1)::step, vocab, prompt, count, temperature, seed);
  }

  private static Sample generate(Supplier<TokenStream> streams, CharVocab vocab, String prompt, int count,
      double temperature, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    TokenStream stream = streams.get();
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
    if (model.embedding() == null || model.head() == null) {
      throw new IllegalArgumentException("the model (" + model + ") has no embedding or no head; a character model "
          + "has both");
    }
    return vocabulary(file, model.toString(), model.embedding().numEmbeddings(), model.outputSize());
  }

  /** The vocabulary stored in the file, checked against the model's embedding rows and outputs. */
  static CharVocab vocabulary(Path file, String model, int numEmbeddings, int outputSize) throws IOException {
    String chars = SequenceModel.userMetadata(file).get("vocabulary");
    if (chars == null) {
      throw new IllegalArgumentException("the file has no 'vocabulary' metadata entry (CharLanguageModel writes one)");
    }
    CharVocab vocab = CharVocab.of(chars);
    // CharVocab numbers the distinct characters in sorted order, as CharLanguageModel stored them.
    if (!vocab.decode(java.util.stream.IntStream.range(0, vocab.size()).toArray()).equals(chars)) {
      throw new IllegalArgumentException("the 'vocabulary' metadata entry is not distinct characters in sorted order");
    }
    if (numEmbeddings != vocab.size() || outputSize != vocab.size()) {
      throw new IllegalArgumentException("the model (" + model + ") does not fit its vocabulary of " + vocab.size()
          + " characters: expected an embedding and a head of that size");
    }
    return vocab;
  }

  /** The format --quantize names: int8 or bfloat16 (any case; bf16 for bfloat16). */
  private WeightFormat weightFormat(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "int8" -> WeightFormat.INT8;
      case "bfloat16", "bf16" -> WeightFormat.BFLOAT16;
      default -> throw usage("--quantize must be int8 or bfloat16, got '" + name + "'");
    };
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
