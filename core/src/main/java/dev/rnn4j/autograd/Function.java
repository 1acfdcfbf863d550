package dev.rnn4j.autograd;

import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Shapes;
import dev.rnn4j.tensor.Tensor;

/**
 * A node of the autograd graph: a differentiable function with its forward and backward side by side.
 *
 * <p>Every primitive op of rnn4j is a small subclass, and other packages define fused nodes the same way (a whole
 * recurrent layer over a sequence is one node with a hand-written backward). A subclass implements
 * {@link #forward} and {@link #backward}; callers use a fresh instance per call, through {@link #apply}:
 *
 * <pre>{@code
 * final class Square extends Function {
 *   protected Tensor[] forward(Tensor... in) {
 *     saveForBackward(in[0]);
 *     return new Tensor[] {in[0].mul(in[0])};            // runs without recording: a plain tensor
 *   }
 *   protected Tensor[] backward(Tensor... gradOut) {
 *     Tensor x = savedTensors()[0];
 *     return new Tensor[] {gradOut[0].mul(x).mul(2)};   // d/dx x^2 = 2x
 *   }
 * }
 * Tensor y = new Square().apply(x)[0];
 * }</pre>
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>{@code forward} runs with gradient recording disabled. It returns new tensors (views of input storage are
 *       fine); it may keep what the backward pass needs in fields or through {@link #saveForBackward}.</li>
 *   <li>{@code backward} receives one gradient per output, each of that output's shape and dtype (zeros for an
 *       output that no gradient reached, or null there if {@link #acceptsMissingOutputGradients()}). It returns one gradient per input, of that input's shape and dtype, or null
 *       for an input that needs none ({@link #needsInputGrad}); null for an input that needs one is an
 *       {@link IllegalStateException} naming the function and the input. It runs with recording disabled (no
 *       higher-order gradients) and must not modify the gradients it receives; returning one of them as an input's
 *       gradient is fine. The engine checks the returned shapes and dtypes.</li>
 *   <li>After a backward pass without {@code retainGraph} the engine calls {@link #releaseSaved()}: saved tensors are
 *       dropped, subclasses drop their own buffers by overriding it, and another backward through this node throws
 *       {@link IllegalStateException}.</li>
 * </ul>
 */
public abstract class Function {

  /** Where an input's gradient goes: into the function that produced it, or into a leaf's {@code grad}. */
  record Edge(Function fn, int outputIndex, Tensor leaf) {}

  private boolean applied;
  private boolean recorded;
  private boolean released;
  private Edge[] edges;
  private boolean[] needsInputGrad;
  private int[][] inputShapes;
  private DType[] inputDtypes;
  private int[][] outputShapes;
  private DType[] outputDtypes;
  private Tensor[] saved;
  private Tensor[] retained;
  private boolean lastBackward;

  /** Subclasses hold their per-call state; create one instance per call. */
  protected Function() {}

  /**
   * Computes the outputs. Runs with recording disabled.
   *
   * @param inputs the tensors given to {@link #apply}
   * @return at least one new tensor
   */
  protected abstract Tensor[] forward(Tensor... inputs);

  /**
   * Computes the gradients of the inputs from the gradients of the outputs.
   *
   * @param outputGrads one per output, same shapes and dtypes as the outputs (null for an output no gradient
   *     reached when {@link #acceptsMissingOutputGradients()}, else zeros); not to be modified
   * @return one per input: a tensor of that input's shape and dtype, or null where {@link #needsInputGrad} is false
   */
  protected abstract Tensor[] backward(Tensor... outputGrads);

  /**
   * Whether {@link #backward} takes null for an output that no gradient reached, standing for zeros, so that the
   * engine need not allocate a tensor of zeros for it. False unless overridden: backward then receives zeros.
   */
  protected boolean acceptsMissingOutputGradients() {
    return false;
  }

  /**
   * Whether every gradient {@link #backward} returns is a tensor made by that call which nothing else refers to: not
   * one of the gradients it received, not kept by this function, not returned for two inputs. The engine then keeps
   * such a gradient as the {@code grad()} of a leaf that has none yet, instead of copying it, so that a backward pass
   * allocates each leaf's gradient once. (A leaf that already has a gradient gets the returned one added into it, as
   * always.) False unless overridden, which is always safe: the engine copies.
   */
  protected boolean returnsOwnedGradients() {
    return false;
  }

