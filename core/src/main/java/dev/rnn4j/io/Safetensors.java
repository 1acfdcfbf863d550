package dev.rnn4j.io;

import dev.rnn4j.nn.Module;
import dev.rnn4j.tensor.Checks;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Shapes;
import dev.rnn4j.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Reading and writing the <a href="https://github.com/huggingface/safetensors">safetensors</a> format: an 8-byte
 * little-endian header length N, N bytes of JSON naming each tensor's dtype, shape and byte range, then the raw
 * little-endian data. See {@code docs/safetensors.md} for the format, the validation rules and PyTorch interop.
 *
 * <p>Files that are not well-formed are rejected with {@link SafetensorsFormatException} (an {@link IOException})
 * whose message names the file, the tensor and the problem. Writes are atomic: a failed or interrupted write leaves
 * the previous file as it was.
 *
 * <p>Models: {@link #save(Module, Path)} writes {@link Module#namedParameters()} under their PyTorch-style names
 * (F32 for float32 parameters, F64 for float64), and {@link #load(Module, Path, LoadOptions)} checks names, shapes and
 * dtypes and reads every value before it changes any parameter, so a bad file leaves the model as it was.
 */
public final class Safetensors {

  private Safetensors() {
  }

  /**
   * Reads every tensor of a file (F32, F64, BF16 and I8 only), in data order.
   *
   * @throws SafetensorsFormatException if the file is not well-formed or holds a tensor of another dtype
   */
  public static Map<String, SafetensorsTensor> read(Path path) throws IOException {
    try (SafetensorsFile file = SafetensorsFile.open(path)) {
      return file.readAll();
    }
  }

  /** Writes {@code tensors} without metadata; see {@link #write(Path, Map, Map)}. */
  public static void write(Path path, Map<String, SafetensorsTensor> tensors) throws IOException {
    write(path, tensors, Map.of());
  }

  /**
   * Writes {@code tensors} and the {@code __metadata__} map atomically to {@code path}, replacing any previous file.
   * Tensors are laid out as the reference serializer does (F64 before F32, then by name).
   *
   * @throws IllegalArgumentException for a null path, map, name, tensor or metadata entry, a tensor named
   *     {@code __metadata__}, or a path that is a directory
   * @throws NoSuchFileException if the directory to write into does not exist
   */
  public static void write(Path path, Map<String, SafetensorsTensor> tensors, Map<String, String> metadata)
      throws IOException {
    checkTarget("safetensors write", path);
    Checks.notNull(tensors, "safetensors write", "tensors");
    Checks.notNull(metadata, "safetensors write", "metadata");
    SafetensorsWriter.write(path, tensors, metadata, SafetensorsWriter.Probe.NONE);
  }

  /** Saves the model's parameters without metadata; see {@link #save(Module, Path, Map)}. */
  public static void save(Module model, Path path) throws IOException {
    save(model, path, Map.of());
  }

  /**
   * Saves {@link Module#namedParameters()} (names such as {@code fc.weight}, PyTorch's {@code state_dict} keys) and
   * {@code metadata} atomically: F32 for float32 parameters, F64 for float64.
   */
  public static void save(Module model, Path path, Map<String, String> metadata) throws IOException {
    Checks.notNull(model, "safetensors save", "model");
    checkTarget("safetensors save", path);
    Map<String, SafetensorsTensor> tensors = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : model.namedParameters().entrySet()) {
      tensors.put(e.getKey(), SafetensorsTensor.of(e.getValue()));
    }
    write(path, tensors, metadata);
  }

  /** Loads with {@link LoadOptions#strict()}. */
  public static LoadResult load(Module model, Path path) throws IOException {
    return load(model, path, LoadOptions.strict());
  }

  /**
   * Loads parameter values from {@code path} into {@code model}, in place.
   *
   * <p>Checks, before changing anything: the file is well-formed; no model parameter is missing from it (unless
   * {@link LoadOptions#allowMissing()}); it has no tensor that names no parameter (unless
   * {@link LoadOptions#allowUnexpected()}); each matched tensor has the parameter's shape and dtype (or a convertible
   * one with {@link LoadOptions#convertDtype()}). Then it reads every matched tensor into fresh arrays, and only after
   * all of that succeeded copies them into the parameters. Any failure leaves every parameter as it was.
   *
   * @throws SafetensorsFormatException if the file is not well-formed, or a matched tensor has a dtype other than
   *     F32/F64 (BF16 and I8 included: those are the stored values of quantized weights)
   * @throws IllegalArgumentException if the names, shapes or dtypes do not match the model (the message names the
   *     tensors)
   * @throws IOException if the file cannot be read
   */
  public static LoadResult load(Module model, Path path, LoadOptions options) throws IOException {
    Checks.notNull(model, "safetensors load", "model");
    Checks.notNull(path, "safetensors load", "path");
    Checks.notNull(options, "safetensors load", "options");
    try (SafetensorsFile file = SafetensorsFile.open(path)) {
      return stage(model, file, path, options, name -> false).apply();
    }
  }

  /**
   * A model load that has been checked and read but not yet copied into the parameters: {@link #apply()} does that
   * and cannot fail (same shapes and dtypes, checked).
   */
  static final class StagedLoad {
    private final List<Tensor> targets;
    private final List<Tensor> values;
    private final LoadResult result;

    private StagedLoad(List<Tensor> targets, List<Tensor> values, LoadResult result) {
      this.targets = targets;
      this.values = values;
      this.result = result;
    }

    LoadResult apply() {
      for (int i = 0; i < targets.size(); i++) {
        targets.get(i).copyFrom(values.get(i));
      }
      return result;
    }
  }

  /**
   * Every check of {@link #load(Module, Path, LoadOptions)}, and every matched tensor read into fresh arrays; the
   * model is not changed. Tensors for which {@code notForTheModel} holds are neither matched nor unexpected (a
   * checkpoint's optimizer state).
   */
  static StagedLoad stage(Module model, SafetensorsFile file, Path path, LoadOptions options,
                          Predicate<String> notForTheModel) throws IOException {
    Map<String, Tensor> params = model.namedParameters();
    SafetensorsHeader header = file.header();
    List<String> missing = new ArrayList<>();
    for (String name : params.keySet()) {
      if (header.entry(name).isEmpty()) {
        missing.add(name);
      }
    }
    List<String> unexpected = new ArrayList<>();
    for (String name : header.names()) {
      if (!params.containsKey(name) && !notForTheModel.test(name)) {
        unexpected.add(name);
      }
    }
    if (!missing.isEmpty() && !options.allowMissing()) {
      throw new IllegalArgumentException("safetensors load: " + path + " lacks " + missing.size()
          + " parameter(s) of the model: " + missing + (unexpected.isEmpty() ? "" : "; it has unexpected "
          + unexpected) + " (LoadOptions.allowMissing to keep their values)");
    }
    if (!unexpected.isEmpty() && !options.allowUnexpected()) {
      throw new IllegalArgumentException("safetensors load: " + path + " has " + unexpected.size()
          + " tensor(s) that name no parameter of the model: " + unexpected
          + " (LoadOptions.allowUnexpected to ignore them)");
    }

    List<String> loaded = new ArrayList<>();
    List<SafetensorsEntry> entries = new ArrayList<>();
    for (Map.Entry<String, Tensor> e : params.entrySet()) {
      SafetensorsEntry entry = header.entry(e.getKey()).orElse(null);
      if (entry == null) {
        continue;
      }
      if (entry.dtype().isReadable() && !entry.dtype().isFloatParameter()) {
        // read as stored quantized values (BF16, I8), never converted into a float parameter
        throw new SafetensorsFormatException(path + ": tensor '" + entry.name() + "' has dtype " + entry.dtype()
            + ": stored quantized weights, not a parameter (load such a file with QuantizedRecurrentLayer.load)");
      }
      checkCompatible(path, entry, e.getValue(), options);
      file.checkReadable(entry);
      loaded.add(e.getKey());
      entries.add(entry);
    }

    // Stage every value first: an I/O error here still leaves the model untouched.
    List<Tensor> targets = new ArrayList<>(entries.size());
    List<Tensor> staged = new ArrayList<>(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      Tensor target = params.get(loaded.get(i));
      targets.add(target);
      staged.add(readAs(file, entries.get(i), target.dtype()));
    }
    return new StagedLoad(targets, staged, new LoadResult(loaded, missing, unexpected));
  }

  /**
   * A target that cannot become a file is the caller's mistake, found before anything is written (the atomic move at
   * the end would fail only after the whole file was written, with a message about the temporary file).
   */
  private static void checkTarget(String op, Path path) throws NoSuchFileException {
    Checks.notNull(path, op, "path");
    if (Files.isDirectory(path)) {
      throw new IllegalArgumentException(op + ": " + path + " is a directory; give the path of a file");
    }
    Path dir = path.toAbsolutePath().getParent();
    if (dir != null && !Files.isDirectory(dir)) {
      throw new NoSuchFileException(path.toString(), null, op + ": directory " + dir + " does not exist");
    }
  }

  private static void checkCompatible(Path path, SafetensorsEntry entry, Tensor param, LoadOptions options) {
    long[] fileShape = entry.shape();
    int[] modelShape = param.shape();
    boolean same = fileShape.length == modelShape.length;
    for (int d = 0; same && d < fileShape.length; d++) {
      same = fileShape[d] == modelShape[d];
    }
    if (!same) {
      throw new IllegalArgumentException("safetensors load: " + path + ": tensor '" + entry.name() + "' has shape "
          + Arrays.toString(fileShape) + " in the file but " + Shapes.format(modelShape) + " in the model");
    }
    SafetensorsDtype want = param.dtype() == DType.FLOAT32 ? SafetensorsDtype.F32 : SafetensorsDtype.F64;
    if (entry.dtype() != want && entry.dtype().isReadable() && !options.convertDtype()) {
      throw new IllegalArgumentException("safetensors load: " + path + ": tensor '" + entry.name() + "' is "
          + entry.dtype() + " in the file but the parameter is " + param.dtype()
          + " (LoadOptions.convertDtype to convert)");
    }
  }

  /** Reads an entry into a new tensor of {@code dtype}: F32 widened to float64 exactly, F64 rounded to float32. */
  static Tensor readAs(SafetensorsFile file, SafetensorsEntry entry, DType dtype) throws IOException {
    int n = (int) entry.elementCount();
    int[] shape = Arrays.stream(entry.shape()).mapToInt(d -> (int) d).toArray();
    if (entry.dtype() == SafetensorsDtype.F32) {
      float[] values = new float[n];
      file.readFloats(entry, values);
      if (dtype == DType.FLOAT32) {
        return Tensor.wrap(values, 0, shape);
      }
      double[] wide = new double[n];
      for (int i = 0; i < n; i++) {
        wide[i] = values[i];
      }
      return Tensor.wrap(wide, 0, shape);
    }
    double[] values = new double[n];
    file.readDoubles(entry, values);
    if (dtype == DType.FLOAT64) {
      return Tensor.wrap(values, 0, shape);
    }
    float[] narrow = new float[n];
    for (int i = 0; i < n; i++) {
      narrow[i] = (float) values[i];
    }
    return Tensor.wrap(narrow, 0, shape);
  }
}
