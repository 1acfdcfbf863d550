package dev.rnn4j.examples.support;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Training speed in steps per second and the time left, from the times at which steps complete.
 *
 * <p>The rate is a ratio of exponentially decayed sums: after each observation, the steps done and the seconds
 * spent since the previous one are added to sums that first decay by {@code exp(-dt / tau)}. A constant speed is
 * therefore reported exactly from the second observation on, with no start-up bias and no rounding of the elapsed
 * time to whole seconds; after a change of speed, the old speed's weight falls by a factor e every {@code tau}
 * seconds. The first observation only starts the clock: the first training step pays for class loading and JIT
 * compilation, which says nothing about the steps after it.
 *
 * <p>Thread-safe: the training thread observes, a progress bar's thread reads.
 */
public final class StepRate {
  private final double tauSeconds;
  private double decayedSteps;
  private double decayedSeconds;
  private boolean started;
  private long lastNanos;
  private long lastStep;

  /** A rate that forgets the speed of {@code tauSeconds} ago by a factor e. */
  public StepRate(double tauSeconds) {
    if (!(tauSeconds > 0)) {
      throw new IllegalArgumentException("StepRate: tauSeconds must be > 0, got " + tauSeconds);
    }
    this.tauSeconds = tauSeconds;
  }

  /** Records that {@code step} steps are complete at {@link System#nanoTime()} {@code nanos}. */
  public synchronized void observe(long step, long nanos) {
    if (!started) {
      started = true;
    } else {
      double dt = Math.max(0, (nanos - lastNanos) / 1e9);
      double decay = Math.exp(-dt / tauSeconds);
      decayedSteps = decayedSteps * decay + (step - lastStep);
      decayedSeconds = decayedSeconds * decay + dt;
    }
    lastNanos = nanos;
    lastStep = step;
  }

  /** Steps per second, once two observations are at least a moment apart. */
  public synchronized OptionalDouble stepsPerSecond() {
    return decayedSeconds > 0 && decayedSteps > 0 ? OptionalDouble.of(decayedSteps / decayedSeconds) : OptionalDouble.empty();
  }

  /**
   * The time left until step {@code total} at the current rate, counted from {@code nowNanos} (so that it runs
   * down between observations); never negative, zero once {@code total} steps are done.
   */
  public synchronized Optional<Duration> remaining(long total, long nowNanos) {
    if (started && lastStep >= total) {
      return Optional.of(Duration.ZERO);
    }
    OptionalDouble rate = stepsPerSecond();
    if (rate.isEmpty()) {
      return Optional.empty();
    }
    double seconds = (total - lastStep) / rate.getAsDouble() - (nowNanos - lastNanos) / 1e9;
    return Optional.of(Duration.ofMillis(Math.round(Math.max(0, seconds) * 1000)));
  }

  /** A rate for people: three significant digits below 100 ("0.712", "4.80", "12.3"), whole numbers above. */
  public static String format(double stepsPerSecond) {
    if (stepsPerSecond >= 99.5) {
      return String.format(Locale.ROOT, "%.0f", stepsPerSecond);
    }
    if (stepsPerSecond >= 9.995) {
      return String.format(Locale.ROOT, "%.1f", stepsPerSecond);
    }
    if (stepsPerSecond >= 0.9995) {
      return String.format(Locale.ROOT, "%.2f", stepsPerSecond);
    }
    return String.format(Locale.ROOT, "%.3f", stepsPerSecond);
  }

  /** {@code h:mm:ss}, as the progress bar shows durations. */
  public static String format(Duration d) {
    long s = Math.max(0, d.toSeconds());
    return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60);
  }
}
