package dev.rnn4j.kernels.testing;

// rnn4j:generate-float

import static dev.rnn4j.kernels.testing.DoubleKernelTestSupport.EB;
import static dev.rnn4j.kernels.testing.DoubleKernelTestSupport.GUARD;
import static dev.rnn4j.kernels.testing.DoubleKernelTestSupport.REF;
import static dev.rnn4j.kernels.testing.DoubleKernelTestSupport.guarded;
import static dev.rnn4j.kernels.testing.KernelSweeps.WIDTH_INDEPENDENT;
import static dev.rnn4j.kernels.testing.TestValues.mixed;
import static dev.rnn4j.kernels.testing.TestValues.positive;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rnn4j.kernels.DoubleKernels;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The contract tests of the fused optimizer updates of {@link DoubleKernels}, sgdUpdate and adamUpdate. A
 * link of the contract suite's chain of family classes; implementations subclass {@link DoubleKernelsContract},
 * which runs every family.
 */
@SuppressWarnings("cast")
public abstract class DoubleOptimizerContract extends DoubleRecurrentContract {

  // ===============================================================================================================
  // Optimizers
  // ===============================================================================================================

  @Test
  @Tag(WIDTH_INDEPENDENT)
  void sgdHandComputed() {
    // Plain: p = 1 - 0.5 * 0.5 = 0.75 (lr 0.5, g 0.5).
    double[] p = {1};
    double[] v = {123};
    kernels().sgdUpdate(1, 0.5, 0, 0, 0, false, true, p, 0, new double[] {0.5}, 0, v, 0);
    assertEquals(0.75, p[0]);
    assertEquals(123, v[0], "velocity untouched without momentum");
    // Momentum 0.5, lr 0.5, g 1: step 1: v = g = 1, p = 1 - 0.5 = 0.5; step 2: v = 0.5 * 1 + 1 = 1.5,
    // p = 0.5 - 0.75 = -0.25.
    p[0] = 1;
    kernels().sgdUpdate(1, 0.5, 0.5, 0, 0, false, true, p, 0, new double[] {1}, 0, v, 0);
    assertEquals(0.5, p[0]);
    assertEquals(1, v[0]);
    kernels().sgdUpdate(1, 0.5, 0.5, 0, 0, false, false, p, 0, new double[] {1}, 0, v, 0);
    assertEquals(-0.25, p[0]);
    assertEquals(1.5, v[0]);
    // Nesterov, same numbers, first step: v = 1, g' = 1 + 0.5 * 1 = 1.5, p = 1 - 0.75 = 0.25.
    // Weight decay 0.5 with p = 1, grad 0: g = 0.5, no momentum: p = 1 - 0.25 = 0.75 (checked on element 1).
    double[] pn = {1, 1};
    double[] vn = {0, 0};
    kernels().sgdUpdate(1, 0.5, 0.5, 0, 0, true, true, pn, 0, new double[] {1}, 0, vn, 0);
    assertEquals(0.25, pn[0]);
    kernels().sgdUpdate(1, 0.5, 0, 0, 0.5, false, false, pn, 1, new double[] {0, 0}, 1, vn, 1);
    assertEquals(0.75, pn[1]);
    assertEquals(0.25, pn[0], "outside the range");
  }

