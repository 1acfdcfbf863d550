package dev.rnn4j.kernels;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Chooses the kernel implementation once per JVM and logs the choice.
 *
 * <p>The system property {@value #PROPERTY} names a {@link KernelMode}: {@code auto} (default: the SIMD kernels when
 * the JVM can run them well, else the scalar spec), {@code scalar}, {@code simd} or {@code adaptive} (the scalar spec
 * until the SIMD kernels are compiled, then those; see {@link AdaptiveKernels}). Forcing {@code simd} where it cannot
 * run is an error that says why; {@code adaptive} where the SIMD kernels cannot run stays on the scalar spec and says
 * why. The choice is logged once, at INFO, on the logger {@code dev.rnn4j.kernels}. Every mode but {@code adaptive}
 * fixes the kernels for the life of the JVM.
 */
public final class KernelSelector {

  /** The system property that forces a choice. */
  public static final String PROPERTY = "rnn4j.kernels";

  private static final System.Logger LOG = System.getLogger("dev.rnn4j.kernels");

  private KernelSelector() {}

  /** The outcome of a selection: the kernels and a one-line explanation. */
  public record Selection(Kernels kernels, String explanation) {}

  /** A selection and, in adaptive mode, the SIMD kernels to switch to later (else null). */
  private record Choice(Selection selection, Kernels later) {}

  private static final class Holder {
    static final Selection SELECTED;
    // null unless adaptive mode found SIMD kernels to switch to; a static final, so the JIT folds the test away
    static final AdaptiveKernels ADAPTIVE;

    static {
      Choice c = choose(System.getProperty(PROPERTY, "auto"));
      LOG.log(Level.INFO, c.selection().explanation());
      SELECTED = c.selection();
      if (c.later() != null) {
        ADAPTIVE = new AdaptiveKernels(c.selection().kernels(), c.later());
        ADAPTIVE.startWarmUp();
      } else {
        ADAPTIVE = null;
      }
    }
  }

  /**
   * The kernels for a pass that starts now, selected on first use: in every mode but adaptive the same object for the
   * life of the JVM; in adaptive mode the scalar spec until the switch, then the SIMD kernels. Read it once per pass.
   */
  public static Kernels selected() {
    AdaptiveKernels a = Holder.ADAPTIVE;
    return a == null ? Holder.SELECTED.kernels() : a.current();
  }

  /**
   * Whether {@link #selected()} can still change in this JVM: adaptive mode with SIMD kernels to switch to. Selects on
   * first use; allocates nothing.
   */
  public static boolean switches() {
    return Holder.ADAPTIVE != null;
  }

  /** The mode {@value #PROPERTY} asks for (parsed without selecting). */
  public static KernelMode mode() {
    return KernelMode.parse(System.getProperty(PROPERTY, "auto"));
  }

  /**
   * In adaptive mode with SIMD kernels to switch to, the switching kernels (to wait for the switch, or to see whether
   * it happened); empty in every other case. Selects on first use.
   */
  public static Optional<AdaptiveKernels> adaptive() {
    return Optional.ofNullable(Holder.ADAPTIVE);
  }

  /** The selection for this JVM with its explanation (selected on first use). */
  public static Selection selection() {
    return Holder.SELECTED;
  }

  /**
   * Selects for the given mode without caching, logging or starting anything. In adaptive mode the selection is the
   * kernels the mode starts on (the scalar spec), and its explanation says what it switches to.
   *
   * @throws IllegalArgumentException for an unknown mode (naming the property and the value), or when {@code simd}
   *     is forced but cannot run
   */
  public static Selection select(String mode) {
    return choose(mode).selection();
  }

  private static Choice choose(String mode) {
    KernelMode km = KernelMode.parse(mode);
    if (km == KernelMode.SCALAR) {
      return new Choice(new Selection(Kernels.scalar(), "rnn4j kernels: scalar (forced by -D" + PROPERTY
          + "=scalar)"), null);
    }
    KernelProvider simd = null;
    for (KernelProvider p : providers()) {
      if (p.name().equals("simd")) {
        simd = p;
      }
    }
    String why;
    String remedy = "";
    if (simd == null) {
      why = "the rnn4j-kernels-simd jar is not on the class path";
    } else {
      KernelProvider.Support support = simd.support();
      why = support.ok() ? "" : support.reason();
      if (!support.ok() && !support.remedy().isEmpty()) {
        remedy = "; " + support.remedy() + " would enable the SIMD kernels";
      }
    }
    if (!why.isEmpty()) {
      if (km == KernelMode.SIMD) {
        throw new IllegalArgumentException("-D" + PROPERTY + "=simd cannot be honoured: " + why + remedy);
      }
      String stays = km == KernelMode.ADAPTIVE ? "scalar (adaptive, but never switching: " : "scalar (";
      return new Choice(new Selection(Kernels.scalar(), "rnn4j kernels: " + stays + why + remedy + ")"), null);
    }
    Kernels k = simd.create();
    if (km == KernelMode.ADAPTIVE) {
      return new Choice(new Selection(Kernels.scalar(), "rnn4j kernels: adaptive: scalar until the SIMD kernels ("
          + k.vectorBits() + "-bit vectors) are compiled, then simd (-D" + PROPERTY + "=adaptive)"), k);
    }
    String how = km == KernelMode.SIMD ? "forced by -D" + PROPERTY + "=simd" : "the JVM supports the Vector API with C2";
    return new Choice(new Selection(k, "rnn4j kernels: simd, " + k.vectorBits() + "-bit vectors (" + how + ")"), null);
  }

  private static List<KernelProvider> providers() {
    List<KernelProvider> found = new ArrayList<>();
    ServiceLoader<KernelProvider> loader = ServiceLoader.load(KernelProvider.class, KernelSelector.class.getClassLoader());
    var it = loader.iterator();
    while (true) {
      try {
        if (!it.hasNext()) {
          break;
        }
        found.add(it.next());
      } catch (ServiceConfigurationError e) {
        // A provider that cannot even load is as good as absent; the scalar spec is always there.
        LOG.log(Level.DEBUG, "skipping a kernel provider that failed to load", e);
      }
    }
    return found;
  }
}
