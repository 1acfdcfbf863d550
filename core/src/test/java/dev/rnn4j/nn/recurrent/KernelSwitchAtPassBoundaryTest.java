package dev.rnn4j.nn.recurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.kernels.DoubleKernels;
import dev.rnn4j.kernels.FloatKernels;
import dev.rnn4j.kernels.KernelSelector;
import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.kernels.ScalarDoubleKernels;
import dev.rnn4j.kernels.ScalarFloatKernels;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.Tensor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Under {@code -Drnn4j.kernels=adaptive} the kernels that {@link KernelScope#current()} returns change once, at any
 * moment. A layer's pass must not straddle that change: it reads the kernels once, when its forward starts, and its
 * backward runs on the same set. Here the change is made mid-pass, from inside the first kernel call of the forward,
 * by opening a scope on the other set (what {@code current()} returns is all the layer sees, whatever changed it).
 */
class KernelSwitchAtPassBoundaryTest {

  /** Scalar kernels that log each float32 call's method name and run {@code onCall} before it. */
  private static final class Recording {
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    Runnable onCall = () -> { };
    final Kernels kernels;

    Recording(String name) {
      FloatKernels spec = new ScalarFloatKernels();
      FloatKernels f32 = (FloatKernels) Proxy.newProxyInstance(FloatKernels.class.getClassLoader(),
          new Class<?>[] {FloatKernels.class}, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
              return method.invoke(spec, args);
            }
            onCall.run();
            calls.add(method.getName());
            try {
              return method.invoke(spec, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          });
      DoubleKernels f64 = new ScalarDoubleKernels();
      kernels = new Kernels(name, 32, f32, f64);
    }

    List<String> layerKernelCalls() {
      synchronized (calls) {
        return calls.stream().filter(m -> m.startsWith("gemm") || m.startsWith("pack") || m.startsWith("lstm"))
            .toList();
      }
    }
  }

  @Test
  @SuppressWarnings("try")
  void aForwardAndBackwardStartedBeforeTheSwitchFinishOnTheSetTheyStartedWith() {
    Recording a = new Recording("a");
    Recording b = new Recording("b");
    LSTM lstm = new LSTM(new RecurrentOptions(3, 4).numLayers(2).seed(1));
    Tensor x = Tensor.normal(DType.FLOAT32, new SplittableRandom(2), 0, 1, 5, 2, 3);
    KernelScope[] switched = new KernelScope[1];
    try (KernelScope before = KernelScope.use(a.kernels)) {
      a.onCall = () -> {
        if (switched[0] == null) {
          switched[0] = KernelScope.use(b.kernels); // the switch, in the middle of the forward
        }
      };
      Tensor loss = lstm.forward(x).output().sum();
      assertSame(b.kernels, KernelScope.current(), "the switch happened during the forward");
      loss.backward();
      List<String> onA = a.layerKernelCalls();
      assertTrue(onA.contains("lstmForward") && onA.contains("lstmBackward") && onA.contains("gemmPacked"), onA.toString());
      assertEquals(List.of(), b.layerKernelCalls(), "no kernel of the layer's pass ran on the new set");

      // the next pass starts after the switch: all of it on the new set
      int aCallsBefore = a.calls.size();
      lstm.forward(x).output().sum().backward();
      assertEquals(aCallsBefore, a.calls.size());
      assertTrue(b.layerKernelCalls().contains("lstmBackward"), b.layerKernelCalls().toString());
      switched[0].close();
    }
  }

  @Test
  void inTheDefaultModeTheKernelsNeverChange() {
    // The test JVM runs in the default mode (auto): fixed for its life, whatever runs.
    assertTrue(KernelSelector.adaptive().isEmpty());
    Kernels first = Kernels.get();
    assertFalse(first == null);
    LSTM lstm = new LSTM(new RecurrentOptions(3, 4).seed(1));
    WarmUp.forShapes(1, 4).inference().training().budget(Duration.ofMillis(200)).run(lstm);
    assertSame(first, Kernels.get());
    assertSame(first, KernelScope.current());
  }
}
