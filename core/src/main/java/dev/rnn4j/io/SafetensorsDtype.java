package dev.rnn4j.io;

import java.util.Optional;

/**
 * The element types a safetensors header may name, in the reference implementation's order (increasing alignment).
 *
 * <p>rnn4j recognises all of them so that it can validate any well-formed file (byte lengths included), but it
 * reads only {@link #F32} and {@link #F64} (model parameters) and {@link #BF16} and {@link #I8} (the stored values of
 * quantized weights) into arrays: {@link #isReadable()}. A tensor of another dtype is rejected when it is read, with a
 * message naming the tensor and its dtype.
 */
public enum SafetensorsDtype {
  BOOL(8), F4(4), F6_E2M3(6), F6_E3M2(6), U8(8), I8(8), F8_E5M2(8), F8_E4M3(8), F8_E8M0(8),
  F8_E4M3FNUZ(8), F8_E5M2FNUZ(8), I16(16), U16(16), F16(16), BF16(16), I32(32), U32(32), F32(32), C64(64),
  F64(64), I64(64), U64(64);

  private final int bits;

  SafetensorsDtype(int bits) {
    this.bits = bits;
  }

  /** Bits per element (4 and 6 for the packed sub-byte formats). */
  public int bitsPerElement() {
    return bits;
  }

  /** Whether rnn4j reads this dtype into arrays: F32, F64, BF16 and I8. */
  public boolean isReadable() {
    return this == F32 || this == F64 || this == BF16 || this == I8;
  }

  /** Whether this is a dtype of model parameters (F32, F64): the others rnn4j reads are quantized weights. */
  public boolean isFloatParameter() {
    return this == F32 || this == F64;
  }

  /** The dtype spelled exactly {@code code} (case-sensitive, as in headers), if there is one. */
  public static Optional<SafetensorsDtype> fromCode(String code) {
    for (SafetensorsDtype d : values()) {
      if (d.name().equals(code)) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }
}