  @Test
  void sgdStepsMatchFormulas() {
    Random rnd = new Random(21);
    int n = 17;
    double[][] configs = { // lr, momentum, dampening, weightDecay, nesterov (1 / 0)
        {0.1, 0, 0, 0, 0}, {0.1, 0.9, 0, 0, 0}, {0.05, 0.9, 0.1, 0.01, 0}, {0.05, 0.8, 0, 0.001, 1}};
    for (double[] cfg : configs) {
      double lr = (double) cfg[0];
      double momentum = (double) cfg[1];
      double dampening = (double) cfg[2];
      double wd = (double) cfg[3];
      boolean nesterov = cfg[4] == 1;
      double[] p = guarded(rnd, n, mixed(2));
      double[] v = guarded(rnd, n, mixed(2));
      for (int step = 1; step <= 3; step++) {
        double[] grad = guarded(rnd, n, mixed(3));
        double[] p0 = p.clone();
        double[] v0 = v.clone();
        double[] grad0 = grad.clone();
        kernels().sgdUpdate(n, lr, momentum, dampening, wd, nesterov, step == 1, p, GUARD, grad, GUARD, v, GUARD);
        String op = "sgd lr=" + lr + " momentum=" + momentum + " dampening=" + dampening + " wd=" + wd + " nesterov="
            + nesterov + " step " + step;
        Checks.unchanged(op + ": grad", grad0, grad);
        Checks.unchangedOutside(op + ": param", p0, p, GUARD, GUARD + n);
        if (momentum == 0) {
          Checks.unchanged(op + ": velocity", v0, v);
        } else {
          Checks.unchangedOutside(op + ": velocity", v0, v, GUARD, GUARD + n);
        }
        for (int i = GUARD; i < GUARD + n; i++) {
          var want = Formulas.sgdStep(lr, momentum, dampening, wd, nesterov, step == 1, p0[i], grad0[i], v0[i]);
          var bound = EB.sgd(lr, momentum, dampening, wd, nesterov, step == 1, p0[i], grad0[i], v0[i]);
          var ref = REF.sgd(lr, momentum, dampening, wd, nesterov, step == 1, p0[i], grad0[i], v0[i]);
          Checks.closeToExact(op + " param[" + i + "]", want[0], p[i], bound[0] + ref[0]);
          if (momentum != 0) {
            Checks.closeToExact(op + " velocity[" + i + "]", want[1], v[i], bound[1] + ref[1]);
          }
        }
      }
    }
  }

  @Test
  @Tag(WIDTH_INDEPENDENT)
  void adamHandComputed() {
    // Dyadic hyper-parameters (exact in both precisions): lr = 1/8, beta1 = 3/4, beta2 = 7/8, eps = 1/1024.
    // Step 1 from m = v = 0, p = 1, g = 1/2: m = (1/4)(1/2) = 1/8, v = (1/8)(1/4) = 1/32; bias1 = 1/4, bias2 = 1/8;
    // m^ = 1/2, v^ = 1/4, sqrt = 1/2; p = 1 - (1/8)(1/2) / (1/2 + 1/1024) = 1 - 64/513 = 449/513.
    // Step 2 with g = -1/2: m = (3/4)(1/8) - (1/4)(1/2) = -1/32, v = (7/8)(1/32) + (1/8)(1/4) = 15/256;
    // bias1 = 1 - 9/16 = 7/16, bias2 = 1 - 49/64 = 15/64; m^ = -1/14, v^ = 1/4, sqrt = 1/2;
    // p = 449/513 + (1/8)(1/14) / (513/1024) = 449/513 + 64/3591 = 3207/3591.
    double lr = 0.125;
    double b1 = 0.75;
    double b2 = 0.875;
    double eps = 1.0 / 1024;
    double[] p = {1};
    double[] m = {0};
    double[] v = {0};
    kernels().adamUpdate(1, lr, b1, b2, eps, 0, false, 1, p, 0, new double[] {0.5}, 0, m, 0, v, 0);
    assertEquals(0.125, m[0]);
    assertEquals(1.0 / 32, v[0]);
    Checks.closeToExact("adam step 1", 449.0 / 513, p[0], EB.adam(lr, b1, b2, eps, 0, false, 1, 1, 0.5, 0, 0)[0]);
    double p1 = p[0];
    kernels().adamUpdate(1, lr, b1, b2, eps, 0, false, 2, p, 0, new double[] {-0.5}, 0, m, 0, v, 0);
    assertEquals(-1.0 / 32, m[0]);
    assertEquals(15.0 / 256, v[0]);
    // The kernel continues from its own p1; the exact step from there is 64/3591.
    Checks.closeToExact("adam step 2", Exact.sum(p1, 64.0 / 3591), p[0],
        EB.adam(lr, b1, b2, eps, 0, false, 2, p1, -0.5, 0.125, 1.0 / 32)[0]);
    Checks.closeToExact("adam step 2 total", 3207.0 / 3591, p[0],
        EB.adam(lr, b1, b2, eps, 0, false, 2, p1, -0.5, 0.125, 1.0 / 32)[0] + Math.abs(p1 - 449.0 / 513));
    // AdamW with weight decay 1/2: p is first scaled by 1 - lr/2 = 15/16, then the same step 1: 15/16 - 64/513.
    p[0] = 1;
    m[0] = 0;
    v[0] = 0;
    kernels().adamUpdate(1, lr, b1, b2, eps, 0.5, true, 1, p, 0, new double[] {0.5}, 0, m, 0, v, 0);
    Checks.closeToExact("adamw step 1", 15.0 / 16 - 64.0 / 513, p[0],
        EB.adam(lr, b1, b2, eps, 0.5, true, 1, 1, 0.5, 0, 0)[0]);
    // Adam with L2 weight decay 1/2: g = 1/2 + (1/2)(1) = 1: m^ = 1, v^ = 1; p = 1 - (1/8) / (1 + 1/1024)
    // = 1 - 128/1025 = 897/1025.
    p[0] = 1;
    m[0] = 0;
    v[0] = 0;
    kernels().adamUpdate(1, lr, b1, b2, eps, 0.5, false, 1, p, 0, new double[] {0.5}, 0, m, 0, v, 0);
    Checks.closeToExact("adam L2 step 1", 897.0 / 1025, p[0], EB.adam(lr, b1, b2, eps, 0.5, false, 1, 1, 0.5, 0, 0)[0]);
  }

