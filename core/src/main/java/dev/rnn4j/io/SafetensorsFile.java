package dev.rnn4j.io;

import dev.rnn4j.tensor.Checks;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An open safetensors file whose header has been read and validated; tensors are read on request.
 *
 * <p>{@link #open} reads only the 8-byte length and the header, checks them against the file size (see
 * {@link SafetensorsHeader}) and throws {@link SafetensorsFormatException} for any inconsistency. Tensor data is then
 * read through the channel in chunks of at most {@value #CHUNK_BYTES} bytes straight into the destination array,
 * so reading a model needs memory for the model's values plus one chunk, not for the whole file.
 */
public final class SafetensorsFile implements AutoCloseable {

  /** Size of the little-endian staging buffer used for reads and writes. */
  static final int CHUNK_BYTES = 1 << 16;

  private final String source;
  private final FileChannel channel;
  private final SafetensorsHeader header;
  private final long dataStart;

  private SafetensorsFile(String source, FileChannel channel, SafetensorsHeader header, long dataStart) {
    this.source = source;
    this.channel = channel;
    this.header = header;
    this.dataStart = dataStart;
  }

  /**
   * Opens {@code path} and validates its header.
   *
   * @throws SafetensorsFormatException if the file is not well-formed (the message names the tensor and problem)
   * @throws IOException if it cannot be read
   */
  public static SafetensorsFile open(Path path) throws IOException {
    Checks.notNull(path, "safetensors read", "path");
    String source = path.toString();
    FileChannel channel = openForReading(path, source);
    try {
      long size = channel.size();
      if (size < 8) {
        throw new SafetensorsFormatException(source + ": file has " + size
            + " bytes, fewer than the 8-byte header length");
      }
      ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(channel, lengthBytes, 0, source);
      long n = lengthBytes.flip().getLong();
      // n is an unsigned 64-bit value: a negative long is > 2^63 and thus too large as well.
      if (n < 0 || n > SafetensorsHeader.MAX_HEADER_BYTES) {
        throw new SafetensorsFormatException(source + ": header length " + Long.toUnsignedString(n)
            + " exceeds the limit of " + SafetensorsHeader.MAX_HEADER_BYTES + " bytes");
      }
      if (n > size - 8) {
        throw new SafetensorsFormatException(source + ": header length " + n + " exceeds the " + (size - 8)
            + " bytes that follow it in the file");
      }
      if (n < 2) {
        throw new SafetensorsFormatException(source + ": header length " + n
            + " is too small for a JSON object (at least 2 bytes, \"{}\")");
      }
      ByteBuffer json = ByteBuffer.allocate((int) n);
      readFully(channel, json, 8, source);
      SafetensorsHeader header = SafetensorsHeader.parse(source, json.array(), size - 8 - n);
      return new SafetensorsFile(source, channel, header, 8 + n);
    } catch (IOException | RuntimeException e) {
      try {
        channel.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /**
   * Opens the file, with errors that say what is wrong with which path: the JDK reports a directory only at the first
   * read ("Is a directory", without the path), and its missing-file and permission errors name the path alone.
   */
  private static FileChannel openForReading(Path path, String source) throws IOException {
    if (Files.isDirectory(path)) {
      throw new IllegalArgumentException("safetensors read: " + source + " is a directory, not a safetensors file");
    }
    try {
      return FileChannel.open(path, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw withCause(new NoSuchFileException(source, null, "safetensors read: no such file"), e);
    } catch (AccessDeniedException e) {
      throw withCause(new AccessDeniedException(source, null, "safetensors read: file is not readable (permission "
          + "denied)"), e);
    }
  }

  private static <E extends IOException> E withCause(E e, IOException cause) {
    e.initCause(cause);
    return e;
  }

  /** The validated header. */
  public SafetensorsHeader header() {
    return header;
  }

  /**
   * Reads one F32, F64, BF16 or I8 tensor.
   *
   * @throws IllegalArgumentException if there is no tensor called {@code name}
   * @throws SafetensorsFormatException if its dtype is another, or it has more than 2^31 - 1 elements
   */
  public SafetensorsTensor read(String name) throws IOException {
    SafetensorsEntry e = header.entry(name).orElseThrow(() -> new IllegalArgumentException(
        "safetensors: " + source + " has no tensor '" + name + "'; it has " + header.names()));
    checkReadable(e);
    int[] shape = intShape(e);
    int count = (int) e.elementCount();
    if (e.dtype() == SafetensorsDtype.F32) {
      float[] out = new float[count];
      readFloats(e, out);
      return SafetensorsTensor.wrapFloats(shape, out);
    }
    if (e.dtype() == SafetensorsDtype.BF16) {
      short[] out = new short[count];
      ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
      long position = dataStart + e.begin();
      for (int done = 0; done < count; ) {
        int n = Math.min(count - done, CHUNK_BYTES / Short.BYTES);
        buf.clear().limit(n * Short.BYTES);
        readFully(channel, buf, position, source);
        buf.flip().asShortBuffer().get(out, done, n);
        done += n;
        position += (long) n * Short.BYTES;
      }
      return SafetensorsTensor.wrapBf16(shape, out);
    }
    if (e.dtype() == SafetensorsDtype.I8) {
      byte[] out = new byte[count];
      ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES);
      long position = dataStart + e.begin();
      for (int done = 0; done < count; ) {
        int n = Math.min(count - done, CHUNK_BYTES);
        buf.clear().limit(n);
        readFully(channel, buf, position, source);
        buf.flip().get(out, done, n);
        done += n;
        position += n;
      }
      return SafetensorsTensor.wrapInt8(shape, out);
    }
    double[] out = new double[count];
    readDoubles(e, out);
    return SafetensorsTensor.wrapDoubles(shape, out);
  }

  /**
   * Reads every tensor, in data order. Checks all dtypes and sizes first, so that an unreadable tensor anywhere in
   * the file fails before any data is read.
   */
  public Map<String, SafetensorsTensor> readAll() throws IOException {
    for (SafetensorsEntry e : header.entries()) {
      checkReadable(e);
    }
    Map<String, SafetensorsTensor> out = new LinkedHashMap<>();
    for (SafetensorsEntry e : header.entries()) {
      out.put(e.name(), read(e.name()));
    }
    return out;
  }

  /** Throws if rnn4j cannot read the entry into an array: dtype other than F32/F64/BF16/I8, or too many elements. */
  void checkReadable(SafetensorsEntry e) throws SafetensorsFormatException {
    if (!e.dtype().isReadable()) {
      throw new SafetensorsFormatException(source + ": tensor '" + e.name() + "' has dtype " + e.dtype()
          + ", which rnn4j does not read (only F32, F64, BF16 and I8)");
    }
    intShape(e);
  }

  private int[] intShape(SafetensorsEntry e) throws SafetensorsFormatException {
    long[] shape = e.shape();
    if (e.elementCount() > Integer.MAX_VALUE) {
      throw new SafetensorsFormatException(source + ": tensor '" + e.name() + "' has " + e.elementCount()
          + " elements, more than a Java array holds");
    }
    int[] out = new int[shape.length];
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] > Integer.MAX_VALUE) {
        throw new SafetensorsFormatException(source + ": tensor '" + e.name() + "' dimension " + i + " is "
            + shape[i] + ", larger than 2^31 - 1");
      }
      out[i] = (int) shape[i];
    }
    return out;
  }

  /** Reads an F32 entry's values into {@code out} (length = element count). */
  void readFloats(SafetensorsEntry e, float[] out) throws IOException {
    assert e.dtype() == SafetensorsDtype.F32 && out.length == e.elementCount();
    ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    long position = dataStart + e.begin();
    int done = 0;
    while (done < out.length) {
      int n = Math.min(out.length - done, CHUNK_BYTES / Float.BYTES);
      buf.clear().limit(n * Float.BYTES);
      readFully(channel, buf, position, source);
      buf.flip().asFloatBuffer().get(out, done, n);
      done += n;
      position += (long) n * Float.BYTES;
    }
  }

  /** Reads an F64 entry's values into {@code out} (length = element count). */
  void readDoubles(SafetensorsEntry e, double[] out) throws IOException {
    assert e.dtype() == SafetensorsDtype.F64 && out.length == e.elementCount();
    ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    long position = dataStart + e.begin();
    int done = 0;
    while (done < out.length) {
      int n = Math.min(out.length - done, CHUNK_BYTES / Double.BYTES);
      buf.clear().limit(n * Double.BYTES);
      readFully(channel, buf, position, source);
      buf.flip().asDoubleBuffer().get(out, done, n);
      done += n;
      position += (long) n * Double.BYTES;
    }
  }

  private static void readFully(FileChannel channel, ByteBuffer buf, long position, String source)
      throws IOException {
    long p = position;
    while (buf.hasRemaining()) {
      int r = channel.read(buf, p);
      if (r < 0) {
        // The size was checked at open; the file shrank since.
        throw new EOFException(source + ": unexpected end of file at byte " + p);
      }
      p += r;
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  @Override
  public String toString() {
    return "SafetensorsFile[" + source + ", " + header.entries().size() + " tensors]";
  }
}
