package dev.rnn4j.nn.recurrent;

import dev.rnn4j.kernels.FloatKernels;
import dev.rnn4j.kernels.QuantizedKernels;

/**
 * The scratch of a {@link QuantizedRecurrentLayer#forward} call, which the layer keeps in its spare slots for later
 * calls: a {@link QuantizedStreamEngine} for a unidirectional layer, a {@link QuantizedBidirectionalEngine} for a
 * bidirectional one (a layer holds spares of its own kind only). Not thread-safe: a slot hands its engine to one call
 * at a time.
 */
interface SpareEngine {

  /** Whether a call of {@code batch} sequences with these kernels can run on this engine's scratch. */
  boolean serves(FloatKernels f, QuantizedKernels q, int batch);
}
