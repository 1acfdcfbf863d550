package dev.rnn4j.nn.recurrent;

import dev.rnn4j.io.Safetensors;
import dev.rnn4j.io.SafetensorsFile;
import dev.rnn4j.io.SafetensorsTensor;
import dev.rnn4j.nn.QuantizedMatrix;
import dev.rnn4j.nn.WeightFormat;
import dev.rnn4j.nn.internal.QuantizedTensors;
import dev.rnn4j.nn.recurrent.internal.QuantizedCell;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

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
 * and in the metadata the layer's configuration ({@link ModelMetadata}) with {@code rnn4j.model} =
 * {@code QuantizedLSTM | QuantizedGRU | QuantizedRNN} and {@code rnn4j.weight_format} = {@code INT8 | BFLOAT16}. The
 * scale's name follows ONNX Runtime's DynamicQuantizeLSTM, whose per-row weight scales are inputs beside the weights
 * ({@code W_scale} for {@code W}); PyTorch's dynamically quantized LSTM keeps its weights in opaque packed objects
 * with no per-tensor names, so only the float layer's names can be PyTorch's.
 *
 * <p>Loading checks the whole file before it builds anything: every expected tensor present and no other, each with
 * its dtype and shape, scales finite and not negative, int8 values in [-127, 127], bfloat16 values finite. A failure
 * is an {@link IllegalArgumentException} naming the file and the tensor. The packed layout is made again for the
 * kernels current when loading. How a matrix is stored, and the whole-file check, are {@link QuantizedTensors}'s,
 * shared with the other saved quantized models.
 */
final class QuantizedLayerFiles {

  static final String WEIGHT_FORMAT = QuantizedTensors.WEIGHT_FORMAT;
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
    for (int l = 0; l < cfg.numLayers(); l++) {
      QuantizedCell cell = layer.cell(l);
      QuantizedTensors.putMatrix(tensors, "weight_ih_l" + l, cell.wih);
      QuantizedTensors.putMatrix(tensors, "weight_hh_l" + l, cell.whh);
      if (cell.bih != null) {
        tensors.put("bias_ih_l" + l, SafetensorsTensor.ofFloats(new int[] {cell.bih.length}, cell.bih));
        tensors.put("bias_hh_l" + l, SafetensorsTensor.ofFloats(new int[] {cell.bhh.length}, cell.bhh));
      }
    }
    Safetensors.write(path, tensors, ModelMetadata.merge(op, own, metadata));
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
      WeightFormat format = QuantizedTensors.format(op, path, meta);
      RecurrentConfig cfg = ModelMetadata.newLayer(op, path, meta).config();
      if (!model.equals(MODEL_PREFIX + cfg.name())) {
        throw new IllegalArgumentException(op + ": " + path + ": metadata says model " + model + " but cell "
            + cfg.kind());
      }
      if (cfg.bidirectional() || cfg.projSize() > 0 || cfg.peephole()) {
        throw new IllegalArgumentException(op + ": " + path + ": the configuration is bidirectional, projected or "
            + "peephole; quantized layers are unidirectional LSTM, GRU or RNN stacks");
      }
      checkNames(op, path, file, cfg, format);
      int gw = cfg.gateWidth();
      QuantizedCell[] cells = new QuantizedCell[cfg.numLayers()];
      for (int l = 0; l < cells.length; l++) {
        int in = cfg.layerInputSize(l);
        QuantizedMatrix wih = QuantizedTensors.readMatrix(op, path, file, "weight_ih_l" + l, format, gw, in,
            new int[0]);
        QuantizedMatrix whh = QuantizedTensors.readMatrix(op, path, file, "weight_hh_l" + l, format, gw,
            cfg.hiddenSize(), QuantizedCell.recurrentBlocks(cfg.kind(), cfg.hiddenSize()));
        float[] bih = cfg.bias() ? vector(op, path, file, "bias_ih_l" + l, gw) : null;
        float[] bhh = cfg.bias() ? vector(op, path, file, "bias_hh_l" + l, gw) : null;
        cells[l] = new QuantizedCell(cfg.kind(), in, cfg.hiddenSize(), wih, whh, bih, bhh);
      }
      return QuantizedRecurrentLayer.of(cfg, format, cells);
    }
  }

  /** Exactly the expected tensors, each of the expected dtype and shape. */
  private static void checkNames(String op, Path path, SafetensorsFile file, RecurrentConfig cfg,
                                 WeightFormat format) {
    Map<String, QuantizedTensors.Expected> want = QuantizedTensors.expected();
    int gw = cfg.gateWidth();
    for (int l = 0; l < cfg.numLayers(); l++) {
      QuantizedTensors.expectMatrix(want, "weight_ih_l" + l, format, gw, cfg.layerInputSize(l));
      QuantizedTensors.expectMatrix(want, "weight_hh_l" + l, format, gw, cfg.hiddenSize());
      if (cfg.bias()) {
        QuantizedTensors.expectVector(want, "bias_ih_l" + l, gw);
        QuantizedTensors.expectVector(want, "bias_hh_l" + l, gw);
      }
    }
    QuantizedTensors.checkExactly(op, path, file, want, format + " " + cfg.name() + " with " + cfg.numLayers()
        + " layer(s)");
  }

  private static float[] vector(String op, Path path, SafetensorsFile file, String name, int n) throws IOException {
    float[] v = file.read(name).floats();
    assert v.length == n : name;
    return v;
  }
}
