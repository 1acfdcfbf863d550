package dev.rnn4j.kernels.simd;

// rnn4j:generate-float

import static dev.rnn4j.kernels.simd.PanamaDoubleMaps.add;
import static dev.rnn4j.kernels.simd.PanamaDoubleMaps.mul;
import static dev.rnn4j.kernels.simd.PanamaDoubleMath.sigmoid;
import static dev.rnn4j.kernels.simd.PanamaDoubleMath.tanh;
import static dev.rnn4j.kernels.simd.PanamaDoubleSpecies.LANES;
import static dev.rnn4j.kernels.simd.PanamaDoubleSpecies.SPECIES;

import jdk.incubator.vector.DoubleVector;

/**
 * The fused recurrent pointwise kernels in float64: one LSTM or GRU time step for a whole batch, forward and
 * backward, after the GEMMs. The transcendental activations go through the array loops of {@link PanamaDoubleMath}
 * (see there on inlining), the rest is written out here, so every element gets the bits of the one-pass formula.
 */
final class PanamaDoubleRecurrent {

  private PanamaDoubleRecurrent() {}

  /**
   * Per batch row: the activations in place with the map kernels (i and f are adjacent, so one sigmoid covers
   * both), then c, then {@code h = o * tanh(c)} as tanh into h and a product. Every element gets the bits of the
   * one-pass formula (the maps give the same bits in vector lanes and tails); the passes keep each
   * transcendental loop in its own method (see {@link PanamaDoubleMath} on inlining). The rows are in L1.
   */
  static void lstmForward(int batch, int hidden, double[] gates, int gatesOff, double[] cPrev, int cPrevOff,
                          double[] c, int cOff, double[] h, int hOff) {
    int bound = SPECIES.loopBound(hidden);
    for (int b = 0; b < batch; b++) {
      int g = gatesOff + b * 4 * hidden;
      int s = b * hidden;
      sigmoid(2 * hidden, gates, g, gates, g);
      tanh(hidden, gates, g + 2 * hidden, gates, g + 2 * hidden);
      sigmoid(hidden, gates, g + 3 * hidden, gates, g + 3 * hidden);
      int j = 0;
      for (; j < bound; j += LANES) {
        DoubleVector i = DoubleVector.fromArray(SPECIES, gates, g + j);
        DoubleVector f = DoubleVector.fromArray(SPECIES, gates, g + hidden + j);
        DoubleVector gg = DoubleVector.fromArray(SPECIES, gates, g + 2 * hidden + j);
        f.mul(DoubleVector.fromArray(SPECIES, cPrev, cPrevOff + s + j)).add(i.mul(gg)).intoArray(c, cOff + s + j);
      }
      for (; j < hidden; j++) {
        c[cOff + s + j] = gates[g + hidden + j] * cPrev[cPrevOff + s + j] + gates[g + j] * gates[g + 2 * hidden + j];
      }
      tanh(hidden, c, cOff + s, h, hOff + s);
      mul(hidden, gates, g + 3 * hidden, h, hOff + s, h, hOff + s);
    }
  }

  static void lstmBackward(PanamaDoubleScratch scratch, int batch, int hidden, double[] gates, int gatesOff,
                           double[] cPrev, int cPrevOff, double[] c, int cOff, double[] dh, int dhOff, double[] dc,
                           int dcOff, double[] dGates, int dGatesOff) {
    int bound = SPECIES.loopBound(hidden);
    // tanh(c) of a row with the map kernel (see PanamaDoubleMath on inlining) into scratch, not into dGates: dGates
    // may be the same range as gates, whose o block is still to be read.
    double[] tcRow = scratch.get().vec(hidden);
    for (int b = 0; b < batch; b++) {
      int g = gatesOff + b * 4 * hidden;
      int dg = dGatesOff + b * 4 * hidden;
      int s = b * hidden;
      tanh(hidden, c, cOff + s, tcRow, 0);
      int j = 0;
      for (; j < bound; j += LANES) {
        DoubleVector i = DoubleVector.fromArray(SPECIES, gates, g + j);
        DoubleVector f = DoubleVector.fromArray(SPECIES, gates, g + hidden + j);
        DoubleVector gg = DoubleVector.fromArray(SPECIES, gates, g + 2 * hidden + j);
        DoubleVector o = DoubleVector.fromArray(SPECIES, gates, g + 3 * hidden + j);
        DoubleVector tc = DoubleVector.fromArray(SPECIES, tcRow, j);
        DoubleVector dhv = DoubleVector.fromArray(SPECIES, dh, dhOff + s + j);
        DoubleVector dcTotal = DoubleVector.fromArray(SPECIES, dc, dcOff + s + j)
            .add(dhv.mul(o).mul(tc.mul(tc).neg().add(1.0)));
        dcTotal.mul(gg).mul(i).mul(i.neg().add(1.0)).intoArray(dGates, dg + j);
        dcTotal.mul(DoubleVector.fromArray(SPECIES, cPrev, cPrevOff + s + j)).mul(f).mul(f.neg().add(1.0))
            .intoArray(dGates, dg + hidden + j);
        dcTotal.mul(i).mul(gg.mul(gg).neg().add(1.0)).intoArray(dGates, dg + 2 * hidden + j);
        dhv.mul(tc).mul(o).mul(o.neg().add(1.0)).intoArray(dGates, dg + 3 * hidden + j);
        dcTotal.mul(f).intoArray(dc, dcOff + s + j);
      }
      for (; j < hidden; j++) {
        int q = s + j;
        double i = gates[g + j];
        double f = gates[g + hidden + j];
        double gg = gates[g + 2 * hidden + j];
        double o = gates[g + 3 * hidden + j];
        double tc = tcRow[j];
        double dhv = dh[dhOff + q];
        double dcTotal = dc[dcOff + q] + dhv * o * (1 - tc * tc);
        dGates[dg + j] = dcTotal * gg * i * (1 - i);
        dGates[dg + hidden + j] = dcTotal * cPrev[cPrevOff + q] * f * (1 - f);
        dGates[dg + 2 * hidden + j] = dcTotal * i * (1 - gg * gg);
        dGates[dg + 3 * hidden + j] = dhv * tc * o * (1 - o);
        dc[dcOff + q] = dcTotal * f;
      }
    }
  }

