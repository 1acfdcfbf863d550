package dev.rnn4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the report says about the machine, from /proc where it exists. */
final class MachineInfo {

  private MachineInfo() {}

  /** The CPU model with family/model numbers (they tell CPU generations apart), or the OS's architecture. */
  static String cpu() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
      String name = field(lines, "model name");
      String family = field(lines, "cpu family");
      String model = field(lines, "model");
      if (name != null) {
        return name + (family == null ? "" : " (family " + family + " model " + model + ")");
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux, or /proc is not readable: fall through.
    }
    return System.getProperty("os.arch");
  }

  /** The 1, 5 and 15 minute load averages, or "n/a". */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
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
