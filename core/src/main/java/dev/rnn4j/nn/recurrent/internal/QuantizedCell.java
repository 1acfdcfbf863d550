package dev.rnn4j.nn.recurrent.internal;

import dev.rnn4j.kernels.FloatKernels;
import dev.rnn4j.kernels.QuantizedKernels;
import dev.rnn4j.nn.QuantizedMatrix;
import dev.rnn4j.nn.recurrent.CellKind;
import dev.rnn4j.nn.recurrent.GRU;
import dev.rnn4j.nn.recurrent.LSTM;
import dev.rnn4j.nn.recurrent.QuantizedRecurrentLayer;

/**
 * One layer of a {@link QuantizedRecurrentLayer}: its quantized W_ih and W_hh, its float32 biases, and the arithmetic
 * of the input projection and of one recurrent step. The whole-sequence forward pass and the streaming step both run
 * through here, row for row the same kernel calls, so stepping through a sequence gives the forward pass's bits.
 *
 * <p>The cell math is the float layers' (the same fused pointwise kernels, the same bias folding): only the products
 * with the weights change.
 */
public final class QuantizedCell {

  private final CellKind kind;
  private final int input;
  private final int hidden;
  private final int gw;
  public final QuantizedMatrix wih;
  public final QuantizedMatrix whh;
  /** Added to the input projection: b_ih + b_hh, except the GRU's b_hn, which the reset gate multiplies. */
  private final float[] inputBias;
  /** GRU (reset after): (0, 0, b_hn), the bias of the recurrent product; null otherwise. */
  private final float[] recurrentBias;
  /** The layer's b_ih and b_hh as given (null without bias), kept for saving. */
  public final float[] bih;
  public final float[] bhh;

  public QuantizedCell(CellKind kind, int input, int hidden, QuantizedMatrix wih, QuantizedMatrix whh, float[] bih,
                float[] bhh) {
    this.kind = kind;
    this.input = input;
    this.hidden = hidden;
    this.gw = kind.gates() * hidden;
    this.wih = wih;
    this.whh = whh;
    this.inputBias = new float[gw];
    this.recurrentBias = kind == CellKind.GRU ? new float[gw] : null;
    this.bih = bih == null ? null : bih.clone();
    this.bhh = bhh == null ? null : bhh.clone();
    if (bih != null) {
      for (int j = 0; j < gw; j++) {
        boolean hn = kind == CellKind.GRU && j >= 2 * hidden;
        // the same float additions as the float engine's folded bias
        inputBias[j] = hn ? bih[j] : bih[j] + bhh[j];
        if (hn) {
          recurrentBias[j] = bhh[j];
        }
      }
    }
  }

  /**
   * Where W_hh's packed row blocks start: the GRU with the reset gate before the product multiplies the rows of r
   * and z, then on their own the candidate's (row 2H, not in general a multiple of the panel width); every other
   * cell multiplies all rows at once.
   */
  public static int[] recurrentBlocks(CellKind kind, int hidden) {
    return kind == CellKind.GRU_RESET_BEFORE ? new int[] {2 * hidden} : new int[0];
  }

  /** Scratch of one step for up to {@code batch} rows. */
  public static final class Scratch {
    final float[] ghs;
    final float[] rh;
    final float[] tmp;

    public Scratch(CellKind kind, int hidden, int batch) {
      this.ghs = new float[kind == CellKind.GRU ? batch * kind.gates() * hidden : 0];
      this.rh = new float[kind == CellKind.GRU_RESET_BEFORE ? batch * hidden : 0];
      this.tmp = new float[hidden];
    }
  }

  /** gates[rows, G*H] = x[rows, I] W_ih^T + input bias. */
  public void project(FloatKernels f, QuantizedKernels q, int rows, float[] x, int xOff, float[] gates, int gOff) {
    for (int r = 0; r < rows; r++) {
      f.copy(gw, inputBias, 0, gates, gOff + r * gw);
    }
    wih.multiply(q, rows, x, xOff, input, 0, gw, 1, gates, gOff, gw);
  }

  /**
   * The recurrent part of one step for n rows whose input projection is in {@code gates}: the product with W_hh and
   * the pointwise math. As the float engine's step, {@code c} may be the same range as {@code cPrev}; h must not
   * overlap hPrev.
   */
  public void step(FloatKernels f, QuantizedKernels q, int n, float[] gates, int g, Scratch s,
            float[] hPrev, int hp, float[] cPrev, int cp, float[] h, int ho, float[] c, int co) {
    int hd = hidden;
    switch (kind) {
      case RNN_TANH, RNN_RELU -> {
        whh.multiply(q, n, hPrev, hp, hd, 0, hd, 1, gates, g, gw);
        if (kind == CellKind.RNN_TANH) {
          f.tanh(n * hd, gates, g, h, ho);
        } else {
          f.relu(n * hd, gates, g, h, ho);
        }
      }
      case LSTM -> {
        whh.multiply(q, n, hPrev, hp, hd, 0, gw, 1, gates, g, gw);
        f.lstmForward(n, hd, gates, g, cPrev, cp, c, co, h, ho);
      }
      case GRU -> {
        for (int r = 0; r < n; r++) {
          f.copy(gw, recurrentBias, 0, s.ghs, r * gw);
        }
        whh.multiply(q, n, hPrev, hp, hd, 0, gw, 1, s.ghs, 0, gw);
        f.gruForward(n, hd, gates, g, s.ghs, 0, hPrev, hp, h, ho);
      }
      case GRU_RESET_BEFORE -> {
        whh.multiply(q, n, hPrev, hp, hd, 0, 2 * hd, 1, gates, g, gw);
        for (int r = 0; r < n; r++) {
          int row = g + r * gw;
          f.sigmoid(2 * hd, gates, row, gates, row);
          f.mul(hd, gates, row, hPrev, hp + r * hd, s.rh, r * hd); // r * h_(t-1)
        }
        whh.multiply(q, n, s.rh, 0, hd, 2 * hd, hd, 1, gates, g + 2 * hd, gw);
        for (int r = 0; r < n; r++) {
          int row = g + r * gw;
          f.tanh(hd, gates, row + 2 * hd, gates, row + 2 * hd);
          // h = (1 - z) n + z h' = n + z (h' - n)
          f.sub(hd, hPrev, hp + r * hd, gates, row + 2 * hd, s.tmp, 0);
          f.mul(hd, gates, row + hd, s.tmp, 0, s.tmp, 0);
          f.add(hd, gates, row + 2 * hd, s.tmp, 0, h, ho + r * hd);
        }
      }
      default -> throw new AssertionError(kind);
    }
  }

  public long storageBytes() {
    return wih.storageBytes() + whh.storageBytes() + 4L * (inputBias.length
        + (recurrentBias == null ? 0 : recurrentBias.length));
  }
}
