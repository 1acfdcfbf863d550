package dev.rnn4j.bench;

import java.io.IOException;
import java.io.RandomAccessFile;

/**
 * Linux scheduler counters read between timed calls, without allocating (a reused buffer; the files stay open), so
 * that reading them cannot itself cause the collections a call is being checked for.
 *
 * <ul>
 *   <li>{@link #runQueueWaitNanos()}: how long the thread that built this object has waited runnable for a CPU (the
 *       second field of {@code /proc/thread-self/schedstat}): another process or thread held its core.</li>
 *   <li>{@link #stealTicks()}: the machine's steal time (the eighth value of the {@code cpu} line of {@code
 *       /proc/stat}, in clock ticks, usually 10 ms): the hypervisor ran something else on a virtual CPU.</li>
 * </ul>
 *
 * <p>Each counter is -1 where the file is missing or unreadable (not Linux, no schedstats).
 */
final class ProcCounters implements AutoCloseable {

  private final RandomAccessFile schedstat;
  private final RandomAccessFile stat;
  private final byte[] buf = new byte[512];

  /** Opens the counters for the calling thread ({@code /proc/thread-self} resolves to the opener). */
  ProcCounters() {
    schedstat = open("/proc/thread-self/schedstat");
    stat = open("/proc/stat");
  }

  private static RandomAccessFile open(String path) {
    try {
      return new RandomAccessFile(path, "r");
    } catch (IOException | SecurityException e) {
      return null;
    }
  }

  /** Nanoseconds the opening thread has spent runnable but not running, or -1. */
  long runQueueWaitNanos() {
    return field(schedstat, 1);
  }

  /** The machine's steal time in clock ticks, all CPUs together, or -1. */
  long stealTicks() {
    // "cpu  user nice system idle iowait irq softirq steal ...": the 9th token of the first line
    return field(stat, 8);
  }

  /** The {@code index}-th (0-based) space-separated number of the file's first line, or -1. */
  private long field(RandomAccessFile f, int index) {
    if (f == null) {
      return -1;
    }
    try {
      f.seek(0);
      int n = f.read(buf, 0, buf.length);
      int token = -1;
      boolean inToken = false;
      long value = 0;
      for (int i = 0; i < n && buf[i] != '\n'; i++) {
        byte b = buf[i];
        if (b == ' ') {
          if (inToken && token == index) {
            return value;
          }
          inToken = false;
          continue;
        }
        if (!inToken) {
          inToken = true;
          token++;
          value = 0;
        }
        if (token == index) {
          if (b < '0' || b > '9') {
            return -1;
          }
          value = value * 10 + (b - '0');
        }
      }
      return inToken && token == index ? value : -1;
    } catch (IOException e) {
      return -1;
    }
  }

  @Override
  public void close() {
    for (RandomAccessFile f : new RandomAccessFile[] {schedstat, stat}) {
      try {
        if (f != null) {
          f.close();
        }
      } catch (IOException e) {
        // a read-only /proc file: nothing was written, nothing to report
      }
    }
  }
}
