package dev.rnn4j.kernels.testing;

// rnn4j:generate-float

import static dev.rnn4j.kernels.testing.DoubleKernelTestSupport.EB;
import static dev.rnn4j.kernels.testing.DoubleKernelTestSupport.SPEC;
import static dev.rnn4j.kernels.testing.DoubleKernelTestSupport.array;
import static dev.rnn4j.kernels.testing.DoubleKernelTestSupport.offset;
import static dev.rnn4j.kernels.testing.DoubleKernelTestSupport.slack;
import static dev.rnn4j.kernels.testing.ErrorBounds.agreement;
import static dev.rnn4j.kernels.testing.TestValues.mixed;
import static dev.rnn4j.kernels.testing.TestValues.size;
import static dev.rnn4j.kernels.testing.TestValues.uniform;

import dev.rnn4j.kernels.DoubleKernels;
import dev.rnn4j.kernels.testing.DoubleKernelTestSupport.Copies;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Agreement with the scalar spec of the fused recurrent pointwise kernels (LSTM and GRU cells, forward and
 * backward), with their cases and checks. A link of the agreement suite's chain of family classes;
 * implementations subclass {@link DoubleKernelAgreementProperties}, which runs every family.
 */
@SuppressWarnings("cast")
public abstract class DoubleRecurrentAgreementProperties extends DoubleReductionAgreementProperties {

  // ===============================================================================================================
  // Properties
  // ===============================================================================================================

  @Property(tries = 30)
  public void lstmForwardAgrees(@ForAll long seed) {
    checkLstmForward(SPEC, candidate(), lstmForwardCase(new Random(seed)));
  }

  @Property(tries = 30)
  public void lstmBackwardAgrees(@ForAll long seed) {
    checkLstmBackward(SPEC, candidate(), lstmBackwardCase(new Random(seed)));
  }

  @Property(tries = 30)
  public void gruForwardAgrees(@ForAll long seed) {
    checkGruForward(SPEC, candidate(), gruForwardCase(new Random(seed)));
  }

  @Property(tries = 30)
  public void gruBackwardAgrees(@ForAll long seed) {
    checkGruBackward(SPEC, candidate(), gruBackwardCase(new Random(seed)));
  }

  // ===============================================================================================================
  // Cases. Arrays are larger than the ranges the kernel may touch (offsets before, slack after, ld > row length);
  // every element is random, so any write outside the stated range shows up as a changed element. Where two
  // record components are the same array object, the case tests aliasing.
  // ===============================================================================================================

  /** lstmForward arguments; c may be cPrev. */
  public record LstmForwardCase(int batch, int hidden, double[] gates, int gatesOff, double[] cPrev, int cPrevOff,
                                double[] c, int cOff, double[] h, int hOff) {
    @Override
    public String toString() {
      return "lstmForward(batch=" + batch + ", hidden=" + hidden + ", gatesOff=" + gatesOff + ", cPrevOff="
          + cPrevOff + ", cOff=" + cOff + ", hOff=" + hOff + ", c=cPrev: " + (c == cPrev) + ")";
    }
  }

  /** lstmBackward arguments (gates hold activations). */
  public record LstmBackwardCase(int batch, int hidden, double[] gates, int gatesOff, double[] cPrev, int cPrevOff,
                                 double[] c, int cOff, double[] dh, int dhOff, double[] dc, int dcOff,
                                 double[] dGates, int dGatesOff) {
    @Override
    public String toString() {
      return "lstmBackward(batch=" + batch + ", hidden=" + hidden + ", gatesOff=" + gatesOff + ", dGatesOff="
          + dGatesOff + ")";
    }
  }

  /** gruForward arguments. */
  public record GruForwardCase(int batch, int hidden, double[] gi, int giOff, double[] gh, int ghOff,
                               double[] hPrev, int hPrevOff, double[] h, int hOff) {
    @Override
    public String toString() {
      return "gruForward(batch=" + batch + ", hidden=" + hidden + ", giOff=" + giOff + ", ghOff=" + ghOff + ")";
    }
  }

