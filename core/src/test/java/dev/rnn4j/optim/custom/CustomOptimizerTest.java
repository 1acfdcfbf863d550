package dev.rnn4j.optim.custom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.optim.LearningRateSchedule;
import dev.rnn4j.optim.NonFinitePolicy;
import dev.rnn4j.optim.Optimizer;
import dev.rnn4j.optim.OptimizerState;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A user's own optimizer and schedule, written outside the library's package against the protected hooks: the base
 * class's checks, non-finite policy and state bookkeeping work for it as for the built-in ones.
 */
class CustomOptimizerTest {

  /** signSGD with an accumulated-step buffer: p -= lr * sign(g); count += 1 per step, per element. */
  static final class SignSgd extends Optimizer {
    private final Tensor[] counts;

    SignSgd(List<Tensor> parameters, double lr) {
      super("SignSgd", parameters, lr);
      counts = new Tensor[parameters.size()];
    }

    @Override
    protected void update(Kernels k, int i, Tensor p, Tensor g, int step, double lr) {
      if (counts[i] == null) {
        counts[i] = Tensor.zeros(p.dtype(), p.shape());
      }
      for (int j = 0; j < p.numel(); j++) {
        p.setFlat(j, p.getFlat(j) - lr * Math.signum(g.getFlat(j)));
        counts[i].setFlat(j, counts[i].getFlat(j) + 1);
      }
    }

    @Override
    protected void clearBuffers(int i) {
      counts[i] = null;
    }

    @Override
    protected LinkedHashMap<String, String> hyperparameters() {
      return new LinkedHashMap<>(Map.of("rule", "sign"));
    }

    @Override
    protected List<String> expectedBuffers(int step) {
      return step == 0 ? List.of() : List.of("count");
    }

    @Override
    protected Map<String, Tensor> copyBuffers(int i) {
      return counts[i] == null ? Map.of() : Map.of("count", counts[i].copy());
    }

    @Override
    protected void setBuffers(int i, Map<String, Tensor> buffers) {
      counts[i] = buffers.get("count").copy();
    }
  }

  /** Halves the rate every epoch. */
  static final class Halving extends LearningRateSchedule {
    Halving(Optimizer o) {
      super(o);
    }

    @Override
    public double learningRateAt(int epoch) {
      return baseLearningRate() / (1 << epoch);
    }

    @Override
    protected Map<String, String> hyperparameters() {
      return Map.of("factor", "0.5");
    }
  }

  private static Tensor param() {
    Tensor p = Tensor.zeros(DType.FLOAT64, 3).requiresGrad(true);
    p.mul(Tensor.fromArray(new double[] {2, -3, 0.5}, 3)).sum().backward();
    return p;
  }

  @Test
  void stepsStateAndScheduleWorkThroughTheProtectedHooks() {
    Tensor p = param();
    SignSgd opt = new SignSgd(List.of(p), 0.1);
    Halving schedule = new Halving(opt);
    opt.step();
    schedule.step();
    opt.step();
    // steps of 0.1 then 0.05 against sign(g) = (+, -, +)
    assertArrayEquals(new double[] {-0.15, 0.15, -0.15}, p.toDoubleArray(), 1e-15);
    OptimizerState state = opt.state();
    assertEquals("SignSgd", state.type());

    Tensor q = param();
    SignSgd fresh = new SignSgd(List.of(q), 0.1);
    fresh.loadState(state);
    assertEquals(2, fresh.stepCount(0));
    assertEquals(0.05, fresh.learningRate());
  }

  @Test
  void theNonFinitePolicyGuardsACustomOptimizerToo() {
    Tensor p = Tensor.zeros(DType.FLOAT64, 2).requiresGrad(true);
    p.mul(Tensor.fromArray(new double[] {1, Double.NaN}, 2)).sum().backward();
    SignSgd opt = new SignSgd(List.of(p), 0.1);
    IllegalStateException e = assertThrows(IllegalStateException.class, opt::step);
    assertTrue(e.getMessage().contains("SignSgd"), e.getMessage());
    assertArrayEquals(new double[] {0, 0}, p.toDoubleArray());
    opt.nonFinitePolicy(NonFinitePolicy.SKIP);
    assertTrue(!opt.step().applied());
    assertEquals(1, opt.skippedSteps());
  }
}
