package dev.rnn4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.tensor.SplitMix64;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A checkpoint that does not match the objects it is loaded into, or is damaged, is rejected whole with a message
 * naming the file and the item, and the model, optimizer, schedule and generators stay exactly as they were.
 */
class CheckpointValidationTest {

  private static final ResumeRecipe.Config ADAM = ResumeRecipe.Config.ADAM_COSINE_F32;

  @TempDir
  Path dir;

  /** An edit of a valid Adam checkpoint's tensors and metadata. */
  record Edit(Consumer<Map<String, SafetensorsTensor>> tensors, Consumer<Map<String, String>> metadata) {
    static Edit meta(Consumer<Map<String, String>> m) {
      return new Edit(t -> { }, m);
    }

    static Edit tensors(Consumer<Map<String, SafetensorsTensor>> t) {
      return new Edit(t, m -> { });
    }
  }

  /** head.bias is parameter 10: embedding.weight, 2 LSTM layers x 4 tensors, head.weight before it. */
  static Stream<Arguments> edits() {
    SafetensorsTensor eight = SafetensorsTensor.ofFloats(new int[] {8}, new float[8]);
    return Stream.of(
        Arguments.of("format version", Edit.meta(m -> m.put("rnn4j.checkpoint", "2")),
            "checkpoint format '2', this rnn4j reads '1'"),
        Arguments.of("parameter missing", Edit.tensors(t -> t.remove("head.bias")),
            "lacks 1 parameter(s) of the model: [head.bias]"),
        Arguments.of("parameter of another shape", Edit.tensors(t -> t.put("head.bias", eight)),
            "tensor 'head.bias' has shape [8] in the file but [7] in the model"),
        Arguments.of("parameter of another dtype", Edit.tensors(t -> t.put("head.bias",
            SafetensorsTensor.ofDoubles(new int[] {7}, new double[7]))), "tensor 'head.bias' is F64 in the file"),
        Arguments.of("unexpected parameter", Edit.tensors(t -> t.put("extra.weight", eight)),
            "name no parameter of the model: [extra.weight]"),
        Arguments.of("no optimizer", Edit.meta(m -> m.remove("optimizer.type")), "no optimizer state"),
        Arguments.of("optimizer type", Edit.meta(m -> m.put("optimizer.type", "SGD")),
            "the state is of a SGD optimizer, this is a Adam"),
        Arguments.of("hyperparameter", Edit.meta(m -> m.put("optimizer.hyper.beta2", "0.99")),
            "hyperparameters differ: beta2 0.99 in the state but 0.999 here"),
        Arguments.of("learning rate not a number", Edit.meta(m -> m.put("optimizer.lr", "fast")),
            "metadata 'optimizer.lr' must be a number, got 'fast'"),
        Arguments.of("moment of another shape", Edit.tensors(t -> t.put("optimizer.exp_avg.head.bias", eight)),
            "parameter 10 ('head.bias') buffer exp_avg is [8] float32 in the state but the parameter is [7] float32"),
        Arguments.of("moment missing", Edit.tensors(t -> t.remove("optimizer.exp_avg_sq.head.bias")),
            "parameter 10 ('head.bias') at step 4 needs buffers [exp_avg, exp_avg_sq], the state has [exp_avg]"),
        Arguments.of("state of an unknown parameter", Edit.tensors(t -> t.put("optimizer.exp_avg.nope", eight)),
            "has optimizer state 'optimizer.exp_avg.nope' for 'nope', which the optimizer does not update"),
        Arguments.of("step count of an unknown parameter", Edit.meta(m -> m.put("optimizer.step.nope", "1")),
            "has an optimizer step count for 'nope'"),
        Arguments.of("step count not a number", Edit.meta(m -> m.put("optimizer.step.head.bias", "x")),
            "metadata 'optimizer.step.head.bias' must be an integer in [0, 2147483647], got 'x'"),
        Arguments.of("step count without moments", Edit.meta(m -> m.put("optimizer.step.head.bias", "0")),
            "parameter 10 ('head.bias') at step 0 needs buffers [], the state has [exp_avg, exp_avg_sq]"),
        Arguments.of("schedule setting", Edit.meta(m -> m.put("schedule.hyper.T_max", "7")),
            "CosineAnnealingLR.loadState: settings differ"),
        Arguments.of("schedule type", Edit.meta(m -> m.put("schedule.type", "StepLR")),
            "the state is of a StepLR schedule, this is a CosineAnnealingLR"),
        Arguments.of("no schedule", Edit.meta(m -> m.remove("schedule.type")), "has no schedule state"),
        Arguments.of("generator missing", Edit.meta(m -> m.remove("random.data")),
            "has random generators [dropout, lstm.dropout] but this checkpoint has [data, dropout, lstm.dropout]"),
        Arguments.of("generator state not a number", Edit.meta(m -> m.put("random.data", "0x12")),
            "metadata 'random.data' must be an integer"),
        Arguments.of("negative step", Edit.meta(m -> m.put("step", "-1")),
            "metadata 'step' must be an integer in [0, 9223372036854775807], got '-1'"));
  }

