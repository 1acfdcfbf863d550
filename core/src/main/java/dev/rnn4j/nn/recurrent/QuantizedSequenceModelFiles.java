package dev.rnn4j.nn.recurrent;

import dev.rnn4j.io.Safetensors;
import dev.rnn4j.io.SafetensorsFile;
import dev.rnn4j.io.SafetensorsTensor;
import dev.rnn4j.nn.QuantizedLinear;
import dev.rnn4j.nn.QuantizedMatrix;
import dev.rnn4j.nn.WeightFormat;
import dev.rnn4j.nn.internal.QuantizedTensors;
import dev.rnn4j.nn.recurrent.internal.QuantizedCell;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Saving and loading a {@link QuantizedSequenceModel} as safetensors, under the float {@link SequenceModel}'s
 * parameter names with its child names ({@code embedding}, {@code lstm}, {@code readout} by default):
 *
 * <pre>
 * embedding.weight               F32 [V, E]
 * lstm.weight_ih_l{k}            I8 or BF16 [G*H, I_k]   (and lstm.weight_ih_l{k}_scale F32 [G*H] for int8)
 * lstm.weight_hh_l{k}            I8 or BF16 [G*H, H]     (and _scale)
 * lstm.bias_ih_l{k}, bias_hh_l{k}  F32 [G*H]              (if the stack has biases)
 * readout.weight                 I8 or BF16 [out, W]      (and readout.weight_scale; W the stack's output width)
 * readout.bias                   F32 [out]                (if the head has a bias)
 * </pre>
 *
 * A bidirectional stack adds its reverse direction's tensors under PyTorch's names, {@code _reverse} after the layer
 * index ({@code lstm.weight_ih_l{k}_reverse}, {@code lstm.weight_ih_l{k}_reverse_scale}, ...), as in a saved
 * {@link QuantizedRecurrentLayer}; its layers above the first and the head take the merged width W (2H for
 * {@link MergeMode#CONCAT}, H for {@link MergeMode#SUM}) as input.
 *
 * Each matrix is stored as {@link QuantizedTensors} stores it (as in a saved {@link QuantizedRecurrentLayer} and
 * {@link QuantizedLinear}). The metadata holds the float model's entries (the stack's configuration and
 * {@code rnn4j.embedding.*}, {@code rnn4j.recurrent.module}, {@code rnn4j.head.*}) with {@code rnn4j.model =
 * QuantizedSequenceModel} and {@code rnn4j.weight_format}, plus the caller's. Loading checks the whole file against
 * the configuration before it reads a value, as {@link QuantizedLayerFiles} does.
 */
final class QuantizedSequenceModelFiles {

  private QuantizedSequenceModelFiles() {}

  static void save(QuantizedSequenceModel m, Path path, Map<String, String> metadata) throws IOException {
    String op = "QuantizedSequenceModel.save";
    if (path == null || metadata == null) {
      throw new IllegalArgumentException(op + ": " + (path == null ? "path" : "metadata") + " is null"
          + (path == null ? "" : " (Map.of() for none)"));
    }
    RecurrentConfig cfg = m.recurrent.config();
    Map<String, String> own = ModelMetadata.describe(cfg, dev.rnn4j.tensor.DType.FLOAT32);
    own.put(ModelMetadata.MODEL, QuantizedSequenceModel.MODEL);
    own.put(QuantizedTensors.WEIGHT_FORMAT, m.format().name());
    own.put(SequenceModel.RECURRENT + "module", m.recurrentName);
    Map<String, SafetensorsTensor> tensors = new LinkedHashMap<>();
    if (m.table != null) {
      own.put(SequenceModel.EMBEDDING + "module", m.embeddingName);
      own.put(SequenceModel.EMBEDDING + "num_embeddings", Integer.toString(m.numEmbeddings));
      own.put(SequenceModel.EMBEDDING + "dim", Integer.toString(cfg.inputSize()));
      tensors.put(m.embeddingName + ".weight", SafetensorsTensor.ofFloats(new int[] {m.numEmbeddings,
          cfg.inputSize()}, m.table));
    }
    QuantizedLayerFiles.putStack(tensors, m.recurrentName + ".", m.recurrent);
    if (m.head != null) {
      float[] bias = m.head.bias();
      own.put(SequenceModel.HEAD + "module", m.headName);
      own.put(SequenceModel.HEAD + "out_features", Integer.toString(m.head.outFeatures()));
      own.put(SequenceModel.HEAD + "bias", Boolean.toString(bias != null));
      QuantizedTensors.putMatrix(tensors, m.headName + ".weight", m.head.weight());
      if (bias != null) {
        tensors.put(m.headName + ".bias", SafetensorsTensor.ofFloats(new int[] {bias.length}, bias));
      }
    }
    Safetensors.write(path, tensors, ModelMetadata.merge(op, own, metadata));
  }

  static QuantizedSequenceModel load(Path path) throws IOException {
    String op = "QuantizedSequenceModel.load";
    if (path == null) {
      throw new IllegalArgumentException(op + ": path is null");
    }
    try (SafetensorsFile file = SafetensorsFile.open(path)) {
      Map<String, String> meta = file.header().metadata();
      String model = ModelMetadata.model(op, path, meta);
      if (!model.equals(QuantizedSequenceModel.MODEL)) {
        throw new IllegalArgumentException(op + ": " + path + ": metadata 'rnn4j.model' is '" + model + "', not a "
            + "quantized sequence model" + (model.equals(SequenceModel.MODEL) ? " (a float one: load it with "
            + "SequenceModel.load, then quantize it)" : ""));
      }
      WeightFormat format = QuantizedTensors.format(op, path, meta);
      RecurrentConfig cfg = ModelMetadata.newLayer(op, path, meta).config();
      if (cfg.projSize() > 0 || cfg.peephole()) {
        throw new IllegalArgumentException(op + ": " + path + ": the configuration is projected or peephole; "
            + "quantized stacks are plain LSTM, GRU or RNN stacks");
      }
      String embeddingName = meta.get(SequenceModel.EMBEDDING + "module");
      int numEmbeddings = 0;
      if (embeddingName != null) {
        numEmbeddings = ModelMetadata.integer(op, path, meta, SequenceModel.EMBEDDING + "num_embeddings", 1);
        int dim = ModelMetadata.integer(op, path, meta, SequenceModel.EMBEDDING + "dim", 1);
        if (dim != cfg.inputSize()) {
          throw new IllegalArgumentException(op + ": " + path + ": metadata says embedding dim " + dim + " but the "
              + cfg.name() + "'s input size is " + cfg.inputSize());
        }
      }
      String recurrentName = meta.get(SequenceModel.RECURRENT + "module");
      if (recurrentName == null) {
        throw new IllegalArgumentException(op + ": " + path + ": metadata lacks '" + SequenceModel.RECURRENT
            + "module'");
      }
      String headName = meta.get(SequenceModel.HEAD + "module");
      int out = headName == null ? 0 : ModelMetadata.integer(op, path, meta, SequenceModel.HEAD + "out_features", 1);
      boolean headBias = headName != null && ModelMetadata.bool(op, path, meta, SequenceModel.HEAD + "bias");

      Map<String, QuantizedTensors.Expected> want = QuantizedTensors.expected();
      if (embeddingName != null) {
        QuantizedTensors.expectFloatMatrix(want, embeddingName + ".weight", numEmbeddings, cfg.inputSize());
      }
      String r = recurrentName + ".";
      QuantizedLayerFiles.expectStack(want, r, cfg, format);
      if (headName != null) {
        QuantizedTensors.expectMatrix(want, headName + ".weight", format, out, cfg.outputSize());
        if (headBias) {
          QuantizedTensors.expectVector(want, headName + ".bias", out);
        }
      }
      QuantizedTensors.checkExactly(op, path, file, want, format + " QuantizedSequenceModel of a "
          + (cfg.bidirectional() ? "bidirectional " : "") + cfg.name() + " with " + cfg.numLayers() + " layer(s)");

      float[] table = embeddingName == null ? null : file.read(embeddingName + ".weight").floats();
      QuantizedCell[] cells = QuantizedLayerFiles.readStack(op, path, file, r, cfg, format);
      QuantizedLinear head = null;
      if (headName != null) {
        QuantizedMatrix w = QuantizedTensors.readMatrix(op, path, file, headName + ".weight", format, out,
            cfg.outputSize(), new int[0]);
        head = QuantizedLinear.of(w, headBias ? file.read(headName + ".bias").floats() : null);
      }
      return new QuantizedSequenceModel(embeddingName, table, numEmbeddings, recurrentName,
          QuantizedRecurrentLayer.of(cfg, format, cells), headName, head);
    }
  }
}
