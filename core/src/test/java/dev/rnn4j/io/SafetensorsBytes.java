package dev.rnn4j.io;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Builds safetensors files byte by byte from the format definition, independently of the writer under test. */
final class SafetensorsBytes {

  private SafetensorsBytes() {
  }

  /** 8-byte little-endian {@code n}, then {@code header} as UTF-8 (not padded), then {@code data}. */
  static byte[] file(long n, String header, byte[] data) {
    return concat(le64(n), header.getBytes(StandardCharsets.UTF_8), data);
  }

  /** A file whose length field is the header's true UTF-8 length. */
  static byte[] file(String header, byte[] data) {
    return file(header.getBytes(StandardCharsets.UTF_8).length, header, data);
  }

  static byte[] le64(long v) {
    return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
  }

  static byte[] f32(float... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putInt(Float.floatToRawIntBits(v));
    }
    return b.array();
  }

  static byte[] f64(double... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : values) {
      b.putLong(Double.doubleToRawLongBits(v));
    }
    return b.array();
  }

  static byte[] zeros(int n) {
    return new byte[n];
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  static byte[] spaces(int n) {
    byte[] b = new byte[n];
    java.util.Arrays.fill(b, (byte) ' ');
    return b;
  }
}
