package dev.rnn4j.testkit.examples;

import static dev.rnn4j.testkit.TensorAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.autograd.Ops;
import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.nn.Embedding;
import dev.rnn4j.nn.Linear;
import dev.rnn4j.nn.Module;
import dev.rnn4j.nn.recurrent.GRU;
import dev.rnn4j.nn.recurrent.RecurrentOptions;
import dev.rnn4j.optim.SGD;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Tensor;
import dev.rnn4j.testkit.ComputationSize;
import dev.rnn4j.testkit.ForEachKernelSet;
import dev.rnn4j.testkit.KernelAgreement;
import dev.rnn4j.testkit.ModelGradientCheck;
import dev.rnn4j.testkit.arbitraries.RnnArbitraries;
import dev.rnn4j.testkit.arbitraries.TokenBatch;
import dev.rnn4j.testkit.mutants.Mutants;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** A user's test suite for a small sequence classifier (embedding, GRU, linear), using each part of the kit. */
class UserModelTest {

  static final int VOCAB = 10;
  static final int EMBED = 4;
  static final int HIDDEN = 6;
  static final int CLASSES = 3;

  /** The model under test: token sequences [T, B] to class logits [B, CLASSES] from the GRU's final states. */
  static final class Classifier extends Module {
    final Embedding embed;
    final GRU gru;
    final Linear head;

    Classifier(DType dtype, long seed) {
      SplittableRandom rng = new SplittableRandom(seed);
      embed = registerModule("embed", new Embedding(VOCAB, EMBED, dtype, rng));
      gru = registerModule("gru", new GRU(new RecurrentOptions(EMBED, HIDDEN).dtype(dtype).seed(seed)));
      head = registerModule("head", new Linear(HIDDEN, CLASSES, true, dtype, rng));
    }

    Tensor logits(TokenBatch b) {
      Tensor x = embed.forward(b.tokens(), b.steps(), b.batch());          // [T, B, EMBED]
      Tensor last = gru.forward(x, null, null, b.lengths()).hN().select(0); // [B, HIDDEN], at each own length
      return head.forward(last);
    }

    Tensor loss(TokenBatch b, int[] labels) {
      return Ops.crossEntropy(logits(b), labels);
    }
  }

  // T = 4 steps, B = 3 sequences of lengths 4, 2 and 3 (tokens past a length are padding).
  static final TokenBatch BATCH = new TokenBatch(new int[] {1, 2, 3, 4, 5, 6, 7, 0, 8, 9, 0, 2}, 4, 3,
      new int[] {4, 2, 3});
  static final int[] LABELS = {0, 2, 1};

  // 1. Tensor assertions: a sequence's logits do not depend on the other sequences of its batch.
  @ForEachKernelSet
  void batchingDoesNotChangeTheLogits(Kernels kernels) {
    Classifier model = new Classifier(DType.FLOAT32, 7);
    Tensor batched = model.logits(BATCH);
    for (int b = 0; b < BATCH.batch(); b++) {
      int[] alone = new int[BATCH.steps()];
      for (int t = 0; t < alone.length; t++) {
        alone[t] = BATCH.token(t, b);
      }
      Tensor single = model.logits(new TokenBatch(alone, BATCH.steps(), 1, new int[] {BATCH.lengths()[b]}));
      // PyTorch's float32 defaults (rtol 1.3e-6, atol 1e-5): a batch of one may be summed in another order.
      assertClose(single.select(0), batched.select(b), "sequence " + b + " on " + kernels.name());
    }
  }

  // 2a. Both kernel sets: one training step lowers the loss on the scalar spec and on SIMD alike.
  @ForEachKernelSet
  void oneStepLowersTheLoss(Kernels kernels) {
    Classifier model = new Classifier(DType.FLOAT32, 7);
    Tensor before = model.loss(BATCH, LABELS);
    before.backward();
    new SGD(model.parameters(), 0.01).step();
    assertTrue(model.loss(BATCH, LABELS).item() < before.item(), "loss did not decrease on " + kernels);
  }

  // 2b. Forward output and every parameter gradient agree across the kernel sets within the derived bound.
  // Size: the longest reduction is the GRU backward's dG W_hh over 3 * HIDDEN = 18 gate columns; the longest
  // path has T = 4 GRU steps plus the head and the loss (6 stages); W_hh's gradient sums T * B = 12 rows.
  static final ComputationSize SIZE = ComputationSize.of(3 * HIDDEN, BATCH.steps() + 2,
      BATCH.steps() * BATCH.batch());

  @Test
  void scalarAndSimdAgree() {
    KernelAgreement.of(() -> new Classifier(DType.FLOAT32, 7), m -> m.logits(BATCH)).size(SIZE).assertAgree();
  }

  // 3. Gradients of every parameter against central differences, on the float64 twin of the float32 model.
  @Test
  void gradientsMatchFiniteDifferences() {
    Classifier model = new Classifier(DType.FLOAT32, 7);
    ModelGradientCheck.of(dtype -> new Classifier(dtype, 0), (Classifier m) -> m.loss(BATCH, LABELS))
        .assertGradients(model);
  }

  // 4. jqwik: padding past a sequence's end never changes its logits, on any batch (shrinks to the smallest).
  @Property(tries = 30)
  void paddingIsIgnored(@ForAll("batches") TokenBatch batch) {
    Classifier model = new Classifier(DType.FLOAT32, 7);
    int[] repadded = batch.tokens().clone();
    for (int t = 0; t < batch.steps(); t++) {
      for (int b = 0; b < batch.batch(); b++) {
        if (t >= batch.lengths()[b]) {
          repadded[t * batch.batch() + b] = (batch.token(t, b) + 1) % VOCAB;
        }
      }
    }
    TokenBatch other = new TokenBatch(repadded, batch.steps(), batch.batch(), batch.lengths());
    assertClose(model.logits(other), model.logits(batch));
  }

  @Provide
  Arbitrary<TokenBatch> batches() {
    return RnnArbitraries.tokenBatches(VOCAB, 6, 4);
  }

  // 5. Test the tests: each fails on kernels with a typical recurrent bug.
  @Test
  void theChecksCatchRecurrentBugs() {
    Mutants.assertDetectsAll(Mutants.recurrent(), this::gradientsMatchFiniteDifferences);
    Mutants.assertDetectsAll(Mutants.recurrent(), this::scalarAndSimdAgree);
  }
}
