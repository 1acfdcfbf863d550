package dev.rnn4j.examples.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KernelBannerTest {

  @Test
  void theBannerIsTheOnlyKernelLine() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    KernelBanner.print(new PrintStream(out, true, StandardCharsets.UTF_8), "title");
    String banner = out.toString(StandardCharsets.UTF_8);
    assertEquals(1, banner.lines().filter(l -> l.startsWith("rnn4j kernels: ")).count(), banner);
    assertTrue(banner.startsWith("== title"), banner);
    // The library's INFO line about the same choice is not logged a second time...
    assertFalse(System.getLogger("dev.rnn4j.kernels").isLoggable(System.Logger.Level.INFO));
    // ...but its warnings still are.
    assertTrue(System.getLogger("dev.rnn4j.kernels").isLoggable(System.Logger.Level.WARNING));
  }
}
