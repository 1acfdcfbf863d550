package dev.rnn4j.kernels.simd;

// rnn4j:generate-float

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * exp, tanh, sigmoid and log give an element the same bits wherever it lands: in a vector with any neighbours (exp
 * takes a faster scaling when all lanes of a vector are in the normal range, and log skips the subnormal scaling and
 * special-value masks when all lanes are positive normal numbers, which must not change the value) or in the
 * scalar tail (the scalar twins must do exactly the vector helpers' operations). A one-element call always runs the
 * scalar tail, so it is the reference for each element of a long call.
 */
// The cast after nextDouble is redundant here; the generated float32 twin needs it.
@SuppressWarnings("cast")
class PanamaDoubleLaneIndependenceTest {

  private static final int N = 4099;
  private final PanamaDoubleKernels k = new PanamaDoubleKernels();

  interface Map {
    void apply(int n, double[] x, int xOff, double[] y, int yOff);
  }

  @Test
  void expIsTheSameInVectorsAndTails() {
    check("exp", k::exp, -750, 750);
    check("exp", k::exp, -5, 5);
  }

  @Test
  void tanhIsTheSameInVectorsAndTails() {
    check("tanh", k::tanh, -25, 25);
    check("tanh", k::tanh, -1, 1);
  }

  @Test
  void sigmoidIsTheSameInVectorsAndTails() {
    check("sigmoid", k::sigmoid, -750, 750);
    check("sigmoid", k::sigmoid, -5, 5);
  }

  @Test
  void logIsTheSameInVectorsAndTails() {
    check("log", k::log, 0, 4);
    check("log", k::log, 0.5, 2);
    // Negative, subnormal and tiny normal arguments mixed in most vectors.
    check("log", k::log, -1e-308 /*f32:-1e-38f*/, 1e-307 /*f32:1e-37f*/);
  }

  @Test
  void logIgnoresItsNeighbours() {
    int lanes = PanamaDoubleSpecies.SPECIES.length();
    double[] x = random(0, 4);
    double[] y = new double[N];
    k.log(N, x, 0, y, 0);
    // The first lane of every vector is subnormal, zero, negative or NaN: the others take the masked path.
    double[] special = {Double.MIN_VALUE, 0.0, -1.0, Double.NaN};
    double[] x2 = x.clone();
    for (int i = 0; i < N; i += lanes) {
      x2[i] = special[(i / lanes) % special.length];
    }
    double[] y2 = new double[N];
    k.log(N, x2, 0, y2, 0);
    for (int i = 0; i < N; i++) {
      if (i % lanes != 0) {
        assertEquals(bits(y[i]), bits(y2[i]), "log(" + x[i] + ")");
      }
    }
  }

  @Test
  void expIgnoresItsNeighbours() {
    int lanes = PanamaDoubleSpecies.SPECIES.length();
    double[] x = random(-5, 5);
    double[] y = new double[N];
    k.exp(N, x, 0, y, 0);
    // The first lane of every vector leaves the fast range (and one is NaN): the others take the general scaling.
    double[] x2 = x.clone();
    for (int i = 0; i < N; i += lanes) {
      x2[i] = i % (2 * lanes) == 0 ? 1000 : Double.NaN;
    }
    double[] y2 = new double[N];
    k.exp(N, x2, 0, y2, 0);
    for (int i = 0; i < N; i++) {
      if (i % lanes != 0) {
        assertEquals(bits(y[i]), bits(y2[i]), "exp(" + x[i] + ")");
      }
    }
  }

  private static void check(String name, Map map, double lo, double hi) {
    double[] x = random(lo, hi);
    x[1] = Double.NaN;
    x[2] = Double.POSITIVE_INFINITY;
    x[3] = Double.NEGATIVE_INFINITY;
    x[4] = -0.0;
    double[] y = new double[N];
    map.apply(N, x, 0, y, 0);
    double[] one = new double[1];
    for (int i = 0; i < N; i++) {
      map.apply(1, x, i, one, 0);
      assertEquals(bits(one[0]), bits(y[i]), name + "(" + x[i] + ")");
    }
  }

  private static long bits(double v) {
    return Double.doubleToLongBits /*f32:Float.floatToIntBits*/(v);
  }

  private static double[] random(double lo, double hi) {
    SplittableRandom rnd = new SplittableRandom(7);
    double[] x = new double[N];
    for (int i = 0; i < N; i++) {
      x[i] = (double) rnd.nextDouble(lo, hi);
    }
    return x;
  }
}
