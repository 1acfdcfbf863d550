package dev.rnn4j.optim;

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Tensor;

/**
 * The per-dtype array work of the optimizers, written once against this interface so that {@link SGD},
 * {@link AdamFamily} and {@link Optimizer} never branch on the dtype. {@link DoubleUpdateOps} is the float64
 * implementation; {@link FloatUpdateOps} is generated from it. A state buffer is an {@code Object}: a {@code double[]}
 * for float64 parameters, a {@code float[]} for float32 ones, made by {@link #newBuffer}. Parameters and gradients
 * are contiguous tensors of one dtype (the optimizer checks this before calling).
 */
interface UpdateOps {

  static UpdateOps of(Tensor t) {
    return t.dtype() == DType.FLOAT32 ? FloatUpdateOps.INSTANCE : DoubleUpdateOps.INSTANCE;
  }

  /** A zeroed state buffer of {@code n} elements. */
  Object newBuffer(int n);

  /** A copy of {@code buffer} as a tensor of {@code shape}. */
  Tensor copyOf(Object buffer, int[] shape);

  /** A fresh state buffer holding {@code t}'s values. */
  Object arrayOf(Tensor t);

  /** The kernels' fused {@code sgdUpdate} on {@code p} in place, with momentum buffer {@code velocity}. */
  void sgdUpdate(Kernels k, double lr, double momentum, double dampening, double weightDecay, boolean nesterov,
                 boolean first, Tensor p, Tensor g, Object velocity);

  /** The kernels' fused {@code adamUpdate} on {@code p} in place, with moment buffers {@code m} and {@code v}. */
  void adamUpdate(Kernels k, double lr, double beta1, double beta2, double eps, double weightDecay, boolean decoupled,
                  int t, Tensor p, Tensor g, Object m, Object v);

  /** Index of the first non-finite element of {@code g}, or -1 if all are finite (see {@link NonFiniteScan}). */
  int firstNonFinite(Kernels k, Tensor g);

  /** The element {@code i} of {@code g}, widened to double (for messages). */
  double element(Tensor g, int i);
}
