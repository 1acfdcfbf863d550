package dev.rnn4j.bench;

import java.util.List;
import java.util.Map;

/**
 * Names the part of a recurrent pass a sampled call stack belongs to: the engine's phase (input projection,
 * recurrence, weight gradients, ...) and the kernel running at the sample. {@link PhaseProfile} feeds it JFR's
 * execution samples; it is a pure function of the frames so that the attribution rules can be tested on their own.
 *
 * <p>The kernel is the outermost frame in {@code dev.rnn4j.kernels} (the entry point the engine called, such as
 * {@code gemmPacked}; the micro-kernel and map loops below it are its own work). The phase is the first frame below
 * the kernel, in rnn4j outside the kernels and the benchmarks, whose method names one (see {@link #PHASES}); a lambda
 * {@code lambda$m$n} counts as its enclosing method {@code m}. The engine's backward pass runs two kinds of task as
 * lambdas of {@code backward}, told apart by their kernel: the input gradient's GEMM and the bias gradients' column
 * sums. A stack with rnn4j frames but no named method gets the phase of its first rnn4j frame, {@code Class.method};
 * one without any, {@code outside rnn4j}.
 */
final class PhaseClassifier {

  /** One stack frame: the declaring class's binary name and the method name. */
  record Frame(String className, String method) {}

  /** A phase and the kernel entry point running in it ({@link #NO_KERNEL} when none was). */
  record Attribution(String phase, String kernel) {}

  static final String NO_KERNEL = "(no kernel)";
  static final String OUTSIDE = "outside rnn4j";

  static final String INPUT_PROJECTION = "input projection";
  static final String RECURRENCE = "recurrence";
  static final String BACKWARD_RECURRENCE = "backward recurrence";
  static final String WEIGHT_GRADIENTS = "weight gradients";
  static final String INPUT_GRADIENT = "input gradient";
  static final String BIAS_GRADIENTS = "bias gradients";
  static final String WEIGHT_PACKING = "weight packing";
  static final String FORWARD_SETUP = "forward setup";
  static final String BACKWARD_SETUP = "backward setup";

  /** Engine methods (of {@code FloatRecurrentEngine} / {@code DoubleRecurrentEngine}) and the phase each runs. */
  static final Map<String, String> PHASES = Map.ofEntries(
      Map.entry("project", INPUT_PROJECTION),
      Map.entry("recurrentStep", RECURRENCE),
      Map.entry("forwardRows", RECURRENCE),
      Map.entry("backwardRows", BACKWARD_RECURRENCE),
      Map.entry("gruResetBeforeBackward", BACKWARD_RECURRENCE),
      Map.entry("weightGradient", WEIGHT_GRADIENTS),
      Map.entry("packStep", WEIGHT_PACKING),
      Map.entry("packBackward", WEIGHT_PACKING),
      Map.entry("prepare", FORWARD_SETUP),
      Map.entry("forward", FORWARD_SETUP),
      Map.entry("backward", BACKWARD_SETUP));

  private static final String RNN4J = "dev.rnn4j.";
  private static final String KERNELS = "dev.rnn4j.kernels.";
  private static final String BENCH = "dev.rnn4j.bench.";

  private PhaseClassifier() {}

  /** The attribution of one sample; {@code frames} run from the innermost (top of the stack) outwards. */
  static Attribution classify(List<Frame> frames) {
    int i = 0;
    String kernel = NO_KERNEL;
    while (i < frames.size() && !inKernels(frames.get(i))) {
      i++;
    }
    if (i < frames.size()) {
      while (i < frames.size() && inKernels(frames.get(i))) {
        kernel = frames.get(i).method();
        i++;
      }
    } else {
      i = 0;
    }
    Frame firstOwn = null;
    for (; i < frames.size(); i++) {
      Frame f = frames.get(i);
      if (!f.className().startsWith(RNN4J) || f.className().startsWith(BENCH) || inKernels(f)) {
        continue;
      }
      if (firstOwn == null) {
        firstOwn = f;
      }
      String method = enclosingMethod(f.method());
      boolean lambda = !method.equals(f.method());
      if (lambda && method.equals("backward")) {
        // The backward pass's own tasks: the input gradient's GEMM and the bias gradients' column sums.
        return new Attribution(kernel.startsWith("gemm") ? INPUT_GRADIENT : BIAS_GRADIENTS, kernel);
      }
      String phase = PHASES.get(method);
      if (phase != null && isEngine(f)) {
        if (phase.equals(BACKWARD_SETUP) && kernel.equals("packB")) {
          return new Attribution(WEIGHT_PACKING, kernel); // W_ih, packed for the input gradient
        }
        return new Attribution(phase, kernel);
      }
    }
    if (firstOwn == null) {
      return new Attribution(OUTSIDE, kernel);
    }
    String simple = firstOwn.className().substring(firstOwn.className().lastIndexOf('.') + 1);
    return new Attribution(simple + "." + enclosingMethod(firstOwn.method()), kernel);
  }

  /** {@code m} for a lambda body {@code lambda$m$n}, else the name itself. */
  static String enclosingMethod(String method) {
    if (method.startsWith("lambda$")) {
      int end = method.indexOf('$', "lambda$".length());
      if (end > 0) {
        return method.substring("lambda$".length(), end);
      }
    }
    return method;
  }

  private static boolean inKernels(Frame f) {
    return f.className().startsWith(KERNELS);
  }

  private static boolean isEngine(Frame f) {
    return f.className().endsWith("RecurrentEngine");
  }
}
