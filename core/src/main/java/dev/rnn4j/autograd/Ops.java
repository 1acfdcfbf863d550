package dev.rnn4j.autograd;

import dev.rnn4j.tensor.Checks;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Shapes;
import dev.rnn4j.tensor.Tensor;
import java.util.Arrays;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The differentiable ops, with their argument checks. {@link Tensor}'s instance methods call these.
 *
 * <p>Each op checks its arguments once, here, and throws {@link IllegalArgumentException} naming the op, the argument
 * and the shapes (e.g. {@code matmul: inner dimensions differ: [32, 128] x [256, 512]}); mixing dtypes is an error.
 * Primitive ops are one small {@link Function} each; the others (mean, neg, mse, crossEntropy, dropout, stack, split,
 * embedding) are compositions of primitives and need no backward of their own.
 */
public final class Ops {

  /** PyTorch's default ignore index for {@link #crossEntropy}: no class has it. */
  public static final int DEFAULT_IGNORE_INDEX = -100;

  private Ops() {}

  // ---------------------------------------------------------------------------------------------------------------
  // Checks
  // ---------------------------------------------------------------------------------------------------------------

  private static String describe(Tensor t) {
    return t.dtype() + " " + Shapes.format(t.shape());
  }

  private static void sameDtype(String op, Tensor a, Tensor b) {
    Checks.notNull(a, op, "first operand");
    Checks.notNull(b, op, "second operand");
    if (a.dtype() != b.dtype()) {
      throw new IllegalArgumentException(op + ": dtypes differ: " + describe(a) + " and " + describe(b)
          + " (convert one with to(DType))");
    }
  }

