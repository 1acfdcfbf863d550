package dev.rnn4j.bench;

/**
 * What one benchmark operation does, for the report: a readable name and the work per operation.
 *
 * @param name what is measured, without the implementation (rows of the same name are compared scalar vs SIMD),
 *             e.g. {@code "sgemm 512x512x512"}
 * @param precision the precision whose FMA peak the FLOP rate is compared with; null if not FLOP-counted
 * @param flopsPerOp floating-point operations per benchmark operation (multiply-add = 2), 0 if not counted
 * @param elementsPerOp elements processed per operation, for element-wise work; 0 if not counted
 * @param peak true for the FMA-peak benchmark itself: the reference of its precision
 */
public record Workload(String name, Precision precision, double flopsPerOp, double elementsPerOp, boolean peak) {

  /** A FLOP-counted workload. */
  public static Workload flops(String name, Precision precision, double flopsPerOp) {
    return new Workload(name, precision, flopsPerOp, 0, false);
  }

  /** An element-counted workload (maps, whose FLOPs per element differ between implementations). */
  public static Workload elements(String name, double elementsPerOp) {
    return new Workload(name, null, 0, elementsPerOp, false);
  }

  /** The FMA peak of {@code precision}. */
  public static Workload peak(String name, Precision precision, double flopsPerOp) {
    return new Workload(name, precision, flopsPerOp, 0, true);
  }

  /** A workload the report knows nothing about: timed, but with no work count. */
  public static Workload uncounted(String name) {
    return new Workload(name, null, 0, 0, false);
  }
}
