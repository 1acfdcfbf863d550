package dev.rnn4j.examples.support;

import dev.rnn4j.kernels.KernelSelector;
import java.io.PrintStream;

/** The first lines every example prints: what runs and on which kernels. */
public final class KernelBanner {
  private KernelBanner() {}

  public static void print(PrintStream out, String title) {
    out.println("== " + title);
    out.println(KernelSelector.selection().explanation());
    out.println(
        "java "
            + Runtime.version()
            + ", "
            + Runtime.getRuntime().availableProcessors()
            + " processors");
  }
}
