package dev.rnn4j.badinput;

import static dev.rnn4j.tensor.DType.FLOAT32;
import static dev.rnn4j.tensor.DType.FLOAT64;

import dev.rnn4j.tensor.Shapes;
import dev.rnn4j.tensor.Tensor;
import java.util.SplittableRandom;

/** Tensor factories, element access, views and autograd flags. */
final class TensorCases {

  private TensorCases() {}

  static void add(Catalog c) {
    factories(c);
    access(c);
    autograd(c);
    shapes(c);
  }

  private static void shapes(Catalog c) {
    c.iae("Shapes.numel null", () -> Shapes.numel(null), "numel", "shape", "null");
    c.iae("Shapes.checked null", () -> Shapes.checked("myOp", null), "myOp", "shape", "null");
    c.iae("Shapes.checked negative", () -> Shapes.checked("myOp", new int[] {1, -1}), "myOp", "negative", "[1, -1]");
    c.iae("Shapes.axis past the rank", () -> Shapes.axis("myOp", 3, 2), "myOp", "axis 3", "rank 2");
    c.iae("Shapes.product null", () -> Shapes.product(null, 0, 1), "product", "shape", "null");
    c.iae("Shapes.product range past the rank", () -> Shapes.product(new int[] {2, 3}, 1, 3), "product",
        "[1, 3)", "[2, 3]");
    c.iae("Shapes.product reversed range", () -> Shapes.product(new int[] {2, 3}, 2, 1), "product", "[2, 1)");
    c.iae("Shapes.broadcast null", () -> Shapes.broadcast("myOp", new int[] {2}, null), "myOp", "second shape",
        "null");
    c.iae("Shapes.broadcast incompatible", () -> Shapes.broadcast("myOp", new int[] {2}, new int[] {3}), "myOp",
        "[2]", "[3]");
    c.iae("Shapes.broadcastsTo null", () -> Shapes.broadcastsTo(null, new int[] {2}), "broadcastsTo", "from",
        "null");
  }

