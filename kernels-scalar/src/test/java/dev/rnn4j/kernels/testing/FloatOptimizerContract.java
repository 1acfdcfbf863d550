package dev.rnn4j.kernels.testing;

// Generated from DoubleOptimizerContract.java by PrecisionGenerator. Edit that file and regenerate; do not edit this one.

import static dev.rnn4j.kernels.testing.FloatKernelTestSupport.EB;
import static dev.rnn4j.kernels.testing.FloatKernelTestSupport.GUARD;
import static dev.rnn4j.kernels.testing.FloatKernelTestSupport.REF;
import static dev.rnn4j.kernels.testing.FloatKernelTestSupport.guarded;
import static dev.rnn4j.kernels.testing.KernelSweeps.WIDTH_INDEPENDENT;
import static dev.rnn4j.kernels.testing.TestValues.mixed;
import static dev.rnn4j.kernels.testing.TestValues.positive;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rnn4j.kernels.FloatKernels;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The contract tests of the fused optimizer updates of {@link FloatKernels}, sgdUpdate and adamUpdate. A
 * link of the contract suite's chain of family classes; implementations subclass {@link FloatKernelsContract},
 * which runs every family.
 */
@SuppressWarnings("cast")
public abstract class FloatOptimizerContract extends FloatRecurrentContract {

  // ===============================================================================================================
  // Optimizers
  // ===============================================================================================================

  @Test
  @Tag(WIDTH_INDEPENDENT)
  void sgdHandComputed() {
    // Plain: p = 1 - 0.5 * 0.5 = 0.75 (lr 0.5, g 0.5).
    float[] p = {1};
    float[] v = {123};
    kernels().sgdUpdate(1, 0.5f, 0, 0, 0, false, true, p, 0, new float[] {0.5f}, 0, v, 0);
    assertEquals(0.75f, p[0]);
    assertEquals(123, v[0], "velocity untouched without momentum");
    // Momentum 0.5, lr 0.5, g 1: step 1: v = g = 1, p = 1 - 0.5 = 0.5; step 2: v = 0.5 * 1 + 1 = 1.5,
    // p = 0.5 - 0.75 = -0.25.
    p[0] = 1;
    kernels().sgdUpdate(1, 0.5f, 0.5f, 0, 0, false, true, p, 0, new float[] {1}, 0, v, 0);
    assertEquals(0.5f, p[0]);
    assertEquals(1, v[0]);
    kernels().sgdUpdate(1, 0.5f, 0.5f, 0, 0, false, false, p, 0, new float[] {1}, 0, v, 0);
    assertEquals(-0.25f, p[0]);
    assertEquals(1.5f, v[0]);
    // Nesterov, same numbers, first step: v = 1, g' = 1 + 0.5 * 1 = 1.5, p = 1 - 0.75 = 0.25.
    // Weight decay 0.5 with p = 1, grad 0: g = 0.5, no momentum: p = 1 - 0.25 = 0.75 (checked on element 1).
    float[] pn = {1, 1};
    float[] vn = {0, 0};
    kernels().sgdUpdate(1, 0.5f, 0.5f, 0, 0, true, true, pn, 0, new float[] {1}, 0, vn, 0);
    assertEquals(0.25f, pn[0]);
    kernels().sgdUpdate(1, 0.5f, 0, 0, 0.5f, false, false, pn, 1, new float[] {0, 0}, 1, vn, 1);
    assertEquals(0.75f, pn[1]);
    assertEquals(0.25f, pn[0], "outside the range");
  }

