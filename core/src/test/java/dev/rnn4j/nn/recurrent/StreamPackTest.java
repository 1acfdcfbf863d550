package dev.rnn4j.nn.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rnn4j.autograd.NoGrad;
import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.optim.SGD;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.Tensor;
import dev.rnn4j.testing.TestKernels;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The streaming step multiplies with weight matrices packed once per layer ({@link StreamPack}): it must give the
 * whole-sequence forward pass's outputs bit for bit (both multiply with packed matrices, whose rows are computed
 * independently of the batch split), and it must notice every kind of weight change.
 */
class StreamPackTest {

  private static final int IN = 19;
  private static final int HID = 37; // crosses the vector width of every species: tails everywhere
  private static final int BATCH = 3;
  private static final int STEPS = 6;

  private static List<RecurrentLayer> layers(DType dtype) {
    return List.of(new LSTM(new RecurrentOptions(IN, HID).numLayers(2).dtype(dtype).seed(1)),
        new GRU(new RecurrentOptions(IN, HID).dtype(dtype).seed(2)),
        new GRU(new RecurrentOptions(IN, HID).dtype(dtype).resetAfter(false).seed(3)),
        new RNN(new RecurrentOptions(IN, HID).numLayers(2).dtype(dtype).seed(4)));
  }

  private static Tensor input(DType dtype, int steps) {
    return Tensor.uniform(dtype, new SplittableRandom(9), -1, 1, steps, BATCH, IN);
  }

  @Test
  void steppingEqualsTheForwardPassBitForBitOnSimdKernels() {
    assumeTrue(TestKernels.simd().isPresent(), TestKernels.simdUnavailableReason());
    steppingEqualsForward(TestKernels.simd().get());
  }

  @Test
  void steppingEqualsTheForwardPassBitForBitOnTheSpec() {
    steppingEqualsForward(Kernels.scalar());
  }

  @SuppressWarnings("try")
  private static void steppingEqualsForward(Kernels kernels) {
    for (DType dtype : DType.values()) {
      for (RecurrentLayer layer : layers(dtype)) {
        try (KernelScope s = KernelScope.use(kernels); NoGrad g = NoGrad.enter()) {
          Tensor x = input(dtype, STEPS);
          double[] whole = layer.forward(x).output().toDoubleArray();
          StreamState state = layer.newStreamState(BATCH);
          int width = BATCH * HID;
          for (int t = 0; t < STEPS; t++) {
            double[] y = layer.step(x.select(t), state).toDoubleArray();
            assertArrayEquals(Arrays.copyOfRange(whole, t * width, (t + 1) * width), y,
                layer.config().name() + " " + dtype + " on " + kernels.name() + ", step " + t);
          }
        }
      }
    }
  }

  @Test
  void anOptimizerStepReachesTheStream() {
    weightChangeReachesTheStream("SGD step", layer -> {
      for (Tensor p : layer.parameters()) {
        p.requiresGrad(true);
      }
      Tensor loss = layer.forward(input(DType.FLOAT32, 2)).output().sum();
      loss.backward();
      new SGD(layer.parameters(), 0.5).step();
    });
  }

  @Test
  void copyFromAndSetFlatReachTheStream() {
    weightChangeReachesTheStream("copyFrom", layer -> {
      Tensor w = layer.parameters().get(1); // weight_hh_l0
      w.copyFrom(Tensor.uniform(DType.FLOAT32, new SplittableRandom(5), -1, 1, w.shape()));
    });
    weightChangeReachesTheStream("setFlat", layer -> layer.parameters().get(0).setFlat(7, 3.0));
  }

  @Test
  void aDirectWriteReachesTheStreamAfterMarkModified() {
    weightChangeReachesTheStream("direct write + markModified", layer -> {
      Tensor w = layer.parameters().get(1);
      w.floatData()[w.offset() + 3] += 1f;
      w.markModified();
    });
  }

  /**
   * Control: the comparison above does see stale weights. A direct write without {@link Tensor#markModified()} is
   * not noticed (as documented), and the outputs then differ from a layer that has the new weights.
   */
  @Test
  void controlADirectWriteWithoutMarkModifiedIsNotSeen() {
    AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
        () -> weightChangeReachesTheStream("direct write", layer -> {
          Tensor w = layer.parameters().get(1);
          w.floatData()[w.offset() + 3] += 1f;
        }));
    assertFalse(e.getMessage().isEmpty());
  }

  /**
   * Steps a layer once (which packs its weights), changes the weights with {@code change}, steps again, and compares
   * with a second layer that holds the changed weights from the start and continues from the same state.
   */
  @SuppressWarnings("try")
  private static void weightChangeReachesTheStream(String what, Consumer<RecurrentLayer> change) {
    try (KernelScope s = KernelScope.use(TestKernels.simd().orElse(Kernels.scalar()))) {
      LSTM layer = new LSTM(new RecurrentOptions(IN, HID).numLayers(2).seed(11));
      Tensor x = input(DType.FLOAT32, 2);
      StreamState state = layer.newStreamState(BATCH);
      layer.step(x.select(0), state);
      StreamState before = state.copy();
      change.accept(layer);
      float[] got = layer.step(x.select(1), state).toFloatArray();

      LSTM fresh = new LSTM(new RecurrentOptions(IN, HID).numLayers(2).seed(12));
      for (int i = 0; i < fresh.parameters().size(); i++) {
        fresh.parameters().get(i).copyFrom(layer.parameters().get(i).detach());
      }
      StreamState continued = fresh.newStreamState(BATCH);
      continued.copyFrom(before);
      float[] want = fresh.step(x.select(1), continued).toFloatArray();
      assertArrayEquals(want, got, "after " + what + ": the step did not use the new weights");
    }
  }
}