  private static void factories(Catalog c) {
    SplittableRandom rng = new SplittableRandom(1);
    c.iae("zeros null dtype", () -> Tensor.zeros(null, 2), "zeros", "dtype", "null");
    c.iae("zeros null shape", () -> Tensor.zeros(FLOAT32, (int[]) null), "zeros", "shape", "null");
    c.iae("zeros negative dimension", () -> Tensor.zeros(FLOAT32, 2, -1), "zeros", "negative", "[2, -1]");
    c.iae("zeros too many elements", () -> Tensor.zeros(FLOAT32, 65536, 65536), "zeros", "[65536, 65536]", "2^31");
    c.iae("zerosLike null", () -> Tensor.zerosLike(null), "zerosLike", "like", "null");
    c.iae("ones null dtype", () -> Tensor.ones(null, 2), "ones", "dtype");
    c.iae("ones negative dimension", () -> Tensor.ones(FLOAT64, -3), "ones", "negative", "[-3]");
    c.iae("full null dtype", () -> Tensor.full(null, 1, 2), "full", "dtype");
    c.iae("full negative dimension", () -> Tensor.full(FLOAT32, 1, -1, 2), "full", "negative", "[-1, 2]");
    c.iae("full too many elements", () -> Tensor.full(FLOAT64, 1, 1 << 16, 1 << 16), "full", "2^31");
    c.iae("scalar null dtype", () -> Tensor.scalar(null, 1), "scalar", "dtype");
    c.iae("fromArray null float data", () -> Tensor.fromArray((float[]) null, 2), "fromArray", "data", "null");
    c.iae("fromArray null double data", () -> Tensor.fromArray((double[]) null, 2), "fromArray", "data", "null");
    c.iae("fromArray float length mismatch", () -> Tensor.fromArray(new float[3], 2, 2), "fromArray",
        "3 elements", "[2, 2]", "4");
    c.iae("fromArray double length mismatch", () -> Tensor.fromArray(new double[3], 4), "fromArray", "3 elements",
        "[4]");
    c.iae("fromArray null shape", () -> Tensor.fromArray(new float[1], (int[]) null), "fromArray", "shape");
    c.iae("fromArray negative dimension", () -> Tensor.fromArray(new double[0], -1), "fromArray", "negative");
    c.iae("wrap null float data", () -> Tensor.wrap((float[]) null, 0, 2), "wrap", "data", "null");
    c.iae("wrap null double data", () -> Tensor.wrap((double[]) null, 0, 2), "wrap", "data", "null");
    c.iae("wrap negative offset", () -> Tensor.wrap(new float[4], -1, 2), "wrap", "offset -1", "length 4");
    c.iae("wrap range past the end", () -> Tensor.wrap(new float[4], 3, 2), "wrap", "offset 3", "[2]", "length 4");
    c.iae("wrap double too large shape", () -> Tensor.wrap(new double[4], 0, 5), "wrap", "[5]", "length 4");
    c.iae("wrap negative dimension", () -> Tensor.wrap(new float[4], 0, -4), "wrap", "negative");
    c.iae("wrap offset overflow", () -> Tensor.wrap(new float[4], Integer.MAX_VALUE, 2), "wrap",
        "offset " + Integer.MAX_VALUE);
    c.iae("uniform null dtype", () -> Tensor.uniform(null, rng, 0, 1, 2), "uniform", "dtype");
    c.iae("uniform null rng", () -> Tensor.uniform(FLOAT32, null, 0, 1, 2), "uniform", "rng", "null");
    c.iae("uniform low above high", () -> Tensor.uniform(FLOAT32, rng, 1, 0, 2), "uniform", "low=1.0", "high=0.0");
    c.iae("uniform NaN low", () -> Tensor.uniform(FLOAT32, rng, Double.NaN, 1, 2), "uniform", "low=NaN");
    c.iae("uniform infinite high", () -> Tensor.uniform(FLOAT64, rng, 0, Double.POSITIVE_INFINITY, 2), "uniform",
        "high=Infinity");
    c.iae("uniform negative dimension", () -> Tensor.uniform(FLOAT32, rng, 0, 1, -2), "uniform", "negative");
    c.iae("normal null dtype", () -> Tensor.normal(null, rng, 0, 1, 2), "normal", "dtype");
    c.iae("normal null rng", () -> Tensor.normal(FLOAT32, null, 0, 1, 2), "normal", "rng", "null");
    c.iae("normal negative std", () -> Tensor.normal(FLOAT32, rng, 0, -1, 2), "normal", "std=-1.0");
    c.iae("normal NaN mean", () -> Tensor.normal(FLOAT64, rng, Double.NaN, 1, 2), "normal", "mean=NaN");
    c.iae("normal infinite std", () -> Tensor.normal(FLOAT64, rng, 0, Double.POSITIVE_INFINITY, 2), "normal",
        "std=Infinity");
    c.iae("normal negative dimension", () -> Tensor.normal(FLOAT64, rng, 0, 1, 3, -1), "normal", "negative");
  }

