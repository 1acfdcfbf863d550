package dev.rnn4j.spark;

import dev.rnn4j.io.Safetensors;
import dev.rnn4j.io.SafetensorsFile;
import dev.rnn4j.io.SafetensorsTensor;
import dev.rnn4j.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A data-parallel run's state in one safetensors file, written atomically: the model's parameters under their
 * names (so the file also loads as a model with {@code Safetensors.load(model, file,
 * LoadOptions.strict().allowUnexpected(true))}), the driver optimizer's state as {@code optimizer.<name>} and, in the
 * metadata, the rounds done, the spec, the optimizer's settings and the run's settings.
 *
 * @param roundsDone rounds completed
 * @param params the flat parameters after them
 * @param optimizerSteps the optimizer's step count
 * @param optimizerState its state arrays
 */
record TrainingCheckpoint(int roundsDone, float[] params, int optimizerSteps, Map<String, float[]> optimizerState) {

  private static final String PREFIX = "rnn4j.spark.";
  private static final String OPT = "optimizer.";

  static void save(Path file, FinalStateModel layoutOf, float[] params, DriverOptimizer opt, int roundsDone,
                   TrainingOptions options) throws IOException {
    Map<String, SafetensorsTensor> tensors = new LinkedHashMap<>();
    int at = 0;
    for (Map.Entry<String, Tensor> e : layoutOf.namedParameters().entrySet()) {
      int n = e.getValue().numel();
      float[] v = new float[n];
      System.arraycopy(params, at, v, 0, n);
      tensors.put(e.getKey(), SafetensorsTensor.ofFloats(e.getValue().shape(), v));
      at += n;
    }
    for (Map.Entry<String, float[]> e : opt.state().entrySet()) {
      tensors.put(OPT + e.getKey(), SafetensorsTensor.ofFloats(new int[] {e.getValue().length}, e.getValue()));
    }
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put(PREFIX + "rounds", Integer.toString(roundsDone));
    meta.put(PREFIX + "spec", layoutOf.spec().toString());
    meta.put(PREFIX + "optimizer", opt.describe());
    meta.put(PREFIX + "optimizer.steps", Integer.toString(opt.steps()));
    meta.put(PREFIX + "run", options.describeRun());
    Safetensors.write(file, tensors, meta);
  }

  /**
   * Reads a checkpoint written for {@code layoutOf}'s spec, {@code opt}'s settings and {@code options}' run settings.
   *
   * @throws IllegalArgumentException if the file was written for another spec, optimizer or run settings, or lacks
   *     a tensor
   */
  static TrainingCheckpoint load(Path file, FinalStateModel layoutOf, DriverOptimizer opt, TrainingOptions options)
      throws IOException {
    Map<String, String> meta;
    Map<String, SafetensorsTensor> tensors;
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      meta = f.header().metadata();
      tensors = f.readAll();
    }
    expect(file, meta, "spec", layoutOf.spec().toString());
    expect(file, meta, "optimizer", opt.describe());
    expect(file, meta, "run", options.describeRun());
    float[] params = new float[layoutOf.flatSize()];
    int at = 0;
    for (Map.Entry<String, Tensor> e : layoutOf.namedParameters().entrySet()) {
      SafetensorsTensor t = tensors.get(e.getKey());
      if (t == null || t.size() != e.getValue().numel()) {
        throw new IllegalArgumentException("SparkTrainer: checkpoint " + file + ": tensor '" + e.getKey() + "' "
            + (t == null ? "is missing" : "has " + t.size() + " values, expected " + e.getValue().numel()));
      }
      System.arraycopy(t.toFloats(), 0, params, at, t.size());
      at += t.size();
    }
    Map<String, float[]> state = new LinkedHashMap<>();
    for (String name : List.of("velocity", "m", "v")) {
      SafetensorsTensor t = tensors.get(OPT + name);
      if (t != null) {
        state.put(name, t.toFloats());
      }
    }
    return new TrainingCheckpoint(Integer.parseInt(meta.get(PREFIX + "rounds")), params,
        Integer.parseInt(meta.get(PREFIX + "optimizer.steps")), state);
  }

  private static void expect(Path file, Map<String, String> meta, String key, String want) {
    String got = meta.get(PREFIX + key);
    if (!want.equals(got)) {
      throw new IllegalArgumentException("SparkTrainer: checkpoint " + file + " was written with " + key + " "
          + (got == null ? "(none: not a training checkpoint)" : got) + ", this run has " + want);
    }
  }
}
