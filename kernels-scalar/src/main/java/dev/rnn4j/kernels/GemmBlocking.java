package dev.rnn4j.kernels;

/**
 * The cache blocking of a packed GEMM, derived from the machine's caches instead of constants tuned on one CPU, in the
 * spirit of the analytical model for BLIS (Low, Igual, Smith and Quintana-Ortí, "Analytical Modeling Is Enough for
 * High-Performance BLIS", ACM TOMS 43(2), 2016).
 *
 * <h2>The loops this blocking is for</h2>
 * For each block of {@code nc} columns of B and {@code kc} of its rows, B is packed into panels of {@code nr}
 * columns (the vector side of the micro-tile: {@code nv} vectors of {@code lanes} elements); for each group of
 * {@code mr} rows of A (the broadcast side) the micro-kernel multiplies the group's {@code mr x kc} micro-panel of A
 * with every B panel of the block. This is BLIS's loop nest with the roles of A and B exchanged (BLIS broadcasts
 * B and vectorises A); the reuse is the same:
 * <ul>
 *   <li>the A micro-panel ({@code mr * kc} elements) is read once from L2 or memory and reused from L1 for every
 *       panel of the block: it must stay in L1 while B panels stream past it;</li>
 *   <li>the packed B block ({@code kc * nc}) is reused for every group of rows: it must stay in L2;</li>
 *   <li>each B panel ({@code kc * nr}) streams from L2 once per group of rows.</li>
 * </ul>
 *
 * <h2>The rules</h2>
 * With e the element size in bytes:
 * <ol>
 *   <li><b>k block</b>: the largest multiple of 16 with the A micro-panel {@code mr * kc * e} at most half of L1d
 *       (the other half holds the B lines in flight, the C tile at merge time and the stack; a quarter was measured
 *       3-4% slower for dgemm on a 32 KiB L1d, where it gives k blocks of 160 instead of 256), and the B panel
 *       {@code kc * nr * e} at most a sixteenth of L2, so that a B block of half of L2 holds at least eight panels
 *       and each A micro-panel is reused at least eight times per fetch. Longer k blocks also merge C less often
 *       (once per kc multiply-adds), so the largest block that meets both bounds is taken; at least 32.</li>
 *   <li><b>column block</b>: the largest multiple of nr with the B block {@code kc * nc * e} at most half of L2 (the
 *       other half holds the A rows read in place and the C tiles), at least nr.</li>
 *   <li>Rows of A are not blocked: the A rows of one k block are read in place (strided, so a transposed A costs
 *       nothing) once per column block, from L3 when they fit.</li>
 * </ol>
 * On a 48 KiB L1d / 1 MiB L2 core with 512-bit vectors and the 6 x 4-vector tile these rules give kc = 256 and a
 * 512 KiB B block in both precisions: the values that were measured best there (k blocks of 96 and 128 were 3-23%
 * slower), and on a 32 KiB / 1 MiB core (Zen 4) too, where 128 and 160 measured 3-6% slower; a 48 KiB / 2 MiB core
 * gets kc = 512 in both precisions (not measured there yet).
 *
 * @param mr rows of the micro-tile (broadcast side)
 * @param nr columns of the micro-tile (vector side): vectors times lanes
 * @param kc depth of one k block
 * @param nc columns of one packed B block, a multiple of nr
 * @param elementBytes bytes per element (4 or 8)
 * @param caches the caches the blocking was derived from
 * @param forced kc or nc was set by a diagnostic system property instead of derived
 */
public record GemmBlocking(int mr, int nr, int kc, int nc, int elementBytes, CacheHierarchy caches, boolean forced) {

  /** The k block is a multiple of this (the micro-kernels unroll k by up to 8; 16 keeps rows line-aligned). */
  static final int KC_STEP = 16;
  /** The smallest k block: shorter ones spend more on merging C tiles than on multiply-adds. */
  static final int KC_MIN = 32;

  public GemmBlocking {
    if (mr <= 0 || nr <= 0 || kc <= 0 || nc <= 0 || nc % nr != 0) {
      throw new IllegalArgumentException("GemmBlocking: mr, nr, kc, nc must be positive with nc a multiple of nr,"
          + " got mr " + mr + ", nr " + nr + ", kc " + kc + ", nc " + nc);
    }
  }