  private static void access(Catalog c) {
    Tensor m = Tensor.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    Tensor d = Tensor.fromArray(new double[] {1, 2}, 2);
    Tensor empty = Tensor.zeros(FLOAT32, 0);
    c.iae("size axis past the rank", () -> m.size(2), "size", "axis 2", "rank 2");
    c.iae("size negative axis past the rank", () -> m.size(-3), "size", "axis -3", "rank 2");
    c.iae("item of a tensor of six elements", m::item, "item", "[2, 3]", "6 elements");
    c.iae("item of an empty tensor", empty::item, "item", "[0]", "0 elements");
    c.iae("get with too few coordinates", () -> m.get(0), "get", "[0]", "[2, 3]");
    c.iae("get row out of bounds", () -> m.get(2, 0), "get", "[2, 0]", "[2, 3]");
    c.iae("get negative coordinate", () -> m.get(-1, 0), "get", "[-1, 0]");
    c.iae("get null index", () -> m.get((int[]) null), "get", "index", "null");
    c.iae("set column out of bounds", () -> m.set(9, 0, 3), "set", "[0, 3]", "[2, 3]")
        .unchanged(() -> Probes.tensors(m));
    c.iae("set with too many coordinates", () -> m.set(9, 0, 0, 0), "set", "[0, 0, 0]", "[2, 3]")
        .unchanged(() -> Probes.tensors(m));
    c.iae("set null index", () -> m.set(9, (int[]) null), "set", "index", "null")
        .unchanged(() -> Probes.tensors(m));
    c.iae("getFlat past the end", () -> m.getFlat(6), "getFlat", "index 6", "[0, 6)");
    c.iae("getFlat negative", () -> m.getFlat(-1), "getFlat", "index -1", "[2, 3]");
    c.iae("getFlat of an empty tensor", () -> empty.getFlat(0), "getFlat", "index 0", "[0, 0)");
    c.iae("setFlat past the end", () -> m.setFlat(6, 1), "setFlat", "index 6", "[0, 6)")
        .unchanged(() -> Probes.tensors(m));
    c.iae("setFlat negative", () -> d.setFlat(-5, 1), "setFlat", "index -5", "[2]")
        .unchanged(() -> Probes.tensors(d));
    c.ise("floatData of a float64 tensor", d::floatData, "floatData", "float64");
    c.ise("doubleData of a float32 tensor", m::doubleData, "doubleData", "float32");
    c.iae("copyFrom null", () -> m.copyFrom(null), "copyFrom", "src", "null").unchanged(() -> Probes.tensors(m));
    c.iae("copyFrom another dtype", () -> d.copyFrom(Tensor.zeros(FLOAT32, 2)), "copyFrom", "dtypes differ",
        "float64", "float32").unchanged(() -> Probes.tensors(d));
    c.iae("copyFrom another shape", () -> m.copyFrom(Tensor.zeros(FLOAT32, 3, 2)), "copyFrom", "shapes differ",
        "[2, 3]", "[3, 2]").unchanged(() -> Probes.tensors(m));
    c.iae("viewAs another size", () -> m.viewAs(4, 2), "viewAs", "[2, 3]", "[4, 2]");
    c.iae("viewAs negative dimension", () -> m.viewAs(-6), "viewAs", "negative");
    c.iae("viewAs null shape", () -> m.viewAs((int[]) null), "viewAs", "shape", "null");
    c.iae("viewRange negative start", () -> m.viewRange(-1, 2), "viewRange", "from -1", "[2, 3]");
    c.iae("viewRange past the end", () -> m.viewRange(5, 2), "viewRange", "from 5", "[2]", "[2, 3]");
    c.iae("viewRange null shape", () -> m.viewRange(0, (int[]) null), "viewRange", "shape", "null");
    c.iae("sharesStorageWith null", () -> m.sharesStorageWith(null), "sharesStorageWith", "other", "null");
    c.iae("to null dtype", () -> m.to(null), "to", "target dtype", "null");
  }

  private static void autograd(Catalog c) {
    Tensor leaf = Tensor.ones(FLOAT64, 2).requiresGrad(true);
    Tensor plain = Tensor.ones(FLOAT64, 2);
    Tensor nonLeaf = leaf.mul(2.0);
    Tensor scalarOut = leaf.sum();
    c.ise("requiresGrad on a non-leaf", () -> nonLeaf.requiresGrad(false), "requiresGrad", "not a leaf", "Scale");
    c.ise("grad of a tensor that needs none", plain::grad, "grad", "does not require a gradient", "[2]");
    c.ise("grad of a non-leaf without retainGrad", nonLeaf::grad, "grad", "not a leaf", "retainGrad");
    c.ise("retainGrad of a tensor that needs none", plain::retainGrad, "retainGrad", "does not require");
    c.ise("backward of a tensor that needs no gradient", () -> plain.sum().backward(), "backward",
        "does not require a gradient");
    c.iae("backward of a non-scalar without a gradient", nonLeaf::backward, "backward", "[2]", "not a scalar");
    c.iae("backward with a gradient of another shape", () -> scalarOut.backward(Tensor.ones(FLOAT64, 2)), "backward",
        "output gradient", "[2] float64", "[] float64").unchanged(() -> leaf.grad() == null);
    c.iae("backward with a gradient of another dtype", () -> scalarOut.backward(Tensor.scalar(FLOAT32, 1)),
        "backward", "output gradient", "float32", "float64").unchanged(() -> leaf.grad() == null);
    Tensor once = Tensor.ones(FLOAT64, 2).requiresGrad(true);
    c.ise("backward twice through a freed graph", () -> {
      Tensor y = once.mul(once).sum();
      y.backward();
      y.backward();
    }, "backward", "already freed", "retainGraph");
  }
}