  @Test
  void sgdStepsMatchFormulas() {
    Random rnd = new Random(21);
    int n = 17;
    float[][] configs = { // lr, momentum, dampening, weightDecay, nesterov (1 / 0)
        {0.1f, 0, 0, 0, 0}, {0.1f, 0.9f, 0, 0, 0}, {0.05f, 0.9f, 0.1f, 0.01f, 0}, {0.05f, 0.8f, 0, 0.001f, 1}};
    for (float[] cfg : configs) {
      float lr = (float) cfg[0];
      float momentum = (float) cfg[1];
      float dampening = (float) cfg[2];
      float wd = (float) cfg[3];
      boolean nesterov = cfg[4] == 1;
      float[] p = guarded(rnd, n, mixed(2));
      float[] v = guarded(rnd, n, mixed(2));
      for (int step = 1; step <= 3; step++) {
        float[] grad = guarded(rnd, n, mixed(3));
        float[] p0 = p.clone();
        float[] v0 = v.clone();
        float[] grad0 = grad.clone();
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
    float lr = 0.125f;
    float b1 = 0.75f;
    float b2 = 0.875f;
    float eps = 1.0f / 1024;
    float[] p = {1};
    float[] m = {0};
    float[] v = {0};
    kernels().adamUpdate(1, lr, b1, b2, eps, 0, false, 1, p, 0, new float[] {0.5f}, 0, m, 0, v, 0);
    assertEquals(0.125f, m[0]);
    assertEquals(1.0f / 32, v[0]);
    Checks.closeToExact("adam step 1", 449.0f / 513, p[0], EB.adam(lr, b1, b2, eps, 0, false, 1, 1, 0.5f, 0, 0)[0]);
    float p1 = p[0];
    kernels().adamUpdate(1, lr, b1, b2, eps, 0, false, 2, p, 0, new float[] {-0.5f}, 0, m, 0, v, 0);
    assertEquals(-1.0f / 32, m[0]);
    assertEquals(15.0f / 256, v[0]);
    // The kernel continues from its own p1; the exact step from there is 64/3591.
    Checks.closeToExact("adam step 2", Exact.sum(p1, 64.0f / 3591), p[0],
        EB.adam(lr, b1, b2, eps, 0, false, 2, p1, -0.5f, 0.125f, 1.0f / 32)[0]);
    Checks.closeToExact("adam step 2 total", 3207.0f / 3591, p[0],
        EB.adam(lr, b1, b2, eps, 0, false, 2, p1, -0.5f, 0.125f, 1.0f / 32)[0] + Math.abs(p1 - 449.0f / 513));
    // AdamW with weight decay 1/2: p is first scaled by 1 - lr/2 = 15/16, then the same step 1: 15/16 - 64/513.
    p[0] = 1;
    m[0] = 0;
    v[0] = 0;
    kernels().adamUpdate(1, lr, b1, b2, eps, 0.5f, true, 1, p, 0, new float[] {0.5f}, 0, m, 0, v, 0);
    Checks.closeToExact("adamw step 1", 15.0f / 16 - 64.0f / 513, p[0],
        EB.adam(lr, b1, b2, eps, 0.5f, true, 1, 1, 0.5f, 0, 0)[0]);
    // Adam with L2 weight decay 1/2: g = 1/2 + (1/2)(1) = 1: m^ = 1, v^ = 1; p = 1 - (1/8) / (1 + 1/1024)
    // = 1 - 128/1025 = 897/1025.
    p[0] = 1;
    m[0] = 0;
    v[0] = 0;
    kernels().adamUpdate(1, lr, b1, b2, eps, 0.5f, false, 1, p, 0, new float[] {0.5f}, 0, m, 0, v, 0);
    Checks.closeToExact("adam L2 step 1", 897.0f / 1025, p[0], EB.adam(lr, b1, b2, eps, 0.5f, false, 1, 1, 0.5f, 0, 0)[0]);
  }

  @Test
  void adamStepsMatchFormulas() {
    Random rnd = new Random(22);
    int n = 19;
    for (boolean decoupled : new boolean[] {false, true}) {
      for (float wd : new float[] {0, 0.01f}) {
        float[] p = guarded(rnd, n, mixed(2));
        float[] m = guarded(rnd, n, mixed(2));
        float[] v = guarded(rnd, n, positive(4));
        for (int i = GUARD; i < GUARD + n; i++) {
          m[i] = 0; // a fresh optimizer
          v[i] = 0;
        }
        for (int step = 1; step <= 4; step++) {
          float[] grad = guarded(rnd, n, mixed(3));
          float[] p0 = p.clone();
          float[] m0 = m.clone();
          float[] v0 = v.clone();
          float[] grad0 = grad.clone();
          kernels().adamUpdate(n, 1e-3f, 0.9f, 0.999f, 1e-8f, wd, decoupled, step, p, GUARD, grad, GUARD, m, GUARD, v,
              GUARD);
          String op = "adam decoupled=" + decoupled + " wd=" + wd + " step " + step;
          Checks.unchanged(op + ": grad", grad0, grad);
          Checks.unchangedOutside(op + ": param", p0, p, GUARD, GUARD + n);
          Checks.unchangedOutside(op + ": m", m0, m, GUARD, GUARD + n);
          Checks.unchangedOutside(op + ": v", v0, v, GUARD, GUARD + n);
          for (int i = GUARD; i < GUARD + n; i++) {
            var want = Formulas.adamStep(1e-3f, 0.9f, 0.999f, 1e-8f, wd, decoupled, step, p0[i], grad0[i], m0[i], v0[i]);
            var bound = EB.adam(1e-3f, 0.9f, 0.999f, 1e-8f, wd, decoupled, step, p0[i], grad0[i], m0[i], v0[i]);
            var ref = REF.adam(1e-3f, 0.9f, 0.999f, 1e-8f, wd, decoupled, step, p0[i], grad0[i], m0[i], v0[i]);
            Checks.closeToExact(op + " param[" + i + "]", want[0], p[i], bound[0] + ref[0]);
            Checks.closeToExact(op + " m[" + i + "]", want[1], m[i], bound[1] + ref[1]);
            Checks.closeToExact(op + " v[" + i + "]", want[2], v[i], bound[2] + ref[2]);
          }
        }
      }
    }
  }
}
