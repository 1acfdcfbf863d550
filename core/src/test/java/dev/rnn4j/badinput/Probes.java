package dev.rnn4j.badinput;

import dev.rnn4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** What a rejected call must not change, in a form that {@code Objects.deepEquals} compares. */
final class Probes {

  private Probes() {}

  /** Values, shape, dtype and write count of each tensor. */
  static Object tensors(Tensor... ts) {
    List<Object> out = new ArrayList<>();
    for (Tensor t : ts) {
      out.add(List.of(Arrays.toString(t.toDoubleArray()), Arrays.toString(t.shape()), t.dtype(), t.version()));
    }
    return out;
  }

  /** Values of each tensor's gradient (null where it has none). */
  static Object grads(List<Tensor> ts) {
    List<Object> out = new ArrayList<>();
    for (Tensor t : ts) {
      out.add(t.grad() == null ? "none" : Arrays.toString(t.grad().toDoubleArray()));
    }
    return out;
  }
}
