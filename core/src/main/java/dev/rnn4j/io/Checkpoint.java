package dev.rnn4j.io;

import dev.rnn4j.nn.Module;
import dev.rnn4j.optim.LearningRateSchedule;
import dev.rnn4j.optim.Optimizer;
import dev.rnn4j.optim.OptimizerState;
import dev.rnn4j.optim.ScheduleState;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.SplitMix64;
import dev.rnn4j.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything a training loop needs to stop and resume exactly: the model's parameters, the optimizer's state, the
 * learning-rate schedule's position, the state of the loop's random generators, a step counter and the caller's own
 * metadata, in one safetensors file written atomically.
 *
 * <pre>{@code
 * SplitMix64 rng = new SplitMix64(seed);                          // dropout masks, shuffling: state can be saved
 * Checkpoint ckpt = Checkpoint.of(model, adam).withSchedule(schedule).withRandom("train", rng);
 * long step = Files.exists(path) ? ckpt.load(path).step() : 0;   // resume, or start
 * for (; step < total; step++) {
 *   ...
 *   if ((step + 1) % 1000 == 0) ckpt.save(path, step + 1, Map.of("loss", Double.toString(loss)));
 * }
 * }</pre>
 *
 * <p>A {@code Checkpoint} binds live objects; {@link #save} reads their state and {@link #load} writes it back into
 * them. Continuing after {@code load} in a new JVM gives bitwise the same parameters as a run that never stopped,
 * provided every random number the loop draws comes from generators registered with {@link #withRandom} (or is
 * derived from the step counter), and the kernel set ({@code rnn4j.kernels}) and thread count are the same.
 *
 * <p>The file is an ordinary safetensors file (layout in {@code docs/safetensors.md}): the model's parameters under
 * their own names (so {@link Safetensors#load} with {@code allowUnexpected} and PyTorch's {@code load_file} read
 * it), the optimizer's buffers as {@code optimizer.<buffer>.<parameter name>} (buffer names as PyTorch's state:
 * {@code exp_avg}, {@code exp_avg_sq}, {@code momentum_buffer}), everything else in {@code __metadata__}.
 *
 * <p>{@link #load} checks the whole file against the bound objects before it changes any of them, and rejects it,
 * with a message naming the file, the item and both values, when anything differs: parameter names, shapes or
 * dtypes; optimizer type or any hyperparameter; optimizer state for a parameter the optimizer does not have; schedule
 * type or settings; the set of random generators; or a checkpoint format it does not know.
 */
public final class Checkpoint {

  /** Metadata key marking an rnn4j checkpoint; its value is the format version. */
  public static final String FORMAT_KEY = "rnn4j.checkpoint";
  /** The format version this class writes and reads. */
  public static final String FORMAT_VERSION = "1";

  static final String STEP_KEY = "step";
  static final String OPTIMIZER = "optimizer.";
  static final String OPTIMIZER_TYPE = OPTIMIZER + "type";
  static final String OPTIMIZER_LR = OPTIMIZER + "lr";
  static final String OPTIMIZER_SKIPPED = OPTIMIZER + "skipped_steps";
  static final String OPTIMIZER_HYPER = OPTIMIZER + "hyper.";
  static final String OPTIMIZER_STEP = OPTIMIZER + "step.";
  static final String SCHEDULE_TYPE = "schedule.type";
  static final String SCHEDULE_EPOCH = "schedule.epoch";
  static final String SCHEDULE_HYPER = "schedule.hyper.";
  static final String RANDOM = "random.";
  static final String USER = "user.";

  private final Module model;
  private final Optimizer optimizer;
  private final List<String> optimizerNames;
  private final LearningRateSchedule schedule;
  private final Map<String, SplitMix64> randoms;

  private Checkpoint(Module model, Optimizer optimizer, List<String> optimizerNames, LearningRateSchedule schedule,
                     Map<String, SplitMix64> randoms) {
    this.model = model;
    this.optimizer = optimizer;
    this.optimizerNames = optimizerNames;
    this.schedule = schedule;
    this.randoms = randoms;
  }

  /**
   * A checkpoint of {@code model} and {@code optimizer}, which must update parameters of the model only (it may leave
   * some out: frozen ones are saved as parameters without optimizer state).
   *
   * @throws IllegalArgumentException if an argument is null, the optimizer has a parameter that is not one of the
   *     model's, or a model parameter's name starts with {@code optimizer.} (reserved for the optimizer's state)
   */
  public static Checkpoint of(Module model, Optimizer optimizer) {
    if (model == null || optimizer == null) {
      throw new IllegalArgumentException("Checkpoint.of: model and optimizer must not be null, got " + model + ", "
          + optimizer);
    }
    Map<Tensor, String> names = new IdentityHashMap<>();
    for (Map.Entry<String, Tensor> e : model.namedParameters().entrySet()) {
      if (e.getKey().startsWith(OPTIMIZER)) {
        throw new IllegalArgumentException("Checkpoint.of: model parameter '" + e.getKey() + "' starts with '"
            + OPTIMIZER + "', which names optimizer state in a checkpoint");
      }
      names.put(e.getValue(), e.getKey());
    }
    List<String> optimizerNames = new ArrayList<>();
    for (int i = 0; i < optimizer.parameters().size(); i++) {
      Tensor p = optimizer.parameters().get(i);
      String name = names.get(p);
      if (name == null) {
        throw new IllegalArgumentException("Checkpoint.of: optimizer parameter " + i + " " + p
            + " is not a parameter of the model");
      }
      optimizerNames.add(name);
    }
    return new Checkpoint(model, optimizer, List.copyOf(optimizerNames), null, Map.of());
  }

  /**
   * This checkpoint with a learning-rate schedule, which must drive this checkpoint's optimizer.
   *
   * @throws IllegalArgumentException if it is null or drives another optimizer
   */
  public Checkpoint withSchedule(LearningRateSchedule schedule) {
    if (schedule == null || schedule.optimizer() != optimizer) {
      throw new IllegalArgumentException("Checkpoint.withSchedule: the schedule must drive this checkpoint's"
          + " optimizer, got " + (schedule == null ? "null" : "one of another optimizer"));
    }
    return new Checkpoint(model, optimizer, optimizerNames, schedule, randoms);
  }

  /**
   * This checkpoint with one more random generator whose state is saved and restored under {@code name}.
   *
   * @throws IllegalArgumentException if an argument is null, the name is empty or already used, or the generator is
   *     already registered under another name
   */
  public Checkpoint withRandom(String name, SplitMix64 random) {
    if (name == null || name.isEmpty() || random == null) {
      throw new IllegalArgumentException("Checkpoint.withRandom: name must be non-empty and random non-null, got "
          + (name == null ? "null" : "'" + name + "'") + ", " + random);
    }
    if (randoms.containsKey(name) || randoms.containsValue(random)) {
      throw new IllegalArgumentException("Checkpoint.withRandom: '" + name + "' or that generator is already"
          + " registered: " + randoms.keySet());
    }
    Map<String, SplitMix64> more = new LinkedHashMap<>(randoms);
    more.put(name, random);
    return new Checkpoint(model, optimizer, optimizerNames, schedule, Collections.unmodifiableMap(more));
  }

  /** Saves with no metadata of the caller's; see {@link #save(Path, long, Map)}. */
  public void save(Path path, long step) throws IOException {
    save(path, step, Map.of());
  }

  /**
   * Writes the current state atomically to {@code path} (a temporary file renamed over it; an interrupted save
   * leaves the previous checkpoint as it was, and its temporary file is removed by the next save).
   *
   * @param step the loop's step counter, >= 0, returned by {@link #load}
   * @param metadata the caller's own string pairs (e.g. the loss), returned by {@link #load}
   * @throws IllegalArgumentException for a negative step or a null key or value
   */
  public void save(Path path, long step, Map<String, String> metadata) throws IOException {
    if (path == null || metadata == null || step < 0) {
      throw new IllegalArgumentException("Checkpoint.save: path and metadata must not be null and step must be >= 0,"
          + " got " + path + ", " + metadata + ", " + step);
    }
    Map<String, SafetensorsTensor> tensors = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : model.namedParameters().entrySet()) {
      tensors.put(e.getKey(), SafetensorsTensor.of(e.getValue()));
    }
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put(FORMAT_KEY, FORMAT_VERSION);
    meta.put(STEP_KEY, Long.toString(step));

    OptimizerState os = optimizer.state();
    meta.put(OPTIMIZER_TYPE, os.type());
    meta.put(OPTIMIZER_LR, Double.toString(os.learningRate()));
    meta.put(OPTIMIZER_SKIPPED, Long.toString(os.skippedSteps()));
    os.hyperparameters().forEach((k, v) -> meta.put(OPTIMIZER_HYPER + k, v));
    for (int i = 0; i < optimizerNames.size(); i++) {
      String name = optimizerNames.get(i);
      OptimizerState.ParameterState ps = os.parameters().get(i);
      meta.put(OPTIMIZER_STEP + name, Integer.toString(ps.step()));
      for (Map.Entry<String, Tensor> b : ps.buffers().entrySet()) {
        tensors.put(OPTIMIZER + b.getKey() + "." + name, SafetensorsTensor.of(b.getValue()));
      }
    }
    if (schedule != null) {
      ScheduleState ss = schedule.state();
      meta.put(SCHEDULE_TYPE, ss.type());
      meta.put(SCHEDULE_EPOCH, Integer.toString(ss.epoch()));
      ss.hyperparameters().forEach((k, v) -> meta.put(SCHEDULE_HYPER + k, v));
    }
    randoms.forEach((k, r) -> meta.put(RANDOM + k, Long.toString(r.state())));
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      if (e.getKey() == null || e.getValue() == null) {
        throw new IllegalArgumentException("Checkpoint.save: metadata entries must not be null: " + e);
      }
      meta.put(USER + e.getKey(), e.getValue());
    }
    Safetensors.write(path, tensors, meta);
  }

  /**
   * What {@link #load} found besides the state it restored.
   *
   * @param step the step counter given to {@link #save}
   * @param metadata the caller's metadata given to {@link #save}
   */
  public record Loaded(long step, Map<String, String> metadata) {
    public Loaded {
      metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }
  }

  /**
   * Restores the model, the optimizer, the schedule and the random generators from {@code path}, all or nothing:
   * every check and every read happens first, and only then is anything changed.
   *
   * @throws SafetensorsFormatException if the file is not well-formed safetensors
   * @throws IllegalArgumentException if it is not an rnn4j checkpoint, or does not match the bound objects (the
   *     message names the file, the item and both values)
   * @throws IOException if it cannot be read
   */
  public Loaded load(Path path) throws IOException {
    if (path == null) {
      throw new IllegalArgumentException("Checkpoint.load: path must not be null");
    }
    try (SafetensorsFile file = SafetensorsFile.open(path)) {
      Map<String, String> meta = file.header().metadata();
      String where = "checkpoint load: " + path + ": ";
      String version = meta.get(FORMAT_KEY);
      if (version == null) {
        throw new IllegalArgumentException(where + "not an rnn4j checkpoint (no '" + FORMAT_KEY + "' metadata)");
      }
      if (!version.equals(FORMAT_VERSION)) {
        throw new IllegalArgumentException(where + "checkpoint format '" + version + "', this rnn4j reads '"
            + FORMAT_VERSION + "'");
      }
      long step = parseLong(where, meta, STEP_KEY, 0, Long.MAX_VALUE);

      Safetensors.StagedLoad modelLoad = Safetensors.stage(model, file, path, LoadOptions.strict(),
          name -> name.startsWith(OPTIMIZER));
      OptimizerState os = readOptimizerState(where, file);
      try {
        optimizer.checkState(os);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + e.getMessage(), e);
      }
      ScheduleState ss = readScheduleState(where, meta);
      Map<SplitMix64, Long> randomStates = readRandomStates(where, meta);
      Map<String, String> user = new LinkedHashMap<>();
      for (Map.Entry<String, String> e : meta.entrySet()) {
        if (e.getKey().startsWith(USER)) {
          user.put(e.getKey().substring(USER.length()), e.getValue());
        }
      }

      // Everything checked and read: from here on nothing can fail.
      modelLoad.apply();
      optimizer.loadState(os);
      if (schedule != null) {
        schedule.loadState(ss);
      }
      randomStates.forEach(SplitMix64::setState);
      return new Loaded(step, user);
    }
  }

  private OptimizerState readOptimizerState(String where, SafetensorsFile file) throws IOException {
    Map<String, String> meta = file.header().metadata();
    String type = meta.get(OPTIMIZER_TYPE);
    if (type == null) {
      throw new IllegalArgumentException(where + "no optimizer state ('" + OPTIMIZER_TYPE + "' metadata)");
    }
    Map<String, String> hyper = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : meta.entrySet()) {
      if (e.getKey().startsWith(OPTIMIZER_HYPER)) {
        hyper.put(e.getKey().substring(OPTIMIZER_HYPER.length()), e.getValue());
      }
    }
    double lr = parseDouble(where, meta, OPTIMIZER_LR);
    long skipped = parseLong(where, meta, OPTIMIZER_SKIPPED, 0, Long.MAX_VALUE);

    Map<String, Integer> index = new LinkedHashMap<>();
    for (int i = 0; i < optimizerNames.size(); i++) {
      index.put(optimizerNames.get(i), i);
    }
    for (String key : meta.keySet()) {
      if (key.startsWith(OPTIMIZER_STEP) && !index.containsKey(key.substring(OPTIMIZER_STEP.length()))) {
        throw new IllegalArgumentException(where + "has an optimizer step count for '"
            + key.substring(OPTIMIZER_STEP.length()) + "', which the optimizer does not update; it updates "
            + optimizerNames);
      }
    }
    List<Map<String, Tensor>> buffers = new ArrayList<>();
    for (int i = 0; i < optimizerNames.size(); i++) {
      buffers.add(new LinkedHashMap<>());
    }
    for (SafetensorsEntry entry : file.header().entries()) {
      String name = entry.name();
      if (!name.startsWith(OPTIMIZER)) {
        continue;
      }
      int dot = name.indexOf('.', OPTIMIZER.length());
      String param = dot < 0 ? "" : name.substring(dot + 1);
      Integer i = index.get(param);
      if (i == null) {
        throw new IllegalArgumentException(where + "has optimizer state '" + name + "' for '" + param
            + "', which the optimizer does not update; it updates " + optimizerNames);
      }
      Tensor p = optimizer.parameters().get(i);
      SafetensorsDtype want = p.dtype() == DType.FLOAT32 ? SafetensorsDtype.F32 : SafetensorsDtype.F64;
      if (entry.dtype() != want) {
        throw new IllegalArgumentException(where + "optimizer state '" + name + "' is " + entry.dtype()
            + " but the parameter is " + p.dtype());
      }
      file.checkReadable(entry);
      buffers.get(i).put(name.substring(OPTIMIZER.length(), dot), file.read(name).toTensor());
    }
    List<OptimizerState.ParameterState> per = new ArrayList<>();
    for (int i = 0; i < optimizerNames.size(); i++) {
      int steps = (int) parseLong(where, meta, OPTIMIZER_STEP + optimizerNames.get(i), 0, Integer.MAX_VALUE);
      per.add(new OptimizerState.ParameterState(steps, buffers.get(i)));
    }
    return new OptimizerState(type, hyper, lr, skipped, per, optimizerNames);
  }

  private ScheduleState readScheduleState(String where, Map<String, String> meta) {
    String type = meta.get(SCHEDULE_TYPE);
    if (schedule == null) {
      if (type != null) {
        throw new IllegalArgumentException(where + "has the state of a " + type + " schedule but this checkpoint"
            + " has none (Checkpoint.withSchedule)");
      }
      return null;
    }
    if (type == null) {
      throw new IllegalArgumentException(where + "has no schedule state but this checkpoint has a "
          + schedule.getClass().getSimpleName());
    }
    Map<String, String> hyper = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : meta.entrySet()) {
      if (e.getKey().startsWith(SCHEDULE_HYPER)) {
        hyper.put(e.getKey().substring(SCHEDULE_HYPER.length()), e.getValue());
      }
    }
    ScheduleState ss = new ScheduleState(type, (int) parseLong(where, meta, SCHEDULE_EPOCH, 0, Integer.MAX_VALUE),
        hyper);
    try {
      schedule.checkState(ss);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + e.getMessage(), e);
    }
    return ss;
  }

  private Map<SplitMix64, Long> readRandomStates(String where, Map<String, String> meta) {
    Set<String> inFile = new LinkedHashSet<>();
    for (String key : meta.keySet()) {
      if (key.startsWith(RANDOM)) {
        inFile.add(key.substring(RANDOM.length()));
      }
    }
    if (!inFile.equals(randoms.keySet())) {
      throw new IllegalArgumentException(where + "has random generators " + inFile + " but this checkpoint has "
          + randoms.keySet() + " (Checkpoint.withRandom)");
    }
    Map<SplitMix64, Long> out = new IdentityHashMap<>();
    randoms.forEach((k, r) -> out.put(r, parseLong(where, meta, RANDOM + k, Long.MIN_VALUE, Long.MAX_VALUE)));
    return out;
  }

  private static long parseLong(String where, Map<String, String> meta, String key, long min, long max) {
    String text = meta.get(key);
    if (text == null) {
      throw new IllegalArgumentException(where + "metadata '" + key + "' is missing");
    }
    try {
      long v = Long.parseLong(text);
      if (v >= min && v <= max) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(where + "metadata '" + key + "' must be an integer in [" + min + ", " + max
        + "], got '" + text + "'");
  }

  private static double parseDouble(String where, Map<String, String> meta, String key) {
    String text = meta.get(key);
    if (text == null) {
      throw new IllegalArgumentException(where + "metadata '" + key + "' is missing");
    }
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(where + "metadata '" + key + "' must be a number, got '" + text + "'", e);
    }
  }
}
