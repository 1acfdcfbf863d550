package dev.rnn4j.badinput;

import static dev.rnn4j.tensor.DType.FLOAT32;
import static dev.rnn4j.tensor.DType.FLOAT64;

import dev.rnn4j.autograd.Engine;
import dev.rnn4j.autograd.Function;
import dev.rnn4j.autograd.NoGrad;
import dev.rnn4j.check.GradientChecker;
import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.Tensor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/** Custom autograd functions, the graph walk, no-grad and kernel scopes, and the gradient checker. */
final class AutogradCases {

  private AutogradCases() {}

  /** A function whose forward and backward results are given by the test. */
  static final class Scripted extends Function {
    private final UnaryOperator<Tensor[]> forward;
    private final UnaryOperator<Tensor[]> backward;

    Scripted(UnaryOperator<Tensor[]> forward, UnaryOperator<Tensor[]> backward) {
      this.forward = forward;
      this.backward = backward;
    }

    @Override
    protected Tensor[] forward(Tensor... in) {
      return forward.apply(in);
    }

    @Override
    protected Tensor[] backward(Tensor... g) {
      return backward.apply(g);
    }
  }

  private static final UnaryOperator<Tensor[]> COPY = in -> new Tensor[] {in[0].copy()};

  /** Builds sum(Scripted(x)) for x = ones(2) requiring a gradient and runs backward. */
  private static void backwardThrough(UnaryOperator<Tensor[]> backward) {
    Tensor x = Tensor.ones(FLOAT64, 2).requiresGrad(true);
    new Scripted(COPY, backward).apply1(x).sum().backward();
  }

  static void add(Catalog c) {
    functions(c);
    scopes(c);
    checker(c);
  }

  private static void functions(Catalog c) {
    Tensor x = Tensor.ones(FLOAT64, 2).requiresGrad(true);
    c.ise("Function applied twice", () -> {
      Scripted f = new Scripted(COPY, g -> g);
      f.apply(x);
      f.apply(x);
    }, "Scripted", "applied only once");
    c.iae("Function applied to a null array", () -> new Scripted(COPY, g -> g).apply((Tensor[]) null), "Scripted",
        "inputs", "null");
    c.iae("Function applied to a null input", () -> new Scripted(in -> new Tensor[] {in[0].copy()}, g -> g)
        .apply(x, null), "Scripted", "input 1", "null");
    c.ise("Function forward returning null", () -> new Scripted(in -> null, g -> g).apply(x), "Scripted",
        "forward returned no outputs");
    c.ise("Function forward returning no outputs", () -> new Scripted(in -> new Tensor[0], g -> g).apply(x),
        "Scripted", "forward returned no outputs");
    c.ise("Function forward returning a null output", () -> new Scripted(in -> new Tensor[] {null}, g -> g)
        .apply(x), "Scripted", "null for output 0");
    c.ise("apply1 on a function of two outputs", () -> new Scripted(in -> new Tensor[] {in[0].copy(),
        in[0].copy()}, g -> g).apply1(x), "Scripted", "apply1", "2 outputs");
    c.ise("backward returning a null array", () -> backwardThrough(g -> null), "Scripted", "backward returned null",
        "1 inputs");
    c.ise("backward returning too many gradients", () -> backwardThrough(g -> new Tensor[] {g[0], g[0]}),
        "Scripted", "backward returned 2 gradients", "1 inputs");
    c.ise("backward returning null for an input that needs a gradient", () -> backwardThrough(
        g -> new Tensor[] {null}), "Scripted", "backward returned null for input 0", "[2] float64");
    c.ise("backward returning a gradient of another shape", () -> backwardThrough(
        g -> new Tensor[] {Tensor.ones(FLOAT64, 3)}), "Scripted", "[3] float64", "input 0", "[2] float64");
    c.ise("backward returning a gradient of another dtype", () -> backwardThrough(
        g -> new Tensor[] {Tensor.ones(FLOAT32, 2)}), "Scripted", "[2] float32", "input 0", "[2] float64");
    c.iae("Engine.backward of null", () -> Engine.backward(null, null, false), "backward", "root", "null");
    c.iae("NoGrad.run null body", () -> NoGrad.run(null), "NoGrad.run", "body", "null");
    c.iae("NoGrad.get null body", () -> NoGrad.get(null), "NoGrad.get", "body", "null");
    c.ise("NoGrad closed on another thread", () -> {
      NoGrad g = NoGrad.enter();
      try {
        closeOnOtherThread(g);
      } finally {
        g.close();
      }
    }, "NoGrad", "closed on thread");
  }

