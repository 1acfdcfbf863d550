package dev.rnn4j.kernels.simd;

// Generated from PanamaDoubleRecurrent.java by PrecisionGenerator. Edit that file and regenerate; do not edit this one.

import static dev.rnn4j.kernels.simd.PanamaFloatMaps.add;
import static dev.rnn4j.kernels.simd.PanamaFloatMaps.mul;
import static dev.rnn4j.kernels.simd.PanamaFloatMath.sigmoid;
import static dev.rnn4j.kernels.simd.PanamaFloatMath.tanh;
import static dev.rnn4j.kernels.simd.PanamaFloatSpecies.LANES;
import static dev.rnn4j.kernels.simd.PanamaFloatSpecies.SPECIES;

import jdk.incubator.vector.FloatVector;

/**
 * The fused recurrent pointwise kernels in float32: one LSTM or GRU time step for a whole batch, forward and
 * backward, after the GEMMs. The transcendental activations go through the array loops of {@link PanamaFloatMath}
 * (see there on inlining), the rest is written out here, so every element gets the bits of the one-pass formula.
 */
final class PanamaFloatRecurrent {

  private PanamaFloatRecurrent() {}

  /**
   * Per batch row: the activations in place with the map kernels (i and f are adjacent, so one sigmoid covers
   * both), then c, then {@code h = o * tanh(c)} as tanh into h and a product. Every element gets the bits of the
   * one-pass formula (the maps give the same bits in vector lanes and tails); the passes keep each
   * transcendental loop in its own method (see {@link PanamaFloatMath} on inlining). The rows are in L1.
   */
  static void lstmForward(int batch, int hidden, float[] gates, int gatesOff, float[] cPrev, int cPrevOff,
                          float[] c, int cOff, float[] h, int hOff) {
    int bound = SPECIES.loopBound(hidden);
    for (int b = 0; b < batch; b++) {
      int g = gatesOff + b * 4 * hidden;
      int s = b * hidden;
      sigmoid(2 * hidden, gates, g, gates, g);
      tanh(hidden, gates, g + 2 * hidden, gates, g + 2 * hidden);
      sigmoid(hidden, gates, g + 3 * hidden, gates, g + 3 * hidden);
      int j = 0;
      for (; j < bound; j += LANES) {
        FloatVector i = FloatVector.fromArray(SPECIES, gates, g + j);
        FloatVector f = FloatVector.fromArray(SPECIES, gates, g + hidden + j);
        FloatVector gg = FloatVector.fromArray(SPECIES, gates, g + 2 * hidden + j);
        f.mul(FloatVector.fromArray(SPECIES, cPrev, cPrevOff + s + j)).add(i.mul(gg)).intoArray(c, cOff + s + j);
      }
      for (; j < hidden; j++) {
        c[cOff + s + j] = gates[g + hidden + j] * cPrev[cPrevOff + s + j] + gates[g + j] * gates[g + 2 * hidden + j];
      }
      tanh(hidden, c, cOff + s, h, hOff + s);
      mul(hidden, gates, g + 3 * hidden, h, hOff + s, h, hOff + s);
    }
  }

