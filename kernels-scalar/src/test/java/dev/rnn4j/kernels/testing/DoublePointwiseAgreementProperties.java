package dev.rnn4j.kernels.testing;

// rnn4j:generate-float

import static dev.rnn4j.kernels.testing.DoubleKernelTestSupport.EB;
import static dev.rnn4j.kernels.testing.DoubleKernelTestSupport.MAX_LEN;
import static dev.rnn4j.kernels.testing.DoubleKernelTestSupport.SPEC;
import static dev.rnn4j.kernels.testing.DoubleKernelTestSupport.array;
import static dev.rnn4j.kernels.testing.DoubleKernelTestSupport.offset;
import static dev.rnn4j.kernels.testing.DoubleKernelTestSupport.slack;
import static dev.rnn4j.kernels.testing.DoubleKernelTestSupport.vectorCase;
import static dev.rnn4j.kernels.testing.DoubleKernelTestSupport.withSpecials;
import static dev.rnn4j.kernels.testing.ErrorBounds.agreement;
import static dev.rnn4j.kernels.testing.TestValues.mixed;
import static dev.rnn4j.kernels.testing.TestValues.positive;
import static dev.rnn4j.kernels.testing.TestValues.size;
import static dev.rnn4j.kernels.testing.TestValues.uniform;

import dev.rnn4j.kernels.DoubleKernels;
import dev.rnn4j.kernels.testing.DoubleKernelTestSupport.Copies;
import dev.rnn4j.kernels.testing.DoubleKernelTestSupport.VectorCase;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Agreement with the scalar spec of the elementwise kernels (add, sub, mul, div, scale, addScalar, fill, copy) and of
 * the maps (sigmoid, tanh, relu, exp, log) with their backward forms, with their cases and checks. A link of the
 * agreement suite's chain of family classes; implementations subclass {@link DoubleKernelAgreementProperties},
 * which runs every family.
 */
@SuppressWarnings("cast")
public abstract class DoublePointwiseAgreementProperties extends DoubleBlasAgreementProperties {

  // ===============================================================================================================
  // Properties
  // ===============================================================================================================

  @Property(tries = 20)
  public void addAgrees(@ForAll long seed) {
    checkAdd(SPEC, candidate(), binaryCase(new Random(seed)));
  }

  @Property(tries = 20)
  public void subAgrees(@ForAll long seed) {
    checkSub(SPEC, candidate(), binaryCase(new Random(seed)));
  }

  @Property(tries = 20)
  public void mulAgrees(@ForAll long seed) {
    checkMul(SPEC, candidate(), binaryCase(new Random(seed)));
  }

  @Property(tries = 20)
  public void divAgrees(@ForAll long seed) {
    checkDiv(SPEC, candidate(), binaryCase(new Random(seed)));
  }

  @Property(tries = 20)
  public void scaleAgrees(@ForAll long seed) {
    checkScale(SPEC, candidate(), vectorCase(new Random(seed)));
  }

  @Property(tries = 20)
  public void addScalarAgrees(@ForAll long seed) {
    checkAddScalar(SPEC, candidate(), vectorCase(new Random(seed)));
  }

  @Property(tries = 20)
  public void fillAgrees(@ForAll long seed) {
    checkFill(SPEC, candidate(), vectorCase(new Random(seed)));
  }

  @Property(tries = 20)
  public void copyAgrees(@ForAll long seed) {
    checkCopy(SPEC, candidate(), copyCase(new Random(seed)));
  }

  @Property(tries = 30)
  public void sigmoidAgrees(@ForAll long seed) {
    checkSigmoid(SPEC, candidate(), mapCase(new Random(seed), withSpecials(mixed(5))));
  }

  @Property(tries = 30)
  public void sigmoidBackwardAgrees(@ForAll long seed) {
    checkSigmoidBackward(SPEC, candidate(), backwardCase(new Random(seed), uniform(0, 1)));
  }

  @Property(tries = 30)
  public void tanhAgrees(@ForAll long seed) {
    checkTanh(SPEC, candidate(), mapCase(new Random(seed), withSpecials(mixed(5))));
  }

