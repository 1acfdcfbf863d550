package dev.rnn4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SteadyStateTest {

  private static final long MS = 1_000_000;

  /** Feeds calls of the given lengths back to back from time 0; the 1-based number of the first steady call. */
  private static int firstSteady(SteadyState s, long[] callNanos, long[] compileMillis) {
    long now = 0;
    for (int i = 0; i < callNanos.length; i++) {
      now += callNanos[i];
      if (s.add(callNanos[i], now, compileMillis[i])) {
        return i + 1;
      }
    }
    return -1;
  }

  private static long[] ms(long... v) {
    long[] n = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      n[i] = v[i] * MS;
    }
    return n;
  }

  @Test
  void steadyOnceTheWindowsMedianHasStayedSettledForTheQuietTime() {
    // window 3: medians of calls 1-3 = 50, 2-4 = 20, 3-5 = 10 (<= 1.2 x 10): settled from call 5 (t = 190 ms), and a
    // window of settled calls later at call 7
    long[] calls = ms(100, 50, 20, 10, 10, 10, 10, 10);
    assertEquals(7, firstSteady(new SteadyState(1.2, 3, 0), calls, new long[calls.length]));
    // a quiet time of 30 ms: settled since call 5 (t = 190), steady at call 8 (t = 220)
    assertEquals(8, firstSteady(new SteadyState(1.2, 3, 30 * MS), calls, new long[calls.length]));
  }

  @Test
  void oneSlowCallDoesNotBreakTheMedian() {
    long[] calls = ms(10, 10, 10, 40, 10, 10, 10);
    assertEquals(5, firstSteady(new SteadyState(1.2, 3, 0), calls, new long[calls.length])); // settled calls 3-5
    // settled since call 3 (t = 30 ms) through the 40 ms call: 50 ms later is call 5 (t = 80 ms)
    assertEquals(5, firstSteady(new SteadyState(1.2, 3, 50 * MS), calls, new long[calls.length]));
  }

  @Test
  void aCompilationFinishingDuringTheQuietTimeStartsItAgain() {
    long[] calls = ms(10, 10, 10, 10, 10, 10, 10, 10);
    // settled from call 3 (t = 30 ms); at call 5 the JIT reports 5 ms more (> 20 ms / 20 + 1 ms): quiet from t = 50,
    // three settled calls and 20 ms at call 7
    long[] compile = {7, 7, 7, 7, 12, 12, 12, 12};
    assertEquals(7, firstSteady(new SteadyState(1.2, 3, 20 * MS), calls, compile));
    assertEquals(5, firstSteady(new SteadyState(1.2, 3, 20 * MS), calls, new long[calls.length]));
    // 1 ms of compilation is within the allowance: no restart
    long[] little = {7, 7, 7, 7, 8, 8, 8, 8};
    assertEquals(5, firstSteady(new SteadyState(1.2, 3, 20 * MS), calls, little));
  }

  @Test
  void aNewFastestCallUnsettlesSlowerMedians() {
    // 10 ms calls look settled until 5 ms calls show that 10 ms is 2x too slow
    long[] calls = ms(10, 10, 10, 5, 5, 5, 5);
    SteadyState s = new SteadyState(1.2, 3, 10 * MS);
    assertEquals(7, firstSteady(s, calls, new long[calls.length])); // median 5 from call 5, 10 ms later: call 7
    assertEquals(7, s.calls());
    assertEquals(5 * MS, s.fastestNanos());
  }

  @Test
  void unknownCompileTimeLetsTimingsDecide() {
    long[] calls = ms(10, 10, 10, 10, 10);
    assertEquals(5, firstSteady(new SteadyState(1.2, 3, 0), calls, new long[] {-1, -1, -1, -1, -1}));
  }

  @Test
  void neverSteadyWhileTheMedianStaysAboveTheTolerance() {
    long[] calls = new long[60];
    for (int i = 0; i < calls.length; i++) {
      calls[i] = (i % 2 == 0 ? 10 : 13) * MS;
    }
    assertEquals(-1, firstSteady(new SteadyState(1.2, 5, 0), ms(10, 20, 20, 20, 20, 20, 20), new long[7]));
    // window 3: the median alternates between 10 (settled) and 13 (not): never three settled calls in a row
    assertEquals(-1, firstSteady(new SteadyState(1.2, 3, 0), calls, new long[calls.length]));
  }

  @Test
  void aCallTimeOfZeroIsNotAMeasurement() {
    // The thread CPU clock read the same value before and after a call once in two million calls on a 2-vCPU VM; as
    // the fastest call, that 0 made every median "slower than tolerance x 0", and a warm-up of 1 us calls never got
    // steady (WarmUpTest.aLooseToleranceSettlesAndTheResultSaysSo, 6.9 million calls in its 20 s budget).
    long[] calls = ms(10, 10, 0, 10, 10, 10, 10);
    assertEquals(6, firstSteady(new SteadyState(1.2, 3, 0), calls, new long[calls.length]));
    SteadyState s = new SteadyState(1000, 3, 0);
    assertEquals(6, firstSteady(s, calls, new long[calls.length]));
    assertEquals(10 * MS, s.fastestNanos());
    assertEquals(5, s.calls()); // six given, the zero not counted
    // nor a negative difference, from a clock that stepped back
    assertEquals(-1, firstSteady(new SteadyState(1.2, 3, 0), new long[] {-5, -5, -5}, new long[3]));
  }

  @Test
  void badArgumentsAreRejectedWithTheirValues() {
    var e = assertThrows(IllegalArgumentException.class, () -> new SteadyState(0.9, 3, 0));
    assertTrue(e.getMessage().contains("tolerance must be >= 1, got 0.9"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new SteadyState(Double.NaN, 3, 0));
    e = assertThrows(IllegalArgumentException.class, () -> new SteadyState(1.2, 0, 0));
    assertTrue(e.getMessage().contains("got 0 and 0"), e.getMessage());
  }
}
