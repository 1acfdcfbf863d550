package dev.rnn4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProcCountersTest {

  @Test
  void countersMatchTheFilesAndNeverGoBack() throws Exception {
    try (ProcCounters c = new ProcCounters()) {
      if (!Files.isReadable(Path.of("/proc/stat"))) {
        assertEquals(-1, c.stealTicks()); // not Linux: said, not guessed
        return;
      }
      // the 9th token of /proc/stat's first line, parsed here independently of the class
      String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long stealBefore = Long.parseLong(cpu[8]);
      long steal = c.stealTicks();
      assertTrue(steal >= stealBefore, steal + " < " + stealBefore);
      long wait = c.runQueueWaitNanos();
      assertTrue(wait >= 0, "run-queue wait " + wait);
      // /proc/thread-self/schedstat: "run_ns wait_ns slices"; the thread's wait cannot shrink
      long later = Long.parseLong(Files.readString(Path.of("/proc/thread-self/schedstat")).trim().split(" ")[1]);
      assertTrue(later >= wait, later + " < " + wait);
      assertTrue(c.stealTicks() >= steal);
    }
  }
}
