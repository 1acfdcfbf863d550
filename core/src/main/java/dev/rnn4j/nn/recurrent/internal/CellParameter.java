package dev.rnn4j.nn.recurrent.internal;

/**
 * A parameter a cell variant has besides {@code weight_ih}, {@code weight_hh}, {@code bias_ih} and {@code bias_hh}
 * (which every cell has): its PyTorch base name, to which the layer appends {@code _l{k}} and {@code _reverse}, and
 * its shape [rows, cols] for the layer's configuration. The layer registers these after the biases, in the order
 * the variant lists them, and draws them from the same uniform distribution as the other weights; the engine's
 * {@link DoubleEngineWeights} holds them by that order's index.
 *
 * @param name the base name, for example {@code weight_hr}
 * @param rows the first dimension
 * @param cols the second dimension
 */
public record CellParameter(String name, int rows, int cols) {}
