package dev.rnn4j.examples.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StepRateTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void noRateBeforeTheSecondObservation() {
    StepRate r = new StepRate(3);
    assertTrue(r.stepsPerSecond().isEmpty());
    assertEquals(Optional.empty(), r.remaining(100, 0));
    r.observe(1, 5 * SECOND); // the first step only starts the clock, however long it took
    assertTrue(r.stepsPerSecond().isEmpty());
    assertEquals(Optional.empty(), r.remaining(100, 5 * SECOND));
  }

  @Test
  void aSteadySpeedIsExactFromTheSecondStep() {
    StepRate r = new StepRate(3);
    r.observe(1, 7 * SECOND); // a slow first step (warm-up) is not counted
    for (int step = 2; step <= 40; step++) {
      r.observe(step, 7 * SECOND + (step - 1) * SECOND / 4);
      // Each interval is 0.25 s for 1 step: both decayed sums scale alike, the ratio is 4 up to rounding.
      assertEquals(4.0, r.stepsPerSecond().orElseThrow(), 1e-9, "after step " + step);
    }
  }

  @Test
  void aChangeOfSpeedIsWeightedByTheDecay() {
    StepRate r = new StepRate(1);
    r.observe(1, 0);
    r.observe(2, SECOND); // 1 step in 1 s
    r.observe(4, 2 * SECOND); // 2 steps in 1 s
    // steps = 1 * e^-1 + 2, seconds = 1 * e^-1 + 1 (tau = 1 s, dt = 1 s)
    double e = Math.exp(-1);
    assertEquals((2 + e) / (1 + e), r.stepsPerSecond().orElseThrow(), 1e-12);
  }

  @Test
  void theOldSpeedFadesAfterManyTimeConstants() {
    StepRate r = new StepRate(1);
    r.observe(1, 0);
    r.observe(2, 10 * SECOND); // 0.1 steps/s
    for (int i = 1; i <= 200; i++) {
      r.observe(2 + 10L * i, 10 * SECOND + i * SECOND / 10); // then 100 steps/s for 20 s
    }
    // The old interval's weight is e^-20 relative: rate = (1 e^-20 + 100 s) / (10 e^-20 + s) with s ~ 1 (the
    // decayed sum of the new intervals), within 100 * 10 e^-20 ~ 2e-6 of 100.
    assertEquals(100.0, r.stepsPerSecond().orElseThrow(), 1e-5);
  }

  @Test
  void timeLeftAtTheCurrentRateRunsDownBetweenSteps() {
    StepRate r = new StepRate(3);
    r.observe(1, 0);
    for (int step = 2; step <= 41; step++) {
      r.observe(step, (step - 1) * SECOND / 4); // 4 steps/s; step 41 at 10 s
    }
    assertEquals(Optional.of(Duration.ofSeconds(15)), r.remaining(101, 10 * SECOND)); // 60 steps at 4/s
    assertEquals(Optional.of(Duration.ofSeconds(10)), r.remaining(101, 15 * SECOND));
    assertEquals(Optional.of(Duration.ZERO), r.remaining(101, 100 * SECOND)); // late: zero, never negative
    assertEquals(Optional.of(Duration.ZERO), r.remaining(41, 10 * SECOND)); // done
  }

  @Test
  void ratesAndDurationsForPeople() {
    assertEquals("0.700", StepRate.format(0.7));
    assertEquals("4.80", StepRate.format(4.8));
    assertEquals("12.3", StepRate.format(12.34));
    assertEquals("250", StepRate.format(250.2));
    assertEquals("0:14:57", StepRate.format(Duration.ofSeconds(14 * 60 + 57)));
    assertEquals("1:00:00", StepRate.format(Duration.ofHours(1)));
  }
}