  /** gruBackward arguments (gi holds activations); dhPrev may be dh. */
  public record GruBackwardCase(int batch, int hidden, double[] gi, int giOff, double[] gh, int ghOff,
                                double[] hPrev, int hPrevOff, double[] dh, int dhOff, double[] dgi, int dgiOff,
                                double[] dgh, int dghOff, double[] dhPrev, int dhPrevOff) {
    @Override
    public String toString() {
      return "gruBackward(batch=" + batch + ", hidden=" + hidden + ", dhPrev=dh: " + (dhPrev == dh) + ")";
    }
  }

  /** Random LSTM pre-activations (up to +-32) and cell states; c is cPrev in one case of three. */
  public static LstmForwardCase lstmForwardCase(Random rnd) {
    int batch = TestValues.positiveSize(rnd, 4);
    int hidden = size(rnd, 40);
    int gatesOff = offset(rnd);
    int cPrevOff = offset(rnd);
    int hOff = offset(rnd);
    int state = batch * hidden;
    double[] gates = array(rnd, gatesOff + 4 * state + slack(rnd), mixed(4));
    double[] cPrev = array(rnd, cPrevOff + state + slack(rnd), mixed(3));
    double[] h = array(rnd, hOff + state + slack(rnd), mixed(2));
    if (rnd.nextInt(3) == 0) {
      return new LstmForwardCase(batch, hidden, gates, gatesOff, cPrev, cPrevOff, cPrev, cPrevOff, h, hOff);
    }
    int cOff = offset(rnd);
    double[] c = array(rnd, cOff + state + slack(rnd), mixed(2));
    return new LstmForwardCase(batch, hidden, gates, gatesOff, cPrev, cPrevOff, c, cOff, h, hOff);
  }

  /** Random LSTM activations (i, f, o in (0, 1), g in (-1, 1)), states and gradients. */
  public static LstmBackwardCase lstmBackwardCase(Random rnd) {
    int batch = TestValues.positiveSize(rnd, 4);
    int hidden = size(rnd, 40);
    int state = batch * hidden;
    int gatesOff = offset(rnd);
    double[] gates = array(rnd, gatesOff + 4 * state + slack(rnd), uniform(0, 1));
    for (int b = 0; b < batch; b++) {
      for (int j = 0; j < hidden; j++) {
        gates[gatesOff + b * 4 * hidden + 2 * hidden + j] = (double) uniform(-1, 1).next(rnd);
      }
    }
    int cPrevOff = offset(rnd);
    int cOff = offset(rnd);
    int dhOff = offset(rnd);
    int dcOff = offset(rnd);
    int dGatesOff = offset(rnd);
    return new LstmBackwardCase(batch, hidden, gates, gatesOff,
        array(rnd, cPrevOff + state + slack(rnd), mixed(3)), cPrevOff,
        array(rnd, cOff + state + slack(rnd), mixed(3)), cOff,
        array(rnd, dhOff + state + slack(rnd), mixed(4)), dhOff,
        array(rnd, dcOff + state + slack(rnd), mixed(4)), dcOff,
        array(rnd, dGatesOff + 4 * state + slack(rnd), mixed(2)), dGatesOff);
  }

  /** Random GRU projections (up to +-16) and previous states. */
  public static GruForwardCase gruForwardCase(Random rnd) {
    int batch = TestValues.positiveSize(rnd, 4);
    int hidden = size(rnd, 40);
    int state = batch * hidden;
    int giOff = offset(rnd);
    int ghOff = offset(rnd);
    int hPrevOff = offset(rnd);
    int hOff = offset(rnd);
    return new GruForwardCase(batch, hidden,
        array(rnd, giOff + 3 * state + slack(rnd), mixed(3)), giOff,
        array(rnd, ghOff + 3 * state + slack(rnd), mixed(3)), ghOff,
        array(rnd, hPrevOff + state + slack(rnd), mixed(2)), hPrevOff,
        array(rnd, hOff + state + slack(rnd), mixed(2)), hOff);
  }