  /**
   * Per batch row, in passes as in {@link #lstmForward}: r and z (adjacent) by an add and one sigmoid in place,
   * the n pre-activation, tanh in place, then h. Every element gets the bits of the one-pass formula.
   */
  static void gruForward(int batch, int hidden, double[] gi, int giOff, double[] gh, int ghOff,
                         double[] hPrev, int hPrevOff, double[] h, int hOff) {
    int bound = SPECIES.loopBound(hidden);
    for (int b = 0; b < batch; b++) {
      int x = giOff + b * 3 * hidden;
      int y = ghOff + b * 3 * hidden;
      int s = b * hidden;
      add(2 * hidden, gi, x, gh, y, gi, x);
      sigmoid(2 * hidden, gi, x, gi, x);
      int j = 0;
      for (; j < bound; j += LANES) {
        DoubleVector r = DoubleVector.fromArray(SPECIES, gi, x + j);
        DoubleVector.fromArray(SPECIES, gi, x + 2 * hidden + j)
            .add(r.mul(DoubleVector.fromArray(SPECIES, gh, y + 2 * hidden + j))).intoArray(gi, x + 2 * hidden + j);
      }
      for (; j < hidden; j++) {
        gi[x + 2 * hidden + j] = gi[x + 2 * hidden + j] + gi[x + j] * gh[y + 2 * hidden + j];
      }
      tanh(hidden, gi, x + 2 * hidden, gi, x + 2 * hidden);
      j = 0;
      for (; j < bound; j += LANES) {
        DoubleVector z = DoubleVector.fromArray(SPECIES, gi, x + hidden + j);
        DoubleVector nn = DoubleVector.fromArray(SPECIES, gi, x + 2 * hidden + j);
        z.neg().add(1.0).mul(nn).add(z.mul(DoubleVector.fromArray(SPECIES, hPrev, hPrevOff + s + j)))
            .intoArray(h, hOff + s + j);
      }
      for (; j < hidden; j++) {
        double z = gi[x + hidden + j];
        h[hOff + s + j] = (1 - z) * gi[x + 2 * hidden + j] + z * hPrev[hPrevOff + s + j];
      }
    }
  }

  static void gruBackward(int batch, int hidden, double[] gi, int giOff, double[] gh, int ghOff,
                          double[] hPrev, int hPrevOff, double[] dh, int dhOff,
                          double[] dgi, int dgiOff, double[] dgh, int dghOff, double[] dhPrev, int dhPrevOff) {
    int bound = SPECIES.loopBound(hidden);
    for (int b = 0; b < batch; b++) {
      int x = giOff + b * 3 * hidden;
      int y = ghOff + b * 3 * hidden;
      int dx = dgiOff + b * 3 * hidden;
      int dy = dghOff + b * 3 * hidden;
      int s = b * hidden;
      int j = 0;
      for (; j < bound; j += LANES) {
        DoubleVector r = DoubleVector.fromArray(SPECIES, gi, x + j);
        DoubleVector z = DoubleVector.fromArray(SPECIES, gi, x + hidden + j);
        DoubleVector nn = DoubleVector.fromArray(SPECIES, gi, x + 2 * hidden + j);
        DoubleVector dhv = DoubleVector.fromArray(SPECIES, dh, dhOff + s + j);
        DoubleVector oneMinusZ = z.neg().add(1.0);
        DoubleVector dn = dhv.mul(oneMinusZ).mul(nn.mul(nn).neg().add(1.0));
        DoubleVector dz = dhv.mul(DoubleVector.fromArray(SPECIES, hPrev, hPrevOff + s + j).sub(nn))
            .mul(z).mul(oneMinusZ);
        DoubleVector dr = dn.mul(DoubleVector.fromArray(SPECIES, gh, y + 2 * hidden + j)).mul(r)
            .mul(r.neg().add(1.0));
        dr.intoArray(dgi, dx + j);
        dz.intoArray(dgi, dx + hidden + j);
        dn.intoArray(dgi, dx + 2 * hidden + j);
        dr.intoArray(dgh, dy + j);
        dz.intoArray(dgh, dy + hidden + j);
        dn.mul(r).intoArray(dgh, dy + 2 * hidden + j);
        dhv.mul(z).intoArray(dhPrev, dhPrevOff + s + j);
      }
      for (; j < hidden; j++) {
        int q = s + j;
        double r = gi[x + j];
        double z = gi[x + hidden + j];
        double nn = gi[x + 2 * hidden + j];
        double dhv = dh[dhOff + q];
        double dn = dhv * (1 - z) * (1 - nn * nn);
        double dz = dhv * (hPrev[hPrevOff + q] - nn) * z * (1 - z);
        double dr = dn * gh[y + 2 * hidden + j] * r * (1 - r);
        dgi[dx + j] = dr;
        dgi[dx + hidden + j] = dz;
        dgi[dx + 2 * hidden + j] = dn;
        dgh[dy + j] = dr;
        dgh[dy + hidden + j] = dz;
        dgh[dy + 2 * hidden + j] = dn * r;
        dhPrev[dhPrevOff + q] = dhv * z;
      }
    }
  }

}
