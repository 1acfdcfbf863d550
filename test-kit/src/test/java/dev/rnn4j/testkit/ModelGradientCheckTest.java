package dev.rnn4j.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.autograd.Function;
import dev.rnn4j.autograd.Ops;
import dev.rnn4j.nn.Linear;
import dev.rnn4j.nn.Module;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Tensor;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The model gradient check catches a user's wrong custom backward with a message that says where. */
class ModelGradientCheckTest {

  /** How the custom activation's backward is written. */
  enum Backward { CORRECT, IDENTITY, WRONG_ON_EVERY_16TH_FEATURE }

  /** A user's custom autograd node: y = tanh(x), elementwise, with a hand-written backward. */
  static final class CustomTanh extends Function {
    private final Backward backward;

    CustomTanh(Backward backward) {
      this.backward = backward;
    }

    @Override
    protected Tensor[] forward(Tensor... in) {
      Tensor y = in[0].tanh();
      saveForBackward(y);
      return new Tensor[] {y};
    }

    @Override
    protected Tensor[] backward(Tensor... gradOut) {
      Tensor y = savedTensors()[0];
      Tensor right = gradOut[0].mul(y.mul(y).neg().add(1.0)); // dy/dx = 1 - y^2
      return new Tensor[] {switch (backward) {
        case CORRECT -> right;
        case IDENTITY -> gradOut[0];                           // the bug: forgets the 1 - y^2 factor
        case WRONG_ON_EVERY_16TH_FEATURE -> {                  // the bug on features 3, 19, 35, ... only
          Tensor g = right.copy();
          int cols = g.size(1);
          for (int i = 0; i < g.numel(); i++) {
            if (i % cols % 16 == 3) {
              g.setFlat(i, gradOut[0].getFlat(i));
            }
          }
          yield g;
        }
      }};
    }
  }

  /** A user's model: first (Linear) -> CustomTanh -> head (Linear). */
  static final class Mlp extends Module {
    final Linear first;
    final Linear head;
    final Backward backward;

    Mlp(DType dtype, long seed, int in, int hidden, int out, Backward backward) {
      SplittableRandom rng = new SplittableRandom(seed);
      first = registerModule("first", new Linear(in, hidden, true, dtype, rng));
      head = registerModule("head", new Linear(hidden, out, true, dtype, rng));
      this.backward = backward;
    }

    Tensor forward(Tensor x) {
      return head.forward(new CustomTanh(backward).apply(first.forward(x))[0]);
    }
  }

  private static final Tensor X = Tensor.normal(DType.FLOAT32, new SplittableRandom(3), 0, 1, 5, 3);

  private static ModelGradientCheck<Mlp> check(Backward b) {
    // X reaches the loss through inputs(...): the check hands the loss float64 copies, as the twin needs.
    return ModelGradientCheck.of(dtype -> new Mlp(dtype, 0, 3, 4, 2, b), (Mlp m, Tensor[] in) -> m.forward(in[0]))
        .inputs(X);
  }

  @Test
  void catchesAWrongCustomBackwardAndSaysWhere() {
    Mlp model = new Mlp(DType.FLOAT32, 11, 3, 4, 2, Backward.IDENTITY);
    String m = assertThrows(AssertionFailedError.class, () -> check(Backward.IDENTITY).assertGradients(model))
        .getMessage();
    // Every gradient upstream of the broken node is wrong; the head's, downstream, are right.
    assertTrue(m.startsWith("model gradient check failed: 16 of 26 checked entries out of tolerance (atol 1e-05 + "
        + "rtol 0.001 * |numerical|; float64 twin, central differences with eps 1e-06); worst: first."), m);
    assertTrue(m.endsWith("; failing entries per tensor: first.weight 12/12, first.bias 4/4"), m);
  }

  @Test
  void reportsTheWorstEntryWithItsNumbers() {
    Mlp model = new Mlp(DType.FLOAT32, 11, 3, 4, 2, Backward.IDENTITY);
    ModelGradientCheck.Result r = check(Backward.IDENTITY).check(model);
    assertEquals(16, r.failures());
    assertTrue(r.tensor().startsWith("first."), r.tensor());
    // The analytical value of an IDENTITY backward lacks the factor 1 - y^2 < 1, so it is larger in magnitude.
    assertTrue(Math.abs(r.analytical()) > Math.abs(r.numerical()), r.message());
    assertTrue(r.message().contains(r.tensor() + " at index " + r.index() + ": numerical "
        + Numbers.format(r.numerical()) + ", analytical " + Numbers.format(r.analytical())), r.message());
  }

