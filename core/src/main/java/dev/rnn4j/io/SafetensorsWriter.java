package dev.rnn4j.io;

import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes safetensors files atomically.
 *
 * <p>Layout as the reference serializer: tensors sorted by dtype alignment (F64, F32, BF16, I8), then by name (UTF-8 byte
 * order); header {@code {"__metadata__":{...},"name":{"dtype":..,"shape":[..],"data_offsets":[b,e]},...}} in compact
 * JSON, padded with spaces to a multiple of 8 bytes so that every tensor's data is aligned to its element size.
 *
 * <p>Atomicity: the bytes go to a temporary file in the target's directory ({@link TempFile}: named
 * {@code .<target>.<16 hex digits>.tmp}, locked while the save runs), which is forced to disk and then renamed over
 * the target ({@link StandardCopyOption#ATOMIC_MOVE}; plain replace only where the file system cannot rename
 * atomically). Any failure before the rename deletes the temporary file and leaves the previous target untouched.
 * Temporary files of earlier saves of the same target that were interrupted (a killed JVM) are removed first
 * ({@link StaleTemporaries}).
 */
final class SafetensorsWriter {

  /** Test hook: called at each stage of a write; a test makes it throw to simulate a crash mid-write. */
  interface Probe {
    Probe NONE = stage -> { };

    void reached(String stage) throws IOException;
  }

  private static final System.Logger LOG = System.getLogger(SafetensorsWriter.class.getName());

  private SafetensorsWriter() {
  }

  static void write(Path path, Map<String, SafetensorsTensor> tensors, Map<String, String> metadata, Probe probe)
      throws IOException {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(tensors, "tensors");
    Objects.requireNonNull(metadata, "metadata");
    List<Map.Entry<String, SafetensorsTensor>> ordered = validateAndOrder(tensors, metadata);
    byte[] header = headerBytes(ordered, metadata);

    Path target = path.toAbsolutePath();
    Path dir = target.getParent();
    StaleTemporaries.remove(target);
    TempFile tmp = TempFile.create(target);
    boolean moved = false;
    try {
      try (FileChannel out = tmp.channel()) {
        ByteBuffer buf = ByteBuffer.allocate(SafetensorsFile.CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(header.length);
        buf.flip();
        writeFully(out, buf);
        writeFully(out, ByteBuffer.wrap(header));
        probe.reached("header");
        for (Map.Entry<String, SafetensorsTensor> e : ordered) {
          writeData(out, buf, e.getValue());
          probe.reached("tensor " + e.getKey());
        }
        out.force(true);
        probe.reached("before move");
        // Still open and locked: another process's cleanup sees a live save until the file has its final name.
        try {
          Files.move(tmp.path(), target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          LOG.log(System.Logger.Level.DEBUG, "atomic move unsupported for {0}; replacing instead", target);
          Files.move(tmp.path(), target, StandardCopyOption.REPLACE_EXISTING);
        }
        moved = true;
      }
      syncDirectory(dir);
    } finally {
      if (!moved) {
        try {
          Files.deleteIfExists(tmp.path());
        } catch (IOException suppressed) {
          LOG.log(System.Logger.Level.WARNING, "could not delete temporary file " + tmp.path(), suppressed);
        }
      }
      tmp.release();
    }
  }

  private static List<Map.Entry<String, SafetensorsTensor>> validateAndOrder(Map<String, SafetensorsTensor> tensors,
                                                                            Map<String, String> metadata) {
    for (Map.Entry<String, String> m : metadata.entrySet()) {
      if (m.getKey() == null || m.getValue() == null) {
        throw new IllegalArgumentException("safetensors write: metadata entries must not be null: " + m);
      }
    }
    List<Map.Entry<String, SafetensorsTensor>> ordered = new ArrayList<>();
    for (Map.Entry<String, SafetensorsTensor> e : tensors.entrySet()) {
      if (e.getKey() == null || e.getValue() == null) {
        throw new IllegalArgumentException("safetensors write: null name or tensor: " + e);
      }
      if (e.getKey().equals(SafetensorsHeader.METADATA_KEY)) {
        throw new IllegalArgumentException("safetensors write: '" + SafetensorsHeader.METADATA_KEY
            + "' is reserved and cannot name a tensor");
      }
      ordered.add(Map.entry(e.getKey(), e.getValue()));
    }
    Comparator<Map.Entry<String, SafetensorsTensor>> byAlignment =
        Comparator.comparing(e -> e.getValue().dtype(), Comparator.reverseOrder());
    ordered.sort(byAlignment.thenComparing((a, b) -> Arrays.compareUnsigned(
        a.getKey().getBytes(StandardCharsets.UTF_8), b.getKey().getBytes(StandardCharsets.UTF_8))));
    return ordered;
  }

  /** The JSON header, space-padded to a multiple of 8 bytes. */
  static byte[] headerBytes(List<Map.Entry<String, SafetensorsTensor>> ordered, Map<String, String> metadata) {
    StringWriter text = new StringWriter();
    try (JsonWriter json = new JsonWriter(text)) {
      json.setHtmlSafe(false);
      json.beginObject();
      if (!metadata.isEmpty()) {
        json.name(SafetensorsHeader.METADATA_KEY).beginObject();
        for (Map.Entry<String, String> m : metadata.entrySet()) {
          json.name(m.getKey()).value(m.getValue());
        }
        json.endObject();
      }
      long offset = 0;
      for (Map.Entry<String, SafetensorsTensor> e : ordered) {
        SafetensorsTensor t = e.getValue();
        long bytes = (long) t.size() * (t.dtype().bitsPerElement() / 8);
        json.name(e.getKey()).beginObject();
        json.name("dtype").value(t.dtype().name());
        json.name("shape").beginArray();
        for (int d : t.shape()) {
          json.value(d);
        }
        json.endArray();
        json.name("data_offsets").beginArray().value(offset).value(offset + bytes).endArray();
        json.endObject();
        offset += bytes;
      }
      json.endObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to a StringWriter cannot fail", e);
    }
    byte[] raw = text.toString().getBytes(StandardCharsets.UTF_8);
    int padded = (raw.length + 7) / 8 * 8;
    byte[] out = Arrays.copyOf(raw, padded);
    Arrays.fill(out, raw.length, padded, (byte) ' ');
    return out;
  }

  private static void writeData(FileChannel out, ByteBuffer buf, SafetensorsTensor t) throws IOException {
    if (t.dtype() == SafetensorsDtype.F32) {
      float[] v = t.floatsNoCopy();
      for (int done = 0; done < v.length; ) {
        int n = Math.min(v.length - done, SafetensorsFile.CHUNK_BYTES / Float.BYTES);
        buf.clear();
        buf.asFloatBuffer().put(v, done, n);
        buf.limit(n * Float.BYTES);
        writeFully(out, buf);
        done += n;
      }
    } else if (t.dtype() == SafetensorsDtype.BF16) {
      short[] v = t.bf16NoCopy();
      for (int done = 0; done < v.length; ) {
        int n = Math.min(v.length - done, SafetensorsFile.CHUNK_BYTES / Short.BYTES);
        buf.clear();
        buf.asShortBuffer().put(v, done, n);
        buf.limit(n * Short.BYTES);
        writeFully(out, buf);
        done += n;
      }
    } else if (t.dtype() == SafetensorsDtype.I8) {
      byte[] v = t.int8NoCopy();
      for (int done = 0; done < v.length; ) {
        int n = Math.min(v.length - done, SafetensorsFile.CHUNK_BYTES);
        buf.clear();
        buf.put(v, done, n);
        buf.flip();
        writeFully(out, buf);
        done += n;
      }
    } else {
      double[] v = t.doublesNoCopy();
      for (int done = 0; done < v.length; ) {
        int n = Math.min(v.length - done, SafetensorsFile.CHUNK_BYTES / Double.BYTES);
        buf.clear();
        buf.asDoubleBuffer().put(v, done, n);
        buf.limit(n * Double.BYTES);
        writeFully(out, buf);
        done += n;
      }
    }
  }

  private static void writeFully(FileChannel out, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      out.write(buf);
    }
  }

  /** Makes the rename durable where the platform allows opening a directory (POSIX); elsewhere a no-op. */
  private static void syncDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      LOG.log(System.Logger.Level.DEBUG, "directory sync not available for {0}: {1}", dir, e);
    }
  }
}