  @Test
  void adamStepsMatchFormulas() {
    Random rnd = new Random(22);
    int n = 19;
    for (boolean decoupled : new boolean[] {false, true}) {
      for (double wd : new double[] {0, 0.01}) {
        double[] p = guarded(rnd, n, mixed(2));
        double[] m = guarded(rnd, n, mixed(2));
        double[] v = guarded(rnd, n, positive(4));
        for (int i = GUARD; i < GUARD + n; i++) {
          m[i] = 0; // a fresh optimizer
          v[i] = 0;
        }
        for (int step = 1; step <= 4; step++) {
          double[] grad = guarded(rnd, n, mixed(3));
          double[] p0 = p.clone();
          double[] m0 = m.clone();
          double[] v0 = v.clone();
          double[] grad0 = grad.clone();
          kernels().adamUpdate(n, 1e-3, 0.9, 0.999, 1e-8, wd, decoupled, step, p, GUARD, grad, GUARD, m, GUARD, v,
              GUARD);
          String op = "adam decoupled=" + decoupled + " wd=" + wd + " step " + step;
          Checks.unchanged(op + ": grad", grad0, grad);
          Checks.unchangedOutside(op + ": param", p0, p, GUARD, GUARD + n);
          Checks.unchangedOutside(op + ": m", m0, m, GUARD, GUARD + n);
          Checks.unchangedOutside(op + ": v", v0, v, GUARD, GUARD + n);
          for (int i = GUARD; i < GUARD + n; i++) {
            var want = Formulas.adamStep(1e-3, 0.9, 0.999, 1e-8, wd, decoupled, step, p0[i], grad0[i], m0[i], v0[i]);
            var bound = EB.adam(1e-3, 0.9, 0.999, 1e-8, wd, decoupled, step, p0[i], grad0[i], m0[i], v0[i]);
            var ref = REF.adam(1e-3, 0.9, 0.999, 1e-8, wd, decoupled, step, p0[i], grad0[i], m0[i], v0[i]);
            Checks.closeToExact(op + " param[" + i + "]", want[0], p[i], bound[0] + ref[0]);
            Checks.closeToExact(op + " m[" + i + "]", want[1], m[i], bound[1] + ref[1]);
            Checks.closeToExact(op + " v[" + i + "]", want[2], v[i], bound[2] + ref[2]);
          }
        }
      }
    }
  }
}
