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
    putStack(tensors, "", layer);
    Safetensors.write(path, tensors, ModelMetadata.merge(op, own, metadata));
  }

  /**
   * Puts the stack's tensors under {@code prefix} + PyTorch's names (the prefix is a module name and a dot in a
   * saved model, empty for a saved layer).
   */
  static void putStack(Map<String, SafetensorsTensor> tensors, String prefix, QuantizedRecurrentLayer layer) {
    RecurrentConfig cfg = layer.config();
    for (int i = 0; i < cfg.numLayers() * cfg.directions(); i++) {
      QuantizedCell cell = layer.cell(i);
      String sfx = suffix(cfg, i);
      QuantizedTensors.putMatrix(tensors, prefix + "weight_ih" + sfx, cell.wih);
      QuantizedTensors.putMatrix(tensors, prefix + "weight_hh" + sfx, cell.whh);
      if (cell.bih != null) {
        tensors.put(prefix + "bias_ih" + sfx, SafetensorsTensor.ofFloats(new int[] {cell.bih.length}, cell.bih));
        tensors.put(prefix + "bias_hh" + sfx, SafetensorsTensor.ofFloats(new int[] {cell.bhh.length}, cell.bhh));
      }
    }
  }

  /** Adds the stack's tensors, as {@link #putStack} names them, to the tensors a file must hold. */
  static void expectStack(Map<String, QuantizedTensors.Expected> want, String prefix, RecurrentConfig cfg,
                          WeightFormat format) {
    int gw = cfg.gateWidth();
    for (int i = 0; i < cfg.numLayers() * cfg.directions(); i++) {
      String sfx = suffix(cfg, i);
      QuantizedTensors.expectMatrix(want, prefix + "weight_ih" + sfx, format, gw,
          cfg.layerInputSize(i / cfg.directions()));
      QuantizedTensors.expectMatrix(want, prefix + "weight_hh" + sfx, format, gw, cfg.hiddenSize());
      if (cfg.bias()) {
        QuantizedTensors.expectVector(want, prefix + "bias_ih" + sfx, gw);
        QuantizedTensors.expectVector(want, prefix + "bias_hh" + sfx, gw);
      }
    }
  }

  /** The stack's cells read from a file that {@link #expectStack} has checked, repacked for the current kernels. */
  static QuantizedCell[] readStack(String op, Path path, SafetensorsFile file, String prefix, RecurrentConfig cfg,
                                   WeightFormat format) throws IOException {
    int gw = cfg.gateWidth();
    QuantizedCell[] cells = new QuantizedCell[cfg.numLayers() * cfg.directions()];
    for (int i = 0; i < cells.length; i++) {
      int in = cfg.layerInputSize(i / cfg.directions());
      String sfx = suffix(cfg, i);
      QuantizedMatrix wih = QuantizedTensors.readMatrix(op, path, file, prefix + "weight_ih" + sfx, format, gw, in,
          new int[0]);
      QuantizedMatrix whh = QuantizedTensors.readMatrix(op, path, file, prefix + "weight_hh" + sfx, format, gw,
          cfg.hiddenSize(), QuantizedCell.recurrentBlocks(cfg.kind(), cfg.hiddenSize()));
      float[] bih = cfg.bias() ? file.read(prefix + "bias_ih" + sfx).floats() : null;
      float[] bhh = cfg.bias() ? file.read(prefix + "bias_hh" + sfx).floats() : null;
      cells[i] = new QuantizedCell(cfg.kind(), in, cfg.hiddenSize(), wih, whh, bih, bhh);
    }
    return cells;
  }

  /**
   * PyTorch's suffix of layer-direction i = layer * D + direction: {@code _l{layer}} or
   * {@code _l{layer}_reverse}.
   */
  private static String suffix(RecurrentConfig cfg, int i) {
    int d = cfg.directions();
    return "_l" + i / d + (i % d == 1 ? "_reverse" : "");
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
      if (cfg.projSize() > 0 || cfg.peephole()) {
        throw new IllegalArgumentException(op + ": " + path + ": the configuration is projected or peephole; "
            + "quantized layers are plain LSTM, GRU or RNN stacks");
      }
      checkNames(op, path, file, cfg, format);
      QuantizedCell[] cells = readStack(op, path, file, "", cfg, format);
      return QuantizedRecurrentLayer.of(cfg, format, cells);
    }
  }

  /** Exactly the expected tensors, each of the expected dtype and shape. */
  private static void checkNames(String op, Path path, SafetensorsFile file, RecurrentConfig cfg,
                                 WeightFormat format) {
    Map<String, QuantizedTensors.Expected> want = QuantizedTensors.expected();
    expectStack(want, "", cfg, format);
    QuantizedTensors.checkExactly(op, path, file, want, format + " " + (cfg.bidirectional() ? "bidirectional " : "")
        + cfg.name() + " with " + cfg.numLayers() + " layer(s)");
  }
}
