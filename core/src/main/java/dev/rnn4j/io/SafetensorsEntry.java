package dev.rnn4j.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor's line in a validated safetensors header: name, dtype, shape and its byte range
 * {@code [begin, end)} within the data section (which starts right after the header).
 *
 * @param name the tensor's name (for a PyTorch model, its {@code state_dict} key)
 * @param dtype the element type
 * @param shape the dimensions, row-major; empty for a scalar (a defensive copy is kept and returned)
 * @param begin first byte, relative to the start of the data section
 * @param end one past the last byte
 */
public record SafetensorsEntry(String name, SafetensorsDtype dtype, long[] shape, long begin, long end) {

  public SafetensorsEntry {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(dtype, "dtype");
    shape = shape.clone();
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** Number of elements: the product of the shape (1 for a scalar). The header validation ruled out overflow. */
  public long elementCount() {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  /** Number of bytes, {@code end - begin}. */
  public long byteLength() {
    return end - begin;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SafetensorsEntry e && name.equals(e.name) && dtype == e.dtype
        && Arrays.equals(shape, e.shape) && begin == e.begin && end == e.end;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, dtype, Arrays.hashCode(shape), begin, end);
  }

  @Override
  public String toString() {
    return "'" + name + "' " + dtype + " " + Arrays.toString(shape) + " data_offsets [" + begin + ", " + end + "]";
  }
}
