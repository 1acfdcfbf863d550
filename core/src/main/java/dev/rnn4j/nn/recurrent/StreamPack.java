package dev.rnn4j.nn.recurrent;

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Tensor;

/**
 * The packed weight matrices of a layer's streaming steps ({@link DoubleRecurrentEngine.PackedStep} or its float
 * twin, one per layer), with what they were packed from: the kernels, the dtype, the weight tensors and their
 * {@link Tensor#version() versions}. Immutable, so all stream states of a layer share one, on any thread; when the
 * weights change (an optimizer step, loading, {@link Tensor#markModified()}), the layer packs a new one.
 */
final class StreamPack {

  private final Kernels kernels;
  private final DType dtype;
  private final Tensor[] wih;
  private final Tensor[] whh;
  private final long[] versions;
  private final Object[] packed;

  private StreamPack(Kernels kernels, DType dtype, Tensor[] wih, Tensor[] whh, long[] versions, Object[] packed) {
    this.kernels = kernels;
    this.dtype = dtype;
    this.wih = wih;
    this.whh = whh;
    this.versions = versions;
    this.packed = packed;
  }

  /**
   * Packs the first {@code layers} entries of {@code wih} and {@code whh} through {@code state}, whose weight holders
   * must point at them.
   */
  static StreamPack of(StreamState state, DType dtype, int layers, Tensor[] wih, Tensor[] whh) {
    // Versions are read before packing: a write that races with the packing then shows as a newer version.
    long[] versions = versionsOf(layers, wih, whh);
    Object[] packed = new Object[layers];
    for (int l = 0; l < layers; l++) {
      packed[l] = state.pack(l);
    }
    return new StreamPack(state.kernels(), dtype, wih.clone(), whh.clone(), versions, packed);
  }

  private static long[] versionsOf(int layers, Tensor[] wih, Tensor[] whh) {
    long[] v = new long[2 * layers];
    for (int l = 0; l < layers; l++) {
      v[2 * l] = wih[l].version();
      v[2 * l + 1] = whh[l].version();
    }
    return v;
  }

  /** Whether this pack was made on these kernels and dtype from these tensors, unchanged since. Allocates nothing. */
  boolean matches(Kernels k, DType dt, int layers, Tensor[] wihNow, Tensor[] whhNow) {
    if (k != kernels || dt != dtype || layers != packed.length) {
      return false;
    }
    for (int l = 0; l < layers; l++) {
      if (wihNow[l] != wih[l] || whhNow[l] != whh[l]
          || wihNow[l].version() != versions[2 * l] || whhNow[l].version() != versions[2 * l + 1]) {
        return false;
      }
    }
    return true;
  }

  /** Layer l's packed step matrices. */
  Object layer(int l) {
    return packed[l];
  }
}
