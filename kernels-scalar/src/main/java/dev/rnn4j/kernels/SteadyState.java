package dev.rnn4j.kernels;

/**
 * Decides from per-call times when repeated calls of the same work have reached their steady state: the JIT has
 * compiled what they run, so that later calls will not be much faster.
 *
 * <p>A call is <em>settled</em> when it took at most {@code tolerance} times the fastest call seen so far. The state is
 * steady once the last run of consecutive settled calls holds at least {@code minCalls} calls, has lasted at least
 * {@code quietNanos} of wall time, and the JIT compilers' total compile time ({@link JitActivity}) has not grown
 * during it. The last condition matters for the Vector API: its code runs allocating and slow, but at a stable speed,
 * while C2 is still compiling it, so timings alone can look steady too early. The quiet period gives a compilation in
 * flight (C2 compiles a large kernel in tens of milliseconds) time to finish and show up. Where the JVM cannot report
 * compile time, timings alone decide.
 *
 * <p>Not thread-safe: one instance per measuring thread.
 */
public final class SteadyState {

  private final double tolerance;
  private final int minCalls;
  private final long quietNanos;
  private long fastest = Long.MAX_VALUE;
  private long calls;
  // the current run of settled calls: its length, the slowest call in it, when it began and the compile time then
  private int runCalls;
  private long runSlowest;
  private long runStartNanos;
  private long runCompileMillis;

  /**
   * @param tolerance how much slower than the fastest call a settled call may be, e.g. 1.2
   * @param minCalls settled calls in a row needed, at least 1
   * @param quietNanos wall time the run of settled calls must last, at least 0
   * @throws IllegalArgumentException for a tolerance below 1 (or NaN), minCalls below 1 or a negative quiet time
   */
  public SteadyState(double tolerance, int minCalls, long quietNanos) {
    if (!(tolerance >= 1)) {
      throw new IllegalArgumentException("SteadyState: tolerance must be >= 1, got " + tolerance);
    }
    if (minCalls < 1 || quietNanos < 0) {
      throw new IllegalArgumentException("SteadyState: minCalls must be >= 1 and quietNanos >= 0, got " + minCalls
          + " and " + quietNanos);
    }
    this.tolerance = tolerance;
    this.minCalls = minCalls;
    this.quietNanos = quietNanos;
  }

  /** {@link #add(long, long, long)} with the current time and the JVM's compile time. */
  public boolean add(long callNanos) {
    return add(callNanos, System.nanoTime(), JitActivity.totalCompileMillis());
  }

  /**
   * Records a call.
   *
   * @param callNanos how long the call took
   * @param endNanos {@link System#nanoTime()} at the end of the call
   * @param compileMillis {@link JitActivity#totalCompileMillis()} at the end of the call (-1: unknown)
   * @return whether the calls are now steady
   */
  public boolean add(long callNanos, long endNanos, long compileMillis) {
    calls++;
    if (callNanos < fastest) {
      fastest = callNanos;
      if (runSlowest > limit()) {
        runCalls = 0; // the run's slower calls no longer count as settled
      }
    }
    if (callNanos > limit() || (runCalls > 0 && compileMillis != runCompileMillis)) {
      runCalls = 0;
    }
    if (callNanos > limit()) {
      return false;
    }
    if (runCalls == 0) {
      runStartNanos = endNanos - callNanos;
      runCompileMillis = compileMillis;
      runSlowest = 0;
    }
    runCalls++;
    runSlowest = Math.max(runSlowest, callNanos);
    return steady(endNanos);
  }

  private double limit() {
    return tolerance * fastest;
  }

  private boolean steady(long nowNanos) {
    return runCalls >= minCalls && nowNanos - runStartNanos >= quietNanos;
  }

  /** Calls recorded so far. */
  public long calls() {
    return calls;
  }

  /** The fastest call so far in nanoseconds ({@link Long#MAX_VALUE} before the first). */
  public long fastestNanos() {
    return fastest;
  }
}
