package dev.rnn4j.kernels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The CPU's model name with its family and model numbers (they tell generations apart where the name does not, as
 * "AMD EPYC" does), for {@code KernelInfo} and benchmark reports: every performance figure is stated beside it.
 */
public final class CpuModel {

  private CpuModel() {}

  /** From {@code /proc/cpuinfo} where it exists, else the OS's architecture name. */
  public static String describe() {
    return describe(Path.of("/proc/cpuinfo"));
  }

  /** As {@link #describe()}, from a file in the layout of Linux's {@code /proc/cpuinfo}. */
  static String describe(Path cpuinfo) {
    try {
      List<String> lines = Files.readAllLines(cpuinfo);
      String name = field(lines, "model name");
      String family = field(lines, "cpu family");
      String model = field(lines, "model");
      if (name != null) {
        return name + (family == null ? "" : " (family " + family + " model " + model + ")");
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux, or /proc is not readable: fall through to the architecture.
    }
    return System.getProperty("os.arch");
  }

  private static String field(List<String> lines, String key) {
    for (String line : lines) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).strip().equals(key)) {
        return line.substring(colon + 1).strip();
      }
    }
    return null;
  }
}
