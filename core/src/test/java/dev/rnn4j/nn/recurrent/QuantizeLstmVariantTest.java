package dev.rnn4j.nn.recurrent;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.nn.WeightFormat;
import org.junit.jupiter.api.Test;

/**
 * The quantized layers compute the plain cells only (weight_ih, weight_hh and the biases): an LSTM with a projection
 * or with peepholes is rejected by {@code quantize}, naming the layer and the parameter the quantized cell would
 * leave out, rather than giving a layer that ignores weight_peephole (or reads weight_hh [4H, P] as [4H, H]).
 */
class QuantizeLstmVariantTest {

  @Test
  void anLstmWithPeepholesIsRejected() {
    LSTM lstm = new LSTM(new RecurrentOptions(3, 4).peephole(true).seed(1));
    for (WeightFormat format : WeightFormat.values()) {
      String m = assertThrows(IllegalArgumentException.class, () -> lstm.quantize(format)).getMessage();
      assertTrue(m.contains("LSTM.quantize") && m.contains("weight_peephole"), m);
    }
  }

  @Test
  void anLstmWithAProjectionIsRejected() {
    LSTM lstm = new LSTM(new RecurrentOptions(3, 4).projSize(2).seed(1));
    for (WeightFormat format : WeightFormat.values()) {
      String m = assertThrows(IllegalArgumentException.class, () -> lstm.quantize(format)).getMessage();
      assertTrue(m.contains("LSTM.quantize") && m.contains("weight_hr"), m);
    }
  }
}
