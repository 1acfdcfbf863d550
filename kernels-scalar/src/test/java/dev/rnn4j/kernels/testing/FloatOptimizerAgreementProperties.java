package dev.rnn4j.kernels.testing;

// Generated from DoubleOptimizerAgreementProperties.java by PrecisionGenerator. Edit that file and regenerate; do not edit this one.

import static dev.rnn4j.kernels.testing.FloatKernelTestSupport.EB;
import static dev.rnn4j.kernels.testing.FloatKernelTestSupport.MAX_LEN;
import static dev.rnn4j.kernels.testing.FloatKernelTestSupport.SPEC;
import static dev.rnn4j.kernels.testing.FloatKernelTestSupport.array;
import static dev.rnn4j.kernels.testing.FloatKernelTestSupport.offset;
import static dev.rnn4j.kernels.testing.FloatKernelTestSupport.slack;
import static dev.rnn4j.kernels.testing.ErrorBounds.agreement;
import static dev.rnn4j.kernels.testing.TestValues.mixed;
import static dev.rnn4j.kernels.testing.TestValues.positive;
import static dev.rnn4j.kernels.testing.TestValues.size;
import static dev.rnn4j.kernels.testing.TestValues.uniform;

import dev.rnn4j.kernels.FloatKernels;
import dev.rnn4j.kernels.testing.FloatKernelTestSupport.Copies;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Agreement with the scalar spec of the fused optimizer updates, sgdUpdate and adamUpdate, with their cases and
 * checks. A link of the agreement suite's chain of family classes; implementations subclass
 * {@link FloatKernelAgreementProperties}, which runs every family.
 */
@SuppressWarnings("cast")
public abstract class FloatOptimizerAgreementProperties extends FloatRecurrentAgreementProperties {

  // ===============================================================================================================
  // Properties
  // ===============================================================================================================

  @Property(tries = 30)
  public void sgdUpdateAgrees(@ForAll long seed) {
    checkSgdUpdate(SPEC, candidate(), sgdCase(new Random(seed)));
  }

  @Property(tries = 30)
  public void adamUpdateAgrees(@ForAll long seed) {
    checkAdamUpdate(SPEC, candidate(), adamCase(new Random(seed)));
  }

  // ===============================================================================================================
  // Cases. Arrays are larger than the ranges the kernel may touch (offsets before, slack after, ld > row length);
  // every element is random, so any write outside the stated range shows up as a changed element. Where two
  // record components are the same array object, the case tests aliasing.
  // ===============================================================================================================

  /** sgdUpdate arguments. */
  public record SgdCase(int n, float lr, float momentum, float dampening, float weightDecay, boolean nesterov,
                        boolean firstStep, float[] param, int paramOff, float[] grad, int gradOff,
                        float[] velocity, int velocityOff) {
    @Override
    public String toString() {
      return "sgdUpdate(n=" + n + ", lr=" + lr + ", momentum=" + momentum + ", dampening=" + dampening
          + ", weightDecay=" + weightDecay + ", nesterov=" + nesterov + ", firstStep=" + firstStep + ")";
    }
  }

  /** adamUpdate arguments. */
  public record AdamCase(int n, float lr, float beta1, float beta2, float eps, float weightDecay,
                         boolean decoupled, int step, float[] param, int paramOff, float[] grad, int gradOff,
                         float[] m, int mOff, float[] v, int vOff) {
    @Override
    public String toString() {
      return "adamUpdate(n=" + n + ", lr=" + lr + ", beta1=" + beta1 + ", beta2=" + beta2 + ", eps=" + eps
          + ", weightDecay=" + weightDecay + ", decoupled=" + decoupled + ", step=" + step + ")";
    }
  }

  /** Random SGD hyper-parameters (momentum 0 in one case of three) and state. */
  public static SgdCase sgdCase(Random rnd) {
    int n = size(rnd, MAX_LEN);
    float lr = (float) uniform(1e-3f, 0.5f).next(rnd);
    float momentum = rnd.nextInt(3) == 0 ? 0 : (float) uniform(0, 0.99f).next(rnd);
    float dampening = rnd.nextBoolean() ? 0 : (float) uniform(0, 0.5f).next(rnd);
    float weightDecay = rnd.nextBoolean() ? 0 : (float) uniform(0, 0.1f).next(rnd);
    int pOff = offset(rnd);
    int gOff = offset(rnd);
    int vOff = offset(rnd);
    return new SgdCase(n, lr, momentum, dampening, weightDecay, rnd.nextBoolean(), rnd.nextInt(4) == 0,
        array(rnd, pOff + n + slack(rnd), mixed(4)), pOff, array(rnd, gOff + n + slack(rnd), mixed(6)), gOff,
        array(rnd, vOff + n + slack(rnd), mixed(6)), vOff);
  }

