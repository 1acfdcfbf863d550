package dev.rnn4j.examples.support;

import java.io.PrintStream;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Reports training progress: a terminal progress bar on stderr with the smoothed loss and steps/s, or, when the
 * bar is off (tests, {@code --no-progress}), nothing but the occasional summary line on a given stream.
 */
public final class TrainingProgress implements AutoCloseable {

  /** Receives one report per training step. */
  public interface Listener {
    void step(int step, double loss);

    /** A listener that ignores everything, for tests. */
    Listener SILENT = (step, loss) -> {};
  }

  /** Opens one progress report per training run (examples that train several models). */
  public interface Factory {
    TrainingProgress open(String task, int total);

    /** Reports nothing, for tests. */
    Factory SILENT = (task, total) -> lines(null, total);
  }

  private final ProgressBar bar;
  private final PrintStream log;
  private final int total;
  private final int logEvery;
  private final long startNanos = System.nanoTime();
  private double smoothed = Double.NaN;

  private TrainingProgress(ProgressBar bar, PrintStream log, int total) {
    this.bar = bar;
    this.log = log;
    this.total = total;
    this.logEvery = Math.max(1, total / 10);
  }

  /** A progress bar titled {@code task} over {@code total} steps. */
  public static TrainingProgress bar(String task, int total) {
    ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(total)
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(250)
            .setUnit(" steps", 1)
            .showSpeed()
            .setSpeedUnit(ChronoUnit.SECONDS)
            .setMaxRenderedLength(110)
            .setConsumer(new ConsoleProgressBarConsumer(System.err, 110))
            .build();
    return new TrainingProgress(bar, null, total);
  }

  /** Plain lines on {@code log} every tenth of the run (or none if {@code log} is null). */
  public static TrainingProgress lines(PrintStream log, int total) {
    return new TrainingProgress(null, log, total);
  }

  /** Chooses between the two by the user's {@code --no-progress}. */
  public static TrainingProgress create(CommonOptions options, String task, int total, PrintStream log) {
    return options.progressBar() ? bar(task, total) : lines(log, total);
  }

  /** Records the loss of step {@code step} (1-based). */
  public void step(int step, double loss) {
    smoothed = Double.isNaN(smoothed) ? loss : 0.9 * smoothed + 0.1 * loss;
    if (bar != null) {
      bar.stepTo(step);
      bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f", smoothed));
    } else if (log != null && (step % logEvery == 0 || step == total)) {
      double seconds = (System.nanoTime() - startNanos) / 1e9;
      log.printf(
          Locale.ROOT, "step %d/%d  loss %.4f  %.1f steps/s%n", step, total, smoothed, step / seconds);
    }
  }

  /** This object as a {@link Listener}. */
  public Listener listener() {
    return this::step;
  }

  /** Seconds since creation. */
  public double elapsedSeconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
