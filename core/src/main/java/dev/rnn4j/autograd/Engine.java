package dev.rnn4j.autograd;

import dev.rnn4j.tensor.Shapes;
import dev.rnn4j.tensor.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The graph walk: the one place where gradients flow backward. Called through {@link Tensor#backward}.
 *
 * <p>From the root's producing function, the reachable functions are ordered topologically (iteratively, so long
 * unrolled sequences do not overflow the stack) and run in reverse order. Gradients arriving at the same output from
 * several consumers are summed into a new tensor; gradients reaching a leaf are added into its {@code grad} (the
 * first time into a fresh copy, or the gradient itself when its function promises that nothing else refers to it,
 * {@link Function#returnsOwnedGradients()}; later in place), so gradients accumulate across backward calls until
 * {@link Tensor#zeroGrad()}.
 *
 * <p>Backward passes may run on several threads at once through graphs that share leaves (one model's parameters):
 * each addition into a leaf's gradient is atomic ({@link GradState} locks it for that addition only), so every
 * pass's contribution arrives. The order of the additions, and so the last bits of the sum, depends on timing.
 */
public final class Engine {

  /**
   * Initial capacity of the graph walk's collections: the default sizes (21 entries for an identity map) would make
   * every backward pass through a small graph allocate several hundred bytes more than it needs.
   */
  private static final int SMALL_GRAPH = 4;

  private Engine() {}

  /**
   * Back-propagates from {@code root}.
   *
   * @param outputGrad the gradient of root (same shape and dtype), or null for a one-element root (seeded with 1)
   * @param retainGraph keep the graph's saved state for another backward pass; else it is freed
   */
  @SuppressWarnings("try") // the NoGrad scope is used for its effect only
  public static void backward(Tensor root, Tensor outputGrad, boolean retainGraph) {
    dev.rnn4j.tensor.Checks.notNull(root, "backward", "root");
    if (!root.requiresGrad()) {
      throw new IllegalStateException("backward: tensor " + GradState.shapeOf(root) + " does not require a gradient "
          + "(no input of its computation requires one, or it was computed under NoGrad)");
    }
    Tensor seed;
    if (outputGrad == null) {
      if (root.numel() != 1) {
        throw new IllegalArgumentException("backward: tensor of shape " + Shapes.format(root.shape())
            + " is not a scalar; pass the gradient of the output: backward(outputGrad)");
      }
      seed = Tensor.ones(root.dtype(), root.shape());
    } else {
      if (outputGrad.dtype() != root.dtype() || !Arrays.equals(outputGrad.shape(), root.shape())) {
        throw new IllegalArgumentException("backward: output gradient " + GradState.shapeOf(outputGrad)
            + " does not match the output " + GradState.shapeOf(root));
      }
      seed = outputGrad;
    }
    try (NoGrad g = NoGrad.enter()) {
      GradState rs = root.gradState();
      if (rs.gradFn == null) {
        accumulateLeaf(root, seed, false);
        return;
      }
      List<Function> order = topologicalOrder(rs.gradFn);
      Map<Function, Tensor[]> pending = new IdentityHashMap<>(SMALL_GRAPH);
      Tensor[] first = new Tensor[rs.gradFn.outputCount()];
      first[rs.outputIndex] = seed;
      pending.put(rs.gradFn, first);
      for (Function fn : order) {
        Tensor[] grads = pending.remove(fn);
        if (grads == null) {
          continue; // reachable only through inputs that needed no gradient
        }
        boolean zerosForMissing = !fn.acceptsMissingOutputGradients();
        for (int i = 0; i < grads.length; i++) {
          Tensor kept = fn.retainedOutput(i);
          if (grads[i] == null && (zerosForMissing || kept != null)) {
            grads[i] = Tensor.zeros(fn.outputDtype(i), fn.outputShape(i));
          }
          if (kept != null) {
            accumulateLeaf(kept, grads[i], false);
          }
        }
        Tensor[] inputGrads = fn.runBackward(grads, !retainGraph);
        Function.Edge[] edges = fn.edges();
        boolean owned = fn.returnsOwnedGradients();
        for (int i = 0; i < edges.length; i++) {
          Function.Edge e = edges[i];
          Tensor gi = inputGrads[i];
          if (e == null || gi == null) {
            continue;
          }
          if (e.leaf() != null) {
            // Checked, not trusted: keeping a tensor that is also somewhere else would make two gradients one.
            accumulateLeaf(e.leaf(), gi, owned && !contains(grads, gi, -1) && !contains(inputGrads, gi, i));
          } else {
            Tensor[] slot = pending.computeIfAbsent(e.fn(), f -> new Tensor[f.outputCount()]);
            slot[e.outputIndex()] = slot[e.outputIndex()] == null ? gi : sum(slot[e.outputIndex()], gi);
          }
        }
        if (!retainGraph) {
          fn.free();
        }
      }
    }
  }

  /** Post-order depth-first search from {@code root}, reversed: every function before the ones it feeds from. */
  private static List<Function> topologicalOrder(Function root) {
    // Sized for a graph of a few nodes (a fused layer and a loss); they grow for unrolled graphs.
    List<Function> postOrder = new ArrayList<>(SMALL_GRAPH);
    Map<Function, Boolean> seen = new IdentityHashMap<>(SMALL_GRAPH);
    ArrayDeque<Function> stack = new ArrayDeque<>(SMALL_GRAPH);
    ArrayDeque<Integer> next = new ArrayDeque<>(SMALL_GRAPH);
    if (root.isReleased()) {
      throw root.freedError();
    }
    seen.put(root, Boolean.TRUE);
    stack.push(root);
    next.push(0);
    while (!stack.isEmpty()) {
      Function fn = stack.peek();
      int i = next.pop();
      Function.Edge[] edges = fn.edges();
      if (i < edges.length) {
        next.push(i + 1);
        Function.Edge e = edges[i];
        if (e != null && e.fn() != null && !seen.containsKey(e.fn())) {
          if (e.fn().isReleased()) {
            throw e.fn().freedError();
          }
          seen.put(e.fn(), Boolean.TRUE);
          stack.push(e.fn());
          next.push(0);
        }
      } else {
        stack.pop();
        postOrder.add(fn);
      }
    }
    Collections.reverse(postOrder);
    return postOrder;
  }

  private static Tensor sum(Tensor a, Tensor b) {
    Tensor out = Tensor.zerosLike(a);
    StorageOps.of(a).add(a, b, out);
    return out;
  }

  /**
   * Under the leaf's lock (see {@link GradState}): concurrent backward passes into one parameter lose nothing.
   * {@code owned}: nothing else refers to g, so a leaf without a gradient may keep g itself.
   */
  private static void accumulateLeaf(Tensor leaf, Tensor g, boolean owned) {
    leaf.gradState().accumulate(g, owned);
  }

  private static boolean contains(Tensor[] ts, Tensor t, int skip) {
    for (int i = 0; i < ts.length; i++) {
      if (i != skip && ts[i] == t) {
        return true;
      }
    }
    return false;
  }
}
