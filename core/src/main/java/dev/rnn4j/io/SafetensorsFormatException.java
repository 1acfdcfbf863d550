package dev.rnn4j.io;

import java.io.IOException;
import java.io.Serial;

/**
 * A file is not a well-formed safetensors file: bad header length, invalid JSON, unknown dtype, inconsistent shape
 * and byte length, offsets outside the data section, overlapping offsets or gaps, duplicate names. The message names
 * the file, the tensor (where there is one) and the problem. An {@link IOException} like
 * {@link java.util.zip.ZipException}: the input is corrupt, the caller's arguments are not at fault.
 */
public final class SafetensorsFormatException extends IOException {
  @Serial
  private static final long serialVersionUID = 1L;

  public SafetensorsFormatException(String message) {
    super(message);
  }

  public SafetensorsFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
