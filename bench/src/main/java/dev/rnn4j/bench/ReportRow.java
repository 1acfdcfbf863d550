package dev.rnn4j.bench;

/**
 * One line of the report.
 *
 * @param workload what was measured
 * @param implementation "scalar", "simd", or "vector-api" for the FMA peak
 * @param threads threads working on one operation (JMH threads, or the library's {@code threads} parameter)
 * @param secondsPerOp median time per operation
 * @param relativeError JMH's error relative to the score, NaN if unknown
 * @param gflops GFLOP/s, NaN if the workload is not FLOP-counted
 * @param gelems elements per second / 1e9, NaN if not element-counted
 * @param fractionOfPeak FLOP rate / (in-run FMA peak of the precision * threads), NaN if unknown
 * @param bytesPerOp bytes allocated per operation, NaN if the GC profiler did not run
 * @param scalarOverSimd scalar time / SIMD time for the same workload and threads, on the SIMD row; NaN elsewhere
 * @param benchmark JMH's full benchmark name
 * @param params the benchmark parameters as {@code k=v} pairs
 * @param notes markers of doubtful figures, explained by {@link ReportTable#footnotes()}; empty if none
 */
public record ReportRow(Workload workload, String implementation, int threads, double secondsPerOp,
                        double relativeError, double gflops, double gelems, double fractionOfPeak,
                        double bytesPerOp, double scalarOverSimd, String benchmark, String params,
                        String notes) {

  ReportRow withRatio(double ratio) {
    return new ReportRow(workload, implementation, threads, secondsPerOp, relativeError, gflops, gelems,
        fractionOfPeak, bytesPerOp, ratio, benchmark, params, notes);
  }
}
