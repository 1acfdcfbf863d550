package dev.rnn4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.examples.data.CharVocab;
import dev.rnn4j.io.Safetensors;
import dev.rnn4j.nn.WeightFormat;
import dev.rnn4j.nn.recurrent.QuantizedSequenceModel;
import dev.rnn4j.nn.recurrent.SequenceModel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Generate samples from the file CharLanguageModel saves, without training. */
class GenerateTest {

  @TempDir static Path dir;
  static Path model;

  /** A tiny model trained for two steps by CharLanguageModel's own command line, which saves it. */
  @BeforeAll
  static void train() {
    assertEquals(0, new CommandLine(new CharLanguageModel()).execute("--quick", "--no-progress", "--steps", "2",
        "--length", "5", "--out", dir.toString()));
    model = dir.resolve("char-lstm.safetensors");
    assertTrue(Files.isRegularFile(model));
  }

  /** Runs Generate; returns exit code, stdout and stderr. */
  private static String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(new Generate());
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int code = cmd.execute(args);
    return new String[] {Integer.toString(code), out.toString(), err.toString()};
  }

  /** The text Generate prints between its "--- prompt + N generated characters" line and its closing "---" line. */
  private static String printedText(String stdout) {
    int start = stdout.indexOf('\n', stdout.indexOf("--- prompt + ")) + 1;
    int end = stdout.lastIndexOf("\n---\nper character");
    return stdout.substring(start, end);
  }

  @Test
  void keepsThePromptVerbatimWithItsTrailingSpaceAndGeneratesNCharacters() {
    String[] r = run("--load", model.toString(), "--generate", "60", "--prompt", "The ", "--temperature", "0.8",
        "--seed", "5");
    assertEquals("0", r[0], r[2]);
    String text = printedText(r[1]);
    assertEquals(4 + 60, text.length(), text);
    assertTrue(text.startsWith("The "), "prompt kept with its trailing space: [" + text + "]");
    assertTrue(r[1].matches("(?s).*per character \\(one step \\+ sampling\\), 60 characters: median [0-9.]+ us, "
        + "min [0-9.]+ us, p99 [0-9.]+ us.*"), r[1]);
    // Same seed, same text, with or without warm-up: sampling depends on the seed only.
    assertEquals(text, printedText(run("--load", model.toString(), "--generate", "60", "--prompt", "The ",
        "--temperature", "0.8", "--seed", "5", "--warmup", "30")[1]));
  }

  @Test
  void generateReturnsPromptPlusNCharactersOfTheVocabulary() throws Exception {
    SequenceModel m = SequenceModel.load(model);
    CharVocab vocab = Generate.vocabulary(model, m);
    Generate.Sample s = Generate.generate(m, vocab, "  a ", 33, 1.0, 1);
    assertEquals(4 + 33, s.text().length());
    assertTrue(s.text().startsWith("  a "));
    assertEquals(33, s.nanosPerChar().length);
    for (char c : s.text().toCharArray()) {
      assertTrue(vocab.contains(c), "character outside the vocabulary: " + (int) c);
    }
  }

  /**
   * A quantized model generates the same text whether it was quantized in this process (by the API or by
   * --quantize) or saved by --save and loaded back: the same seed gives the same characters, because the loaded
   * model's weights are the saved ones bit for bit and the stream computes the same logits from them.
   */
  @Test
  void aQuantizedModelSavedAndLoadedGeneratesWhatItGeneratedBeforeSaving() throws Exception {
    for (String format : new String[] {"int8", "bfloat16"}) {
      Path saved = dir.resolve("char-lstm-" + format + ".safetensors");
      String[] quantized = run("--load", model.toString(), "--quantize", format, "--save", saved.toString(),
          "--generate", "60", "--seed", "5");
      assertEquals("0", quantized[0], quantized[2]);
      assertTrue(quantized[1].contains("saved the " + format.toUpperCase(java.util.Locale.ROOT) + " model to "
          + saved), quantized[1]);
      assertTrue(quantized[1].matches("(?s).*per character \\(one step \\+ sampling\\), 60 characters: median.*"),
          quantized[1]);
      String[] loaded = run("--load", saved.toString(), "--generate", "60", "--seed", "5");
      assertEquals("0", loaded[0], loaded[2]);
      assertTrue(loaded[1].contains("QuantizedSequenceModel("), loaded[1]);
      assertEquals(printedText(quantized[1]), printedText(loaded[1]), format + ": saved and loaded");

      WeightFormat f = format.equals("int8") ? WeightFormat.INT8 : WeightFormat.BFLOAT16;
      SequenceModel m = SequenceModel.load(model);
      CharVocab vocab = Generate.vocabulary(model, m);
      String inProcess = Generate.generate(m.quantize(f), vocab, "The ", 60, 0.7, 5).text();
      assertEquals(inProcess, printedText(loaded[1]), format + ": quantized in this process");
      assertEquals(inProcess, Generate.generate(QuantizedSequenceModel.load(saved), vocab, "The ", 60, 0.7, 5).text(),
          format + ": loaded by the API");
      assertEquals(SequenceModel.userMetadata(model), SequenceModel.userMetadata(saved), "the vocabulary kept");
    }
  }

  @Test
  void badArgumentsAreUsageErrors() throws Exception {
    String[] r = run("--generate", "5");
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("--load"), r[2]);
    r = run("--load", dir.resolve("missing.safetensors").toString());
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("no such file"), r[2]);
    r = run("--load", model.toString(), "--temperature", "0");
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("--temperature must be a finite number > 0, got 0.0"), r[2]);
    r = run("--load", model.toString(), "--generate", "0");
    assertEquals("2", r[0]);
    r = run("--load", model.toString(), "--warmup", "-1");
    assertEquals("2", r[0]);
    r = run("--load", model.toString(), "--prompt", "The \u20ac");
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("[\u20ac] are not in the model's vocabulary"), r[2]);
    r = run("--load", model.toString(), "--quantize", "int4");
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("--quantize must be int8 or bfloat16, got 'int4'"), r[2]);
    r = run("--load", model.toString(), "--save", dir.resolve("x.safetensors").toString());
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("--save needs --quantize"), r[2]);
    r = run("--load", model.toString(), "--quantize", "int8", "--save", dir.resolve("no/such/dir/q.safetensors")
        .toString());
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("--save " + dir.resolve("no/such/dir/q.safetensors")), r[2]);
    Path quantized = dir.resolve("already.safetensors");
    SequenceModel.load(model).quantize(WeightFormat.INT8).save(quantized, SequenceModel.userMetadata(model));
    r = run("--load", quantized.toString(), "--quantize", "bfloat16");
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("already quantized to INT8"), r[2]);
    // A file of weights without the configuration (saved the old way) is refused with the reason.
    Path plain = dir.resolve("plain.safetensors");
    Safetensors.save(SequenceModel.load(model), plain, Map.of("vocabulary", "abc"));
    r = run("--load", plain.toString());
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("no rnn4j model configuration"), r[2]);
  }
}
