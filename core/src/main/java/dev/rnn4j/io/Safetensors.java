package dev.rnn4j.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reading and writing the <a href="https://github.com/huggingface/safetensors">safetensors</a> format: an 8-byte
 * little-endian header length N, N bytes of JSON naming each tensor's dtype, shape and byte range, then the raw
 * little-endian data. See {@code docs/safetensors.md} for the format, the validation rules and PyTorch interop.
 *
 * <p>Files that are not well-formed are rejected with {@link SafetensorsFormatException} (an {@link IOException})
 * whose message names the file, the tensor and the problem. Writes are atomic: a failed or interrupted write leaves
 * the previous file as it was.
 */
public final class Safetensors {

  private Safetensors() {
  }

  /**
   * Reads every tensor of a file (F32 and F64 only), in data order.
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
   * @throws IllegalArgumentException for a null name, tensor or metadata entry, or a tensor named
   *     {@code __metadata__}
   */
  public static void write(Path path, Map<String, SafetensorsTensor> tensors, Map<String, String> metadata)
      throws IOException {
    SafetensorsWriter.write(path, tensors, metadata, SafetensorsWriter.Probe.NONE);
  }
}