  static void lstmBackward(PanamaFloatScratch scratch, int batch, int hidden, float[] gates, int gatesOff,
                           float[] cPrev, int cPrevOff, float[] c, int cOff, float[] dh, int dhOff, float[] dc,
                           int dcOff, float[] dGates, int dGatesOff) {
    int bound = SPECIES.loopBound(hidden);
    // tanh(c) of a row with the map kernel (see PanamaFloatMath on inlining) into scratch, not into dGates: dGates
    // may be the same range as gates, whose o block is still to be read.
    float[] tcRow = scratch.get().vec(hidden);
    for (int b = 0; b < batch; b++) {
      int g = gatesOff + b * 4 * hidden;
      int dg = dGatesOff + b * 4 * hidden;
      int s = b * hidden;
      tanh(hidden, c, cOff + s, tcRow, 0);
      int j = 0;
      for (; j < bound; j += LANES) {
        FloatVector i = FloatVector.fromArray(SPECIES, gates, g + j);
        FloatVector f = FloatVector.fromArray(SPECIES, gates, g + hidden + j);
        FloatVector gg = FloatVector.fromArray(SPECIES, gates, g + 2 * hidden + j);
        FloatVector o = FloatVector.fromArray(SPECIES, gates, g + 3 * hidden + j);
        FloatVector tc = FloatVector.fromArray(SPECIES, tcRow, j);
        FloatVector dhv = FloatVector.fromArray(SPECIES, dh, dhOff + s + j);
        FloatVector dcTotal = FloatVector.fromArray(SPECIES, dc, dcOff + s + j)
            .add(dhv.mul(o).mul(tc.mul(tc).neg().add(1.0f)));
        dcTotal.mul(gg).mul(i).mul(i.neg().add(1.0f)).intoArray(dGates, dg + j);
        dcTotal.mul(FloatVector.fromArray(SPECIES, cPrev, cPrevOff + s + j)).mul(f).mul(f.neg().add(1.0f))
            .intoArray(dGates, dg + hidden + j);
        dcTotal.mul(i).mul(gg.mul(gg).neg().add(1.0f)).intoArray(dGates, dg + 2 * hidden + j);
        dhv.mul(tc).mul(o).mul(o.neg().add(1.0f)).intoArray(dGates, dg + 3 * hidden + j);
        dcTotal.mul(f).intoArray(dc, dcOff + s + j);
      }
      for (; j < hidden; j++) {
        int q = s + j;
        float i = gates[g + j];
        float f = gates[g + hidden + j];
        float gg = gates[g + 2 * hidden + j];
        float o = gates[g + 3 * hidden + j];
        float tc = tcRow[j];
        float dhv = dh[dhOff + q];
        float dcTotal = dc[dcOff + q] + dhv * o * (1 - tc * tc);
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
  static void gruForward(int batch, int hidden, float[] gi, int giOff, float[] gh, int ghOff,
                         float[] hPrev, int hPrevOff, float[] h, int hOff) {
    int bound = SPECIES.loopBound(hidden);
    for (int b = 0; b < batch; b++) {
      int x = giOff + b * 3 * hidden;
      int y = ghOff + b * 3 * hidden;
      int s = b * hidden;
      add(2 * hidden, gi, x, gh, y, gi, x);
      sigmoid(2 * hidden, gi, x, gi, x);
      int j = 0;
      for (; j < bound; j += LANES) {
        FloatVector r = FloatVector.fromArray(SPECIES, gi, x + j);
        FloatVector.fromArray(SPECIES, gi, x + 2 * hidden + j)
            .add(r.mul(FloatVector.fromArray(SPECIES, gh, y + 2 * hidden + j))).intoArray(gi, x + 2 * hidden + j);
      }
      for (; j < hidden; j++) {
        gi[x + 2 * hidden + j] = gi[x + 2 * hidden + j] + gi[x + j] * gh[y + 2 * hidden + j];
      }
      tanh(hidden, gi, x + 2 * hidden, gi, x + 2 * hidden);
      j = 0;
      for (; j < bound; j += LANES) {
        FloatVector z = FloatVector.fromArray(SPECIES, gi, x + hidden + j);
        FloatVector nn = FloatVector.fromArray(SPECIES, gi, x + 2 * hidden + j);
        z.neg().add(1.0f).mul(nn).add(z.mul(FloatVector.fromArray(SPECIES, hPrev, hPrevOff + s + j)))
            .intoArray(h, hOff + s + j);
      }
      for (; j < hidden; j++) {
        float z = gi[x + hidden + j];
        h[hOff + s + j] = (1 - z) * gi[x + 2 * hidden + j] + z * hPrev[hPrevOff + s + j];
      }
    }
  }

  static void gruBackward(int batch, int hidden, float[] gi, int giOff, float[] gh, int ghOff,
                          float[] hPrev, int hPrevOff, float[] dh, int dhOff,
                          float[] dgi, int dgiOff, float[] dgh, int dghOff, float[] dhPrev, int dhPrevOff) {
    int bound = SPECIES.loopBound(hidden);
    for (int b = 0; b < batch; b++) {
      int x = giOff + b * 3 * hidden;
      int y = ghOff + b * 3 * hidden;
      int dx = dgiOff + b * 3 * hidden;
      int dy = dghOff + b * 3 * hidden;
      int s = b * hidden;
      int j = 0;
      for (; j < bound; j += LANES) {
        FloatVector r = FloatVector.fromArray(SPECIES, gi, x + j);
        FloatVector z = FloatVector.fromArray(SPECIES, gi, x + hidden + j);
        FloatVector nn = FloatVector.fromArray(SPECIES, gi, x + 2 * hidden + j);
        FloatVector dhv = FloatVector.fromArray(SPECIES, dh, dhOff + s + j);
        FloatVector oneMinusZ = z.neg().add(1.0f);
        FloatVector dn = dhv.mul(oneMinusZ).mul(nn.mul(nn).neg().add(1.0f));
        FloatVector dz = dhv.mul(FloatVector.fromArray(SPECIES, hPrev, hPrevOff + s + j).sub(nn))
            .mul(z).mul(oneMinusZ);
        FloatVector dr = dn.mul(FloatVector.fromArray(SPECIES, gh, y + 2 * hidden + j)).mul(r)
            .mul(r.neg().add(1.0f));
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
        float r = gi[x + j];
        float z = gi[x + hidden + j];
        float nn = gi[x + 2 * hidden + j];
        float dhv = dh[dhOff + q];
        float dn = dhv * (1 - z) * (1 - nn * nn);
        float dz = dhv * (hPrev[hPrevOff + q] - nn) * z * (1 - z);
        float dr = dn * gh[y + 2 * hidden + j] * r * (1 - r);
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