  @Property(tries = 30)
  public void tanhBackwardAgrees(@ForAll long seed) {
    checkTanhBackward(SPEC, candidate(), backwardCase(new Random(seed), uniform(-1, 1)));
  }

  @Property(tries = 20)
  public void reluAgrees(@ForAll long seed) {
    checkRelu(SPEC, candidate(), mapCase(new Random(seed), withSpecials(mixed(8))));
  }

  @Property(tries = 20)
  public void reluBackwardAgrees(@ForAll long seed) {
    checkReluBackward(SPEC, candidate(), backwardCase(new Random(seed), mixed(8)));
  }

  @Property(tries = 30)
  public void expAgrees(@ForAll long seed) {
    checkExp(SPEC, candidate(), mapCase(new Random(seed), withSpecials(uniform(-80, 80))));
  }

  @Property(tries = 20)
  public void expBackwardAgrees(@ForAll long seed) {
    checkExpBackward(SPEC, candidate(), backwardCase(new Random(seed), positive(10)));
  }

  @Property(tries = 30)
  public void logAgrees(@ForAll long seed) {
    checkLog(SPEC, candidate(), mapCase(new Random(seed), withSpecials(positive(30))));
  }

  @Property(tries = 20)
  public void logBackwardAgrees(@ForAll long seed) {
    checkLogBackward(SPEC, candidate(), backwardCase(new Random(seed), positive(10)));
  }

  // ===============================================================================================================
  // Cases. Arrays are larger than the ranges the kernel may touch (offsets before, slack after, ld > row length);
  // every element is random, so any write outside the stated range shows up as a changed element. Where two
  // record components are the same array object, the case tests aliasing.
  // ===============================================================================================================

  /** Two inputs and an output (add, sub, mul, div); out may be a or b. */
  public record BinaryCase(int n, double[] a, int aOff, double[] b, int bOff, double[] out, int outOff) {
    @Override
    public String toString() {
      return "(n=" + n + ", aOff=" + aOff + ", bOff=" + bOff + ", outOff=" + outOff + ", out=a: " + (out == a)
          + ", out=b: " + (out == b) + ")";
    }
  }

  /** A map {@code y = f(x)}; y may be x. */
  public record MapCase(int n, double[] x, int xOff, double[] y, int yOff) {
    @Override
    public String toString() {
      return "(n=" + n + ", xOff=" + xOff + ", yOff=" + yOff + ", in place=" + (x == y) + ")";
    }
  }

  /** A backward map {@code dx = g(v, dy)} (v is y or x); dx may be v or dy. */
  public record BackwardCase(int n, double[] v, int vOff, double[] dy, int dyOff, double[] dx, int dxOff) {
    @Override
    public String toString() {
      return "(n=" + n + ", vOff=" + vOff + ", dyOff=" + dyOff + ", dxOff=" + dxOff + ", dx=v: " + (dx == v)
          + ", dx=dy: " + (dx == dy) + ")";
    }
  }

  /** copy, with overlapping source and destination ranges in one case of two (memmove semantics). */
  public static VectorCase copyCase(Random rnd) {
    int n = size(rnd, MAX_LEN);
    if (rnd.nextBoolean()) {
      int xOff = 3 + offset(rnd);
      int yOff = xOff + rnd.nextInt(7) - 3;
      double[] x = array(rnd, Math.max(xOff, yOff) + n + slack(rnd), mixed(8));
      return new VectorCase(n, 0, x, xOff, x, yOff);
    }
    int xOff = offset(rnd);
    int yOff = offset(rnd);
    return new VectorCase(n, 0, array(rnd, xOff + n + slack(rnd), mixed(8)), xOff,
        array(rnd, yOff + n + slack(rnd), mixed(8)), yOff);
  }

