package dev.rnn4j.nn.recurrent;

import java.util.ArrayList;
import java.util.List;

/** Outputs and gradients of one run of a recurrent stack, in float64 whatever precision produced them. */
final class RunnerResult {
  double[] out;
  double[] hN;
  double[] cN;
  double[] dx;
  double[] dh0;
  double[] dc0;
  double[][] dWih;
  double[][] dWhh;
  double[][] dbih;
  double[][] dbhh;
  double[][] dWhr; // null without a projection
  double[][] dPeep; // null without peepholes

  /** Every gradient array with a name, for messages. */
  List<Named> gradients() {
    List<Named> g = new ArrayList<>();
    g.add(new Named("input", dx));
    g.add(new Named("h0", dh0));
    if (dc0 != null) {
      g.add(new Named("c0", dc0));
    }
    for (int i = 0; i < dWih.length; i++) {
      g.add(new Named("weight_ih[" + i + "]", dWih[i]));
      g.add(new Named("weight_hh[" + i + "]", dWhh[i]));
      if (dbih[i] != null) {
        g.add(new Named("bias_ih[" + i + "]", dbih[i]));
        g.add(new Named("bias_hh[" + i + "]", dbhh[i]));
      }
      if (dWhr != null) {
        g.add(new Named("weight_hr[" + i + "]", dWhr[i]));
      }
      if (dPeep != null) {
        g.add(new Named("weight_peephole[" + i + "]", dPeep[i]));
      }
    }
    return g;
  }

  record Named(String name, double[] values) {}
}
