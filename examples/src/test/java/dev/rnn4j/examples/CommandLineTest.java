package dev.rnn4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** Every example runs end to end from its command line (reduced, a few steps) and writes its charts. */
class CommandLineTest {

  static java.util.stream.Stream<Arguments> examples() {
    return java.util.stream.Stream.of(
        Arguments.of((Supplier<Callable<Integer>>) CharLanguageModel::new, new String[] {"--steps", "3", "--length", "20"},
            new String[] {"loss.png", "char-lstm.safetensors"}),
        Arguments.of((Supplier<Callable<Integer>>) Namaskar::new, new String[] {}, new String[] {"loss.png"}),
        Arguments.of((Supplier<Callable<Integer>>) IntentClassifier::new, new String[] {"--steps", "3", "--cell", "GRU"},
            new String[] {"loss.png"}),
        Arguments.of((Supplier<Callable<Integer>>) BidirectionalTagger::new, new String[] {"--steps", "3"},
            new String[] {"loss.png"}),
        Arguments.of((Supplier<Callable<Integer>>) TimeSeriesForecast::new, new String[] {"--steps", "3"},
            new String[] {"loss.png", "forecast.png"}),
        Arguments.of((Supplier<Callable<Integer>>) Seq2Seq::new, new String[] {"--steps", "3", "--translate", "nine one one"},
            new String[] {"loss.png"}),
        Arguments.of((Supplier<Callable<Integer>>) GradientFlow::new, new String[] {},
            new String[] {"gradient-norms.png", "tbptt-loss.png"}));
  }

  @ParameterizedTest
  @MethodSource("examples")
  void runsFromItsCommandLine(Supplier<Callable<Integer>> example, String[] args, String[] files, @TempDir Path dir)
      throws Exception {
    String[] all = new String[args.length + 4];
    all[0] = "--quick";
    all[1] = "--no-progress";
    all[2] = "--out";
    all[3] = dir.toString();
    System.arraycopy(args, 0, all, 4, args.length);
    assertEquals(0, new CommandLine(example.get()).execute(all));
    for (String f : files) {
      assertTrue(Files.size(dir.resolve(f)) > 0, f);
    }
  }

  @Test
  void badOptionsAreRejectedWithAUsageError() {
    assertEquals(2, new CommandLine(new CharLanguageModel()).execute("--temperature", "warm"));
  }
}