  /** Two inputs and an output, which in one case of three each is the first or the second input. */
  public static BinaryCase binaryCase(Random rnd) {
    int n = size(rnd, MAX_LEN);
    int aOff = offset(rnd);
    int bOff = offset(rnd);
    double[] a = array(rnd, aOff + n + slack(rnd), mixed(8));
    double[] b = array(rnd, bOff + n + slack(rnd), mixed(8));
    switch (rnd.nextInt(3)) {
      case 0:
        return new BinaryCase(n, a, aOff, b, bOff, a, aOff);
      case 1:
        return new BinaryCase(n, a, aOff, b, bOff, b, bOff);
      default:
        int outOff = offset(rnd);
        return new BinaryCase(n, a, aOff, b, bOff, array(rnd, outOff + n + slack(rnd), mixed(8)), outOff);
    }
  }

  /** A map's input from {@code source}; in place in one case of three. */
  public static MapCase mapCase(Random rnd, TestValues.Source source) {
    int n = size(rnd, MAX_LEN);
    int xOff = offset(rnd);
    double[] x = array(rnd, xOff + n + slack(rnd), source);
    if (rnd.nextInt(3) == 0) {
      return new MapCase(n, x, xOff, x, xOff);
    }
    int yOff = offset(rnd);
    return new MapCase(n, x, xOff, array(rnd, yOff + n + slack(rnd), mixed(2)), yOff);
  }

  /** A backward map: v from {@code source}, dy of mixed magnitudes; dx is v or dy in one case of four each. */
  public static BackwardCase backwardCase(Random rnd, TestValues.Source source) {
    int n = size(rnd, MAX_LEN);
    int vOff = offset(rnd);
    int dyOff = offset(rnd);
    double[] v = array(rnd, vOff + n + slack(rnd), source);
    double[] dy = array(rnd, dyOff + n + slack(rnd), mixed(8));
    switch (rnd.nextInt(4)) {
      case 0:
        return new BackwardCase(n, v, vOff, dy, dyOff, v, vOff);
      case 1:
        return new BackwardCase(n, v, vOff, dy, dyOff, dy, dyOff);
      default:
        int dxOff = offset(rnd);
        return new BackwardCase(n, v, vOff, dy, dyOff, array(rnd, dxOff + n + slack(rnd), mixed(2)), dxOff);
    }
  }

  // ===============================================================================================================
  // Checks
  // ===============================================================================================================

  /** Binary elementwise kernels. */
  @FunctionalInterface
  public interface BinaryKernel {
    void apply(DoubleKernels k, int n, double[] a, int aOff, double[] b, int bOff, double[] out, int outOff);
  }

  /** Exact (one correctly rounded operation per element). */
  public static void checkAdd(DoubleKernels reference, DoubleKernels candidate, BinaryCase c) {
    checkBinary("add", reference, candidate, c, DoubleKernels::add);
  }

  /** Exact. */
  public static void checkSub(DoubleKernels reference, DoubleKernels candidate, BinaryCase c) {
    checkBinary("sub", reference, candidate, c, DoubleKernels::sub);
  }

  /** Exact. */
  public static void checkMul(DoubleKernels reference, DoubleKernels candidate, BinaryCase c) {
    checkBinary("mul", reference, candidate, c, DoubleKernels::mul);
  }

  /** Exact. */
  public static void checkDiv(DoubleKernels reference, DoubleKernels candidate, BinaryCase c) {
    checkBinary("div", reference, candidate, c, DoubleKernels::div);
  }

  private static void checkBinary(String name, DoubleKernels reference, DoubleKernels candidate, BinaryCase v,
                                  BinaryKernel kernel) {
    String op = name + v;
    Copies r = new Copies();
    Copies c = new Copies();
    kernel.apply(reference, v.n(), r.of(v.a()), v.aOff(), r.of(v.b()), v.bOff(), r.of(v.out()), v.outOff());
    kernel.apply(candidate, v.n(), c.of(v.a()), v.aOff(), c.of(v.b()), v.bOff(), c.of(v.out()), v.outOff());
    if (v.out() != v.a()) {
      Checks.unchanged(op + ": a", v.a(), c.of(v.a()));
    }
    if (v.out() != v.b()) {
      Checks.unchanged(op + ": b", v.b(), c.of(v.b()));
    }
    Checks.unchangedOutside(op + ": out", v.out(), c.of(v.out()), v.outOff(), v.outOff() + v.n());
    Checks.closeRange(op, r.of(v.out()), c.of(v.out()), v.outOff(), v.n(), i -> 0);
  }

