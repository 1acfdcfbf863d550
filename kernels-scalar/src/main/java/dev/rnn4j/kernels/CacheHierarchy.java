package dev.rnn4j.kernels;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The data caches of one core, as the operating system reports them: the facts the GEMM's blocking is derived from
 * (see {@link GemmBlocking}), so that no block size is a constant tuned on one CPU.
 *
 * <p>On Linux the sizes come from {@code /sys/devices/system/cpu/cpu0/cache/index*}/{@code {level,type,size,
 * ways_of_associativity,coherency_line_size}}. Where that directory is missing or unreadable (other systems, some
 * containers) the {@link #FALLBACK} sizes are used: 32 KiB L1d, 1 MiB L2 and 8 MiB L3, at or below what every x86
 * and ARM server core of the last decade has, so that the derived blocks fit everywhere, if not optimally.
 *
 * @param l1dBytes level-1 data cache of one core
 * @param l1dWays its associativity (0 when not reported)
 * @param l2Bytes level-2 cache of one core (the unified or data one)
 * @param l3Bytes last-level cache, 0 when there is none
 * @param lineBytes cache line
 * @param source where the figures come from ("sysfs" or "fallback: ..." with the reason)
 */
public record CacheHierarchy(long l1dBytes, int l1dWays, long l2Bytes, long l3Bytes, int lineBytes, String source) {

  /** The sizes used when the OS tells nothing. */
  public static final CacheHierarchy FALLBACK =
      new CacheHierarchy(32 * 1024, 8, 1024 * 1024, 8L * 1024 * 1024, 64, "fallback");

  private static final Path SYSFS = Path.of("/sys/devices/system/cpu/cpu0/cache");

  public CacheHierarchy {
    if (l1dBytes <= 0 || l2Bytes <= 0 || lineBytes <= 0) {
      throw new IllegalArgumentException("CacheHierarchy: L1d, L2 and line sizes must be positive, got L1d "
          + l1dBytes + ", L2 " + l2Bytes + ", line " + lineBytes);
    }
  }

  private static final class Holder {
    static final CacheHierarchy DETECTED = read(SYSFS);
  }

  /** This machine's caches, read once per JVM. */
  public static CacheHierarchy detected() {
    return Holder.DETECTED;
  }

  /**
   * The caches described under {@code dir} in the layout of Linux's {@code cpu0/cache}, or {@link #FALLBACK} (with
   * the reason in {@link #source()}) when it lacks an L1 data or an L2 cache.
   */
  public static CacheHierarchy read(Path dir) {
    long l1 = 0;
    long l2 = 0;
    long l3 = 0;
    int ways = 0;
    int line = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "index*")) {
      for (Path index : entries) {
        String type = text(index.resolve("type"));
        int level = Integer.parseInt(text(index.resolve("level")));
        if (type.equalsIgnoreCase("Instruction")) {
          continue;
        }
        long size = parseSize(text(index.resolve("size")));
        if (level == 1) {
          l1 = size;
          ways = optionalInt(index.resolve("ways_of_associativity"));
          line = optionalInt(index.resolve("coherency_line_size"));
        } else if (level == 2) {
          l2 = size;
        } else if (level == 3) {
          l3 = size;
        }
      }
    } catch (IOException | RuntimeException e) {
      return fallback(dir + " unreadable (" + e.getClass().getSimpleName() + ")");
    }
    if (l1 <= 0 || l2 <= 0) {
      return fallback(dir + " lists no L1 data and L2 cache");
    }
    return new CacheHierarchy(l1, ways, l2, l3, line > 0 ? line : 64, "sysfs");
  }

  private static CacheHierarchy fallback(String why) {
    CacheHierarchy f = FALLBACK;
    return new CacheHierarchy(f.l1dBytes, f.l1dWays, f.l2Bytes, f.l3Bytes, f.lineBytes, "fallback: " + why);
  }

  /** Sysfs sizes: a number with an optional K, M or G suffix (binary units), e.g. {@code 48K}, {@code 2048K}. */
  static long parseSize(String s) {
    String t = s.strip().toUpperCase(Locale.ROOT);
    long unit = 1;
    char last = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
    if (last == 'K' || last == 'M' || last == 'G') {
      unit = last == 'K' ? 1024 : last == 'M' ? 1024 * 1024 : 1024L * 1024 * 1024;
      t = t.substring(0, t.length() - 1);
    }
    return Long.parseLong(t.strip()) * unit;
  }

  private static String text(Path p) throws IOException {
    return Files.readString(p).strip();
  }

  private static int optionalInt(Path p) {
    try {
      return Integer.parseInt(text(p));
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** For logs and reports: {@code L1d 48 KiB (12-way), L2 1024 KiB, L3 32768 KiB, line 64 B (sysfs)}. */
  public String describe() {
    return "L1d " + l1dBytes / 1024 + " KiB" + (l1dWays > 0 ? " (" + l1dWays + "-way)" : "") + ", L2 "
        + l2Bytes / 1024 + " KiB, L3 " + l3Bytes / 1024 + " KiB, line " + lineBytes + " B (" + source + ")";
  }
}
