package dev.rnn4j.kernels.testing;

// Generated from DoubleKernelsContract.java by PrecisionGenerator. Edit that file and regenerate; do not edit this one.

import static dev.rnn4j.kernels.testing.KernelSweeps.WIDTH_INDEPENDENT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rnn4j.kernels.FloatKernels;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The contract test suite of {@link FloatKernels}: every implementation runs it by subclassing and supplying
 * {@link #kernels()}:
 * <pre>{@code
 * class SimdFloatKernelsTest extends FloatKernelsContract {
 *   protected FloatKernels kernels() { return new SimdFloatKernels(); }
 * }
 * }</pre>
 *
 * <p>Expected values are derived independently of any implementation: by hand (written in a comment), by a closed
 * form, or from the definition in higher precision ({@link Exact}: BigDecimal to 40 digits; {@link Formulas}: the
 * recurrent and optimizer equations written out in float32). Tolerances are the one-implementation bounds of
 * {@link ErrorBounds} plus the expected value's own error. Every test that writes an output also checks that the
 * kernel touched nothing outside the stated range (arrays carry random guard elements before and after) and left
 * its inputs unchanged. Sizes are 0, 1, 2, 3, 7, 15, 16, 17, 31, 33, 63, 64, 65, 127, 129, 1000, 1025 where a size
 * applies (in the narrow-width runs of the SIMD kernels, up to {@link KernelSweeps#NARROW_SWEEP_LIMIT}).
 *
 * <p>The suite is split by kernel family into a chain of abstract classes, each extending the one before:
 * {@link FloatBlasContract} (gemm and packing, gemv, axpy, dot, scal; it declares {@link #kernels()}),
 * {@link FloatPointwiseContract} (elementwise kernels and maps), {@link FloatReductionContract} (reductions and
 * softmax), {@link FloatRecurrentContract} (LSTM and GRU), {@link FloatOptimizerContract} (SGD and Adam), and this
 * class, which adds the size-0 test over every kernel. JUnit runs inherited tests, so one subclass of this class with
 * one {@link #kernels()} runs the whole suite. The size sweeps and the {@link KernelSweeps#WIDTH_INDEPENDENT} tag
 * are in {@link KernelSweeps}, the guarded random arrays and the bounds in {@link FloatKernelTestSupport}.
 */
@SuppressWarnings("cast")
public abstract class FloatKernelsContract extends FloatOptimizerContract {

  // ===============================================================================================================
  // Size 0
  // ===============================================================================================================

  @Test
  @Tag(WIDTH_INDEPENDENT)
  void sizeZeroTouchesNothingAndReductionsReturnTheirIdentity() {
    float[] a = {Float.NaN, 1, 2};
    float[] b = {3, Float.NaN, 4};
    float[] o = {5, 6, Float.NaN};
    float[] a0 = a.clone();
    float[] b0 = b.clone();
    float[] o0 = o.clone();
    FloatKernels k = kernels();
    k.gemm(false, false, 0, 0, 0, 1, a, 0, 1, b, 0, 1, 1, o, 0, 1);
    k.gemm(true, true, 0, 2, 2, 1, a, 0, 1, b, 0, 1, 0, o, 0, 1);
    k.gemv(false, 0, 2, 1, a, 0, 2, b, 0, 0, o, 0);
    k.gemv(true, 2, 0, 1, a, 0, 1, b, 0, 0, o, 0);
    k.axpy(0, 2, a, 0, o, 0);
    k.scal(0, 2, o, 0);
    k.add(0, a, 0, b, 0, o, 0);
    k.sub(0, a, 0, b, 0, o, 0);
    k.mul(0, a, 0, b, 0, o, 0);
    k.div(0, a, 0, b, 0, o, 0);
    k.scale(0, 2, a, 0, o, 0);
    k.addScalar(0, 2, a, 0, o, 0);
    k.fill(0, 2, o, 0);
    k.copy(0, a, 0, o, 0);
    k.sigmoid(0, a, 0, o, 0);
    k.sigmoidBackward(0, a, 0, b, 0, o, 0);
    k.tanh(0, a, 0, o, 0);
    k.tanhBackward(0, a, 0, b, 0, o, 0);
    k.relu(0, a, 0, o, 0);
    k.reluBackward(0, a, 0, b, 0, o, 0);
    k.exp(0, a, 0, o, 0);
    k.expBackward(0, a, 0, b, 0, o, 0);
    k.log(0, a, 0, o, 0);
    k.logBackward(0, a, 0, b, 0, o, 0);
    k.addColumnSums(0, 2, a, 0, 2, o, 0);
    k.addColumnSums(2, 0, a, 0, 1, o, 0);
    k.softmax(0, 2, a, 0, 2, o, 0, 2);
    k.softmax(2, 0, a, 0, 1, o, 0, 1);
    k.softmaxBackward(0, 2, a, 0, b, 0, o, 0);
    k.logSoftmax(0, 2, a, 0, 2, o, 0, 2);
    k.logSoftmaxBackward(2, 0, a, 0, b, 0, o, 0);
    k.lstmForward(0, 3, a, 0, b, 0, o, 0, o, 0);
    k.lstmForward(2, 0, a, 0, b, 0, o, 0, o, 0);
    k.lstmBackward(0, 3, a, 0, b, 0, a, 0, b, 0, o, 0, o, 0);
    k.gruForward(0, 3, a, 0, b, 0, b, 0, o, 0);
    k.gruBackward(2, 0, a, 0, b, 0, b, 0, b, 0, o, 0, o, 0, o, 0);
    k.sgdUpdate(0, 0.1f, 0.9f, 0, 0, false, false, o, 0, a, 0, b, 0);
    k.adamUpdate(0, 0.1f, 0.9f, 0.999f, 1e-8f, 0, false, 1, o, 0, a, 0, b, 0, b, 0);
    Checks.unchanged("size 0: a", a0, a);
    Checks.unchanged("size 0: b", b0, b);
    Checks.unchanged("size 0: out", o0, o);
    assertEquals(0, k.dot(0, a, 0, b, 0));
    assertEquals(0, k.sum(0, a, 0));
    assertEquals(0, k.sumOfSquares(0, a, 0));
    assertEquals(Float.NEGATIVE_INFINITY, k.max(0, a, 0));
  }
}
