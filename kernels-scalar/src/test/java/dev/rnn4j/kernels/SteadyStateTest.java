package dev.rnn4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SteadyStateTest {

  private static final long MS = 1_000_000;

  /** Feeds calls of the given lengths back to back from time 0 with a fixed compile time; the first steady call. */
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

  @Test
  void steadyAfterEnoughSettledCallsSpanningTheQuietTime() {
    // 100, 50, 20 ms, then 10 ms calls: settled (<= 1.2 * 10) from call 4; 3 calls and 30 ms are needed.
    long[] calls = {100 * MS, 50 * MS, 20 * MS, 10 * MS, 11 * MS, 10 * MS, 10 * MS};
    assertEquals(6, firstSteady(new SteadyState(1.2, 3, 30 * MS), calls, new long[calls.length]));
    // a quiet time of 40 ms needs a fourth settled call (4 calls of 10-11 ms = 41 ms)
    assertEquals(7, firstSteady(new SteadyState(1.2, 3, 40 * MS), calls, new long[calls.length]));
  }

  @Test
  void aCompilationDuringTheRunStartsItAgain() {
    long[] calls = {10 * MS, 10 * MS, 10 * MS, 10 * MS, 10 * MS, 10 * MS};
    long[] compile = {5, 5, 9, 9, 9, 9}; // the JIT finished something during call 3
    assertEquals(5, firstSteady(new SteadyState(1.2, 3, 0), calls, compile));
    assertEquals(3, firstSteady(new SteadyState(1.2, 3, 0), calls, new long[calls.length]));
  }

  @Test
  void aNewFastestCallDisqualifiesSlowerCallsOfTheRun() {
    // 10 ms calls look settled until a 5 ms call shows that 10 ms is 2x too slow
    long[] calls = {10 * MS, 10 * MS, 5 * MS, 5 * MS, 5 * MS, 5 * MS};
    assertEquals(6, firstSteady(new SteadyState(1.2, 4, 0), calls, new long[calls.length]));
  }

  @Test
  void aSlowCallBreaksTheRun() {
    long[] calls = {10 * MS, 10 * MS, 30 * MS, 10 * MS, 10 * MS, 10 * MS};
    SteadyState s = new SteadyState(1.2, 3, 0);
    assertEquals(6, firstSteady(s, calls, new long[calls.length]));
    assertEquals(6, s.calls());
    assertEquals(10 * MS, s.fastestNanos());
  }

  @Test
  void unknownCompileTimeLetsTimingsDecide() {
    long[] calls = {10 * MS, 10 * MS, 10 * MS};
    assertEquals(3, firstSteady(new SteadyState(1.2, 3, 0), calls, new long[] {-1, -1, -1}));
  }

  @Test
  void neverSteadyWhileCallsKeepGettingFaster() {
    long[] calls = new long[50];
    for (int i = 0; i < calls.length; i++) {
      calls[i] = (100 - i) * MS; // each 1-2% faster: settled, but a 2-call run needs a 1.0x tolerance to break
    }
    assertFalse(firstSteady(new SteadyState(1.0, 2, 0), calls, new long[calls.length]) > 0);
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
