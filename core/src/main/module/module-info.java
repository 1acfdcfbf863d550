/**
 * rnn4j's core: tensors, autograd, the gradient checker, modules and recurrent layers, optimizers, safetensors I/O.
 * The kernel contract is part of this API ({@code KernelScope} hands out {@code Kernels}), so it is required
 * transitively. Gson is used only through its streaming reader and writer: nothing is serialised by reflection, so no
 * package is opened.
 */
module dev.rnn4j.core {
  requires transitive dev.rnn4j.kernels;
  requires com.google.gson;

  exports dev.rnn4j.tensor;
  exports dev.rnn4j.autograd;
  exports dev.rnn4j.check;
  exports dev.rnn4j.nn;
  exports dev.rnn4j.nn.recurrent;
  exports dev.rnn4j.optim;
  exports dev.rnn4j.io;
}