  /** Random Adam / AdamW hyper-parameters, step 1..100, and state (v >= 0). */
  public static AdamCase adamCase(Random rnd) {
    int n = size(rnd, MAX_LEN);
    float lr = (float) uniform(1e-4f, 0.1f).next(rnd);
    float beta1 = rnd.nextBoolean() ? 0.9f : (float) uniform(0.5f, 0.99f).next(rnd);
    float beta2 = rnd.nextBoolean() ? 0.999f : (float) uniform(0.9f, 0.9999f).next(rnd);
    float eps = rnd.nextBoolean() ? 1e-8f : 1e-6f;
    float weightDecay = rnd.nextBoolean() ? 0 : (float) uniform(0, 0.1f).next(rnd);
    int pOff = offset(rnd);
    int gOff = offset(rnd);
    int mOff = offset(rnd);
    int vOff = offset(rnd);
    return new AdamCase(n, lr, beta1, beta2, eps, weightDecay, rnd.nextBoolean(), 1 + rnd.nextInt(100),
        array(rnd, pOff + n + slack(rnd), mixed(4)), pOff, array(rnd, gOff + n + slack(rnd), mixed(6)), gOff,
        array(rnd, mOff + n + slack(rnd), mixed(6)), mOff, array(rnd, vOff + n + slack(rnd), positive(8)), vOff);
  }

  // ===============================================================================================================
  // Checks
  // ===============================================================================================================

  /** param and velocity within {@link ErrorBounds#sgd}, twice. */
  public static void checkSgdUpdate(FloatKernels reference, FloatKernels candidate, SgdCase s) {
    String op = s.toString();
    Copies r = new Copies();
    Copies c = new Copies();
    reference.sgdUpdate(s.n(), s.lr(), s.momentum(), s.dampening(), s.weightDecay(), s.nesterov(), s.firstStep(),
        r.of(s.param()), s.paramOff(), r.of(s.grad()), s.gradOff(), r.of(s.velocity()), s.velocityOff());
    candidate.sgdUpdate(s.n(), s.lr(), s.momentum(), s.dampening(), s.weightDecay(), s.nesterov(), s.firstStep(),
        c.of(s.param()), s.paramOff(), c.of(s.grad()), s.gradOff(), c.of(s.velocity()), s.velocityOff());
    Checks.unchanged(op + ": grad", s.grad(), c.of(s.grad()));
    Checks.unchangedOutside(op + ": param", s.param(), c.of(s.param()), s.paramOff(), s.paramOff() + s.n());
    if (s.momentum() == 0) {
      Checks.unchanged(op + ": velocity (momentum 0)", s.velocity(), c.of(s.velocity()));
    } else {
      Checks.unchangedOutside(op + ": velocity", s.velocity(), c.of(s.velocity()), s.velocityOff(),
          s.velocityOff() + s.n());
    }
    for (int i = 0; i < s.n(); i++) {
      var bounds = EB.sgd(s.lr(), s.momentum(), s.dampening(), s.weightDecay(), s.nesterov(), s.firstStep(),
          s.param()[s.paramOff() + i], s.grad()[s.gradOff() + i], s.velocity()[s.velocityOff() + i]);
      Checks.close(op + " param[" + i + "]", r.of(s.param())[s.paramOff() + i], c.of(s.param())[s.paramOff() + i],
          agreement(bounds[0]));
      Checks.close(op + " velocity[" + i + "]", r.of(s.velocity())[s.velocityOff() + i],
          c.of(s.velocity())[s.velocityOff() + i], agreement(bounds[1]));
    }
  }

  /** param, m and v within {@link ErrorBounds#adam}, twice. */
  public static void checkAdamUpdate(FloatKernels reference, FloatKernels candidate, AdamCase a) {
    String op = a.toString();
    Copies r = new Copies();
    Copies c = new Copies();
    reference.adamUpdate(a.n(), a.lr(), a.beta1(), a.beta2(), a.eps(), a.weightDecay(), a.decoupled(), a.step(),
        r.of(a.param()), a.paramOff(), r.of(a.grad()), a.gradOff(), r.of(a.m()), a.mOff(), r.of(a.v()), a.vOff());
    candidate.adamUpdate(a.n(), a.lr(), a.beta1(), a.beta2(), a.eps(), a.weightDecay(), a.decoupled(), a.step(),
        c.of(a.param()), a.paramOff(), c.of(a.grad()), a.gradOff(), c.of(a.m()), a.mOff(), c.of(a.v()), a.vOff());
    Checks.unchanged(op + ": grad", a.grad(), c.of(a.grad()));
    Checks.unchangedOutside(op + ": param", a.param(), c.of(a.param()), a.paramOff(), a.paramOff() + a.n());
    Checks.unchangedOutside(op + ": m", a.m(), c.of(a.m()), a.mOff(), a.mOff() + a.n());
    Checks.unchangedOutside(op + ": v", a.v(), c.of(a.v()), a.vOff(), a.vOff() + a.n());
    for (int i = 0; i < a.n(); i++) {
      var bounds = EB.adam(a.lr(), a.beta1(), a.beta2(), a.eps(), a.weightDecay(), a.decoupled(), a.step(),
          a.param()[a.paramOff() + i], a.grad()[a.gradOff() + i], a.m()[a.mOff() + i], a.v()[a.vOff() + i]);
      Checks.close(op + " param[" + i + "]", r.of(a.param())[a.paramOff() + i], c.of(a.param())[a.paramOff() + i],
          agreement(bounds[0]));
      Checks.close(op + " m[" + i + "]", r.of(a.m())[a.mOff() + i], c.of(a.m())[a.mOff() + i], agreement(bounds[1]));
      Checks.close(op + " v[" + i + "]", r.of(a.v())[a.vOff() + i], c.of(a.v())[a.vOff() + i], agreement(bounds[2]));
    }
  }
}