  /**
   * The blocking for a micro-tile of {@code mr} rows by {@code nv} vectors of {@code lanes} elements of
   * {@code elementBytes} bytes, on the given caches (the rules in the class comment).
   */
  public static GemmBlocking derive(CacheHierarchy caches, int elementBytes, int lanes, int mr, int nv) {
    if (elementBytes <= 0 || lanes <= 0 || mr <= 0 || nv <= 0) {
      throw new IllegalArgumentException("GemmBlocking.derive: elementBytes, lanes, mr, nv must be positive, got "
          + elementBytes + ", " + lanes + ", " + mr + ", " + nv);
    }
    int nr = nv * lanes;
    long byL1 = caches.l1dBytes() / 2 / ((long) mr * elementBytes);
    long byL2 = caches.l2Bytes() / 16 / ((long) nr * elementBytes);
    long kc = Math.max(KC_MIN, Math.min(byL1, byL2) / KC_STEP * KC_STEP);
    long nc = Math.max(nr, caches.l2Bytes() / 2 / (kc * elementBytes) / nr * nr);
    return new GemmBlocking(mr, nr, (int) kc, (int) Math.min(nc, Integer.MAX_VALUE / 2 / nr * nr), elementBytes,
        caches, false);
  }

  /**
   * The column block for a product of depth {@code k}: {@link #nc()} when k fills a k block; a shallower product's B
   * block ({@code k} rows) gets the same budget as a full one ({@code kc * nc} elements, half of L2), so more columns
   * fit and the A rows are read fewer times. Column blocks only split the columns of C, so they change no result bit.
   * (Measured on a 32 KiB / 1 MiB core: the input projection M=3200 K=128 N=1024 ran 3-5% faster with one column
   * block of 1024 than with two of 512.)
   */
  public int ncFor(int k) {
    if (k >= kc) {
      return nc;
    }
    long cols = (long) kc * nc / Math.max(1, k) / nr * nr;
    return (int) Math.min(cols, Integer.MAX_VALUE / 2 / nr * nr);
  }

  /** Diagnostic system property that overrides the derived k block (for measuring the model against other values). */
  public static final String KC_PROPERTY = "rnn4j.gemm.kc";
  /** Diagnostic system property that overrides the derived column block. */
  public static final String NC_PROPERTY = "rnn4j.gemm.nc";

  /**
   * {@link #derive} on this machine's caches, then the diagnostic overrides {@value #KC_PROPERTY} and
   * {@value #NC_PROPERTY} if set (a positive multiple of 16, and of nr, respectively). They exist so that a benchmark
   * can compare the derived blocks with others in one build; {@link #describe()} says when a value was forced.
   *
   * @throws IllegalArgumentException when an override is not a number or breaks its rule
   */
  public static GemmBlocking forThisMachine(int elementBytes, int lanes, int mr, int nv) {
    GemmBlocking b = derive(CacheHierarchy.detected(), elementBytes, lanes, mr, nv);
    int kc = override(KC_PROPERTY, b.kc, KC_STEP);
    int nc = override(NC_PROPERTY, b.nc, b.nr);
    return kc == b.kc && nc == b.nc ? b : new GemmBlocking(mr, b.nr, kc, nc, elementBytes, b.caches, true);
  }

  private static int override(String property, int derived, int multipleOf) {
    String v = System.getProperty(property);
    if (v == null || v.isBlank()) {
      return derived;
    }
    int n;
    try {
      n = Integer.parseInt(v.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("-D" + property + ": '" + v + "' is not a number", e);
    }
    if (n <= 0 || n % multipleOf != 0) {
      throw new IllegalArgumentException("-D" + property + "=" + v + ": expected a positive multiple of " + multipleOf
          + " (derived here: " + derived + ")");
    }
    return n;
  }

  /** One line for {@code KernelInfo} and benchmark reports. */
  public String describe() {
    return "micro-tile " + mr + " x " + nr + ", k block " + kc + " (A micro-panel " + kib(mr * kc) + " of L1d "
        + caches.l1dBytes() / 1024 + " KiB, B panel " + kib(kc * nr) + "), column block " + nc + " (B block "
        + kib((long) kc * nc) + " of L2 " + caches.l2Bytes() / 1024 + " KiB)"
        + (forced ? " [forced by -D" + KC_PROPERTY + " / -D" + NC_PROPERTY + "]" : "");
  }

  private String kib(long elements) {
    double k = elements * (double) elementBytes / 1024;
    return (k == Math.rint(k) ? String.valueOf((long) k) : String.format(java.util.Locale.ROOT, "%.1f", k)) + " KiB";
  }
}
