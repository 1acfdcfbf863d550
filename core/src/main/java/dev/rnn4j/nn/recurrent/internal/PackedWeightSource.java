package dev.rnn4j.nn.recurrent.internal;

import java.util.function.IntFunction;

/**
 * Where a stack's forward pass gets the packed step matrices of its weights ({@link DoubleRecurrentEngine.PackedStep}
 * or the float twin, one per layer-direction {@code l * D + d}) instead of packing them on every pass: the layer
 * keeps them between calls for the weights' current versions.
 */
@FunctionalInterface
public interface PackedWeightSource {

  /**
   * The packed step matrices of every layer-direction for the weights the calling runner points at now, on
   * {@code kernels} (the runner's {@code DoubleKernels} or {@code FloatKernels}, whose layout the packs have); when
   * none are kept for these kernels and the weights' current versions, made with {@code packer} (index to a new,
   * never again written pack); or null: the caller packs them itself this time. The returned array and its packs are
   * only read by the caller.
   */
  Object[] packed(Object kernels, IntFunction<Object> packer);
}
