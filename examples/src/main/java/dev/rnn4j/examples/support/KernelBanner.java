package dev.rnn4j.examples.support;

import dev.rnn4j.kernels.KernelSelector;
import java.io.PrintStream;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The first lines every example prints: what runs and on which kernels.
 *
 * <p>The library logs its kernel choice once, at INFO, through {@code System.Logger} (logger
 * {@code dev.rnn4j.kernels}); with no logging configured that becomes a two-line {@code java.util.logging} record
 * on stderr that says what the banner's second line says. So that a person reads the kernel line once, the banner
 * raises that one logger to WARNING before the choice is made, unless the user configured
 * {@code java.util.logging} (then their configuration decides). Warnings and errors of the library still show.
 */
public final class KernelBanner {
  /** {@code java.util.logging} keeps loggers only weakly: this reference keeps the level set here. */
  private static final Logger KERNEL_LOG = Logger.getLogger("dev.rnn4j.kernels");

  private KernelBanner() {}

  public static void print(PrintStream out, String title) {
    quietLibraryKernelLine();
    out.println("== " + title);
    out.println(KernelSelector.selection().explanation());
    out.println(
        "java "
            + Runtime.version()
            + ", "
            + Runtime.getRuntime().availableProcessors()
            + " processors");
  }

  /** Raises the library's kernel logger to WARNING, unless logging was configured by the user. */
  static void quietLibraryKernelLine() {
    boolean userConfigured = System.getProperty("java.util.logging.config.file") != null
        || System.getProperty("java.util.logging.config.class") != null;
    if (!userConfigured && KERNEL_LOG.getLevel() == null) {
      KERNEL_LOG.setLevel(Level.WARNING);
    }
  }
}