  /** A checkpoint of an Adam recipe after 4 steps. */
  private Path validCheckpoint() throws IOException {
    ResumeRecipe r = new ResumeRecipe(ADAM, Kernels.scalar());
    for (int i = 0; i < 4; i++) {
      r.step();
    }
    Path p = dir.resolve("valid.safetensors");
    r.checkpoint.save(p, 4);
    return p;
  }

  /** A recipe after one step: its state differs from the file's and from a fresh one's. */
  private static ResumeRecipe target(ResumeRecipe.Config config) {
    ResumeRecipe r = new ResumeRecipe(config, Kernels.scalar());
    r.step();
    return r;
  }

  private Path edited(Path valid, Edit edit) throws IOException {
    Map<String, SafetensorsTensor> tensors;
    Map<String, String> metadata;
    try (SafetensorsFile f = SafetensorsFile.open(valid)) {
      tensors = new LinkedHashMap<>(f.readAll());
      metadata = new LinkedHashMap<>(f.header().metadata());
    }
    edit.tensors().accept(tensors);
    edit.metadata().accept(metadata);
    Path p = dir.resolve("edited.safetensors");
    Safetensors.write(p, tensors, metadata);
    return p;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("edits")
  void mismatchIsRejectedWholeAndChangesNothing(String what, Edit edit, String message) throws IOException {
    Path bad = edited(validCheckpoint(), edit);
    ResumeRecipe r = target(ADAM);
    Map<String, List<Long>> before = r.snapshot();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.checkpoint.load(bad));
    assertTrue(e.getMessage().contains(message), e.getMessage());
    assertTrue(e.getMessage().contains(bad.toString()), "names the file: " + e.getMessage());
    assertEquals(before, r.snapshot());
  }

  @Test
  void uneditedCheckpointLoads() throws IOException {
    Path valid = validCheckpoint();
    ResumeRecipe r = target(ADAM);
    assertEquals(4, r.checkpoint.load(edited(valid, Edit.meta(m -> { }))).step());
  }

  @Test
  void anotherOptimizerTypeIsRejected() throws IOException {
    Path valid = validCheckpoint();
    ResumeRecipe r = target(ResumeRecipe.Config.ADAMW_STEP_F32);
    Map<String, List<Long>> before = r.snapshot();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.checkpoint.load(valid));
    assertTrue(e.getMessage().contains("AdamW.loadState: the state is of a Adam optimizer, this is a AdamW"),
        e.getMessage());
    assertEquals(before, r.snapshot());
  }

  @Test
  void plainWeightsFileIsNotACheckpoint() throws IOException {
    ResumeRecipe r = target(ADAM);
    Path weights = dir.resolve("weights.safetensors");
    Safetensors.save(r.model, weights);
    Map<String, List<Long>> before = r.snapshot();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.checkpoint.load(weights));
    assertTrue(e.getMessage().contains("not an rnn4j checkpoint (no 'rnn4j.checkpoint' metadata)"), e.getMessage());
    assertEquals(before, r.snapshot());
  }

  @Test
  void truncatedFileIsAFormatError() throws IOException {
    Path valid = validCheckpoint();
    byte[] bytes = Files.readAllBytes(valid);
    Path cut = Files.write(dir.resolve("cut.safetensors"), Arrays.copyOf(bytes, bytes.length - 5));
    ResumeRecipe r = target(ADAM);
    Map<String, List<Long>> before = r.snapshot();
    SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> r.checkpoint.load(cut));
    assertTrue(e.getMessage().startsWith(cut.toString()), e.getMessage());
    assertEquals(before, r.snapshot());
  }

  @Test
  void checkpointFileIsReadableAsPlainWeights() throws IOException {
    Path valid = validCheckpoint();
    ResumeRecipe source = new ResumeRecipe(ADAM, Kernels.scalar());
    source.checkpoint.load(valid);
    ResumeRecipe r = target(ADAM);
    LoadResult result = Safetensors.load(r.model, valid, LoadOptions.strict().allowUnexpected(true));
    assertTrue(result.unexpected().stream().allMatch(n -> n.startsWith("optimizer.")), result.unexpected().toString());
    assertEquals(TestModels.snapshot(source.model), TestModels.snapshot(r.model));
  }

  @Test
  void badBindingsAreRejected() {
    ResumeRecipe r = target(ADAM);
    ResumeRecipe other = target(ADAM);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Checkpoint.of(r.model, other.optimizer));
    assertTrue(e.getMessage().contains("optimizer parameter 0") && e.getMessage().contains("not a parameter of the"
        + " model"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Checkpoint.of(r.model, r.optimizer).withSchedule(other.schedule));
    assertTrue(e.getMessage().contains("one of another optimizer"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> r.checkpoint.withRandom("data", new SplitMix64(1)));
    assertTrue(e.getMessage().contains("'data'") && e.getMessage().contains("already registered"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> r.checkpoint.save(dir.resolve("x"), -1));
    assertTrue(e.getMessage().contains("step must be >= 0"), e.getMessage());
  }
}
