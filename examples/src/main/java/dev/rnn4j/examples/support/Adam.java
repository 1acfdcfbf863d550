package dev.rnn4j.examples.support;

import dev.rnn4j.tensor.Tensor;
import java.util.List;

/** Adam (Kingma and Ba), float32 parameters, bias-corrected, as PyTorch's torch.optim.Adam with default betas. */
public final class Adam {
  private final List<Tensor> params;
  private final float[][] m;
  private final float[][] v;
  private double lr;
  private final double beta1 = 0.9;
  private final double beta2 = 0.999;
  private final double eps = 1e-8;
  private int t;

  public Adam(List<Tensor> params, double lr) {
    this.params = List.copyOf(params);
    this.lr = lr;
    m = new float[params.size()][];
    v = new float[params.size()][];
    for (int i = 0; i < params.size(); i++) {
      m[i] = new float[params.get(i).numel()];
      v[i] = new float[params.get(i).numel()];
    }
  }

  public double learningRate() {
    return lr;
  }

  public void setLearningRate(double lr) {
    this.lr = lr;
  }

  public void step() {
    t++;
    double c1 = 1 - Math.pow(beta1, t);
    double c2 = 1 - Math.pow(beta2, t);
    for (int i = 0; i < params.size(); i++) {
      Tensor p = params.get(i);
      Tensor g = p.grad();
      if (g == null) {
        continue;
      }
      float[] pd = p.floatData();
      float[] gd = g.floatData();
      int po = p.offset();
      int go = g.offset();
      for (int j = 0; j < m[i].length; j++) {
        double gj = gd[go + j];
        m[i][j] = (float) (beta1 * m[i][j] + (1 - beta1) * gj);
        v[i][j] = (float) (beta2 * v[i][j] + (1 - beta2) * gj * gj);
        double mh = m[i][j] / c1;
        double vh = v[i][j] / c2;
        pd[po + j] = (float) (pd[po + j] - lr * mh / (Math.sqrt(vh) + eps));
      }
    }
  }

  /** Scales all gradients so that their global L2 norm is at most {@code maxNorm}; returns the norm before. */
  public static double clipGradNorm(List<Tensor> params, double maxNorm) {
    double ss = 0;
    for (Tensor p : params) {
      Tensor g = p.grad();
      if (g == null) {
        continue;
      }
      for (int j = 0; j < g.numel(); j++) {
        double x = g.getFlat(j);
        ss += x * x;
      }
    }
    double norm = Math.sqrt(ss);
    if (norm > maxNorm) {
      double s = maxNorm / (norm + 1e-6);
      for (Tensor p : params) {
        Tensor g = p.grad();
        if (g != null) {
          for (int j = 0; j < g.numel(); j++) {
            g.setFlat(j, g.getFlat(j) * s);
          }
        }
      }
    }
    return norm;
  }
}
