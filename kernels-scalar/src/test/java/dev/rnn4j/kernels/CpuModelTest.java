package dev.rnn4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuModelTest {

  @TempDir
  Path dir;

  @Test
  void nameWithFamilyAndModelFromTheFirstProcessor() throws IOException {
    Path f = dir.resolve("cpuinfo");
    Files.writeString(f, "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 25\nmodel\t\t: 17\n"
        + "model name\t: AMD EPYC 9R14\nstepping\t: 1\n\nprocessor\t: 1\nmodel name\t: other\n");
    assertEquals("AMD EPYC 9R14 (family 25 model 17)", CpuModel.describe(f));
  }

  @Test
  void withoutCpuinfoTheArchitecture() {
    assertEquals(System.getProperty("os.arch"), CpuModel.describe(dir.resolve("absent")));
  }
}