  @Test
  void passesTheCorrectBackwardAndLeavesTheModelAlone() {
    Mlp model = new Mlp(DType.FLOAT32, 11, 3, 4, 2, Backward.CORRECT);
    Map<String, float[]> before = new java.util.LinkedHashMap<>();
    model.namedParameters().forEach((k, v) -> before.put(k, v.toFloatArray()));
    ModelGradientCheck.Result r = check(Backward.CORRECT).assertGradients(model);
    assertEquals(26, r.checked()); // 12 + 4 + 8 + 2: every entry of every parameter
    assertTrue(r.message().startsWith("model gradient check passed: 26 entries"), r.message());
    model.namedParameters().forEach((k, v) -> {
      assertArrayEquals(before.get(k), v.toFloatArray(), k);
      assertNull(v.grad(), k);
    });
  }

  @Test
  void samplesLargeTensorsAndStillCatchesABackwardWrongOnOneSixteenth() {
    // first.weight [32, 16] has 512 entries: 200 are checked; bias (32), head (2 x 32 + 2) entirely.
    ModelGradientCheck<Mlp> wrong = ModelGradientCheck.of(dtype -> new Mlp(dtype, 0, 16, 32, 2,
        Backward.WRONG_ON_EVERY_16TH_FEATURE), (Mlp m) -> m.forward(Tensor.normal(dtype(m), new SplittableRandom(5),
        0, 1, 3, 16)));
    ModelGradientCheck.Result r = wrong.check(new Mlp(DType.FLOAT32, 11, 16, 32, 2,
        Backward.WRONG_ON_EVERY_16TH_FEATURE));
    assertEquals(200 + 32 + 64 + 2, r.checked());
    assertTrue(!r.passed() && r.failuresByTensor().containsKey("first.weight"), r.message());
    // The wrong rows are 2 of 32 (f = 1/16): 100 uniform draws miss them all with probability (15/16)^100 = 0.16%.
    assertTrue(r.failuresByTensor().get("first.weight").endsWith("/200"), r.message());
  }

  private static DType dtype(Module m) {
    return m.parameters().get(0).dtype();
  }

  @Test
  void checksFloatInputsToo() {
    Tensor x = Tensor.normal(DType.FLOAT32, new SplittableRandom(9), 0, 1, 2, 3).requiresGrad(true);
    ModelGradientCheck.Result r = ModelGradientCheck.of(dtype -> new Mlp(dtype, 0, 3, 4, 2, Backward.IDENTITY),
        (Mlp m, Tensor[] in) -> m.forward(in[0])).inputs(x).check(new Mlp(DType.FLOAT32, 11, 3, 4, 2,
        Backward.IDENTITY));
    assertEquals(26 + 6, r.checked());
    assertEquals("6/6", r.failuresByTensor().get("input 0"), r.message());
  }

  @Test
  void aFactoryForAnotherArchitectureIsAUsageError() {
    Mlp model = new Mlp(DType.FLOAT32, 11, 3, 4, 2, Backward.CORRECT);
    String m = assertThrows(IllegalArgumentException.class, () -> ModelGradientCheck.of(
        dtype -> new Mlp(dtype, 0, 3, 5, 2, Backward.CORRECT), (Mlp x, Tensor[] in) -> x.forward(in[0])).inputs(X)
        .check(model)).getMessage();
    assertEquals("ModelGradientCheck: parameter first.weight is [4, 3] in the model but [5, 3] in the float64 model "
        + "from the factory", m);
  }

  @Test
  void aCapturedFloat32InputIsExplained() {
    Mlp model = new Mlp(DType.FLOAT32, 11, 3, 4, 2, Backward.CORRECT);
    String m = assertThrows(IllegalArgumentException.class, () -> ModelGradientCheck.of(
        dtype -> new Mlp(dtype, 0, 3, 4, 2, Backward.CORRECT), (Mlp x) -> x.forward(X)).check(model)).getMessage();
    assertTrue(m.startsWith("ModelGradientCheck: the loss failed on the float64 twin: Linear: input dtype float32 "
        + "differs from weight dtype float64"), m);
    assertTrue(m.endsWith("(float tensors the loss uses must come through inputs(...), which hands it float64 "
        + "copies, or be converted to the model's dtype)"), m);
  }

  @Test
  void optionsAreValidated() {
    assertEquals("ModelGradientCheck: samplesPerTensor must be >= 2, got 1", assertThrows(
        IllegalArgumentException.class, () -> check(Backward.CORRECT).samplesPerTensor(1)).getMessage());
    assertEquals("ModelGradientCheck: eps must be finite and > 0, got 0.0", assertThrows(
        IllegalArgumentException.class, () -> check(Backward.CORRECT).eps(0)).getMessage());
  }

  @Test
  void aScalarLossIsUsedAsIs() {
    int[] targets = {0, 1, 1, 0, 1};
    ModelGradientCheck.Result r = ModelGradientCheck.of(dtype -> new Mlp(dtype, 0, 3, 4, 2, Backward.CORRECT),
        (Mlp m, Tensor[] in) -> Ops.crossEntropy(m.forward(in[0]), targets)).inputs(X).assertGradients(new Mlp(DType.FLOAT32, 11, 3, 4, 2,
        Backward.CORRECT));
    assertTrue(r.passed());
  }
}