  /** The name used in messages; the simple class name unless overridden. */
  public String name() {
    String n = getClass().getSimpleName();
    return n.isEmpty() ? getClass().getName() : n;
  }

  /**
   * Runs {@link #forward} and, when recording is on and some input requires a gradient, links the outputs to this
   * node so that a backward pass reaches {@link #backward}. An instance can be applied once.
   *
   * @return the outputs of {@link #forward}
   */
  @SuppressWarnings("try") // the NoGrad scope is used for its effect only
  public final Tensor[] apply(Tensor... inputs) {
    if (applied) {
      throw new IllegalStateException(name() + ": a Function instance can be applied only once; create a new one "
          + "per call");
    }
    applied = true;
    if (inputs == null) {
      throw new IllegalArgumentException(name() + ": inputs is null");
    }
    for (int i = 0; i < inputs.length; i++) {
      if (inputs[i] == null) {
        throw new IllegalArgumentException(name() + ": input " + i + " is null");
      }
    }
    boolean record = false;
    if (GradMode.isEnabled()) {
      for (Tensor t : inputs) {
        record |= t.requiresGrad();
      }
    }
    if (record) {
      // Known before forward so that forward can skip work for inputs without gradients.
      needsInputGrad = new boolean[inputs.length];
      for (int i = 0; i < inputs.length; i++) {
        needsInputGrad[i] = inputs[i].requiresGrad();
      }
    }
    Tensor[] outputs;
    try (NoGrad g = NoGrad.enter()) {
      outputs = forward(inputs.clone());
    }
    if (outputs == null || outputs.length == 0) {
      throw new IllegalStateException(name() + ": forward returned no outputs");
    }
    outputs = outputs.clone();
    for (int i = 0; i < outputs.length; i++) {
      if (outputs[i] == null) {
        throw new IllegalStateException(name() + ": forward returned null for output " + i);
      }
      // An output must be its own tensor object: linking an input (or a tensor already in a graph) to this node
      // would rewrite that tensor's history. A fresh view of the same storage is equivalent and safe.
      if (!outputs[i].isLeaf() || outputs[i].requiresGrad() || contains(inputs, outputs[i], -1)
          || contains(outputs, outputs[i], i)) {
        outputs[i] = outputs[i].detach();
      }
    }
    if (!record) {
      saved = null;
      releaseSaved();
      released = true;
      return outputs;
    }
    recorded = true;
    edges = new Edge[inputs.length];
    inputShapes = new int[inputs.length][];
    inputDtypes = new DType[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      Tensor t = inputs[i];
      inputShapes[i] = t.shape();
      inputDtypes[i] = t.dtype();
      if (t.requiresGrad()) {
        GradState s = t.gradState();
        edges[i] = s.gradFn != null ? new Edge(s.gradFn, s.outputIndex, null) : new Edge(null, 0, t);
      }
    }
    outputShapes = new int[outputs.length][];
    outputDtypes = new DType[outputs.length];
    for (int i = 0; i < outputs.length; i++) {
      outputShapes[i] = outputs[i].shape();
      outputDtypes[i] = outputs[i].dtype();
      GradState s = outputs[i].gradState();
      s.requiresGrad = true;
      s.gradFn = this;
      s.outputIndex = i;
    }
    return outputs;
  }

  /** {@link #apply} for a function with exactly one output. */
  public final Tensor apply1(Tensor... inputs) {
    Tensor[] out = apply(inputs);
    if (out.length != 1) {
      throw new IllegalStateException(name() + ": apply1 used on a function with " + out.length + " outputs");
    }
    return out[0];
  }

