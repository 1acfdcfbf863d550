package dev.rnn4j.nn.recurrent.internal;

import dev.rnn4j.kernels.KernelProvider;
import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.nn.recurrent.CellKind;
import java.lang.management.ManagementFactory;
import java.util.ServiceLoader;

/**
 * Run in a child JVM by {@link BiasFoldAllocationTest}: prints, for every cell kind and both precisions, the bytes
 * that one {@code prepare} (the bias folding a forward pass and every streaming step start with) allocates on the
 * Vector API kernels, averaged over 100 calls after 50 others.
 */
public final class BiasFoldMain {

  private BiasFoldMain() {
  }

  public static void main(String[] args) {
    // the SIMD kernels whatever the JVM's compilers: the test runs this with C1 only, where selection would refuse them
    Kernels k = ServiceLoader.load(KernelProvider.class).stream().map(ServiceLoader.Provider::get)
        .filter(p -> p.name().equals("simd")).findFirst().orElseThrow().create();
    var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    int input = 8;
    int hidden = 64;
    for (CellKind kind : CellKind.values()) {
      int gh = kind.gates() * hidden;
      FloatRecurrentEngine fe = new FloatRecurrentEngine(k.f32(), kind, input, hidden);
      FloatEngineWeights fw = new FloatEngineWeights(gh).set(new float[gh * input], 0, new float[gh * hidden], 0,
          new float[gh], 0, new float[gh], 0);
      DoubleRecurrentEngine de = new DoubleRecurrentEngine(k.f64(), kind, input, hidden);
      DoubleEngineWeights dw = new DoubleEngineWeights(gh).set(new double[gh * input], 0, new double[gh * hidden], 0,
          new double[gh], 0, new double[gh], 0);
      for (int i = 0; i < 50; i++) {
        fe.prepare(fw);
        de.prepare(dw);
      }
      long before = mx.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < 100; i++) {
        fe.prepare(fw);
      }
      long f = (mx.getCurrentThreadAllocatedBytes() - before) / 100;
      before = mx.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < 100; i++) {
        de.prepare(dw);
      }
      long d = (mx.getCurrentThreadAllocatedBytes() - before) / 100;
      System.out.println(kind + " float32 " + f + " float64 " + d);
    }
    System.out.println("done");
  }
}