  /** Random GRU activations (r, z in (0, 1), n in (-1, 1)) and gradients; dhPrev is dh in one case of three. */
  public static GruBackwardCase gruBackwardCase(Random rnd) {
    int batch = TestValues.positiveSize(rnd, 4);
    int hidden = size(rnd, 40);
    int state = batch * hidden;
    int giOff = offset(rnd);
    double[] gi = array(rnd, giOff + 3 * state + slack(rnd), uniform(0, 1));
    for (int b = 0; b < batch; b++) {
      for (int j = 0; j < hidden; j++) {
        gi[giOff + b * 3 * hidden + 2 * hidden + j] = (double) uniform(-1, 1).next(rnd);
      }
    }
    int ghOff = offset(rnd);
    int hPrevOff = offset(rnd);
    int dhOff = offset(rnd);
    int dgiOff = offset(rnd);
    int dghOff = offset(rnd);
    double[] gh = array(rnd, ghOff + 3 * state + slack(rnd), mixed(3));
    double[] hPrev = array(rnd, hPrevOff + state + slack(rnd), mixed(2));
    double[] dh = array(rnd, dhOff + state + slack(rnd), mixed(4));
    double[] dgi = array(rnd, dgiOff + 3 * state + slack(rnd), mixed(2));
    double[] dgh = array(rnd, dghOff + 3 * state + slack(rnd), mixed(2));
    if (rnd.nextInt(3) == 0) {
      return new GruBackwardCase(batch, hidden, gi, giOff, gh, ghOff, hPrev, hPrevOff, dh, dhOff, dgi, dgiOff,
          dgh, dghOff, dh, dhOff);
    }
    int dhPrevOff = offset(rnd);
    return new GruBackwardCase(batch, hidden, gi, giOff, gh, ghOff, hPrev, hPrevOff, dh, dhOff, dgi, dgiOff,
        dgh, dghOff, array(rnd, dhPrevOff + state + slack(rnd), mixed(2)), dhPrevOff);
  }

  // ===============================================================================================================
  // Checks
  // ===============================================================================================================

  /** Activations within the map bounds; c and h within {@link ErrorBounds#lstmForward}, twice. */
  public static void checkLstmForward(DoubleKernels reference, DoubleKernels candidate, LstmForwardCase l) {
    String op = l.toString();
    Copies r = new Copies();
    Copies c = new Copies();
    reference.lstmForward(l.batch(), l.hidden(), r.of(l.gates()), l.gatesOff(), r.of(l.cPrev()), l.cPrevOff(),
        r.of(l.c()), l.cOff(), r.of(l.h()), l.hOff());
    candidate.lstmForward(l.batch(), l.hidden(), c.of(l.gates()), l.gatesOff(), c.of(l.cPrev()), l.cPrevOff(),
        c.of(l.c()), l.cOff(), c.of(l.h()), l.hOff());
    int hid = l.hidden();
    int state = l.batch() * hid;
    if (l.c() != l.cPrev()) {
      Checks.unchanged(op + ": cPrev", l.cPrev(), c.of(l.cPrev()));
    }
    Checks.unchangedOutside(op + ": gates", l.gates(), c.of(l.gates()), l.gatesOff(), l.gatesOff() + 4 * state);
    Checks.unchangedOutside(op + ": c", l.c(), c.of(l.c()), l.cOff(), l.cOff() + state);
    Checks.unchangedOutside(op + ": h", l.h(), c.of(l.h()), l.hOff(), l.hOff() + state);
    double[] gates = r.of(l.gates());
    for (int b = 0; b < l.batch(); b++) {
      int g = l.gatesOff() + b * 4 * hid;
      for (int j = 0; j < hid; j++) {
        String at = op + " [" + b + ", " + j + "] ";
        for (int q = 0; q < 4; q++) {
          int gi = g + q * hid + j;
          var bound = q == 2 ? EB.tanh(gates[gi]) : EB.sigmoid(gates[gi]);
          Checks.close(at + "gate " + "ifgo".charAt(q), gates[gi], c.of(l.gates())[gi], agreement(bound));
        }
        int s = b * hid + j;
        var bounds = EB.lstmForward(gates[g + j], gates[g + hid + j], gates[g + 2 * hid + j],
            gates[g + 3 * hid + j], l.cPrev()[l.cPrevOff() + s], r.of(l.c())[l.cOff() + s]);
        Checks.close(at + "c", r.of(l.c())[l.cOff() + s], c.of(l.c())[l.cOff() + s], agreement(bounds[0]));
        Checks.close(at + "h", r.of(l.h())[l.hOff() + s], c.of(l.h())[l.hOff() + s], agreement(bounds[1]));
      }
    }
  }

