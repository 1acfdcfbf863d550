package dev.rnn4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.testing.ChildJvm;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Training 2N steps gives bitwise the same parameters, optimizer state, schedule position and generator states as
 * N steps, a checkpoint, a fresh JVM that loads it, and N more steps there.
 */
class CheckpointResumeTest {

  static final int N = 4;

  @TempDir
  Path dir;

  static Stream<Arguments> runs() {
    Kernels selected = Kernels.get();
    return Stream.of(
        Arguments.of(ResumeRecipe.Config.ADAM_COSINE_F32, Kernels.scalar()),
        Arguments.of(ResumeRecipe.Config.ADAM_COSINE_F32, selected),
        Arguments.of(ResumeRecipe.Config.SGD_NESTEROV_STEP_F64, selected),
        Arguments.of(ResumeRecipe.Config.ADAMW_STEP_F32, Kernels.scalar()))
        .distinct();
  }

  @ParameterizedTest
  @MethodSource("runs")
  void resumeInAFreshJvmMatchesAnUninterruptedRun(ResumeRecipe.Config config, Kernels kernels) throws Exception {
    ResumeRecipe straight = new ResumeRecipe(config, kernels);
    for (int i = 0; i < 2 * N; i++) {
      assertTrue(Double.isFinite(straight.step()));
    }
    Map<String, List<Long>> expected = straight.snapshot();

    ResumeRecipe first = new ResumeRecipe(config, kernels);
    for (int i = 0; i < N; i++) {
      first.step();
    }
    Path half = dir.resolve("half.safetensors");
    first.checkpoint.save(half, N, Map.of("note", "first half"));

    Path end = dir.resolve("end.safetensors");
    Process child = ChildJvm.builder(ResumeTrainingMain.class, config.name(), kernels.name(), half.toString(),
        Integer.toString(N), end.toString()).redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
    assertTrue(child.waitFor(120, TimeUnit.SECONDS), "child JVM timed out");
    assertEquals(0, child.exitValue(), "child JVM failed (its stderr is above)");

    ResumeRecipe resumed = new ResumeRecipe(config, kernels);
    assertNotEquals(expected, resumed.snapshot(), "a fresh recipe is not already trained");
    Checkpoint.Loaded loaded = resumed.checkpoint.load(end);
    assertEquals(2 * N, loaded.step());
    assertEquals(Map.of("note", "first half"), loaded.metadata());
    assertEquals(expected, resumed.snapshot());
  }

  /**
   * The comparison is sensitive to each piece of restored state: resuming in this JVM is exact, and resuming with
   * any one generator one draw off, or without the optimizer's state, gives other parameters.
   */
  @Test
  void everyPieceOfStateMatters() throws Exception {
    ResumeRecipe.Config config = ResumeRecipe.Config.ADAM_COSINE_F32;
    Kernels kernels = Kernels.scalar();
    ResumeRecipe straight = new ResumeRecipe(config, kernels);
    for (int i = 0; i < 2 * N; i++) {
      straight.step();
    }
    Map<String, List<Long>> expected = straight.snapshot();
    ResumeRecipe first = new ResumeRecipe(config, kernels);
    for (int i = 0; i < N; i++) {
      first.step();
    }
    Path half = dir.resolve("half.safetensors");
    first.checkpoint.save(half, N);

    for (int variant = 0; variant < 5; variant++) {
      ResumeRecipe r = new ResumeRecipe(config, kernels);
      r.checkpoint.load(half);
      switch (variant) {
        case 1 -> r.data.nextLong();
        case 2 -> r.dropoutRandom.nextLong();
        case 3 -> r.model.lstm.dropoutRandom().nextLong();
        case 4 -> r.optimizer.resetState();
        default -> { }
      }
      for (int i = 0; i < N; i++) {
        r.step();
      }
      Map<String, List<Long>> params = TestModels.snapshot(r.model);
      if (variant == 0) {
        assertEquals(expected, r.snapshot());
      } else {
        assertNotEquals(TestModels.snapshot(straight.model), params, "variant " + variant);
      }
    }
  }
}
