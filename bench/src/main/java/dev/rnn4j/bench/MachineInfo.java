package dev.rnn4j.bench;

import dev.rnn4j.kernels.CacheHierarchy;
import dev.rnn4j.kernels.CpuModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the report says about the machine, from /proc where it exists. */
final class MachineInfo {

  private MachineInfo() {}

  /** The CPU model with family/model numbers (they tell CPU generations apart), or the OS's architecture. */
  static String cpu() {
    return CpuModel.describe();
  }

  /** The data caches of one core and where the figures come from. */
  static String caches() {
    return CacheHierarchy.detected().describe();
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
}
