package dev.rnn4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AdaptiveKernelsTest {

  /** A second kernels object, distinguishable from the first by identity (the contract is the same scalar spec). */
  private static final Kernels OTHER = new Kernels("other", 32, new ScalarFloatKernels(), new ScalarDoubleKernels());

  @Test
  void startsOnTheInitialSetAndSwitchesOnceForGood() throws InterruptedException {
    AdaptiveKernels a = new AdaptiveKernels(Kernels.scalar(), OTHER);
    assertSame(Kernels.scalar(), a.current());
    assertFalse(a.hasSwitched());
    assertFalse(a.awaitSwitch(Duration.ofMillis(1)));
    assertEquals("", a.switchReport());
    a.switchToTarget("test");
    assertSame(OTHER, a.current());
    assertTrue(a.hasSwitched());
    assertTrue(a.awaitSwitch(Duration.ZERO));
    a.switchToTarget("again"); // no second switch, no new report
    assertEquals("test", a.switchReport());
    assertSame(OTHER, a.current());
  }

  @Test
  void theWarmUpThreadSwitchesWhenTheRoundsAreSteady() throws InterruptedException {
    // Any round is within 1000x of the fastest: steady after 3 rounds without a compilation finishing among them
    // (the JIT is busy at first, so usually more), long before the 60 s budget.
    AdaptiveKernels a = new AdaptiveKernels(OTHER, Kernels.scalar(), () -> new SteadyState(1000, 3, 0),
        TimeUnit.SECONDS.toNanos(60));
    Thread t = a.startWarmUp();
    assertEquals(AdaptiveKernels.THREAD_NAME, t.getName());
    assertTrue(t.isDaemon());
    assertTrue(a.awaitSwitch(Duration.ofSeconds(60)));
    t.join(10_000);
    assertFalse(t.isAlive());
    assertSame(Kernels.scalar(), a.current());
    assertTrue(a.switchReport().matches("compiled after \\d+ warm-up rounds in \\d+ ms, [0-9.]+ ms CPU per round"),
        a.switchReport());
  }

  @Test
  void theWarmUpThreadSwitchesWhenTheBudgetIsSpent() throws InterruptedException {
    // A 1.0x tolerance over a million rounds is never met: the 300 ms budget decides.
    AdaptiveKernels a = new AdaptiveKernels(OTHER, Kernels.scalar(), () -> new SteadyState(1.0, 1_000_000, 0),
        TimeUnit.MILLISECONDS.toNanos(300));
    a.startWarmUp();
    assertTrue(a.awaitSwitch(Duration.ofSeconds(60)));
    assertSame(Kernels.scalar(), a.current());
    assertTrue(a.switchReport().matches("warm-up budget of 300 ms spent after \\d+ warm-up rounds in \\d+ ms, "
        + "[0-9.]+ ms CPU per round"), a.switchReport());
  }

  @Test
  void aTargetThatFailsIsNeverSwitchedTo() throws InterruptedException {
    FloatKernels spec = new ScalarFloatKernels();
    FloatKernels failing = (FloatKernels) Proxy.newProxyInstance(FloatKernels.class.getClassLoader(),
        new Class<?>[] {FloatKernels.class}, (proxy, method, args) -> {
          if (method.getName().equals("lstmForward")) {
            throw new IllegalStateException("broken kernel");
          }
          try {
            return method.invoke(spec, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    AdaptiveKernels a = new AdaptiveKernels(Kernels.scalar(),
        new Kernels("broken", 32, failing, new ScalarDoubleKernels()));
    Thread t = a.startWarmUp();
    t.join(30_000);
    assertFalse(t.isAlive());
    assertFalse(a.hasSwitched());
    assertSame(Kernels.scalar(), a.current());
  }

  @Test
  void theExerciseRunsOnTheSpecWithFiniteResults() {
    KernelExercise e = new KernelExercise(new ScalarFloatKernels());
    for (int i = 0; i < 3; i++) {
      assertTrue(Float.isFinite(e.round()), "round " + i);
    }
  }

  @Test
  void nullKernelsAreRejected() {
    var e = assertThrows(IllegalArgumentException.class, () -> new AdaptiveKernels(null, OTHER));
    assertEquals("AdaptiveKernels: initial kernels are null", e.getMessage());
  }

  @Test
  void modesParseAndABadValueNamesThePropertyAndTheValue() {
    assertEquals(KernelMode.ADAPTIVE, KernelMode.parse(" Adaptive "));
    assertEquals(KernelMode.SCALAR, KernelMode.parse("scalar"));
    for (String bad : new String[] {"fastest", "", "simd,scalar"}) {
      var e = assertThrows(IllegalArgumentException.class, () -> KernelSelector.select(bad));
      assertEquals("-Drnn4j.kernels: unknown value '" + bad + "'; expected auto, scalar, simd or adaptive",
          e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> KernelMode.parse(null));
  }

  @Test
  void adaptiveWithoutTheSimdJarStaysScalarAndSaysWhy() {
    // kernels-scalar's tests run without kernels-simd on the class path
    KernelSelector.Selection s = KernelSelector.select("adaptive");
    assertSame(Kernels.scalar(), s.kernels());
    assertEquals("rnn4j kernels: scalar (adaptive, but never switching: the rnn4j-kernels-simd jar is not on the "
        + "class path)", s.explanation());
  }
}
