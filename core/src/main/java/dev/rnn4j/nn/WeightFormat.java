package dev.rnn4j.nn;

/**
 * How a quantized layer stores its weight matrices for inference (see {@code docs/quantization.md}). Activations,
 * biases and sums stay float32 in every format: only the weights shrink, and they are widened to float32 in
 * registers as they are used.
 */
public enum WeightFormat {

  /**
   * bfloat16: the upper half of each float32 weight, rounded to nearest (ties to even). 2 bytes a weight; relative
   * error per weight at most 2^-8.
   */
  BFLOAT16(2),

  /**
   * int8, symmetric, one float32 scale per output row ({@code scale_r = max|W_r| / 127}, {@code q = round(W / scale_r)}
   * in [-127, 127]), as PyTorch's dynamic quantization of LSTM and Linear with per-channel weights. 1 byte a weight
   * plus 4 per row; absolute error per weight at most {@code scale_r / 2}.
   */
  INT8(1);

  private final int bytesPerWeight;

  WeightFormat(int bytesPerWeight) {
    this.bytesPerWeight = bytesPerWeight;
  }

  /** Bytes one weight takes (the int8 format adds 4 bytes per row for its scale). */
  public int bytesPerWeight() {
    return bytesPerWeight;
  }
}
