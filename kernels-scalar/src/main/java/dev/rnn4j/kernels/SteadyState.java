package dev.rnn4j.kernels;

import java.util.Arrays;

/**
 * Decides from per-call times when repeated calls of the same work have reached their steady state: the JIT has
 * compiled what they run, so that later calls will not be much faster.
 *
 * <p>The calls are <em>settled</em> when the median of the last {@code window} calls is at most {@code tolerance}
 * times the fastest call seen so far (a median, so that a single call slowed by a collection or another process does
 * not count against them). The state is steady once the calls have stayed settled for at least {@code window} calls and
 * {@code quietNanos} of wall time while the JIT compilers ({@link JitActivity}) spent at most a twentieth of that time (plus 1 ms) on
 * finishing compilations. The last condition matters for the Vector API: its code runs allocating and slow, but at a
 * stable speed, while C2 is still compiling it, so timings alone can look steady too early; the quiet period gives a
 * compilation in flight (C2 takes tens of milliseconds for a large kernel) time to finish and show up. Where the JVM
 * cannot report compile time, timings alone decide.
 *
 * <p>Not thread-safe: one instance per measuring thread.
 */
public final class SteadyState {

  private final double tolerance;
  private final long quietNanos;
  private final long[] recent;
  private final long[] sorted;
  private long fastest = Long.MAX_VALUE;
  private long calls;
  // since when the calls have been settled (-1: they are not) and the JIT's compile time then
  private long settledSinceNanos = -1;
  private long settledCompileMillis;
  private long settledCalls;

  /**
   * @param tolerance how much slower than the fastest call the median of the window may be, e.g. 1.2
   * @param window how many recent calls the median is taken over, and the fewest calls that can be steady; >= 1
   * @param quietNanos wall time the calls must stay settled with the JIT quiet, >= 0
   * @throws IllegalArgumentException for a tolerance below 1 (or NaN), a window below 1 or a negative quiet time
   */
  public SteadyState(double tolerance, int window, long quietNanos) {
    if (!(tolerance >= 1)) {
      throw new IllegalArgumentException("SteadyState: tolerance must be >= 1, got " + tolerance);
    }
    if (window < 1 || quietNanos < 0) {
      throw new IllegalArgumentException("SteadyState: window must be >= 1 and quietNanos >= 0, got " + window
          + " and " + quietNanos);
    }
    this.tolerance = tolerance;
    this.quietNanos = quietNanos;
    this.recent = new long[window];
    this.sorted = new long[window];
  }

  /** {@link #add(long, long, long)} with the current time and the JVM's compile time. */
  public boolean add(long callNanos) {
    return add(callNanos, System.nanoTime(), JitActivity.totalCompileMillis());
  }

  /**
   * Records a call (a time of zero or less is ignored: see below).
   *
   * @param callNanos how long the call took
   * @param endNanos {@link System#nanoTime()} at the end of the call
   * @param compileMillis {@link JitActivity#totalCompileMillis()} at the end of the call (-1: unknown)
   * @return whether the calls are now steady; false for a call time of zero or less, which is not recorded
   */
  public boolean add(long callNanos, long endNanos, long compileMillis) {
    if (callNanos <= 0) {
      // Not a measurement: no call takes no time. The thread CPU clock once read the same value before and after a
      // call (one call in two million on a 2-vCPU VM), and as the fastest call that 0 would have kept every later
      // median above "tolerance x fastest": never steady.
      return false;
    }
    recent[(int) (calls % recent.length)] = callNanos;
    calls++;
    fastest = Math.min(fastest, callNanos);
    if (calls < recent.length || median() > tolerance * fastest) {
      settledSinceNanos = -1;
      return false;
    }
    if (settledSinceNanos < 0) {
      settledSinceNanos = endNanos;
      settledCompileMillis = compileMillis;
      settledCalls = 0;
    }
    settledCalls++;
    long settledFor = endNanos - settledSinceNanos;
    if (compileMillis >= 0 && (compileMillis - settledCompileMillis) * 1_000_000L > settledFor / 20 + 1_000_000L) {
      // the JIT is still busy: count the quiet time from now
      settledSinceNanos = endNanos;
      settledCompileMillis = compileMillis;
      settledCalls = 1;
      settledFor = 0;
    }
    // a whole window of settled calls, not just the quiet time: when each call is long, a compilation in flight needs
    // more than one call's time to show up (on a loaded machine a warm-up once stopped on a C1 plateau 25x too slow)
    return settledCalls >= recent.length && settledFor >= quietNanos;
  }

  private long median() {
    System.arraycopy(recent, 0, sorted, 0, recent.length);
    Arrays.sort(sorted);
    return sorted[(recent.length - 1) / 2];
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
