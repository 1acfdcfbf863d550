package dev.rnn4j.nn.recurrent;

import dev.rnn4j.io.Safetensors;
import dev.rnn4j.io.SafetensorsDtype;
import dev.rnn4j.io.SafetensorsEntry;
import dev.rnn4j.io.SafetensorsFile;
import dev.rnn4j.io.SafetensorsTensor;
import dev.rnn4j.nn.QuantizedMatrix;
import dev.rnn4j.nn.WeightFormat;
import dev.rnn4j.nn.recurrent.internal.QuantizedCell;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Saving and loading a {@link QuantizedRecurrentLayer} as safetensors: the stored values in row-major order under the
 * float layer's PyTorch names, so that a file is as small as the format makes it and readable anywhere:
 *
 * <pre>
 * weight_ih_l{k}        I8 or BF16 [G*H, I_k]   (the stored values; bfloat16 as its bit patterns)
 * weight_ih_l{k}_scale  F32 [G*H]               (int8 only: one scale per row, W ~ scale[r] * q[r, j])
 * weight_hh_l{k}        I8 or BF16 [G*H, H]
 * weight_hh_l{k}_scale  F32 [G*H]               (int8 only)
 * bias_ih_l{k}, bias_hh_l{k}  F32 [G*H]         (if the layer has biases)
 * </pre>
 *
 * A bidirectional layer's reverse direction adds the same tensors with PyTorch's {@code _reverse} suffix after the
 * layer index ({@code weight_ih_l{k}_reverse}, {@code weight_ih_l{k}_reverse_scale}, {@code bias_ih_l{k}_reverse},
 * ...), its layers above the first taking the merged width as input.
 *
 * and in the metadata the layer's configuration ({@link ModelMetadata}) with {@code rnn4j.model} =
 * {@code QuantizedLSTM | QuantizedGRU | QuantizedRNN} and {@code rnn4j.weight_format} = {@code INT8 | BFLOAT16}. The
 * scale's name follows ONNX Runtime's DynamicQuantizeLSTM, whose per-row weight scales are inputs beside the weights
 * ({@code W_scale} for {@code W}); PyTorch's dynamically quantized LSTM keeps its weights in opaque packed objects
 * with no per-tensor names, so only the float layer's names can be PyTorch's.
 *
 * <p>Loading checks the whole file before it builds anything: every expected tensor present and no other, each with
 * its dtype and shape, scales finite and not negative, int8 values in [-127, 127], bfloat16 values finite. A failure
 * is an {@link IllegalArgumentException} naming the file and the tensor. The packed layout is made again for the
 * kernels current when loading.
 */
final class QuantizedLayerFiles {

  static final String WEIGHT_FORMAT = ModelMetadata.PREFIX + "weight_format";
  static final String MODEL_PREFIX = "Quantized";

  private QuantizedLayerFiles() {}

  static void save(QuantizedRecurrentLayer layer, Path path, Map<String, String> metadata) throws IOException {
    RecurrentConfig cfg = layer.config();
    String op = layer.name() + ".save";
    if (metadata == null) {
      throw new IllegalArgumentException(op + ": metadata is null (Map.of() for none)");
    }
    Map<String, String> own = ModelMetadata.describe(cfg, dev.rnn4j.tensor.DType.FLOAT32);
    own.put(ModelMetadata.MODEL, MODEL_PREFIX + cfg.name());
    own.put(WEIGHT_FORMAT, layer.format().name());
    Map<String, SafetensorsTensor> tensors = new LinkedHashMap<>();
    for (int i = 0; i < cfg.numLayers() * cfg.directions(); i++) {
      QuantizedCell cell = layer.cell(i);
      String suffix = suffix(cfg, i);
      put(tensors, "weight_ih" + suffix, cell.wih);
      put(tensors, "weight_hh" + suffix, cell.whh);
      if (cell.bih != null) {
        tensors.put("bias_ih" + suffix, SafetensorsTensor.ofFloats(new int[] {cell.bih.length}, cell.bih));
        tensors.put("bias_hh" + suffix, SafetensorsTensor.ofFloats(new int[] {cell.bhh.length}, cell.bhh));
      }
    }
    Safetensors.write(path, tensors, ModelMetadata.merge(op, own, metadata));
  }

  /** PyTorch's suffix of layer-direction i = layer * D + direction: {@code _l{layer}} or {@code _l{layer}_reverse}. */
  private static String suffix(RecurrentConfig cfg, int i) {
    int d = cfg.directions();
    return "_l" + i / d + (i % d == 1 ? "_reverse" : "");
  }

  private static void put(Map<String, SafetensorsTensor> tensors, String name, QuantizedMatrix m) {
    int[] shape = {m.rows(), m.cols()};
    if (m.format() == WeightFormat.BFLOAT16) {
      tensors.put(name, SafetensorsTensor.ofBf16(shape, m.bf16RowMajor()));
    } else {
      tensors.put(name, SafetensorsTensor.ofInt8(shape, m.int8RowMajor()));
      tensors.put(name + "_scale", SafetensorsTensor.ofFloats(new int[] {m.rows()}, m.scales()));
    }
  }

