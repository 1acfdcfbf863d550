package dev.rnn4j.kernels;

/**
 * Prints which kernels this JVM uses and why, the machine's caches and the block sizes derived from them:
 * {@code java [--add-modules=jdk.incubator.vector] -cp ... dev.rnn4j.kernels.KernelInfo}.
 */
public final class KernelInfo {

  private KernelInfo() {}

  public static void main(String[] args) {
    KernelSelector.Selection s = KernelSelector.select(System.getProperty(KernelSelector.PROPERTY, "auto"));
    System.out.println(s.explanation());
    System.out.println("java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name")
        + ", " + System.getProperty("java.vm.info") + ")");
    System.out.println("cpu " + CpuModel.describe() + ", " + Runtime.getRuntime().availableProcessors()
        + " processors");
    System.out.println("caches " + CacheHierarchy.detected().describe());
    for (String tuning : new String[] {s.kernels().f32().tuning(), s.kernels().f64().tuning()}) {
      if (!tuning.isEmpty()) {
        System.out.println(tuning);
      }
    }
  }
}