  /** Exact: out = alpha * x (y is the output). */
  public static void checkScale(DoubleKernels reference, DoubleKernels candidate, VectorCase v) {
    checkVectorOut("scale", reference, candidate, v, (k, n, a, x, xo, y, yo) -> k.scale(n, a, x, xo, y, yo));
  }

  /** Exact: out = x + alpha. */
  public static void checkAddScalar(DoubleKernels reference, DoubleKernels candidate, VectorCase v) {
    checkVectorOut("addScalar", reference, candidate, v, (k, n, a, x, xo, y, yo) -> k.addScalar(n, a, x, xo, y, yo));
  }

  /** Exact: y_i = alpha. */
  public static void checkFill(DoubleKernels reference, DoubleKernels candidate, VectorCase v) {
    checkVectorOut("fill", reference, candidate, v, (k, n, a, x, xo, y, yo) -> k.fill(n, a, y, yo));
  }

  /** Exact, memmove semantics for overlapping ranges. */
  public static void checkCopy(DoubleKernels reference, DoubleKernels candidate, VectorCase v) {
    checkVectorOut("copy", reference, candidate, v, (k, n, a, x, xo, y, yo) -> k.copy(n, x, xo, y, yo));
  }

  /** A kernel of a scalar, an input vector and an output vector. */
  @FunctionalInterface
  public interface VectorKernel {
    void apply(DoubleKernels k, int n, double alpha, double[] x, int xOff, double[] y, int yOff);
  }

  private static void checkVectorOut(String name, DoubleKernels reference, DoubleKernels candidate, VectorCase v,
                                     VectorKernel kernel) {
    String op = name + v;
    Copies r = new Copies();
    Copies c = new Copies();
    kernel.apply(reference, v.n(), v.alpha(), r.of(v.x()), v.xOff(), r.of(v.y()), v.yOff());
    kernel.apply(candidate, v.n(), v.alpha(), c.of(v.x()), v.xOff(), c.of(v.y()), v.yOff());
    if (v.x() != v.y()) {
      Checks.unchanged(op + ": x", v.x(), c.of(v.x()));
    }
    Checks.unchangedOutside(op + ": out", v.y(), c.of(v.y()), v.yOff(), v.yOff() + v.n());
    Checks.closeRange(op, r.of(v.y()), c.of(v.y()), v.yOff(), v.n(), i -> 0);
  }

  /** A map or backward map of two arrays into a third. */
  @FunctionalInterface
  public interface MapKernel {
    void apply(DoubleKernels k, int n, double[] x, int xOff, double[] y, int yOff);
  }

  /** Within {@link ErrorBounds#sigmoid} of the output, twice. */
  public static void checkSigmoid(DoubleKernels reference, DoubleKernels candidate, MapCase c) {
    checkMap("sigmoid", reference, candidate, c, DoubleKernels::sigmoid, (x, y) -> agreement(EB.sigmoid(y)));
  }

  /** Within {@link ErrorBounds#tanh} of the output, twice. */
  public static void checkTanh(DoubleKernels reference, DoubleKernels candidate, MapCase c) {
    checkMap("tanh", reference, candidate, c, DoubleKernels::tanh, (x, y) -> agreement(EB.tanh(y)));
  }

  /** Exact. */
  public static void checkRelu(DoubleKernels reference, DoubleKernels candidate, MapCase c) {
    checkMap("relu", reference, candidate, c, DoubleKernels::relu, (x, y) -> 0);
  }

  /** Within {@link ErrorBounds#exp} of the output, twice. */
  public static void checkExp(DoubleKernels reference, DoubleKernels candidate, MapCase c) {
    checkMap("exp", reference, candidate, c, DoubleKernels::exp, (x, y) -> agreement(EB.exp(y)));
  }

  /** Within {@link ErrorBounds#log} of the output, twice. */
  public static void checkLog(DoubleKernels reference, DoubleKernels candidate, MapCase c) {
    checkMap("log", reference, candidate, c, DoubleKernels::log, (x, y) -> agreement(EB.log(y)));
  }

