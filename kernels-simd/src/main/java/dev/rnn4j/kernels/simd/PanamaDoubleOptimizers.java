package dev.rnn4j.kernels.simd;

// rnn4j:generate-float

import static dev.rnn4j.kernels.simd.PanamaDoubleSpecies.LANES;
import static dev.rnn4j.kernels.simd.PanamaDoubleSpecies.SPECIES;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;

/** The fused float64 optimizer updates (SGD with momentum, Adam and AdamW), in PyTorch's formulation. */
// Casts around Math calls are redundant in the 64-bit source; the generated 32-bit twin needs them.
@SuppressWarnings("cast")
final class PanamaDoubleOptimizers {

  private PanamaDoubleOptimizers() {}

  static void sgdUpdate(int n, double lr, double momentum, double dampening, double weightDecay, boolean nesterov,
                        boolean firstStep, double[] param, int paramOff, double[] grad, int gradOff,
                        double[] velocity, int velocityOff) {
    int bound = SPECIES.loopBound(n);
    int i = 0;
    // The flags are loop-invariant, so C2 unswitches the loop on them; momentum == 0 is split by hand.
    if (momentum == 0) {
      for (; i < bound; i += LANES) {
        DoubleVector p = DoubleVector.fromArray(SPECIES, param, paramOff + i);
        DoubleVector g = DoubleVector.fromArray(SPECIES, grad, gradOff + i).add(p.mul(weightDecay));
        p.sub(g.mul(lr)).intoArray(param, paramOff + i);
      }
    } else {
      double keep = 1 - dampening;
      for (; i < bound; i += LANES) {
        DoubleVector p = DoubleVector.fromArray(SPECIES, param, paramOff + i);
        DoubleVector g = DoubleVector.fromArray(SPECIES, grad, gradOff + i).add(p.mul(weightDecay));
        DoubleVector v = firstStep ? g
            : DoubleVector.fromArray(SPECIES, velocity, velocityOff + i).mul(momentum).add(g.mul(keep));
        v.intoArray(velocity, velocityOff + i);
        g = nesterov ? g.add(v.mul(momentum)) : v;
        p.sub(g.mul(lr)).intoArray(param, paramOff + i);
      }
    }
    for (; i < n; i++) {
      double p = param[paramOff + i];
      double g = grad[gradOff + i] + weightDecay * p;
      if (momentum != 0) {
        double v = firstStep ? g : momentum * velocity[velocityOff + i] + (1 - dampening) * g;
        velocity[velocityOff + i] = v;
        g = nesterov ? g + momentum * v : v;
      }
      param[paramOff + i] = p - lr * g;
    }
  }

  static void adamUpdate(int n, double lr, double beta1, double beta2, double eps, double weightDecay,
                         boolean decoupledWeightDecay, int step, double[] param, int paramOff,
                         double[] grad, int gradOff, double[] m, int mOff, double[] v, int vOff) {
    double bias1 = 1 - (double) Math.pow(beta1, step);
    double bias2 = 1 - (double) Math.pow(beta2, step);
    double decay = 1 - lr * weightDecay;
    double keep1 = 1 - beta1;
    double keep2 = 1 - beta2;
    int bound = SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += LANES) {
      DoubleVector p = DoubleVector.fromArray(SPECIES, param, paramOff + i);
      DoubleVector g = DoubleVector.fromArray(SPECIES, grad, gradOff + i);
      if (decoupledWeightDecay) {
        p = p.mul(decay);
      } else {
        g = g.add(p.mul(weightDecay));
      }
      DoubleVector mi = DoubleVector.fromArray(SPECIES, m, mOff + i).mul(beta1).add(g.mul(keep1));
      DoubleVector vi = DoubleVector.fromArray(SPECIES, v, vOff + i).mul(beta2).add(g.mul(keep2).mul(g));
      mi.intoArray(m, mOff + i);
      vi.intoArray(v, vOff + i);
      DoubleVector denom = vi.div(bias2).lanewise(VectorOperators.SQRT).add(eps);
      p.sub(mi.div(bias1).mul(lr).div(denom)).intoArray(param, paramOff + i);
    }
    for (; i < n; i++) {
      double p = param[paramOff + i];
      double g = grad[gradOff + i];
      if (decoupledWeightDecay) {
        p *= 1 - lr * weightDecay;
      } else {
        g += weightDecay * p;
      }
      double mi = beta1 * m[mOff + i] + (1 - beta1) * g;
      double vi = beta2 * v[vOff + i] + (1 - beta2) * g * g;
      m[mOff + i] = mi;
      v[vOff + i] = vi;
      param[paramOff + i] = p - lr * (mi / bias1) / ((double) Math.sqrt(vi / bias2) + eps);
    }
  }

}
