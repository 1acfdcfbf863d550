package dev.rnn4j.kernels;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Chooses the kernel implementation once per JVM and logs the choice.
 *
 * <p>The system property {@value #PROPERTY} is {@code auto} (default: the SIMD kernels when the JVM can run them
 * well, else the scalar spec), {@code scalar} or {@code simd}. Forcing {@code simd} where it cannot run is an error
 * that says why. The choice is logged once, at INFO, on the logger {@code dev.rnn4j.kernels}.
 */
public final class KernelSelector {

  /** The system property that forces a choice. */
  public static final String PROPERTY = "rnn4j.kernels";

  private static final System.Logger LOG = System.getLogger("dev.rnn4j.kernels");

  private KernelSelector() {}

  /** The outcome of a selection: the kernels and a one-line explanation. */
  public record Selection(Kernels kernels, String explanation) {}

  private static final class Holder {
    static final Selection SELECTED = selectAndLog();
  }

  /** The kernels for this JVM, selected on first use. */
  public static Kernels selected() {
    return Holder.SELECTED.kernels();
  }

  /** The selection for this JVM with its explanation (selected on first use). */
  public static Selection selection() {
    return Holder.SELECTED;
  }

  private static Selection selectAndLog() {
    Selection s = select(System.getProperty(PROPERTY, "auto"));
    LOG.log(Level.INFO, s.explanation());
    return s;
  }

  /**
   * Selects for the given mode without caching or logging.
   *
   * @throws IllegalArgumentException for an unknown mode, or when {@code simd} is forced but cannot run
   */
  public static Selection select(String mode) {
    String m = mode.strip().toLowerCase(Locale.ROOT);
    switch (m) {
      case "scalar":
        return new Selection(Kernels.scalar(), "rnn4j kernels: scalar (forced by -D" + PROPERTY + "=scalar)");
      case "auto":
      case "simd":
        break;
      default:
        throw new IllegalArgumentException("-D" + PROPERTY + ": unknown value '" + mode
            + "'; expected auto, scalar or simd");
    }
    KernelProvider simd = null;
    for (KernelProvider p : providers()) {
      if (p.name().equals("simd")) {
        simd = p;
      }
    }
    if (simd == null) {
      String why = "the rnn4j-kernels-simd jar is not on the class path";
      if (m.equals("simd")) {
        throw new IllegalArgumentException("-D" + PROPERTY + "=simd cannot be honoured: " + why);
      }
      return new Selection(Kernels.scalar(), "rnn4j kernels: scalar (" + why + ")");
    }
    KernelProvider.Support support = simd.support();
    if (!support.ok()) {
      String remedy = support.remedy().isEmpty() ? "" : "; " + support.remedy() + " would enable the SIMD kernels";
      if (m.equals("simd")) {
        throw new IllegalArgumentException(
            "-D" + PROPERTY + "=simd cannot be honoured: " + support.reason() + remedy);
      }
      return new Selection(Kernels.scalar(), "rnn4j kernels: scalar (" + support.reason() + remedy + ")");
    }
    Kernels k = simd.create();
    String how = m.equals("simd") ? "forced by -D" + PROPERTY + "=simd" : "the JVM supports the Vector API with C2";
    return new Selection(k, "rnn4j kernels: simd, " + k.vectorBits() + "-bit vectors (" + how + ")");
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