  /** Closes {@code scope} on a new thread and rethrows what the close threw there. */
  private static void closeOnOtherThread(AutoCloseable scope) throws Exception {
    AtomicReference<Exception> thrown = new AtomicReference<>();
    Thread t = new Thread(() -> {
      try {
        scope.close();
      } catch (Exception e) {
        thrown.set(e);
      }
    }, "other");
    t.start();
    t.join();
    if (thrown.get() != null) {
      throw thrown.get();
    }
  }

  private static void scopes(Catalog c) {
    c.iae("KernelScope.use null", () -> KernelScope.use(null), "KernelScope.use", "kernels", "null")
        .unchanged(KernelScope::current);
    c.iae("KernelScope.run null kernels", () -> KernelScope.run(null, () -> { }), "KernelScope.use", "kernels",
        "null").unchanged(KernelScope::current);
    c.iae("KernelScope.run null body", () -> KernelScope.run(Kernels.scalar(), null), "KernelScope.run", "body",
        "null").unchanged(KernelScope::current);
    c.iae("KernelScope.get null body", () -> KernelScope.get(Kernels.scalar(), null), "KernelScope.get", "body",
        "null").unchanged(KernelScope::current);
    c.ise("KernelScope closed on another thread", () -> {
      KernelScope s = KernelScope.use(Kernels.scalar());
      try {
        closeOnOtherThread(s);
      } finally {
        s.close();
      }
    }, "KernelScope", "closed on thread", "other").unchanged(KernelScope::current);
  }

  private static void checker(Catalog c) {
    GradientChecker gc = GradientChecker.defaults();
    Tensor x = Tensor.ones(FLOAT64, 2).requiresGrad(true);
    java.util.function.Function<Tensor[], Tensor> sum = in -> in[0].sum();
    c.iae("GradientChecker null function", () -> gc.check(null, x), "GradientChecker", "function", "null");
    c.iae("GradientChecker no inputs", () -> gc.check(sum), "GradientChecker", "no inputs");
    c.iae("GradientChecker null input", () -> gc.check(sum, (Tensor) null), "GradientChecker", "inputs[0]",
        "null");
    c.iae("GradientChecker null input array", () -> gc.check(sum, (Tensor[]) null), "GradientChecker", "inputs",
        "null");
    c.iae("GradientChecker non-leaf input", () -> gc.check(sum, x.mul(2.0)), "GradientChecker", "input 0",
        "result of an op");
    c.iae("GradientChecker float32 input", () -> gc.check(sum, Tensor.ones(FLOAT32, 2).requiresGrad(true)),
        "GradientChecker", "input 0", "float32", "allowFloat32");
    c.iae("GradientChecker no input requires a gradient", () -> gc.check(sum, Tensor.ones(FLOAT64, 2)),
        "GradientChecker", "no input requires a gradient");
    c.iae("GradientChecker function returning null", () -> gc.check(in -> null, x), "GradientChecker",
        "returned null", "original input");
    int[] calls = {0};
    c.iae("GradientChecker function returning null when perturbed", () -> gc.check(
        in -> calls[0]++ == 0 ? in[0].sum() : null, x), "GradientChecker", "returned null", "perturbed input");
    c.ise("GradientChecker function changing its output size", () -> gc.check(in -> in[0].getFlat(0) == 1
        ? in[0].sum() : in[0], x), "GradientChecker", "returned 2 elements", "1 at the original input");
    c.iae("GradientChecker eps zero", () -> GradientChecker.builder().eps(0), "GradientChecker", "eps", "0.0");
    c.iae("GradientChecker eps NaN", () -> GradientChecker.builder().eps(Double.NaN), "GradientChecker", "eps",
        "NaN");
    c.iae("GradientChecker eps infinite", () -> GradientChecker.builder().eps(Double.POSITIVE_INFINITY),
        "GradientChecker", "eps", "Infinity");
    c.iae("GradientChecker atol negative", () -> GradientChecker.builder().atol(-1), "GradientChecker", "atol",
        "-1.0");
    c.iae("GradientChecker atol NaN", () -> GradientChecker.builder().atol(Double.NaN), "GradientChecker", "atol",
        "NaN");
    c.iae("GradientChecker atol infinite", () -> GradientChecker.builder().atol(Double.POSITIVE_INFINITY),
        "GradientChecker", "atol", "Infinity");
    c.iae("GradientChecker rtol negative", () -> GradientChecker.builder().rtol(-0.5), "GradientChecker", "rtol",
        "-0.5");
    c.iae("GradientChecker rtol infinite", () -> GradientChecker.builder().rtol(Double.POSITIVE_INFINITY),
        "GradientChecker", "rtol", "Infinity");
    c.iae("GradientChecker null kernels", () -> GradientChecker.builder().kernels(null), "GradientChecker",
        "kernels", "null");
  }
}
