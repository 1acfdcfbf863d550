package dev.rnn4j.kernels.simd;

// Generated from PanamaDoubleOptimizers.java by PrecisionGenerator. Edit that file and regenerate; do not edit this one.

import static dev.rnn4j.kernels.simd.PanamaFloatSpecies.LANES;
import static dev.rnn4j.kernels.simd.PanamaFloatSpecies.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** The fused float32 optimizer updates (SGD with momentum, Adam and AdamW), in PyTorch's formulation. */
// Casts around Math calls are redundant in the 64-bit source; the generated 32-bit twin needs them.
@SuppressWarnings("cast")
final class PanamaFloatOptimizers {

  private PanamaFloatOptimizers() {}

  static void sgdUpdate(int n, float lr, float momentum, float dampening, float weightDecay, boolean nesterov,
                        boolean firstStep, float[] param, int paramOff, float[] grad, int gradOff,
                        float[] velocity, int velocityOff) {
    int bound = SPECIES.loopBound(n);
    int i = 0;
    // The flags are loop-invariant, so C2 unswitches the loop on them; momentum == 0 is split by hand.
    if (momentum == 0) {
      for (; i < bound; i += LANES) {
        FloatVector p = FloatVector.fromArray(SPECIES, param, paramOff + i);
        FloatVector g = FloatVector.fromArray(SPECIES, grad, gradOff + i).add(p.mul(weightDecay));
        p.sub(g.mul(lr)).intoArray(param, paramOff + i);
      }
    } else {
      float keep = 1 - dampening;
      for (; i < bound; i += LANES) {
        FloatVector p = FloatVector.fromArray(SPECIES, param, paramOff + i);
        FloatVector g = FloatVector.fromArray(SPECIES, grad, gradOff + i).add(p.mul(weightDecay));
        FloatVector v = firstStep ? g
            : FloatVector.fromArray(SPECIES, velocity, velocityOff + i).mul(momentum).add(g.mul(keep));
        v.intoArray(velocity, velocityOff + i);
        g = nesterov ? g.add(v.mul(momentum)) : v;
        p.sub(g.mul(lr)).intoArray(param, paramOff + i);
      }
    }
    for (; i < n; i++) {
      float p = param[paramOff + i];
      float g = grad[gradOff + i] + weightDecay * p;
      if (momentum != 0) {
        float v = firstStep ? g : momentum * velocity[velocityOff + i] + (1 - dampening) * g;
        velocity[velocityOff + i] = v;
        g = nesterov ? g + momentum * v : v;
      }
      param[paramOff + i] = p - lr * g;
    }
  }

  static void adamUpdate(int n, float lr, float beta1, float beta2, float eps, float weightDecay,
                         boolean decoupledWeightDecay, int step, float[] param, int paramOff,
                         float[] grad, int gradOff, float[] m, int mOff, float[] v, int vOff) {
    float bias1 = 1 - (float) Math.pow(beta1, step);
    float bias2 = 1 - (float) Math.pow(beta2, step);
    float decay = 1 - lr * weightDecay;
    float keep1 = 1 - beta1;
    float keep2 = 1 - beta2;
    int bound = SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += LANES) {
      FloatVector p = FloatVector.fromArray(SPECIES, param, paramOff + i);
      FloatVector g = FloatVector.fromArray(SPECIES, grad, gradOff + i);
      if (decoupledWeightDecay) {
        p = p.mul(decay);
      } else {
        g = g.add(p.mul(weightDecay));
      }
      FloatVector mi = FloatVector.fromArray(SPECIES, m, mOff + i).mul(beta1).add(g.mul(keep1));
      FloatVector vi = FloatVector.fromArray(SPECIES, v, vOff + i).mul(beta2).add(g.mul(keep2).mul(g));
      mi.intoArray(m, mOff + i);
      vi.intoArray(v, vOff + i);
      FloatVector denom = vi.div(bias2).lanewise(VectorOperators.SQRT).add(eps);
      p.sub(mi.div(bias1).mul(lr).div(denom)).intoArray(param, paramOff + i);
    }
    for (; i < n; i++) {
      float p = param[paramOff + i];
      float g = grad[gradOff + i];
      if (decoupledWeightDecay) {
        p *= 1 - lr * weightDecay;
      } else {
        g += weightDecay * p;
      }
      float mi = beta1 * m[mOff + i] + (1 - beta1) * g;
      float vi = beta2 * v[vOff + i] + (1 - beta2) * g * g;
      m[mOff + i] = mi;
      v[vOff + i] = vi;
      param[paramOff + i] = p - lr * (mi / bias1) / ((float) Math.sqrt(vi / bias2) + eps);
    }
  }

}
