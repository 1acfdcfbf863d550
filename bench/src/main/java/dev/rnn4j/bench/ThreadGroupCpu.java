package dev.rnn4j.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * CPU time this JVM's threads have used, summed by kind, from Linux's {@code /proc/self/task/<tid>/schedstat} (first
 * field: nanoseconds on a CPU) and {@code comm} (the thread's name, cut to 15 characters). It counts HotSpot's own
 * threads, which {@code ThreadMXBean} does not list: the C1 and C2 compiler threads, the garbage collector's threads.
 * Unlike wall times, these do not grow when other processes load the machine, so they show what a warm-up needs of the
 * CPU: with two CPUs HotSpot runs one C1 and one C2 compiler thread, so the C2 thread's CPU time until the last
 * compilation a warm-up waits for is a lower bound on the warm-up's end, however idle the machine.
 *
 * <p>Not for use between timed calls: it lists a directory and allocates.
 *
 * @param c1Nanos the C1 compiler threads
 * @param c2Nanos the C2 compiler threads
 * @param gcNanos the garbage collector's threads (G1's "GC Thread", "G1 ..." and the concurrent ones)
 * @param processNanos all threads of the process that are still alive
 */
record ThreadGroupCpu(long c1Nanos, long c2Nanos, long gcNanos, long processNanos) {

  /** The figures now, or null where {@code /proc/self/task} cannot be read (not Linux, no schedstats). */
  static ThreadGroupCpu now() {
    long c1 = 0;
    long c2 = 0;
    long gc = 0;
    long all = 0;
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
      for (Path task : tasks) {
        String name;
        long nanos;
        try {
          name = Files.readString(task.resolve("comm")).strip();
          String stat = Files.readString(task.resolve("schedstat")).strip();
          nanos = Long.parseLong(stat.substring(0, stat.indexOf(' ')));
        } catch (IOException | RuntimeException e) {
          continue; // the thread ended while listed
        }
        all += nanos;
        if (name.startsWith("C1 Compiler")) {
          c1 += nanos;
        } else if (name.startsWith("C2 Compiler")) {
          c2 += nanos;
        } else if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
          gc += nanos;
        }
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return new ThreadGroupCpu(c1, c2, gc, all);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "CPU time: C2 compiler %.0f ms, C1 compiler %.0f ms, GC %.0f ms, process %.0f ms",
        c2Nanos / 1e6, c1Nanos / 1e6, gcNanos / 1e6, processNanos / 1e6);
  }
}
