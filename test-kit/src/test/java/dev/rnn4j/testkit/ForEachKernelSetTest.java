package dev.rnn4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.kernels.testing.KernelSets;
import dev.rnn4j.tensor.KernelScope;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;

/** {@link ForEachKernelSet} runs the method once per available kernel set, with that set current and injected. */
class ForEachKernelSetTest {

  private static final List<String> RUNS = new ArrayList<>();

  @ForEachKernelSet
  void runsUnderTheInjectedKernels(Kernels kernels, TestInfo info) {
    assertSame(kernels, KernelScope.current());
    assertEquals("[" + kernels + "]", info.getDisplayName());
    RUNS.add(kernels.name());
  }

  @Test
  void anUnavailableSetIsSkippedWithTheReason() {
    KernelSetExtension.KernelSetRun run = new KernelSetExtension.KernelSetRun("simd", null,
        "module jdk.incubator.vector is not in the boot layer");
    ConditionEvaluationResult r = ((ExecutionCondition) run.getAdditionalExtensions().get(0))
        .evaluateExecutionCondition(null);
    assertTrue(r.isDisabled());
    assertEquals("simd kernels unavailable in this JVM: module jdk.incubator.vector is not in the boot layer",
        r.getReason().orElseThrow());
    assertEquals("[simd]", run.getDisplayName(2));
  }

  @AfterAll
  static void ranOncePerAvailableSet() {
    List<String> expected = new ArrayList<>();
    for (Kernels k : KernelSets.all()) {
      expected.add(k.name());
    }
    assertEquals(expected, RUNS);
  }
}