  /** Gate gradients and dcPrev within {@link ErrorBounds#lstmBackward}, twice. */
  public static void checkLstmBackward(DoubleKernels reference, DoubleKernels candidate, LstmBackwardCase l) {
    String op = l.toString();
    Copies r = new Copies();
    Copies c = new Copies();
    reference.lstmBackward(l.batch(), l.hidden(), r.of(l.gates()), l.gatesOff(), r.of(l.cPrev()), l.cPrevOff(),
        r.of(l.c()), l.cOff(), r.of(l.dh()), l.dhOff(), r.of(l.dc()), l.dcOff(), r.of(l.dGates()), l.dGatesOff());
    candidate.lstmBackward(l.batch(), l.hidden(), c.of(l.gates()), l.gatesOff(), c.of(l.cPrev()), l.cPrevOff(),
        c.of(l.c()), l.cOff(), c.of(l.dh()), l.dhOff(), c.of(l.dc()), l.dcOff(), c.of(l.dGates()), l.dGatesOff());
    int hid = l.hidden();
    int state = l.batch() * hid;
    Checks.unchanged(op + ": gates", l.gates(), c.of(l.gates()));
    Checks.unchanged(op + ": cPrev", l.cPrev(), c.of(l.cPrev()));
    Checks.unchanged(op + ": c", l.c(), c.of(l.c()));
    Checks.unchanged(op + ": dh", l.dh(), c.of(l.dh()));
    Checks.unchangedOutside(op + ": dc", l.dc(), c.of(l.dc()), l.dcOff(), l.dcOff() + state);
    Checks.unchangedOutside(op + ": dGates", l.dGates(), c.of(l.dGates()), l.dGatesOff(),
        l.dGatesOff() + 4 * state);
    for (int b = 0; b < l.batch(); b++) {
      int g = l.gatesOff() + b * 4 * hid;
      int dg = l.dGatesOff() + b * 4 * hid;
      for (int j = 0; j < hid; j++) {
        int s = b * hid + j;
        String at = op + " [" + b + ", " + j + "] ";
        var bounds = EB.lstmBackward(l.gates()[g + j], l.gates()[g + hid + j], l.gates()[g + 2 * hid + j],
            l.gates()[g + 3 * hid + j], l.cPrev()[l.cPrevOff() + s], l.c()[l.cOff() + s], l.dh()[l.dhOff() + s],
            l.dc()[l.dcOff() + s]);
        for (int q = 0; q < 4; q++) {
          int at2 = dg + q * hid + j;
          Checks.close(at + "d" + "ifgo".charAt(q), r.of(l.dGates())[at2], c.of(l.dGates())[at2],
              agreement(bounds[q]));
        }
        Checks.close(at + "dcPrev", r.of(l.dc())[l.dcOff() + s], c.of(l.dc())[l.dcOff() + s],
            agreement(bounds[4]));
      }
    }
  }

  /** Activations and h within {@link ErrorBounds#gruForward}, twice. */
  public static void checkGruForward(DoubleKernels reference, DoubleKernels candidate, GruForwardCase g) {
    String op = g.toString();
    Copies r = new Copies();
    Copies c = new Copies();
    reference.gruForward(g.batch(), g.hidden(), r.of(g.gi()), g.giOff(), r.of(g.gh()), g.ghOff(), r.of(g.hPrev()),
        g.hPrevOff(), r.of(g.h()), g.hOff());
    candidate.gruForward(g.batch(), g.hidden(), c.of(g.gi()), g.giOff(), c.of(g.gh()), g.ghOff(), c.of(g.hPrev()),
        g.hPrevOff(), c.of(g.h()), g.hOff());
    int hid = g.hidden();
    int state = g.batch() * hid;
    Checks.unchanged(op + ": gh", g.gh(), c.of(g.gh()));
    Checks.unchanged(op + ": hPrev", g.hPrev(), c.of(g.hPrev()));
    Checks.unchangedOutside(op + ": gi", g.gi(), c.of(g.gi()), g.giOff(), g.giOff() + 3 * state);
    Checks.unchangedOutside(op + ": h", g.h(), c.of(g.h()), g.hOff(), g.hOff() + state);
    for (int b = 0; b < g.batch(); b++) {
      int x = g.giOff() + b * 3 * hid;
      int y = g.ghOff() + b * 3 * hid;
      for (int j = 0; j < hid; j++) {
        int s = b * hid + j;
        String at = op + " [" + b + ", " + j + "] ";
        var bounds = EB.gruForward(g.gi()[x + j], g.gh()[y + j], g.gi()[x + hid + j], g.gh()[y + hid + j],
            g.gi()[x + 2 * hid + j], g.gh()[y + 2 * hid + j], g.hPrev()[g.hPrevOff() + s]);
        for (int q = 0; q < 3; q++) {
          int at2 = x + q * hid + j;
          Checks.close(at + "rzn".charAt(q), r.of(g.gi())[at2], c.of(g.gi())[at2], agreement(bounds[q]));
        }
        Checks.close(at + "h", r.of(g.h())[g.hOff() + s], c.of(g.h())[g.hOff() + s], agreement(bounds[3]));
      }
    }
  }

