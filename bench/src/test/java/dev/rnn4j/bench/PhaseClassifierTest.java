package dev.rnn4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rnn4j.bench.PhaseClassifier.Attribution;
import dev.rnn4j.bench.PhaseClassifier.Frame;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The attribution rules on call stacks shaped like the engine's (innermost frame first), written from the engine's
 * call structure: which method runs which phase, and which kernel entry point a sample inside a kernel belongs to.
 */
class PhaseClassifierTest {

  private static final String SIMD = "dev.rnn4j.kernels.simd.PanamaFloatKernels";
  private static final String ENGINE = "dev.rnn4j.nn.recurrent.internal.FloatRecurrentEngine";
  private static final String RUNNER = "dev.rnn4j.nn.recurrent.internal.FloatStackRunner";
  private static final String SPLIT = "dev.rnn4j.nn.recurrent.internal.WorkSplit";
  private static final String POOL = "dev.rnn4j.tensor.Parallelism";
  private static final String CASE = "dev.rnn4j.bench.RecurrentCase";

  /** Frames from "class.method" strings, innermost first. */
  private static List<Frame> stack(String... frames) {
    List<Frame> out = new ArrayList<>();
    for (String f : frames) {
      int dot = f.lastIndexOf('.');
      out.add(new Frame(f.substring(0, dot), f.substring(dot + 1)));
    }
    return out;
  }

  private static void assertAttribution(String phase, String kernel, List<Frame> frames) {
    assertEquals(new Attribution(phase, kernel), PhaseClassifier.classify(frames));
  }

  @Test
  void theInputProjectionIsNamedByProjectNotByTheSharedProductHelper() {
    assertAttribution(PhaseClassifier.INPUT_PROJECTION, "gemmPackedBias", stack(
        "jdk.incubator.vector.FloatVector.fma", SIMD + ".microKernel", SIMD + ".packedProduct",
        SIMD + ".gemmPackedBias", ENGINE + ".biasedProduct", ENGINE + ".project", ENGINE + ".lambda$forward$0",
        POOL + ".forEach", ENGINE + ".forward", RUNNER + ".forward", CASE + ".engineForward"));
  }

  @Test
  void aGruStepsProductThroughTheSameHelperIsRecurrence() {
    assertAttribution(PhaseClassifier.RECURRENCE, "gemmPackedBias", stack(
        SIMD + ".microKernel", SIMD + ".packedProduct", SIMD + ".gemmPackedBias", ENGINE + ".biasedProduct",
        ENGINE + ".recurrentStep", ENGINE + ".forwardRows", ENGINE + ".lambda$forward$1", POOL + ".forEach",
        ENGINE + ".forward"));
  }

  @Test
  void aSampleInsideANestedKernelCallCountsForTheEntryPoint() {
    // lstmForward calls the sigmoid and tanh map kernels: the engine called lstmForward.
    assertAttribution(PhaseClassifier.RECURRENCE, "lstmForward", stack(
        SIMD + ".sigmoid", SIMD + ".lstmForward", ENGINE + ".recurrentStep", ENGINE + ".forwardRows"));
  }

  @Test
  void backwardTasksAreToldApartByLambdaAndKernel() {
    assertAttribution(PhaseClassifier.WEIGHT_GRADIENTS, "gemmPacked", stack(
        SIMD + ".microKernel", SIMD + ".packedProduct", SIMD + ".gemmPacked", ENGINE + ".lambda$weightGradient$2",
        SPLIT + ".run", ENGINE + ".backward", RUNNER + ".backward"));
    assertAttribution(PhaseClassifier.INPUT_GRADIENT, "gemmPacked", stack(
        SIMD + ".packedProduct", SIMD + ".gemmPacked", ENGINE + ".lambda$backward$3", SPLIT + ".run",
        ENGINE + ".backward"));
    assertAttribution(PhaseClassifier.BIAS_GRADIENTS, "addColumnSums", stack(
        SIMD + ".addColumnSums", ENGINE + ".lambda$backward$4", SPLIT + ".run", ENGINE + ".backward"));
    assertAttribution(PhaseClassifier.BACKWARD_RECURRENCE, "gemmPacked", stack(
        SIMD + ".gemmPacked", ENGINE + ".backwardRows", ENGINE + ".lambda$backward$0", POOL + ".forEach",
        ENGINE + ".backward"));
  }

  @Test
  void packingIsItsOwnPhaseWhereverTheEngineDoesIt() {
    assertAttribution(PhaseClassifier.WEIGHT_PACKING, "packB", stack(
        SIMD + ".packPanels", SIMD + ".packB", ENGINE + ".packStep", ENGINE + ".forward"));
    assertAttribution(PhaseClassifier.WEIGHT_PACKING, "packB", stack(
        SIMD + ".packB", ENGINE + ".packBackward", ENGINE + ".backward"));
    // W_ih for the input gradient is packed in backward itself.
    assertAttribution(PhaseClassifier.WEIGHT_PACKING, "packB", stack(SIMD + ".packB", ENGINE + ".backward"));
    // The weight gradients' B operand is packed in weightGradient, on the calling thread.
    assertAttribution(PhaseClassifier.WEIGHT_GRADIENTS, "packB", stack(
        SIMD + ".packB", ENGINE + ".weightGradient", ENGINE + ".backward"));
  }

  @Test
  void engineCodeOutsideKernelsKeepsItsPhase() {
    assertAttribution(PhaseClassifier.RECURRENCE, PhaseClassifier.NO_KERNEL, stack(
        ENGINE + ".activeIn", ENGINE + ".forwardRows", ENGINE + ".lambda$forward$1"));
    assertAttribution(PhaseClassifier.FORWARD_SETUP, "fill", stack(SIMD + ".fill", ENGINE + ".forward"));
  }

  @Test
  void workOutsideTheEngineIsNamedByItsFirstRnn4jFrame() {
    assertAttribution("FloatStackRunner.forward", "copy", stack(
        "java.lang.System.arraycopy", SIMD + ".copy", RUNNER + ".forward", CASE + ".engineForward"));
    assertAttribution("FloatStackRunner.forward", PhaseClassifier.NO_KERNEL, stack(
        "java.util.Arrays.fill", RUNNER + ".lambda$forward$2", RUNNER + ".forward"));
    // The benchmark's own code is not rnn4j's.
    assertAttribution(PhaseClassifier.OUTSIDE, PhaseClassifier.NO_KERNEL, stack(
        "java.util.Arrays.fill", CASE + ".engineForwardBackward", "dev.rnn4j.bench.PhaseProfile.loop"));
  }

  @Test
  void aLambdaCountsAsItsEnclosingMethod() {
    assertEquals("weightGradient", PhaseClassifier.enclosingMethod("lambda$weightGradient$12"));
    assertEquals("backward", PhaseClassifier.enclosingMethod("lambda$backward$0"));
    assertEquals("project", PhaseClassifier.enclosingMethod("project"));
    assertEquals("lambda$", PhaseClassifier.enclosingMethod("lambda$"));
  }
}