  static QuantizedRecurrentLayer load(Path path) throws IOException {
    String op = "QuantizedRecurrentLayer.load";
    if (path == null) {
      throw new IllegalArgumentException(op + ": path is null");
    }
    try (SafetensorsFile file = SafetensorsFile.open(path)) {
      Map<String, String> meta = file.header().metadata();
      String model = ModelMetadata.model(op, path, meta);
      if (!model.startsWith(MODEL_PREFIX)) {
        throw new IllegalArgumentException(op + ": " + path + ": metadata 'rnn4j.model' is '" + model
            + "', not a quantized layer (load a float layer with RecurrentLayer.load)");
      }
      String formatName = meta.get(WEIGHT_FORMAT);
      WeightFormat format = Arrays.stream(WeightFormat.values()).filter(f -> f.name().equals(formatName))
          .findFirst().orElseThrow(() -> new IllegalArgumentException(op + ": " + path + ": metadata '"
              + WEIGHT_FORMAT + "' is " + (formatName == null ? "missing" : "'" + formatName + "'")
              + ", expected one of " + Arrays.toString(WeightFormat.values())));
      RecurrentConfig cfg = ModelMetadata.newLayer(op, path, meta).config();
      if (!model.equals(MODEL_PREFIX + cfg.name())) {
        throw new IllegalArgumentException(op + ": " + path + ": metadata says model " + model + " but cell "
            + cfg.kind());
      }
      if (cfg.projSize() > 0 || cfg.peephole()) {
        throw new IllegalArgumentException(op + ": " + path + ": the configuration is projected or peephole; "
            + "quantized layers are plain LSTM, GRU or RNN stacks");
      }
      checkNames(op, path, file, cfg, format);
      int gw = cfg.gateWidth();
      QuantizedCell[] cells = new QuantizedCell[cfg.numLayers() * cfg.directions()];
      for (int i = 0; i < cells.length; i++) {
        int in = cfg.layerInputSize(i / cfg.directions());
        String suffix = suffix(cfg, i);
        QuantizedMatrix wih = matrix(op, path, file, "weight_ih" + suffix, format, gw, in, new int[0]);
        QuantizedMatrix whh = matrix(op, path, file, "weight_hh" + suffix, format, gw, cfg.hiddenSize(),
            QuantizedCell.recurrentBlocks(cfg.kind(), cfg.hiddenSize()));
        float[] bih = cfg.bias() ? vector(op, path, file, "bias_ih" + suffix, gw) : null;
        float[] bhh = cfg.bias() ? vector(op, path, file, "bias_hh" + suffix, gw) : null;
        cells[i] = new QuantizedCell(cfg.kind(), in, cfg.hiddenSize(), wih, whh, bih, bhh);
      }
      return QuantizedRecurrentLayer.of(cfg, format, cells);
    }
  }

  /** Exactly the expected tensors, each of the expected dtype and shape. */
  private static void checkNames(String op, Path path, SafetensorsFile file, RecurrentConfig cfg,
                                 WeightFormat format) {
    Map<String, long[]> want = new LinkedHashMap<>();
    Map<String, SafetensorsDtype> dtypes = new LinkedHashMap<>();
    SafetensorsDtype wd = format == WeightFormat.INT8 ? SafetensorsDtype.I8 : SafetensorsDtype.BF16;
    int gw = cfg.gateWidth();
    for (int i = 0; i < cfg.numLayers() * cfg.directions(); i++) {
      String suffix = suffix(cfg, i);
      for (String w : new String[] {"weight_ih" + suffix, "weight_hh" + suffix}) {
        long cols = w.startsWith("weight_ih") ? cfg.layerInputSize(i / cfg.directions()) : cfg.hiddenSize();
        want.put(w, new long[] {gw, cols});
        dtypes.put(w, wd);
        if (format == WeightFormat.INT8) {
          want.put(w + "_scale", new long[] {gw});
          dtypes.put(w + "_scale", SafetensorsDtype.F32);
        }
      }
      if (cfg.bias()) {
        for (String b : new String[] {"bias_ih" + suffix, "bias_hh" + suffix}) {
          want.put(b, new long[] {gw});
          dtypes.put(b, SafetensorsDtype.F32);
        }
      }
    }
    TreeSet<String> missing = new TreeSet<>(want.keySet());
    missing.removeAll(file.header().names());
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(op + ": " + path + ": tensor '" + missing.first() + "' is missing ("
          + format + " " + cfg.name() + " with " + cfg.numLayers() + " layer(s) needs " + want.keySet() + ")");
    }
    TreeSet<String> unexpected = new TreeSet<>(file.header().names());
    unexpected.removeAll(want.keySet());
    if (!unexpected.isEmpty()) {
      throw new IllegalArgumentException(op + ": " + path + ": tensor '" + unexpected.first() + "' is not part of a "
          + format + " " + cfg.name() + " with " + cfg.numLayers() + " layer(s) (expected " + want.keySet() + ")");
    }
    for (Map.Entry<String, long[]> e : want.entrySet()) {
      SafetensorsEntry entry = file.header().entry(e.getKey()).orElseThrow();
      if (entry.dtype() != dtypes.get(e.getKey()) || !Arrays.equals(entry.shape(), e.getValue())) {
        throw new IllegalArgumentException(op + ": " + path + ": tensor '" + e.getKey() + "' is " + entry.dtype()
            + " " + Arrays.toString(entry.shape()) + ", expected " + dtypes.get(e.getKey()) + " "
            + Arrays.toString(e.getValue()) + " (" + format + ")");
      }
    }
  }

  private static QuantizedMatrix matrix(String op, Path path, SafetensorsFile file, String name, WeightFormat format,
                                        int rows, int cols, int[] blocks) throws IOException {
    try {
      if (format == WeightFormat.BFLOAT16) {
        return QuantizedMatrix.ofBf16(name, rows, cols, file.read(name).bf16(), blocks);
      }
      return QuantizedMatrix.ofInt8(name, rows, cols, file.read(name).int8(), file.read(name + "_scale").floats(),
          blocks);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(op + ": " + path + ": " + e.getMessage(), e);
    }
  }

  private static float[] vector(String op, Path path, SafetensorsFile file, String name, int n) throws IOException {
    float[] v = file.read(name).floats();
    assert v.length == n : name;
    return v;
  }
}
