package dev.rnn4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The blocking rules of {@link GemmBlocking} on the CPUs this project has run on, with every expected value worked
 * out by hand from the rules (not read off the code), and the rules' bounds on arbitrary caches.
 */
class GemmBlockingTest {

  private static CacheHierarchy caches(int l1KiB, int l2KiB) {
    return new CacheHierarchy(l1KiB * 1024L, 12, l2KiB * 1024L, 32L << 20, 64, "test");
  }

  /**
   * Micro-tile 6 rows x 4 vectors; 512-bit vectors (16 floats, 8 doubles), or 256-bit ones (8 floats, 4 doubles).
   * kc = min(L1/2 / (6 e), L2/16 / (nr e)) rounded down to 16; nc = L2/2 / (kc e) rounded down to nr.
   */
  @ParameterizedTest(name = "L1d {0} KiB, L2 {1} KiB, {2}-byte elements, {3} lanes: kc {4}, nc {5}")
  @CsvSource({
      // Zen 5 (48 KiB / 1 MiB), float32: L1 rule 24576/24 = 1024, L2 rule 65536/256 = 256 -> 256;
      // nc = 524288/1024 = 512. These are the constants measured best there before they were derived.
      "48, 1024, 4, 16, 256, 512",
      // Zen 5 float64: 24576/48 = 512, 65536/256 = 256 -> 256; nc = 524288/2048 = 256.
      "48, 1024, 8, 8, 256, 256",
      // Zen 4 (32 KiB / 1 MiB) float32: 16384/24 = 682, 256 -> 256; nc 512.
      "32, 1024, 4, 16, 256, 512",
      // Zen 4 float64: 16384/48 = 341, 256 -> 256; nc = 524288/2048 = 256 (a quarter of L1 gave 160: 3-4% slower).
      "32, 1024, 8, 8, 256, 256",
      // Intel Xeon (48 KiB / 2 MiB) float32: 1024, 131072/256 = 512 -> 512; nc = 1048576/2048 = 512.
      "48, 2048, 4, 16, 512, 512",
      // Intel Xeon float64: 24576/48 = 512, 512 -> 512; nc = 1048576/4096 = 256.
      "48, 2048, 8, 8, 512, 256",
      // 256-bit vectors on Zen 5, float32: nr = 32: 1024, 65536/128 = 512 -> 512; nc = 524288/2048 = 256.
      "48, 1024, 4, 8, 512, 256",
      // A tiny cache: 16 KiB / 256 KiB float64: 8192/48 = 170, 16384/256 = 64 -> 64; nc = 131072/512 = 256.
      "16, 256, 8, 8, 64, 256",
  })
  void knownMachines(int l1, int l2, int bytes, int lanes, int kc, int nc) {
    GemmBlocking b = GemmBlocking.derive(caches(l1, l2), bytes, lanes, 6, 4);
    assertEquals(kc, b.kc(), "kc");
    assertEquals(nc, b.nc(), "nc");
    assertEquals(4 * lanes, b.nr());
    assertEquals(6, b.mr());
  }

  @Test
  void theBoundsHoldOnAnyCaches() {
    for (int l1 = 8; l1 <= 128; l1 *= 2) {
      for (int l2 = 128; l2 <= 8192; l2 *= 2) {
        for (int bytes : new int[] {4, 8}) {
          for (int lanes : new int[] {2, 4, 8, 16}) {
            GemmBlocking b = GemmBlocking.derive(caches(l1, l2), bytes, lanes, 6, 4);
            String at = "L1 " + l1 + " L2 " + l2 + " e " + bytes + " lanes " + lanes + ": " + b.describe();
            assertEquals(0, b.kc() % 16, at);
            assertEquals(0, b.nc() % b.nr(), at);
            assertTrue(b.kc() >= GemmBlocking.KC_MIN && b.nc() >= b.nr(), at);
            if (b.kc() > GemmBlocking.KC_MIN) {
              assertTrue(6L * b.kc() * bytes <= l1 * 1024L / 2, "A micro-panel within L1/2: " + at);
              assertTrue((long) b.kc() * b.nr() * bytes <= l2 * 1024L / 16, "B panel within L2/16: " + at);
              // The largest such multiple of 16: one more step would break a bound.
              long next = b.kc() + 16;
              assertTrue(6L * next * bytes > l1 * 1024L / 2 || next * b.nr() * bytes > l2 * 1024L / 16, at);
            }
            if (b.nc() > b.nr()) {
              assertTrue((long) b.kc() * b.nc() * bytes <= l2 * 1024L / 2, "B block within L2/2: " + at);
            }
          }
        }
      }
    }
  }

  @Test
  void aShallowProductGetsMoreColumnsForTheSameBBlockBudget() {
    GemmBlocking b = GemmBlocking.derive(caches(32, 1024), 4, 16, 6, 4); // kc 256, nc 512: 131072 elements
    assertEquals(512, b.ncFor(256));
    assertEquals(512, b.ncFor(1000));
    assertEquals(1024, b.ncFor(128)); // 131072 / 128
    assertEquals(3968, b.ncFor(33)); // 131072 / 33 = 3971.9, down to a multiple of 64
    assertEquals(131072, b.ncFor(1));
  }

  @Test
  void describeNamesTheBlocksAndTheirBytes() {
    GemmBlocking b = GemmBlocking.derive(caches(48, 1024), 4, 16, 6, 4);
    assertEquals("micro-tile 6 x 64, k block 256 (A micro-panel 6 KiB of L1d 48 KiB, B panel 64 KiB), column block"
        + " 512 (B block 512 KiB of L2 1024 KiB)", b.describe());
  }

  @Test
  void diagnosticOverridesReplaceTheDerivedBlocksAndSaySo() {
    try {
      System.setProperty(GemmBlocking.KC_PROPERTY, "128");
      System.setProperty(GemmBlocking.NC_PROPERTY, "1024");
      GemmBlocking b = GemmBlocking.forThisMachine(4, 16, 6, 4);
      assertEquals(128, b.kc());
      assertEquals(1024, b.nc());
      assertTrue(b.forced() && b.describe().endsWith("[forced by -Drnn4j.gemm.kc / -Drnn4j.gemm.nc]"), b.describe());
      System.setProperty(GemmBlocking.KC_PROPERTY, "100");
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> GemmBlocking.forThisMachine(4, 16, 6, 4));
      assertTrue(e.getMessage().startsWith("-Drnn4j.gemm.kc=100: expected a positive multiple of 16"), e.getMessage());
      System.setProperty(GemmBlocking.KC_PROPERTY, "many");
      e = assertThrows(IllegalArgumentException.class, () -> GemmBlocking.forThisMachine(4, 16, 6, 4));
      assertTrue(e.getMessage().contains("'many' is not a number"), e.getMessage());
    } finally {
      System.clearProperty(GemmBlocking.KC_PROPERTY);
      System.clearProperty(GemmBlocking.NC_PROPERTY);
    }
    assertTrue(!GemmBlocking.forThisMachine(4, 16, 6, 4).forced());
  }

  @Test
  void badArgumentsAreRejectedNamingThem() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GemmBlocking.derive(caches(48, 1024), 0, 16, 6, 4));
    assertTrue(e.getMessage().startsWith("GemmBlocking.derive: elementBytes"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new GemmBlocking(6, 64, 256, 100, 4, caches(48, 1024), false));
    assertTrue(e.getMessage().contains("nc 100"), e.getMessage());
  }
}
