package dev.rnn4j.nn.recurrent;

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.nn.recurrent.internal.DoubleRecurrentEngine;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Tensor;
import java.util.function.IntFunction;

/**
 * The packed weight matrices of a layer's streaming steps or forward passes ({@link DoubleRecurrentEngine.PackedStep}
 * or its float twin, one per layer-direction), with what they were packed from: the kernels, the dtype, the weight tensors and their
 * {@link Tensor#version() versions}. Immutable, so all stream states of a layer share one, on any thread; when the
 * weights change (an optimizer step, loading, {@link Tensor#markModified()}), the layer packs a new one.
 */
final class StreamPack {

  // the dtype's kernels of the set the matrices were packed on (a DoubleKernels or FloatKernels: the packed layout)
  private final Object kernels;
  private final DType dtype;
  // matrices[j][l]: the j-th weight matrix of layer l the steps pack or read (weight_ih, weight_hh, then the cell's
  // further parameters, such as an LSTM's weight_hr)
  private final Tensor[][] matrices;
  private final long[] versions;
  private final Object[] packed;

  private StreamPack(Object kernels, DType dtype, Tensor[][] matrices, long[] versions, Object[] packed) {
    this.kernels = kernels;
    this.dtype = dtype;
    this.matrices = matrices;
    this.versions = versions;
    this.packed = packed;
  }

  /**
   * Packs the step matrices of the first {@code layers} layers through {@code state}, whose weight holders must point
   * at {@code matrices} (per layer: weight_ih, weight_hh and the cell's further parameters, whose versions it keeps).
   */
  static StreamPack of(StreamState state, DType dtype, int layers, Tensor[][] matrices) {
    return of(kernelsOf(state.kernels(), dtype), dtype, layers, matrices, state::pack);
  }

  /**
   * Packs the step matrices of the first {@code count} layer-directions ({@code l * D + d}) with {@code packer},
   * which packs on {@code kernels} (the dtype's kernels of a set, see {@link #kernelsOf}) from {@code matrices} (per layer-direction: weight_ih, weight_hh and the cell's
   * further parameters, whose versions it keeps) into new storage.
   */
  static StreamPack of(Object kernels, DType dtype, int count, Tensor[][] matrices, IntFunction<Object> packer) {
    // Versions are read before packing: a write that races with the packing then shows as a newer version.
    long[] versions = versions(matrices, count);
    Object[] packed = new Object[count];
    for (int l = 0; l < count; l++) {
      packed[l] = packer.apply(l);
    }
    Tensor[][] copy = new Tensor[matrices.length][];
    for (int j = 0; j < matrices.length; j++) {
      copy[j] = matrices[j].clone();
    }
    return new StreamPack(kernels, dtype, copy, versions, packed);
  }

  /** The current versions of the first {@code count} layer-directions' matrices, in the order a pack keeps them. */
  static long[] versions(Tensor[][] matrices, int count) {
    long[] versions = new long[matrices.length * count];
    for (int j = 0; j < matrices.length; j++) {
      for (int l = 0; l < count; l++) {
        versions[j * count + l] = matrices[j][l].version();
      }
    }
    return versions;
  }

  /** The sum of the current versions of the first {@code count} layer-directions' matrices. Allocates nothing. */
  static long versionSum(Tensor[][] matrices, int count) {
    long sum = 0;
    for (Tensor[] m : matrices) {
      for (int l = 0; l < count; l++) {
        sum += m[l].version();
      }
    }
    return sum;
  }

  /** The kernels of {@code set} that a layer of {@code dtype} packs with: the key of its packs. */
  static Object kernelsOf(Kernels set, DType dtype) {
    return dtype == DType.FLOAT64 ? set.f64() : set.f32();
  }

  /**
   * Whether this pack was made on these kernels ({@link #kernelsOf}) and dtype from these tensors, unchanged since.
   * Allocates nothing.
   */
  boolean matches(Object k, DType dt, int layers, Tensor[][] now) {
    if (k != kernels || dt != dtype || layers != packed.length || now.length != matrices.length) {
      return false;
    }
    for (int j = 0; j < now.length; j++) {
      for (int l = 0; l < layers; l++) {
        if (now[j][l] != matrices[j][l] || now[j][l].version() != versions[j * layers + l]) {
          return false;
        }
      }
    }
    return true;
  }

  /** Layer l's packed step matrices. */
  Object layer(int l) {
    return packed[l];
  }

  /** Every layer-direction's packed step matrices (the pack's own array: read it, never write it). */
  Object[] all() {
    return packed;
  }
}
