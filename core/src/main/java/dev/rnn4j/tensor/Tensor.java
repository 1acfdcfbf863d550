package dev.rnn4j.tensor;

import dev.rnn4j.autograd.Engine;
import dev.rnn4j.autograd.Function;
import dev.rnn4j.autograd.GradState;
import dev.rnn4j.autograd.Ops;
import dev.rnn4j.kernels.Kernels;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * A dense, row-major tensor of float32 or float64 values on a heap array, with reverse-mode autograd.
 *
 * <h2>Storage</h2>
 * The elements live in {@link #floatData()} or {@link #doubleData()} (one of the two, by {@link #dtype()}) from
 * {@link #offset()} on, {@link #numel()} of them, row-major and contiguous. Every tensor is contiguous: views (
 * {@link #slice}, {@link #reshape}, {@link #select(int)}) share the storage of their base with a different offset
 * or shape, and every other op writes a new array. Writing into the backing array changes every view of it; doing
 * so to a tensor that an autograd graph has saved for its backward pass makes that backward pass wrong.
 *
 * <p>A storage counts its in-place writes ({@link #version()}): every write through this class and every optimizer
 * step increases the count, which is shared by all views of the storage. Caches derived from elements (a streaming
 * layer's packed weight matrices) compare it to notice a change. Code that writes into the backing array directly
 * must call {@link #markModified()} afterwards.
 *
 * <h2>Autograd</h2>
 * A leaf tensor with {@link #requiresGrad(boolean) requiresGrad(true)} (a parameter) records the ops applied to it;
 * {@link #backward()} on a scalar result walks the recorded graph and accumulates gradients into the leaves'
 * {@link #grad()}. See {@code docs/autograd.md} for graph retention, no-grad scopes and fused functions.
 *
 * <h2>Checks</h2>
 * Ops check shapes and dtypes once, here, and throw {@link IllegalArgumentException} naming the op, the argument and
 * the shapes. Mixing dtypes in one op is an error, never a silent conversion: use {@link #to(DType)}.
 */
public final class Tensor {

  private final DType dtype;
  private final int[] shape;
  private final int numel;
  private final float[] floatData;
  private final double[] doubleData;
  private final int offset;
  /** The storage's write count, shared by the tensor that made the storage and all views of it. */
  private final Version version;
  private final GradState gradState = new GradState(this);

  /** A mutable counter; one per storage. */
  private static final class Version {
    long count;
  }

  private Tensor(DType dtype, int[] shape, float[] f, double[] d, int offset) {
    this(dtype, shape, f, d, offset, new Version());
  }

  private Tensor(DType dtype, int[] shape, float[] f, double[] d, int offset, Version version) {
    this.dtype = dtype;
    this.shape = shape;
    this.numel = Shapes.numel(shape);
    this.floatData = f;
    this.doubleData = d;
    this.offset = offset;
    this.version = version;
  }

  // -----------------------------------------------------------------------------------------------------------------
  // Creation
  // -----------------------------------------------------------------------------------------------------------------

  /** A new tensor of zeros. */
  public static Tensor zeros(DType dtype, int... shape) {
    return create("zeros", dtype, shape);
  }

  /** A new tensor of zeros, with argument errors naming {@code op} (the public factory the caller used). */
  private static Tensor create(String op, DType dtype, int[] shape) {
    Checks.notNull(dtype, op, "dtype");
    int[] s = Shapes.checked(op, shape);
    int n = Shapes.numel(s);
    return dtype == DType.FLOAT32 ? new Tensor(dtype, s, new float[n], null, 0)
        : new Tensor(dtype, s, null, new double[n], 0);
  }

  /** A new tensor of zeros with the shape and dtype of {@code like}. */
  public static Tensor zerosLike(Tensor like) {
    Checks.notNull(like, "zerosLike", "like");
    return zeros(like.dtype, like.shape);
  }

  /** A new tensor of ones. */
  public static Tensor ones(DType dtype, int... shape) {
    return create("ones", dtype, shape).fill(1);
  }

  /** A new tensor with every element {@code value} (rounded to float32 for FLOAT32). */
  public static Tensor full(DType dtype, double value, int... shape) {
    return create("full", dtype, shape).fill(value);
  }

  /** A new tensor of shape {@code []} (rank 0) holding {@code value}. */
  public static Tensor scalar(DType dtype, double value) {
    return create("scalar", dtype, new int[0]).fill(value);
  }

  /** A new float32 tensor holding a copy of {@code data}, which must have exactly numel(shape) elements. */
  public static Tensor fromArray(float[] data, int... shape) {
    Checks.notNull(data, "fromArray", "data");
    int[] s = Shapes.checked("fromArray", shape);
    checkLength("fromArray", data.length, s);
    return new Tensor(DType.FLOAT32, s, data.clone(), null, 0);
  }

  /** A new float64 tensor holding a copy of {@code data}, which must have exactly numel(shape) elements. */
  public static Tensor fromArray(double[] data, int... shape) {
    Checks.notNull(data, "fromArray", "data");
    int[] s = Shapes.checked("fromArray", shape);
    checkLength("fromArray", data.length, s);
    return new Tensor(DType.FLOAT64, s, null, data.clone(), 0);
  }

  /**
   * A float32 tensor over {@code data} without copying: elements {@code [offset, offset + numel(shape))}. Writes
   * through either side are visible to the other.
   */
  public static Tensor wrap(float[] data, int offset, int... shape) {
    Checks.notNull(data, "wrap", "data");
    int[] s = Shapes.checked("wrap", shape);
    checkRange("wrap", data.length, offset, s);
    return new Tensor(DType.FLOAT32, s, data, null, offset);
  }

  /** A float64 tensor over {@code data} without copying; see {@link #wrap(float[], int, int...)}. */
  public static Tensor wrap(double[] data, int offset, int... shape) {
    Checks.notNull(data, "wrap", "data");
    int[] s = Shapes.checked("wrap", shape);
    checkRange("wrap", data.length, offset, s);
    return new Tensor(DType.FLOAT64, s, null, data, offset);
  }

  /**
   * A new tensor of independent draws from U(low, high), taken from {@code rng} in row-major order. With a seeded
   * generator of a fixed algorithm (e.g. {@code new SplittableRandom(seed)} or
   * {@code RandomGenerator.of("L64X128MixRandom")} seeded through its factory) the values are the same on every run.
   * float32 draws use {@link RandomGenerator#nextFloat()}, float64 draws {@link RandomGenerator#nextDouble()}.
   */
  public static Tensor uniform(DType dtype, RandomGenerator rng, double low, double high, int... shape) {
    Checks.notNull(rng, "uniform", "rng");
    if (!(low <= high) || !Double.isFinite(low) || !Double.isFinite(high)) {
      throw new IllegalArgumentException("uniform: need finite low <= high, got low=" + low + ", high=" + high);
    }
    Tensor t = create("uniform", dtype, shape);
    Kernels k = KernelScope.current();
    if (dtype == DType.FLOAT32) {
      for (int i = 0; i < t.numel; i++) {
        t.floatData[i] = rng.nextFloat();
      }
      k.f32().scale(t.numel, (float) (high - low), t.floatData, 0, t.floatData, 0);
      k.f32().addScalar(t.numel, (float) low, t.floatData, 0, t.floatData, 0);
    } else {
      for (int i = 0; i < t.numel; i++) {
        t.doubleData[i] = rng.nextDouble();
      }
      k.f64().scale(t.numel, high - low, t.doubleData, 0, t.doubleData, 0);
      k.f64().addScalar(t.numel, low, t.doubleData, 0, t.doubleData, 0);
    }
    return t;
  }

  /**
   * A new tensor of independent draws from N(mean, std^2), from {@code rng.nextGaussian()} in row-major order
   * (deterministic for a seeded generator, as {@link #uniform}).
   */
  public static Tensor normal(DType dtype, RandomGenerator rng, double mean, double std, int... shape) {
    Checks.notNull(rng, "normal", "rng");
    if (!(std >= 0) || !Double.isFinite(std) || !Double.isFinite(mean)) {
      throw new IllegalArgumentException("normal: need finite mean and std >= 0, got mean=" + mean + ", std=" + std);
    }
    Tensor t = create("normal", dtype, shape);
    Kernels k = KernelScope.current();
    if (dtype == DType.FLOAT32) {
      for (int i = 0; i < t.numel; i++) {
        t.floatData[i] = (float) rng.nextGaussian();
      }
      k.f32().scale(t.numel, (float) std, t.floatData, 0, t.floatData, 0);
      k.f32().addScalar(t.numel, (float) mean, t.floatData, 0, t.floatData, 0);
    } else {
      for (int i = 0; i < t.numel; i++) {
        t.doubleData[i] = rng.nextGaussian();
      }
      k.f64().scale(t.numel, std, t.doubleData, 0, t.doubleData, 0);
      k.f64().addScalar(t.numel, mean, t.doubleData, 0, t.doubleData, 0);
    }
    return t;
  }

  private static void checkLength(String op, int length, int[] shape) {
    if (length != Shapes.numel(shape)) {
      throw new IllegalArgumentException(op + ": array has " + length + " elements but shape " + Shapes.format(shape)
          + " needs " + Shapes.numel(shape));
    }
  }

  private static void checkRange(String op, int length, int offset, int[] shape) {
    int n = Shapes.numel(shape);
    if (offset < 0 || (long) offset + n > length) {
      throw new IllegalArgumentException(op + ": offset " + offset + " + " + n + " elements of shape "
          + Shapes.format(shape) + " exceed the array length " + length);
    }
  }

  // -----------------------------------------------------------------------------------------------------------------
  // Shape, dtype and raw storage
  // -----------------------------------------------------------------------------------------------------------------

  /** The element type. */
  public DType dtype() {
    return dtype;
  }

  /** A copy of the shape. */
  public int[] shape() {
    return shape.clone();
  }

  /** The size of dimension {@code d} (negative counts from the end). */
  public int size(int d) {
    return shape[Shapes.axis("size", d, shape.length)];
  }

  /** The number of dimensions (0 for a scalar). */
  public int rank() {
    return shape.length;
  }

  /** The number of elements. */
  public int numel() {
    return numel;
  }

  /**
   * The raw backing array of a float32 tensor (elements {@code [offset(), offset() + numel())}, row-major). Shared,
   * not copied: for performance-minded code (kernels, optimizers, io). Writes bypass autograd.
   *
   * @throws IllegalStateException for a float64 tensor
   */
  public float[] floatData() {
    if (floatData == null) {
      throw new IllegalStateException("floatData: tensor is " + dtype + ", not float32");
    }
    return floatData;
  }

  /**
   * The raw backing array of a float64 tensor; see {@link #floatData()}.
   *
   * @throws IllegalStateException for a float32 tensor
   */
  public double[] doubleData() {
    if (doubleData == null) {
      throw new IllegalStateException("doubleData: tensor is " + dtype + ", not float64");
    }
    return doubleData;
  }

  /**
   * How many in-place writes the storage has seen (through {@link #set}, {@link #setFlat}, {@link #fill},
   * {@link #copyFrom}, optimizer steps and {@link #markModified()}); shared by all views of the storage. Tensors that
   * {@link #wrap} the same array separately are separate storages with separate counts.
   */
  public long version() {
    return version.count;
  }

  /**
   * Records an in-place change of the elements made outside this class (writes into {@link #floatData()} or
   * {@link #doubleData()}), so that caches derived from them are rebuilt; see {@link #version()}.
   */
  public void markModified() {
    version.count++;
  }

  /** Index of element 0 in the backing array. */
  public int offset() {
    return offset;
  }

  /** Whether this tensor and {@code other} share a backing array. */
  public boolean sharesStorageWith(Tensor other) {
    Checks.notNull(other, "sharesStorageWith", "other");
    return (floatData != null && floatData == other.floatData) || (doubleData != null && doubleData == other.doubleData);
  }

  /** The value of a tensor with exactly one element. */
  public double item() {
    if (numel != 1) {
      throw new IllegalArgumentException("item: tensor of shape " + Shapes.format(shape) + " has " + numel
          + " elements, not 1");
    }
    return getFlat(0);
  }

  /** The element at the given index (one coordinate per dimension). */
  public double get(int... index) {
    return getFlat(flatIndex("get", index));
  }

  /** Writes {@code value} at the given index, in place and outside autograd. */
  public void set(double value, int... index) {
    setFlat(flatIndex("set", index), value);
  }

  /** The element at row-major position {@code i} ({@code 0 <= i < numel}). */
  public double getFlat(int i) {
    checkFlat("getFlat", i);
    return floatData != null ? floatData[offset + i] : doubleData[offset + i];
  }

  /** Writes the element at row-major position {@code i}, in place and outside autograd. */
  public void setFlat(int i, double value) {
    checkFlat("setFlat", i);
    if (floatData != null) {
      floatData[offset + i] = (float) value;
    } else {
      doubleData[offset + i] = value;
    }
    version.count++;
  }

  private void checkFlat(String op, int i) {
    if (i < 0 || i >= numel) {
      throw new IllegalArgumentException(op + ": index " + i + " out of range [0, " + numel + ") for a tensor of shape "
          + Shapes.format(shape));
    }
  }

  private int flatIndex(String op, int[] index) {
    Checks.notNull(index, op, "index");
    if (index.length != shape.length) {
      throw new IllegalArgumentException(op + ": index " + Arrays.toString(index) + " has " + index.length
          + " coordinates but the tensor has shape " + Shapes.format(shape));
    }
    int flat = 0;
    for (int i = 0; i < index.length; i++) {
      if (index[i] < 0 || index[i] >= shape[i]) {
        throw new IllegalArgumentException(op + ": index " + Arrays.toString(index) + " out of bounds for shape "
            + Shapes.format(shape));
      }
      flat = flat * shape[i] + index[i];
    }
    return flat;
  }

  /** Sets every element to {@code value}, in place and outside autograd. */
  public Tensor fill(double value) {
    Kernels k = KernelScope.current();
    if (floatData != null) {
      k.f32().fill(numel, (float) value, floatData, offset);
    } else {
      k.f64().fill(numel, value, doubleData, offset);
    }
    version.count++;
    return this;
  }

  /** Copies the elements of {@code src} (same shape and dtype) into this tensor, in place and outside autograd. */
  public Tensor copyFrom(Tensor src) {
    Checks.notNull(src, "copyFrom", "src");
    if (src.dtype != dtype) {
      throw new IllegalArgumentException("copyFrom: dtypes differ: " + dtype + " " + Shapes.format(shape) + " <- "
          + src.dtype + " " + Shapes.format(src.shape));
    }
    if (!Arrays.equals(src.shape, shape)) {
      throw new IllegalArgumentException("copyFrom: shapes differ: " + Shapes.format(shape) + " <- "
          + Shapes.format(src.shape));
    }
    Kernels k = KernelScope.current();
    if (floatData != null) {
      k.f32().copy(numel, src.floatData, src.offset, floatData, offset);
    } else {
      k.f64().copy(numel, src.doubleData, src.offset, doubleData, offset);
    }
    version.count++;
    return this;
  }

  /**
   * Copies {@code numel()} values from {@code src[off, off + numel())} into this float32 tensor (row-major), in place
   * and outside autograd; allocates nothing. For serving: fill a reused input tensor or a parameter from a caller's
   * buffer. Counts as a write ({@link #version()}), so layers repack weights written this way.
   *
   * @param src not modified
   * @throws IllegalArgumentException if this tensor is float64, {@code src} is null, or the range does not fit
   */
  public Tensor copyFrom(float[] src, int off) {
    checkArrayRange("copyFrom", DType.FLOAT32, src == null ? -1 : src.length, off);
    KernelScope.current().f32().copy(numel, src, off, floatData, offset);
    version.count++;
    return this;
  }

  /** The float64 twin of {@link #copyFrom(float[], int)}. */
  public Tensor copyFrom(double[] src, int off) {
    checkArrayRange("copyFrom", DType.FLOAT64, src == null ? -1 : src.length, off);
    KernelScope.current().f64().copy(numel, src, off, doubleData, offset);
    version.count++;
    return this;
  }

  /** Checks an array argument of {@code length} (-1: null) holding {@code numel()} elements of {@code want} at off. */
  private void checkArrayRange(String op, DType want, int length, int off) {
    if (dtype != want) {
      throw new IllegalArgumentException(op + ": a " + (want == DType.FLOAT32 ? "float[]" : "double[]")
          + " cannot fill a " + dtype + " tensor " + Shapes.format(shape) + " (use the "
          + (dtype == DType.FLOAT32 ? "float[]" : "double[]") + " overload)");
    }
    if (length < 0) {
      throw new IllegalArgumentException(op + ": source array is null (tensor " + Shapes.format(shape) + ")");
    }
    if (off < 0 || off > length - numel) {
      throw new IllegalArgumentException(op + ": offset " + off + " + " + numel + " elements of "
          + Shapes.format(shape) + " does not fit in an array of length " + length);
    }
  }

  /** A new float array with the elements (converted from float64 if need be). */
  public float[] toFloatArray() {
    if (floatData != null) {
      return Arrays.copyOfRange(floatData, offset, offset + numel);
    }
    float[] out = new float[numel];
    for (int i = 0; i < numel; i++) {
      out[i] = (float) doubleData[offset + i];
    }
    return out;
  }

  /** A new double array with the elements (widened from float32 if need be). */
  public double[] toDoubleArray() {
    if (doubleData != null) {
      return Arrays.copyOfRange(doubleData, offset, offset + numel);
    }
    double[] out = new double[numel];
    for (int i = 0; i < numel; i++) {
      out[i] = floatData[offset + i];
    }
    return out;
  }

  /** A view of the same storage with another shape of the same size (no autograd link; see {@link #reshape}). */
  public Tensor viewAs(int... newShape) {
    int[] s = Shapes.checked("viewAs", newShape);
    if (Shapes.numel(s) != numel) {
      throw new IllegalArgumentException("viewAs: cannot view " + Shapes.format(shape) + " (" + numel
          + " elements) as " + Shapes.format(s));
    }
    return new Tensor(dtype, s, floatData, doubleData, offset, version);
  }

  /** A view of elements {@code [from, from + numel(newShape))} of this tensor's storage (no autograd link). */
  public Tensor viewRange(int from, int... newShape) {
    int[] s = Shapes.checked("viewRange", newShape);
    if (from < 0 || (long) from + Shapes.numel(s) > numel) {
      throw new IllegalArgumentException("viewRange: range from " + from + " of shape " + Shapes.format(s)
          + " exceeds a tensor of shape " + Shapes.format(shape));
    }
    return new Tensor(dtype, s, floatData, doubleData, offset + from, version);
  }

  // -----------------------------------------------------------------------------------------------------------------
  // Autograd
  // -----------------------------------------------------------------------------------------------------------------

  /** Autograd bookkeeping of this tensor (read-only outside {@code dev.rnn4j.autograd}). */
  public GradState gradState() {
    return gradState;
  }

  /** Whether gradients flow to this tensor. */
  public boolean requiresGrad() {
    return gradState.requiresGrad();
  }

  /**
   * Marks a leaf tensor as needing a gradient (a parameter or an input to differentiate by).
   *
   * @return this
   * @throws IllegalStateException for a non-leaf tensor (its flag follows from its inputs)
   */
  public Tensor requiresGrad(boolean requires) {
    gradState.setRequiresGrad(requires);
    return this;
  }

  /**
   * The accumulated gradient, same shape and dtype; null until a backward pass reaches this tensor (or after
   * {@link #zeroGrad()}). Backward passes on several threads add into it atomically (one addition at a time); the
   * tensor returned is updated in place by later passes, so read it once they have finished (see
   * {@code docs/concurrency.md}).
   *
   * @throws IllegalStateException if this tensor does not require a gradient, or is a non-leaf without
   *     {@link #retainGrad()}
   */
  public Tensor grad() {
    return gradState.grad();
  }

  /** Drops the accumulated gradient (the next backward starts from zero). */
  public void zeroGrad() {
    gradState.clearGrad();
  }

  /** Keeps the gradient of this non-leaf tensor in {@link #grad()} during backward passes. */
  public Tensor retainGrad() {
    gradState.retainGrad();
    return this;
  }

  /** Whether this tensor is a leaf: not produced by a recorded op. */
  public boolean isLeaf() {
    return gradState.gradFn() == null;
  }

  /** The function that produced this tensor, or null for a leaf. */
  public Function gradFn() {
    return gradState.gradFn();
  }

  /**
   * Back-propagates from this scalar (one-element) tensor, seeding with 1, and frees the graph.
   *
   * @throws IllegalArgumentException if this tensor has more than one element
   * @throws IllegalStateException if it does not require a gradient or the graph was freed
   */
  public void backward() {
    Engine.backward(this, null, false);
  }

  /** Back-propagates with the given gradient of this tensor (same shape and dtype), and frees the graph. */
  public void backward(Tensor outputGrad) {
    Engine.backward(this, outputGrad, false);
  }

  /**
   * Back-propagates with the given gradient (null: 1 for a scalar); with {@code retainGraph} the graph stays usable
   * for another backward pass, else it is freed.
   */
  public void backward(Tensor outputGrad, boolean retainGraph) {
    Engine.backward(this, outputGrad, retainGraph);
  }

  /** A view of the same storage outside the graph: no gradient flows through it. */
  public Tensor detach() {
    return new Tensor(dtype, shape, floatData, doubleData, offset, version);
  }

  /** A new tensor with a copy of the elements, outside the graph. */
  public Tensor copy() {
    Tensor t = zerosLike(this);
    return t.copyFrom(this);
  }

  // -----------------------------------------------------------------------------------------------------------------
  // Differentiable ops (see Ops for the definitions)
  // -----------------------------------------------------------------------------------------------------------------

  /** {@code this + other}, broadcasting. */
  public Tensor add(Tensor other) {
    return Ops.add(this, other);
  }

  /** {@code this + value}. */
  public Tensor add(double value) {
    return Ops.add(this, value);
  }

  /** {@code this - other}, broadcasting. */
  public Tensor sub(Tensor other) {
    return Ops.sub(this, other);
  }

  /** {@code this * other} elementwise, broadcasting. */
  public Tensor mul(Tensor other) {
    return Ops.mul(this, other);
  }

  /** {@code this * value}. */
  public Tensor mul(double value) {
    return Ops.mul(this, value);
  }

  /** {@code this / other} elementwise, broadcasting. */
  public Tensor div(Tensor other) {
    return Ops.div(this, other);
  }

  /** {@code -this}. */
  public Tensor neg() {
    return Ops.neg(this);
  }

  /** Matrix product, 2-D or batched 3-D; see {@link Ops#matmul}. */
  public Tensor matmul(Tensor other) {
    return Ops.matmul(this, other);
  }

  /** Sum of all elements (shape {@code []}). */
  public Tensor sum() {
    return Ops.sum(this);
  }

  /** Sum along {@code axis}. */
  public Tensor sum(int axis, boolean keepDim) {
    return Ops.sum(this, axis, keepDim);
  }

  /** Mean of all elements (shape {@code []}). */
  public Tensor mean() {
    return Ops.mean(this);
  }

  /** Mean along {@code axis}. */
  public Tensor mean(int axis, boolean keepDim) {
    return Ops.mean(this, axis, keepDim);
  }

  /** Logistic sigmoid. */
  public Tensor sigmoid() {
    return Ops.sigmoid(this);
  }

  /** Hyperbolic tangent. */
  public Tensor tanh() {
    return Ops.tanh(this);
  }

  /** max(x, 0). */
  public Tensor relu() {
    return Ops.relu(this);
  }

  /** e^x. */
  public Tensor exp() {
    return Ops.exp(this);
  }

  /** Natural logarithm. */
  public Tensor log() {
    return Ops.log(this);
  }

  /** Softmax over the last axis. */
  public Tensor softmax() {
    return Ops.softmax(this);
  }

  /** Log-softmax over the last axis. */
  public Tensor logSoftmax() {
    return Ops.logSoftmax(this);
  }

  /** A view with another shape of the same size; one dimension may be -1 (inferred). */
  public Tensor reshape(int... newShape) {
    return Ops.reshape(this, newShape);
  }

  /** Transpose of a 2-D tensor (materialised: a new row-major array). */
  public Tensor transpose() {
    return Ops.transpose(this);
  }

  /** Swaps two dimensions (materialised). */
  public Tensor transpose(int dim0, int dim1) {
    return Ops.transpose(this, dim0, dim1);
  }

  /** Rows {@code [start, end)} along dimension 0, as a view without copy. */
  public Tensor slice(int start, int end) {
    return Ops.slice(this, start, end);
  }

  /** {@code length} entries from {@code start} along {@code dim} (a view for dim 0, else a copy). */
  public Tensor narrow(int dim, int start, int length) {
    return Ops.narrow(this, dim, start, length);
  }

  /** Entry {@code i} along dimension 0, without that dimension (a view). */
  public Tensor select(int i) {
    return Ops.select(this, i);
  }

  /** Rows {@code indices} along dimension 0 (gather; the embedding lookup). */
  public Tensor indexSelect(int... indices) {
    return Ops.indexSelect(this, indices);
  }

  /** This tensor broadcast to {@code shape} (materialised). */
  public Tensor broadcastTo(int... newShape) {
    return Ops.broadcastTo(this, newShape);
  }

  /** Conversion to {@code target} (this tensor itself when the dtype already matches); differentiable. */
  public Tensor to(DType target) {
    return Ops.to(this, target);
  }

  // -----------------------------------------------------------------------------------------------------------------
  // Object
  // -----------------------------------------------------------------------------------------------------------------

  /** {@code Tensor(shape=[2, 3], dtype=float32, values=[1.0, 2.0, ..., 6.0])}: shape, dtype and a few values. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Tensor(shape=").append(Shapes.format(shape)).append(", dtype=")
        .append(dtype);
    if (requiresGrad()) {
      sb.append(", requiresGrad");
    }
    if (gradFn() != null) {
      sb.append(", gradFn=").append(gradFn().name());
    }
    sb.append(", values=[");
    int shown = Math.min(numel, 6);
    int head = numel <= 6 ? numel : 3;
    for (int i = 0; i < head; i++) {
      sb.append(i > 0 ? ", " : "").append(formatValue(getFlat(i)));
    }
    if (numel > shown) {
      sb.append(", ...");
      for (int i = numel - 3; i < numel; i++) {
        sb.append(", ").append(formatValue(getFlat(i)));
      }
    }
    return sb.append("])").toString();
  }

  private String formatValue(double v) {
    return dtype == DType.FLOAT32 ? Float.toString((float) v) : Double.toString(v);
  }
}