  /** dgi, dgh and dhPrev within {@link ErrorBounds#gruBackward}, twice. */
  public static void checkGruBackward(DoubleKernels reference, DoubleKernels candidate, GruBackwardCase g) {
    String op = g.toString();
    Copies r = new Copies();
    Copies c = new Copies();
    reference.gruBackward(g.batch(), g.hidden(), r.of(g.gi()), g.giOff(), r.of(g.gh()), g.ghOff(), r.of(g.hPrev()),
        g.hPrevOff(), r.of(g.dh()), g.dhOff(), r.of(g.dgi()), g.dgiOff(), r.of(g.dgh()), g.dghOff(),
        r.of(g.dhPrev()), g.dhPrevOff());
    candidate.gruBackward(g.batch(), g.hidden(), c.of(g.gi()), g.giOff(), c.of(g.gh()), g.ghOff(), c.of(g.hPrev()),
        g.hPrevOff(), c.of(g.dh()), g.dhOff(), c.of(g.dgi()), g.dgiOff(), c.of(g.dgh()), g.dghOff(),
        c.of(g.dhPrev()), g.dhPrevOff());
    int hid = g.hidden();
    int state = g.batch() * hid;
    Checks.unchanged(op + ": gi", g.gi(), c.of(g.gi()));
    Checks.unchanged(op + ": gh", g.gh(), c.of(g.gh()));
    Checks.unchanged(op + ": hPrev", g.hPrev(), c.of(g.hPrev()));
    if (g.dhPrev() != g.dh()) {
      Checks.unchanged(op + ": dh", g.dh(), c.of(g.dh()));
    }
    Checks.unchangedOutside(op + ": dgi", g.dgi(), c.of(g.dgi()), g.dgiOff(), g.dgiOff() + 3 * state);
    Checks.unchangedOutside(op + ": dgh", g.dgh(), c.of(g.dgh()), g.dghOff(), g.dghOff() + 3 * state);
    Checks.unchangedOutside(op + ": dhPrev", g.dhPrev(), c.of(g.dhPrev()), g.dhPrevOff(), g.dhPrevOff() + state);
    for (int b = 0; b < g.batch(); b++) {
      int x = g.giOff() + b * 3 * hid;
      int y = g.ghOff() + b * 3 * hid;
      int dx = g.dgiOff() + b * 3 * hid;
      int dy = g.dghOff() + b * 3 * hid;
      for (int j = 0; j < hid; j++) {
        int s = b * hid + j;
        String at = op + " [" + b + ", " + j + "] ";
        var bounds = EB.gruBackward(g.gi()[x + j], g.gi()[x + hid + j], g.gi()[x + 2 * hid + j],
            g.gh()[y + 2 * hid + j], g.hPrev()[g.hPrevOff() + s], g.dh()[g.dhOff() + s]);
        for (int q = 0; q < 3; q++) {
          Checks.close(at + "dgi " + "rzn".charAt(q), r.of(g.dgi())[dx + q * hid + j], c.of(g.dgi())[dx + q * hid + j],
              agreement(bounds[q]));
        }
        for (int q = 0; q < 3; q++) {
          Checks.close(at + "dgh " + "rzn".charAt(q), r.of(g.dgh())[dy + q * hid + j], c.of(g.dgh())[dy + q * hid + j],
              agreement(bounds[q == 2 ? 3 : q]));
        }
        Checks.close(at + "dhPrev", r.of(g.dhPrev())[g.dhPrevOff() + s], c.of(g.dhPrev())[g.dhPrevOff() + s],
            agreement(bounds[4]));
      }
    }
  }
}
