package dev.rnn4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the caches from directories laid out as Linux's {@code /sys/devices/system/cpu/cpu0/cache}. */
class CacheHierarchyTest {

  @TempDir
  Path dir;

  private void index(int i, int level, String type, String size, Integer ways) throws IOException {
    Path d = Files.createDirectories(dir.resolve("index" + i));
    Files.writeString(d.resolve("level"), level + "\n");
    Files.writeString(d.resolve("type"), type + "\n");
    Files.writeString(d.resolve("size"), size + "\n");
    if (ways != null) {
      Files.writeString(d.resolve("ways_of_associativity"), ways + "\n");
      Files.writeString(d.resolve("coherency_line_size"), "64\n");
    }
  }

  @Test
  void readsTheIntelXeonLayoutSeenOnThisProjectsMachines() throws IOException {
    // family 6 model 167 as lscpu showed it: 48 KiB L1d, 32 KiB L1i, 2 MiB L2, a shared L3.
    index(0, 1, "Data", "48K", 12);
    index(1, 1, "Instruction", "32K", 8);
    index(2, 2, "Unified", "2048K", 16);
    index(3, 3, "Unified", "107520K", 15);
    CacheHierarchy c = CacheHierarchy.read(dir);
    assertEquals(new CacheHierarchy(48 * 1024, 12, 2048 * 1024, 107520L * 1024, 64, "sysfs"), c);
  }

  @Test
  void theInstructionCacheIsNotTakenForTheDataCacheWhateverTheOrder() throws IOException {
    index(0, 1, "Instruction", "64K", 4);
    index(1, 1, "Data", "32K", 8);
    index(2, 2, "Unified", "1M", 8);
    CacheHierarchy c = CacheHierarchy.read(dir);
    assertEquals(32 * 1024, c.l1dBytes());
    assertEquals(8, c.l1dWays());
    assertEquals(1024 * 1024, c.l2Bytes());
    assertEquals(0, c.l3Bytes());
  }

  @Test
  void aMissingDirectoryFallsBackAndSaysWhy() {
    CacheHierarchy c = CacheHierarchy.read(dir.resolve("absent"));
    assertEquals(CacheHierarchy.FALLBACK.l1dBytes(), c.l1dBytes());
    assertEquals(CacheHierarchy.FALLBACK.l2Bytes(), c.l2Bytes());
    assertTrue(c.source().startsWith("fallback: ") && c.source().contains("absent"), c.source());
  }

  @Test
  void aDirectoryWithoutAnL2FallsBack() throws IOException {
    index(0, 1, "Data", "32K", 8);
    assertTrue(CacheHierarchy.read(dir).source().contains("no L1 data and L2"));
  }

  @Test
  void garbageInASizeFileFallsBackInsteadOfThrowing() throws IOException {
    index(0, 1, "Data", "lots", 8);
    index(2, 2, "Unified", "1M", 8);
    assertTrue(CacheHierarchy.read(dir).source().startsWith("fallback: "));
  }

  @Test
  void sizesWithBinarySuffixes() {
    assertEquals(48 * 1024, CacheHierarchy.parseSize("48K"));
    assertEquals(2 * 1024 * 1024, CacheHierarchy.parseSize("2M"));
    assertEquals(1024L * 1024 * 1024, CacheHierarchy.parseSize("1G"));
    assertEquals(4096, CacheHierarchy.parseSize(" 4096 "));
  }

  @Test
  void nonPositiveSizesAreRejectedNamingThem() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new CacheHierarchy(0, 8, 1024, 0, 64, "test"));
    assertTrue(e.getMessage().contains("L1d 0"), e.getMessage());
  }

  @Test
  void thisMachinesCachesAreReadOrFallBackWithAReason() {
    CacheHierarchy c = CacheHierarchy.detected();
    assertTrue(c.source().equals("sysfs") || c.source().startsWith("fallback: "), c.source());
    assertTrue(c.describe().startsWith("L1d " + c.l1dBytes() / 1024 + " KiB"), c.describe());
  }
}
