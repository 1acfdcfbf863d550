package dev.rnn4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RecurrentConfigTest {

  @Test
  void lstmTrainForwardCountsBothGemmsOfEveryGate() {
    // F = 2 * B * T * (I + H) * G * H = 2 * 32 * 100 * 384 * 4 * 256
    //   = 6400 * 384 * 1024 = 6400 * 393,216 = 2,516,582,400.
    assertEquals(2_516_582_400.0, RecurrentConfig.TRAIN.forwardFlops(4));
    assertEquals(3 * 2_516_582_400.0, RecurrentConfig.TRAIN.forwardBackwardFlops(4));
  }

  @Test
  void largeAndStreamConfigurations() {
    // GRU large: 2 * 64 * 50 * 1024 * 3 * 512 = 6400 * 1024 * 1536 = 10,066,329,600.
    assertEquals(10_066_329_600.0, RecurrentConfig.LARGE.forwardFlops(3));
    // One RNN stream step: 2 * 1 * (64 + 128) * 1 * 128 = 49,152.
    assertEquals(49_152.0, RecurrentConfig.STREAM.stepFlops(1));
  }

  @Test
  void namesAreTheParamValues() {
    assertEquals(RecurrentConfig.LARGE, RecurrentConfig.named("large"));
    assertThrows(IllegalArgumentException.class, () -> RecurrentConfig.named("huge"));
  }

  @Test
  void recurrentSpecsAreOneLineEach() {
    Workload w = Workloads.recurrentForward("LstmBenchmark.forward", "LSTM", 4)
        .describe().apply(Map.of("impl", "simd", "config", "train"));
    assertEquals("LSTM forward train (B=32 T=100 I=128 H=256)", w.name());
    assertEquals(2_516_582_400.0, w.flopsPerOp());
    assertEquals(Precision.F32, w.precision());

    Workload step = Workloads.recurrentStep("GruStepBenchmark.step", "GRU", 3)
        .describe().apply(Map.of("impl", "simd"));
    // 2 * 1 * 192 * 3 * 128 = 147,456
    assertEquals(147_456.0, step.flopsPerOp());
  }
}