  private static void rankAtLeast(String op, String arg, Tensor t, int rank) {
    if (t.rank() < rank) {
      throw new IllegalArgumentException(op + ": " + arg + " must have at least " + rank + " dimension"
          + (rank == 1 ? "" : "s") + ", got shape " + Shapes.format(t.shape()));
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Arithmetic with broadcasting
  // ---------------------------------------------------------------------------------------------------------------

  private static Tensor binary(String op, Tensor a, Tensor b, Supplier<Function> primitive) {
    sameDtype(op, a, b);
    int[] shape = Shapes.broadcast(op, a.shape(), b.shape());
    Tensor x = Arrays.equals(a.shape(), shape) ? a : new Expand(shape).apply1(a);
    Tensor y = Arrays.equals(b.shape(), shape) ? b : new Expand(shape).apply1(b);
    return primitive.get().apply1(x, y);
  }

  /** {@code a + b} with NumPy broadcasting. */
  public static Tensor add(Tensor a, Tensor b) {
    return binary("add", a, b, Add::new);
  }

  /** {@code a - b} with NumPy broadcasting. */
  public static Tensor sub(Tensor a, Tensor b) {
    return binary("sub", a, b, Sub::new);
  }

  /** {@code a * b} elementwise with NumPy broadcasting. */
  public static Tensor mul(Tensor a, Tensor b) {
    return binary("mul", a, b, Mul::new);
  }

  /** {@code a / b} elementwise with NumPy broadcasting (IEEE division: x/0 is +-Inf or NaN). */
  public static Tensor div(Tensor a, Tensor b) {
    return binary("div", a, b, Div::new);
  }

  /** {@code x + value}. */
  public static Tensor add(Tensor x, double value) {
    Checks.notNull(x, "add", "input");
    return new AddScalar(value).apply1(x);
  }

  /** {@code x * value}. */
  public static Tensor mul(Tensor x, double value) {
    Checks.notNull(x, "mul", "input");
    return new Scale(value).apply1(x);
  }

  /** {@code -x}. */
  public static Tensor neg(Tensor x) {
    Checks.notNull(x, "neg", "input");
    return mul(x, -1);
  }

  /** {@code x * x} elementwise. */
  public static Tensor square(Tensor x) {
    Checks.notNull(x, "square", "input");
    return new Mul().apply1(x, x);
  }

  /**
   * Matrix product: {@code [M, K] x [K, N] -> [M, N]}; batched {@code [B, M, K] x [B, K, N] -> [B, M, N]}; and
   * {@code [B, M, K] x [K, N] -> [B, M, N]} (one right operand for the whole batch, e.g. a weight).
   */
  public static Tensor matmul(Tensor a, Tensor b) {
    Checks.notNull(a, "matmul", "first operand");
    Checks.notNull(b, "matmul", "second operand");
    sameDtype("matmul", a, b);
    String shapes = Shapes.format(a.shape()) + " x " + Shapes.format(b.shape());
    boolean ok = (a.rank() == 2 || a.rank() == 3) && (b.rank() == 2 || b.rank() == 3)
        && !(a.rank() == 2 && b.rank() == 3);
    if (!ok) {
      throw new IllegalArgumentException("matmul: unsupported ranks: " + shapes
          + " (expected [M, K] x [K, N], [B, M, K] x [B, K, N] or [B, M, K] x [K, N])");
    }
    if (a.size(-1) != b.size(-2)) {
      throw new IllegalArgumentException("matmul: inner dimensions differ: " + shapes);
    }
    if (a.rank() == 3 && b.rank() == 3 && a.size(0) != b.size(0)) {
      throw new IllegalArgumentException("matmul: batch sizes differ: " + shapes);
    }
    return new MatMul().apply1(a, b);
  }

  /**
   * The affine map of a linear layer: {@code y = x W^T + b} with {@code x [..., I]}, {@code weight [O, I]} (PyTorch's
   * layout) and {@code bias [O]} or null; the result is {@code [..., O]}. One gemm with a transposed weight, no
   * materialised transpose.
   */
  public static Tensor linear(Tensor input, Tensor weight, Tensor bias) {
    Checks.notNull(input, "linear", "input");
    Checks.notNull(weight, "linear", "weight");
    sameDtype("linear", input, weight);
    if (weight.rank() != 2) {
      throw new IllegalArgumentException("linear: weight must be [out, in], got " + Shapes.format(weight.shape()));
    }
    rankAtLeast("linear", "input", input, 1);
    if (input.size(-1) != weight.size(1)) {
      throw new IllegalArgumentException("linear: input features differ: input " + Shapes.format(input.shape())
          + " x weight " + Shapes.format(weight.shape()) + " (expected last input dimension " + weight.size(1) + ")");
    }
    if (bias == null) {
      return new Affine().apply1(input, weight);
    }
    sameDtype("linear", input, bias);
    if (bias.rank() != 1 || bias.size(0) != weight.size(0)) {
      throw new IllegalArgumentException("linear: bias must be [" + weight.size(0) + "], got "
          + Shapes.format(bias.shape()));
    }
    return new Affine().apply1(input, weight, bias);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Reductions
  // ---------------------------------------------------------------------------------------------------------------

  /** Sum of all elements, shape {@code []}. */
  public static Tensor sum(Tensor x) {
    Checks.notNull(x, "sum", "input");
    return new SumAll().apply1(x);
  }

  /** Sum along {@code axis} (negative counts from the end), keeping it with size 1 if {@code keepDim}. */
  public static Tensor sum(Tensor x, int axis, boolean keepDim) {
    Checks.notNull(x, "sum", "input");
    int a = Shapes.axis("sum", axis, x.rank());
    return new SumAxis(a, keepDim).apply1(x);
  }

  /** Mean of all elements, shape {@code []} (NaN for an empty tensor). */
  public static Tensor mean(Tensor x) {
    Checks.notNull(x, "mean", "input");
    return mul(sum(x), 1.0 / x.numel());
  }

  /** Mean along {@code axis}. */
  public static Tensor mean(Tensor x, int axis, boolean keepDim) {
    Checks.notNull(x, "mean", "input");
    int a = Shapes.axis("mean", axis, x.rank());
    return mul(sum(x, a, keepDim), 1.0 / x.size(a));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Maps and softmax
  // ---------------------------------------------------------------------------------------------------------------

  /** Logistic sigmoid, elementwise. */
  public static Tensor sigmoid(Tensor x) {
    Checks.notNull(x, "sigmoid", "input");
    return new Sigmoid().apply1(x);
  }

  /** Hyperbolic tangent, elementwise. */
  public static Tensor tanh(Tensor x) {
    Checks.notNull(x, "tanh", "input");
    return new Tanh().apply1(x);
  }

  /** max(x, 0), elementwise (gradient 0 at x = 0). */
  public static Tensor relu(Tensor x) {
    Checks.notNull(x, "relu", "input");
    return new Relu().apply1(x);
  }

  /** e^x, elementwise. */
  public static Tensor exp(Tensor x) {
    Checks.notNull(x, "exp", "input");
    return new Exp().apply1(x);
  }

  /** Natural logarithm, elementwise. */
  public static Tensor log(Tensor x) {
    Checks.notNull(x, "log", "input");
    return new Log().apply1(x);
  }

  /** Softmax over the last axis (stable: finite for inputs of any finite magnitude). */
  public static Tensor softmax(Tensor x) {
    Checks.notNull(x, "softmax", "input");
    rankAtLeast("softmax", "input", x, 1);
    return new Softmax().apply1(x);
  }

  /** Log-softmax over the last axis (stable). */
  public static Tensor logSoftmax(Tensor x) {
    Checks.notNull(x, "logSoftmax", "input");
    rankAtLeast("logSoftmax", "input", x, 1);
    return new LogSoftmax().apply1(x);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Shape ops
  // ---------------------------------------------------------------------------------------------------------------

  /** A view with another shape of the same size; one dimension may be -1 (inferred from the others). */
  public static Tensor reshape(Tensor x, int... shape) {
    Checks.notNull(x, "reshape", "input");
    Checks.notNull(shape, "reshape", "shape");
    int[] s = shape.clone();
    int infer = -1;
    long known = 1;
    for (int i = 0; i < s.length; i++) {
      if (s[i] == -1) {
        if (infer >= 0) {
          throw new IllegalArgumentException("reshape: more than one -1 in " + Shapes.format(shape));
        }
        infer = i;
      } else if (s[i] < 0) {
        throw new IllegalArgumentException("reshape: negative dimension in " + Shapes.format(shape));
      } else {
        known *= s[i];
      }
    }
    if (infer >= 0) {
      if (known == 0 || x.numel() % known != 0) {
        throw new IllegalArgumentException("reshape: cannot reshape " + Shapes.format(x.shape()) + " ("
            + x.numel() + " elements) to " + Shapes.format(shape));
      }
      s[infer] = (int) (x.numel() / known);
      known *= s[infer];
    }
    if (known != x.numel()) {
      throw new IllegalArgumentException("reshape: cannot reshape " + Shapes.format(x.shape()) + " (" + x.numel()
          + " elements) to " + Shapes.format(shape));
    }
    return new Reshape(s).apply1(x);
  }

  /** Transpose of a 2-D tensor, materialised as a new row-major array. */
  public static Tensor transpose(Tensor x) {
    Checks.notNull(x, "transpose", "input");
    if (x.rank() != 2) {
      throw new IllegalArgumentException("transpose: expected a 2-D tensor, got shape " + Shapes.format(x.shape())
          + " (use transpose(dim0, dim1))");
    }
    return permute(x, 1, 0);
  }

  /** Swaps dimensions {@code dim0} and {@code dim1} (materialised). */
  public static Tensor transpose(Tensor x, int dim0, int dim1) {
    Checks.notNull(x, "transpose", "input");
    int d0 = Shapes.axis("transpose", dim0, x.rank());
    int d1 = Shapes.axis("transpose", dim1, x.rank());
    int[] perm = new int[x.rank()];
    for (int i = 0; i < perm.length; i++) {
      perm[i] = i;
    }
    perm[d0] = d1;
    perm[d1] = d0;
    return permute(x, perm);
  }

  /** Reorders dimensions: {@code out.shape[i] = x.shape[dims[i]]} (materialised). */
  public static Tensor permute(Tensor x, int... dims) {
    Checks.notNull(x, "permute", "input");
    Checks.notNull(dims, "permute", "dims");
    if (dims.length != x.rank()) {
      throw new IllegalArgumentException("permute: " + Arrays.toString(dims) + " has " + dims.length
          + " dimensions, tensor has shape " + Shapes.format(x.shape()));
    }
    boolean[] seen = new boolean[dims.length];
    int[] perm = new int[dims.length];
    for (int i = 0; i < dims.length; i++) {
      int d = Shapes.axis("permute", dims[i], x.rank());
      if (seen[d]) {
        throw new IllegalArgumentException("permute: " + Arrays.toString(dims) + " is not a permutation");
      }
      seen[d] = true;
      perm[i] = d;
    }
    return new Permute(perm).apply1(x);
  }

  /** Rows {@code [start, end)} along dimension 0, as a view without copy. */
  public static Tensor slice(Tensor x, int start, int end) {
    Checks.notNull(x, "slice", "input");
    rankAtLeast("slice", "input", x, 1);
    if (start < 0 || end < start || end > x.size(0)) {
      throw new IllegalArgumentException("slice: range [" + start + ", " + end + ") out of bounds for dimension 0 of "
          + Shapes.format(x.shape()));
    }
    return new Narrow(0, start, end - start).apply1(x);
  }

  /** {@code length} entries from {@code start} along {@code dim}: a view for dim 0, else a copy. */
  public static Tensor narrow(Tensor x, int dim, int start, int length) {
    Checks.notNull(x, "narrow", "input");
    int d = Shapes.axis("narrow", dim, x.rank());
    if (start < 0 || length < 0 || start + length > x.size(d)) {
      throw new IllegalArgumentException("narrow: range [" + start + ", " + (start + length) + ") out of bounds for "
          + "dimension " + d + " of " + Shapes.format(x.shape()));
    }
    return new Narrow(d, start, length).apply1(x);
  }

  /** Entry {@code i} along dimension 0 with that dimension removed (a view). */
  public static Tensor select(Tensor x, int i) {
    Checks.notNull(x, "select", "input");
    rankAtLeast("select", "input", x, 1);
    if (i < 0 || i >= x.size(0)) {
      throw new IllegalArgumentException("select: index " + i + " out of bounds for dimension 0 of "
          + Shapes.format(x.shape()));
    }
    int[] s = x.shape();
    return reshape(slice(x, i, i + 1), Arrays.copyOfRange(s, 1, s.length));
  }

  /** Rows {@code indices} along dimension 0 (gather). Its gradient scatter-adds (repeated indices accumulate). */
  public static Tensor indexSelect(Tensor x, int... indices) {
    Checks.notNull(x, "indexSelect", "input");
    Checks.notNull(indices, "indexSelect", "indices");
    rankAtLeast("indexSelect", "input", x, 1);
    for (int i = 0; i < indices.length; i++) {
      if (indices[i] < 0 || indices[i] >= x.size(0)) {
        throw new IllegalArgumentException("indexSelect: index " + indices[i] + " at position " + i
            + " out of range [0, " + x.size(0) + ") for " + Shapes.format(x.shape()));
      }
    }
    return new IndexSelect(indices.clone()).apply1(x);
  }

  /**
   * Embedding lookup: rows of {@code weight [V, E]} for each index; the result has shape {@code indexShape + [E]}
   * (e.g. indices of shape [T, B] give [T, B, E]). With no index shape the result is {@code [n, E]}.
   */
  public static Tensor embedding(Tensor weight, int[] indices, int... indexShape) {
    Checks.notNull(weight, "embedding", "weight");
    Checks.notNull(indices, "embedding", "indices");
    Checks.notNull(indexShape, "embedding", "indexShape");
    if (weight.rank() != 2) {
      throw new IllegalArgumentException("embedding: weight must be [vocabulary, dim], got "
          + Shapes.format(weight.shape()));
    }
    int[] shape = indexShape.length == 0 ? new int[] {indices.length} : indexShape;
    if (Shapes.numel(shape) != indices.length) {
      throw new IllegalArgumentException("embedding: " + indices.length + " indices do not fill index shape "
          + Shapes.format(shape));
    }
    for (int i = 0; i < indices.length; i++) {
      if (indices[i] < 0 || indices[i] >= weight.size(0)) {
        throw new IllegalArgumentException("embedding: index " + indices[i] + " at position " + i
            + " out of range [0, " + weight.size(0) + ") for weight " + Shapes.format(weight.shape()));
      }
    }
    Tensor rows = new IndexSelect(indices.clone()).apply1(weight);
    int[] out = Arrays.copyOf(shape, shape.length + 1);
    out[shape.length] = weight.size(1);
    return reshape(rows, out);
  }

  /** {@code x} broadcast to {@code shape} (materialised); its gradient sums over the broadcast dimensions. */
  public static Tensor broadcastTo(Tensor x, int... shape) {
    Checks.notNull(x, "broadcastTo", "input");
    Checks.notNull(shape, "broadcastTo", "shape");
    int[] s = Shapes.checked("broadcastTo", shape);
    if (!Shapes.broadcastsTo(x.shape(), s)) {
      throw new IllegalArgumentException("broadcastTo: cannot broadcast " + Shapes.format(x.shape()) + " to "
          + Shapes.format(s));
    }
    return Arrays.equals(x.shape(), s) ? x : new Expand(s).apply1(x);
  }

  /** Conversion to {@code target}; the tensor itself when it already has that dtype. */
  public static Tensor to(Tensor x, DType target) {
    Checks.notNull(x, "to", "input");
    Checks.notNull(target, "to", "target dtype");
    return x.dtype() == target ? x : new Convert(target).apply1(x);
  }

  /** Joins tensors along {@code dim}; all other dimensions and the dtypes must agree. */
  public static Tensor concat(int dim, Tensor... tensors) {
    Checks.noNulls(tensors, "concat", "tensors");
    if (tensors.length == 0) {
      throw new IllegalArgumentException("concat: no tensors");
    }
    Tensor first = tensors[0];
    int d = Shapes.axis("concat", dim, first.rank());
    for (int i = 1; i < tensors.length; i++) {
      Tensor t = tensors[i];
      sameDtype("concat", first, t);
      boolean ok = t.rank() == first.rank();
      for (int j = 0; ok && j < t.rank(); j++) {
        ok = j == d || t.size(j) == first.size(j);
      }
      if (!ok) {
        throw new IllegalArgumentException("concat: tensor " + i + " has shape " + Shapes.format(t.shape())
            + ", incompatible with " + Shapes.format(first.shape()) + " along dimension " + d);
      }
    }
    return new Concat(d).apply1(tensors);
  }

  /** Stacks tensors of equal shape along a new dimension {@code dim} ({@code 0 <= dim <= rank}). */
  public static Tensor stack(int dim, Tensor... tensors) {
    Checks.noNulls(tensors, "stack", "tensors");
    if (tensors.length == 0) {
      throw new IllegalArgumentException("stack: no tensors");
    }
    int[] s = tensors[0].shape();
    if (dim < 0 || dim > s.length) {
      throw new IllegalArgumentException("stack: dimension " + dim + " out of range [0, " + s.length + "] for "
          + Shapes.format(s));
    }
    int[] expanded = new int[s.length + 1];
    for (int i = 0, j = 0; i < expanded.length; i++) {
      expanded[i] = i == dim ? 1 : s[j++];
    }
    Tensor[] parts = new Tensor[tensors.length];
    for (int i = 0; i < tensors.length; i++) {
      if (!Arrays.equals(tensors[i].shape(), s)) {
        throw new IllegalArgumentException("stack: tensor " + i + " has shape " + Shapes.format(tensors[i].shape())
            + ", expected " + Shapes.format(s));
      }
      parts[i] = reshape(tensors[i], expanded);
    }
    return concat(dim, parts);
  }

  /** Splits {@code x} along {@code dim} into pieces of the given sizes (which must add up to that dimension). */
  public static Tensor[] split(Tensor x, int dim, int... sizes) {
    Checks.notNull(x, "split", "input");
    Checks.notNull(sizes, "split", "sizes");
    int d = Shapes.axis("split", dim, x.rank());
    long total = 0;
    for (int s : sizes) {
      if (s < 0) {
        throw new IllegalArgumentException("split: negative size in " + Arrays.toString(sizes));
      }
      total += s;
    }
    if (total != x.size(d)) {
      throw new IllegalArgumentException("split: sizes " + Arrays.toString(sizes) + " add up to " + total
          + ", not to dimension " + d + " of " + Shapes.format(x.shape()));
    }
    Tensor[] out = new Tensor[sizes.length];
    int start = 0;
    for (int i = 0; i < sizes.length; i++) {
      out[i] = narrow(x, d, start, sizes[i]);
      start += sizes[i];
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Losses and dropout
  // ---------------------------------------------------------------------------------------------------------------

  /** Cross-entropy from logits {@code [N, C]} and class indices, mean over the rows (no ignore index). */
  public static Tensor crossEntropy(Tensor logits, int[] targets) {
    Checks.notNull(logits, "crossEntropy", "logits");
    Checks.notNull(targets, "crossEntropy", "targets");
    return crossEntropy(logits, targets, DEFAULT_IGNORE_INDEX, null);
  }

  /** Cross-entropy from logits, mean over the rows whose target is not {@code ignoreIndex}. */
  public static Tensor crossEntropy(Tensor logits, int[] targets, int ignoreIndex) {
    Checks.notNull(logits, "crossEntropy", "logits");
    Checks.notNull(targets, "crossEntropy", "targets");
    return crossEntropy(logits, targets, ignoreIndex, null);
  }

  /**
   * Cross-entropy from logits {@code [N, C]} and class indices, as PyTorch's {@code F.cross_entropy} with
   * {@code reduction='mean'}: {@code -sum_i w[t_i] * logSoftmax(logits)[i, t_i] / sum_i w[t_i]} over rows with
   * {@code t_i != ignoreIndex}; {@code w} is all ones without {@code classWeights} (a constant {@code [C]} tensor of
   * the logits' dtype, finite and {@code >= 0}; no gradient flows into it).
   *
   * <p>When no row counts ({@code sum_i w[t_i] = 0}: every target is the ignore index, there are no rows, or every
   * counted row's class has weight 0) the loss is <b>0 with a zero gradient</b>, not PyTorch's NaN (0/0). A batch that
   * is all padding happens in practice (the last chunk of a padded sequence batch); it has nothing to learn from, and
   * a NaN loss would poison a running average and, through an optimizer, every parameter. 0 is also what the
   * sum reduction gives for the same rows. A caller that wants to notice such batches can count the ignored targets.
   */
  public static Tensor crossEntropy(Tensor logits, int[] targets, int ignoreIndex, Tensor classWeights) {
    Checks.notNull(logits, "crossEntropy", "logits");
    Checks.notNull(targets, "crossEntropy", "targets");
    return nllLoss(logSoftmax(checkLogits("crossEntropy", logits)), targets, ignoreIndex, classWeights,
        "crossEntropy");
  }

  /** Negative log-likelihood of log-probabilities {@code [N, C]}: as {@link #crossEntropy} without the softmax. */
  public static Tensor nllLoss(Tensor logProbs, int[] targets, int ignoreIndex, Tensor classWeights) {
    Checks.notNull(logProbs, "nllLoss", "logProbs");
    Checks.notNull(targets, "nllLoss", "targets");
    return nllLoss(checkLogits("nllLoss", logProbs), targets, ignoreIndex, classWeights, "nllLoss");
  }

  private static Tensor checkLogits(String op, Tensor t) {
    if (t.rank() != 2) {
      throw new IllegalArgumentException(op + ": input must be [N, C], got " + Shapes.format(t.shape())
          + " (reshape(-1, C) first)");
    }
    return t;
  }

  private static Tensor nllLoss(Tensor logp, int[] targets, int ignoreIndex, Tensor classWeights, String op) {
    Checks.notNull(targets, op, "targets");
    int n = logp.size(0);
    int c = logp.size(1);
    if (targets.length != n) {
      throw new IllegalArgumentException(op + ": " + targets.length + " targets for input "
          + Shapes.format(logp.shape()));
    }
    for (int i = 0; i < n; i++) {
      int t = targets[i];
      if (t != ignoreIndex && (t < 0 || t >= c)) {
        throw new IllegalArgumentException(op + ": target " + t + " at position " + i + " out of range [0, " + c
            + ") (ignore index " + ignoreIndex + ")");
      }
    }
    if (classWeights != null) {
      sameDtype(op, logp, classWeights);
      if (classWeights.rank() != 1 || classWeights.size(0) != c) {
        throw new IllegalArgumentException(op + ": class weights must be [" + c + "], got "
            + Shapes.format(classWeights.shape()));
      }
      for (int k = 0; k < c; k++) {
        double w = classWeights.getFlat(k);
        if (!(w >= 0) || Double.isInfinite(w)) {
          throw new IllegalArgumentException(op + ": class weights must be finite and >= 0, got " + w + " for class "
              + k);
        }
      }
    }
    return new NllLoss(targets.clone(), classWeights == null ? null : classWeights.detach(), ignoreIndex)
        .apply1(logp);
  }

  /** Mean squared error {@code mean((prediction - target)^2)} over all elements; the shapes must be equal. */
  public static Tensor mse(Tensor prediction, Tensor target) {
    Checks.notNull(prediction, "mse", "prediction");
    Checks.notNull(target, "mse", "target");
    sameDtype("mse", prediction, target);
    if (!Arrays.equals(prediction.shape(), target.shape())) {
      throw new IllegalArgumentException("mse: shapes differ: prediction " + Shapes.format(prediction.shape())
          + ", target " + Shapes.format(target.shape()));
    }
    Tensor d = sub(prediction, target);
    return mean(square(d));
  }

  /**
   * Inverted dropout: in training, each element is zeroed with probability {@code p} (draws from {@code rng} in
   * row-major order, {@code rng.nextDouble() < p} drops) and the survivors are scaled by {@code 1 / (1 - p)}. Returns
   * {@code x} itself when not training or when {@code p == 0}.
   */
  public static Tensor dropout(Tensor x, double p, boolean training, RandomGenerator rng) {
    Checks.notNull(x, "dropout", "input");
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("dropout: probability must be in [0, 1], got " + p);
    }
    if (!training || p == 0) {
      return x;
    }
    Checks.notNull(rng, "dropout", "rng");
    Tensor mask = Tensor.zerosLike(x);
    double keep = p == 1 ? 0 : 1 / (1 - p);
    for (int i = 0; i < mask.numel(); i++) {
      if (rng.nextDouble() >= p) {
        mask.setFlat(i, keep);
      }
    }
    return new Mul().apply1(x, mask);
  }
}
