package dev.rnn4j.bench;

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.tensor.KernelScope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Peak resident set size of a process that trains: it loops LSTM forward plus backward (full BPTT, as
 * {@link RecurrentCase#forwardBackward()}) at the train configuration and prints the peak RSS the kernel recorded
 * ({@code VmHWM} of {@code /proc/self/status}, Linux only).
 *
 * <pre>
 * java --add-modules=jdk.incubator.vector -Xmx64m -Xmn16m -XX:+UseSerialGC -cp bench/target/benchmarks.jar \
 *     dev.rnn4j.bench.RssProbe [iterations] [impl]
 * </pre>
 *
 * Defaults: 50 iterations, the kernels chosen for this JVM ({@code rnn4j.kernels}, normally SIMD). The heap limit
 * belongs on the command line because the figure depends on it: the JVM's default maximum heap is a quarter of the
 * machine's memory, and a collector lets the heap grow towards that before it collects, so without a limit the
 * peak RSS says more about the collector's sizing policy than about the library's working set.
 */
public final class RssProbe {

  private RssProbe() {}

  public static void main(String[] args) throws IOException {
    int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    Kernels kernels = args.length > 1 ? BenchKernels.forName(args[1]) : KernelScope.current();
    RecurrentConfig c = RecurrentConfig.TRAIN;
    System.out.println("LSTM forward+backward, " + c.describe() + ", kernels " + kernels.name() + ", "
        + iterations + " iterations, max heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB");
    System.out.println("before: " + memory());
    RecurrentCase lstm = RecurrentCase.create("lstm", kernels.name(), c.name());
    long start = System.nanoTime();
    double checksum = 0;
    for (int i = 0; i < iterations; i++) {
      checksum += lstm.forwardBackward().getFlat(0);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("%d iterations in %.1f s (%.1f ms each; input-gradient checksum %.6g)%n",
        iterations, seconds, 1e3 * seconds / iterations, checksum);
    System.out.println("after:  " + memory());
  }

  /** VmHWM (peak RSS) and VmRSS from /proc/self/status, and the Java heap in use and committed. */
  private static String memory() throws IOException {
    List<String> status = Files.readAllLines(Path.of("/proc/self/status"));
    Runtime rt = Runtime.getRuntime();
    return field(status, "VmHWM") + ", " + field(status, "VmRSS") + ", heap used "
        + (rt.totalMemory() - rt.freeMemory()) / (1 << 20) + " MiB of " + rt.totalMemory() / (1 << 20)
        + " MiB committed";
  }

  private static String field(List<String> status, String name) {
    return status.stream().filter(l -> l.startsWith(name + ":"))
        .map(l -> name + " " + Long.parseLong(l.substring(name.length() + 1).trim().split("\\s+")[0]) / 1024
            + " MiB")
        .findFirst().orElse(name + " unknown");
  }
}