  private static void checkMap(String name, DoubleKernels reference, DoubleKernels candidate, MapCase m,
                               MapKernel kernel, Checks.PointBound bound) {
    String op = name + m;
    Copies r = new Copies();
    Copies c = new Copies();
    kernel.apply(reference, m.n(), r.of(m.x()), m.xOff(), r.of(m.y()), m.yOff());
    kernel.apply(candidate, m.n(), c.of(m.x()), m.xOff(), c.of(m.y()), m.yOff());
    if (m.x() != m.y()) {
      Checks.unchanged(op + ": x", m.x(), c.of(m.x()));
    }
    Checks.unchangedOutside(op + ": y", m.y(), c.of(m.y()), m.yOff(), m.yOff() + m.n());
    double[] want = r.of(m.y());
    Checks.closeRange(op, want, c.of(m.y()), m.yOff(), m.n(),
        i -> bound.at(m.x()[m.xOff() + i], want[m.yOff() + i]));
  }

  /** A backward map {@code (v, dy) -> dx}. */
  @FunctionalInterface
  public interface BackwardKernel {
    void apply(DoubleKernels k, int n, double[] v, int vOff, double[] dy, int dyOff, double[] dx, int dxOff);
  }

  /** dx = dy y (1 - y): gamma(3) |dy| |y| (1 + |y|), twice. */
  public static void checkSigmoidBackward(DoubleKernels reference, DoubleKernels candidate, BackwardCase c) {
    checkBackward("sigmoidBackward", reference, candidate, c, DoubleKernels::sigmoidBackward,
        (y, dy) -> agreement(EB.running(3, Math.abs(dy * y) * (1 + Math.abs(y)))));
  }

  /** dx = dy (1 - y^2): gamma(3) |dy| (1 + y^2), twice. */
  public static void checkTanhBackward(DoubleKernels reference, DoubleKernels candidate, BackwardCase c) {
    checkBackward("tanhBackward", reference, candidate, c, DoubleKernels::tanhBackward,
        (y, dy) -> agreement(EB.running(3, Math.abs(dy) * (1 + y * y))));
  }

  /** Exact (a selection). */
  public static void checkReluBackward(DoubleKernels reference, DoubleKernels candidate, BackwardCase c) {
    checkBackward("reluBackward", reference, candidate, c, DoubleKernels::reluBackward, (y, dy) -> 0);
  }

  /** Exact (one product). */
  public static void checkExpBackward(DoubleKernels reference, DoubleKernels candidate, BackwardCase c) {
    checkBackward("expBackward", reference, candidate, c, DoubleKernels::expBackward, (y, dy) -> 0);
  }

  /** Exact (one quotient). */
  public static void checkLogBackward(DoubleKernels reference, DoubleKernels candidate, BackwardCase c) {
    checkBackward("logBackward", reference, candidate, c, DoubleKernels::logBackward, (x, dy) -> 0);
  }

  private static void checkBackward(String name, DoubleKernels reference, DoubleKernels candidate, BackwardCase b,
                                    BackwardKernel kernel, Checks.PointBound bound) {
    String op = name + b;
    Copies r = new Copies();
    Copies c = new Copies();
    kernel.apply(reference, b.n(), r.of(b.v()), b.vOff(), r.of(b.dy()), b.dyOff(), r.of(b.dx()), b.dxOff());
    kernel.apply(candidate, b.n(), c.of(b.v()), b.vOff(), c.of(b.dy()), b.dyOff(), c.of(b.dx()), b.dxOff());
    if (b.dx() != b.v()) {
      Checks.unchanged(op + ": input", b.v(), c.of(b.v()));
    }
    if (b.dx() != b.dy()) {
      Checks.unchanged(op + ": dy", b.dy(), c.of(b.dy()));
    }
    Checks.unchangedOutside(op + ": dx", b.dx(), c.of(b.dx()), b.dxOff(), b.dxOff() + b.n());
    Checks.closeRange(op, r.of(b.dx()), c.of(b.dx()), b.dxOff(), b.n(),
        i -> bound.at(b.v()[b.vOff() + i], b.dy()[b.dyOff() + i]));
  }
}
