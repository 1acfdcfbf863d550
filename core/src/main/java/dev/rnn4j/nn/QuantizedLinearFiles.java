package dev.rnn4j.nn;

import dev.rnn4j.io.Safetensors;
import dev.rnn4j.io.SafetensorsEntry;
import dev.rnn4j.io.SafetensorsFile;
import dev.rnn4j.io.SafetensorsTensor;
import dev.rnn4j.nn.internal.QuantizedTensors;
import dev.rnn4j.nn.internal.SavedMetadata;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Saving and loading a {@link QuantizedLinear} as safetensors, with the matrix encoding of the quantized recurrent
 * layers ({@link QuantizedTensors}) under {@link Linear}'s PyTorch names:
 *
 * <pre>
 * weight        I8 or BF16 [out, in]
 * weight_scale  F32 [out]    (int8 only)
 * bias          F32 [out]    (if the layer has one)
 * </pre>
 *
 * and in the metadata {@code rnn4j.format = 1}, {@code rnn4j.model = QuantizedLinear} and
 * {@code rnn4j.weight_format}. The sizes are the weight's shape and the bias is there or not, so the metadata names
 * nothing the tensors already say.
 */
final class QuantizedLinearFiles {

  static final String MODEL = "QuantizedLinear";

  private QuantizedLinearFiles() {}

  static void save(QuantizedLinear layer, Path path, Map<String, String> metadata) throws IOException {
    String op = "QuantizedLinear.save";
    Map<String, String> own = new LinkedHashMap<>();
    own.put(SavedMetadata.FORMAT, Integer.toString(SavedMetadata.VERSION));
    own.put(SavedMetadata.MODEL, MODEL);
    own.put(QuantizedTensors.WEIGHT_FORMAT, layer.weight().format().name());
    Map<String, String> all = SavedMetadata.merge(op, own, metadata);
    Map<String, SafetensorsTensor> tensors = new LinkedHashMap<>();
    QuantizedTensors.putMatrix(tensors, "weight", layer.weight());
    float[] bias = layer.bias();
    if (bias != null) {
      tensors.put("bias", SafetensorsTensor.ofFloats(new int[] {bias.length}, bias));
    }
    Safetensors.write(path, tensors, all);
  }

  static QuantizedLinear load(Path path) throws IOException {
    String op = "QuantizedLinear.load";
    if (path == null) {
      throw new IllegalArgumentException(op + ": path is null");
    }
    try (SafetensorsFile file = SafetensorsFile.open(path)) {
      Map<String, String> meta = file.header().metadata();
      String model = SavedMetadata.model(op, path, meta);
      if (!model.equals(MODEL)) {
        throw new IllegalArgumentException(op + ": " + path + ": metadata 'rnn4j.model' is '" + model
            + "', not a quantized linear layer");
      }
      WeightFormat format = QuantizedTensors.format(op, path, meta);
      SafetensorsEntry w = file.header().entry("weight").orElseThrow(() -> new IllegalArgumentException(op + ": "
          + path + ": tensor 'weight' is missing"));
      long[] shape = w.shape();
      if (shape.length != 2 || shape[0] < 1 || shape[1] < 1 || shape[0] > Integer.MAX_VALUE
          || shape[1] > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(op + ": " + path + ": tensor 'weight' has shape " + Arrays.toString(shape)
            + ", expected [out, in] with both >= 1");
      }
      int out = (int) shape[0];
      int in = (int) shape[1];
      boolean bias = file.header().names().contains("bias");
      Map<String, QuantizedTensors.Expected> want = QuantizedTensors.expected();
      QuantizedTensors.expectMatrix(want, "weight", format, out, in);
      if (bias) {
        QuantizedTensors.expectVector(want, "bias", out);
      }
      QuantizedTensors.checkExactly(op, path, file, want, format + " Linear [" + out + ", " + in + "]");
      QuantizedMatrix weight = QuantizedTensors.readMatrix(op, path, file, "weight", format, out, in, new int[0]);
      return QuantizedLinear.of(weight, bias ? file.read("bias").floats() : null);
    }
  }
}
