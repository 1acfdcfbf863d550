package dev.rnn4j.nn.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.testing.TestKernels;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The engine's bias gradients are the column sums of the gate gradients added to what the gradient arrays held
 * (they accumulate), bit for bit as {@code addColumnSums} adds them. The cells whose two biases enter the same
 * pre-activations (LSTM, both RNNs, the GRU with the reset gate before the product) sum once and add that sum to
 * both arrays; this holds them to the bits of summing into each.
 */
class BiasGradientTest {

  private static final CellKind[] SHARED = {CellKind.LSTM, CellKind.GRU_RESET_BEFORE, CellKind.RNN_TANH,
      CellKind.RNN_RELU};

  @Test
  void biasGradientsAreTheKernelsColumnSumsOfTheGateGradients() {
    List<Kernels> all = new ArrayList<>(List.of(Kernels.scalar()));
    TestKernels.simd().ifPresent(all::add);
    for (Kernels k : all) {
      for (CellKind kind : SHARED) {
        String what = k.name() + " " + kind;
        EngineCall call = new EngineCall(k, kind);
        int gh = kind.gates() * call.hidden;
        // Earlier gradients to accumulate onto, signed zeros among them.
        for (int j = 0; j < gh; j++) {
          call.dbih[j] = j % 3 == 0 ? -0.0 : 0.25 * j - 1;
          call.dbhh[j] = j % 4 == 0 ? -0.0 : 1.5 - 0.125 * j;
        }
        double[] wantIh = call.dbih.clone();
        double[] wantHh = call.dbhh.clone();
        call.forward();
        call.trace.consumeOnBackward(false);
        call.backward();
        // The gate gradients the backward pass left in the trace (separate from the activations unless the cell
        // is an RNN, whose gradients always go over its pre-activations).
        double[] dG = call.trace.gateGrads;
        k.f64().addColumnSums(call.steps * call.batch, gh, dG, 0, gh, wantIh, 0);
        k.f64().addColumnSums(call.steps * call.batch, gh, dG, 0, gh, wantHh, 0);
        assertArrayEquals(wantIh, call.dbih, what + " bias_ih");
        assertArrayEquals(wantHh, call.dbhh, what + " bias_hh");
      }
    }
  }
}
