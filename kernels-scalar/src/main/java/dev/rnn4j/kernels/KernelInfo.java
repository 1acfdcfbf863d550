package dev.rnn4j.kernels;

/**
 * Prints which kernels this JVM uses and why: {@code java [--add-modules=jdk.incubator.vector] -cp ... 
 * dev.rnn4j.kernels.KernelInfo}.
 */
public final class KernelInfo {

  private KernelInfo() {}

  public static void main(String[] args) {
    KernelSelector.Selection s = KernelSelector.select(System.getProperty(KernelSelector.PROPERTY, "auto"));
    System.out.println(s.explanation());
    System.out.println("java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name")
        + ", " + System.getProperty("java.vm.info") + ")");
  }
}