  private static boolean contains(Tensor[] ts, Tensor t, int skip) {
    for (int i = 0; i < ts.length; i++) {
      if (i != skip && ts[i] == t) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether this application records a graph node, so that a backward pass may follow (valid in forward): gradients
   * are enabled and some input requires one. When false, {@link #backward} is never called for it.
   */
  protected final boolean recording() {
    return needsInputGrad != null;
  }

  /**
   * Whether input {@code i} needs a gradient (valid in forward and backward). {@link #backward} may return null for
   * inputs where this is false, and skip their computation.
   */
  protected final boolean needsInputGrad(int i) {
    return needsInputGrad != null && needsInputGrad[i];
  }

  /** Keeps tensors for the backward pass (dropped when the graph is freed). */
  protected final void saveForBackward(Tensor... tensors) {
    if (tensors == null) {
      throw new IllegalArgumentException(name() + ": saveForBackward: tensors is null");
    }
    saved = tensors.clone();
  }

  /**
   * The tensors given to {@link #saveForBackward}.
   *
   * @throws IllegalStateException after the graph was freed
   */
  protected final Tensor[] savedTensors() {
    if (released) {
      throw freedError();
    }
    return saved == null ? new Tensor[0] : saved;
  }

  /**
   * Drops per-call buffers when the graph is freed (after a backward pass without {@code retainGraph}, or right after
   * forward when nothing records). Subclasses that keep buffers in fields override this and null them; the default
   * does nothing ({@link #saveForBackward} tensors are dropped by the engine).
   */
  protected void releaseSaved() {}

  /**
   * Whether the running {@link #backward} is the last one through this node: the pass was started without
   * {@code retainGraph}, so the graph is freed right after it and no later pass reads this node's saved state.
   * backward may then overwrite that state (for example, write gradients over saved activations) instead of keeping
   * it intact. False outside backward.
   */
  protected final boolean lastBackward() {
    return lastBackward;
  }

  /** Whether this node's saved state was freed. */
  public final boolean isReleased() {
    return released;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Engine side
  // ---------------------------------------------------------------------------------------------------------------

  IllegalStateException freedError() {
    return new IllegalStateException("backward: the graph through " + name() + " was already freed by an earlier "
        + "backward(); pass retainGraph = true to the earlier backward to run backward twice through the same graph");
  }

  boolean recorded() {
    return recorded;
  }

  Edge[] edges() {
    return edges;
  }

  int outputCount() {
    return outputShapes.length;
  }

  int[] outputShape(int i) {
    return outputShapes[i];
  }

  DType outputDtype(int i) {
    return outputDtypes[i];
  }

  void retain(int outputIndex, Tensor t) {
    if (retained == null) {
      retained = new Tensor[outputShapes.length];
    }
    retained[outputIndex] = t;
  }

  Tensor retainedOutput(int i) {
    return retained == null ? null : retained[i];
  }

  Tensor[] runBackward(Tensor[] outputGrads, boolean last) {
    if (released) {
      throw freedError();
    }
    Tensor[] grads;
    lastBackward = last;
    try {
      grads = backward(outputGrads);
    } finally {
      lastBackward = false;
    }
    if (grads == null || grads.length != edges.length) {
      throw new IllegalStateException(name() + ": backward returned " + (grads == null ? "null" : grads.length
          + " gradients") + " for " + edges.length + " inputs");
    }
    for (int i = 0; i < grads.length; i++) {
      Tensor g = grads[i];
      if (edges[i] == null) {
        continue; // the input needs no gradient: whatever backward returned for it is ignored
      }
      if (g == null) {
        // Skipping it would silently leave the input (and everything before it) without this contribution.
        throw new IllegalStateException(name() + ": backward returned null for input " + i + " of "
            + Shapes.format(inputShapes[i]) + " " + inputDtypes[i] + ", which needs a gradient (needsInputGrad("
            + i + ") is true)");
      }
      if (g.dtype() != inputDtypes[i] || !hasShape(g, inputShapes[i])) {
        throw new IllegalStateException(name() + ": backward returned a gradient of " + Shapes.format(g.shape())
            + " " + g.dtype() + " for input " + i + " of " + Shapes.format(inputShapes[i]) + " " + inputDtypes[i]);
      }
    }
    return grads;
  }

  /** Whether t has the given shape; compares in place ({@link Tensor#shape()} copies). */
  private static boolean hasShape(Tensor t, int[] shape) {
    if (t.rank() != shape.length) {
      return false;
    }
    for (int d = 0; d < shape.length; d++) {
      if (t.size(d) != shape[d]) {
        return false;
      }
    }
    return true;
  }

  void free() {
    if (!released) {
      released = true;
      saved = null;
      releaseSaved();
    }
  }
}
