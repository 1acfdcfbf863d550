package dev.rnn4j.nn.recurrent;

import dev.rnn4j.tensor.Tensor;

/**
 * What a recurrent layer returns, shaped as in PyTorch.
 *
 * @param output [T, B, D*H] (or [B, T, D*H] batch-first; D*H becomes H for a bidirectional sum merge): the top layer's
 *     state at every step, zero past each sequence's end
 * @param hN [L*D, B, H]: each layer-direction's final state (for a variable-length batch, at each sequence's own
 *     last step); index {@code l * D + d}, d = 1 the reverse direction
 * @param cN [L*D, B, H]: the LSTM's final cell states; null for RNN and GRU
 */
public record RecurrentOutput(Tensor output, Tensor hN, Tensor cN) {}
