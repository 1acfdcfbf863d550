package dev.rnn4j.examples.support;

import java.io.Console;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.Locale;
import java.util.OptionalDouble;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Reports training progress: on a terminal, a progress bar on stderr with the smoothed loss, the speed and the time
 * left; otherwise (output redirected to a file or a pipe, {@code --no-progress}, tests) a plain line every tenth of
 * the run. The bar uses the ASCII style, so it writes no escape codes at all; it draws with carriage returns, which
 * is why it is only used on a terminal.
 *
 * <p>Speed and time left come from a {@link StepRate} (exponentially decayed over {@value #RATE_TAU_SECONDS} s), not
 * from the progress bar library's own figures, which divide by the elapsed time in whole seconds ("?" for the
 * first second, ".7 steps/s") and average over the slow first steps for the whole run.
 */
public final class TrainingProgress implements AutoCloseable {

  /** Time constant of the speed estimate: a few seconds, so that it settles once the JIT has compiled the kernels. */
  static final double RATE_TAU_SECONDS = 3.0;

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
  private final SingleFinish consumer;
  private final PrintStream log;
  private final String prefix;
  private final int total;
  private final int logEvery;
  private final long startNanos = System.nanoTime();
  private final StepRate rate = new StepRate(RATE_TAU_SECONDS);
  private double smoothed = Double.NaN;

  private TrainingProgress(ProgressBar bar, SingleFinish consumer, PrintStream log, String task, int total) {
    this.bar = bar;
    this.consumer = consumer;
    this.log = log;
    // Lines of examples that train several models say which run they belong to.
    this.prefix = task == null || task.isBlank() || task.strip().equals("training") ? "" : task.strip() + ": ";
    this.total = total;
    this.logEvery = Math.max(1, total / 10);
  }

  /** A progress bar titled {@code task} over {@code total} steps, drawn on {@code terminal}. */
  static TrainingProgress bar(String task, int total, PrintStream terminal) {
    TrainingProgress[] self = new TrainingProgress[1];
    SingleFinish consumer = new SingleFinish(new ConsoleProgressBarConsumer(terminal, 110));
    ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(total)
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(250)
            .setUnit(" steps", 1)
            .setEtaFunction(state -> self[0].rate.remaining(total, System.nanoTime()))
            .setMaxRenderedLength(110)
            .setConsumer(consumer)
            .build();
    self[0] = new TrainingProgress(bar, consumer, null, task, total);
    return self[0];
  }

  /** Plain lines on {@code log} every tenth of the run (or none if {@code log} is null). */
  public static TrainingProgress lines(PrintStream log, int total) {
    return lines(log, null, total);
  }

  /** Plain lines on {@code log}, each starting with {@code task} unless it is the usual "training". */
  public static TrainingProgress lines(PrintStream log, String task, int total) {
    return new TrainingProgress(null, null, log, task, total);
  }

  /**
   * The progress bar on stderr when the user did not ask for {@code --no-progress} and the JVM runs on a terminal,
   * else plain lines on {@code log}.
   */
  public static TrainingProgress create(CommonOptions options, String task, int total, PrintStream log) {
    return options.progressBar() && onTerminal() ? bar(task, total, System.err) : lines(log, task, total);
  }

  /**
   * Whether the JVM's standard input and output are a terminal: {@link System#console()} exists only then up to
   * JDK 21, and from JDK 22 on it may exist anyway and says so with {@code Console.isTerminal()} (called
   * reflectively: the examples compile for release 21).
   */
  static boolean onTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      Method isTerminal = Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(console);
    } catch (NoSuchMethodException e) {
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  /** Records the loss of step {@code step} (1-based). */
  public void step(int step, double loss) {
    rate.observe(step, System.nanoTime());
    smoothed = Double.isNaN(smoothed) ? loss : 0.9 * smoothed + 0.1 * loss;
    OptionalDouble perSecond = rate.stepsPerSecond();
    String speed = perSecond.isPresent() ? StepRate.format(perSecond.getAsDouble()) + " steps/s  " : "";
    if (bar != null) {
      bar.stepTo(step);
      bar.setExtraMessage(String.format(Locale.ROOT, "%sloss %.4f", speed, smoothed));
    } else if (log != null && (step % logEvery == 0 || step == total)) {
      String left = rate.remaining(total, System.nanoTime()).map(d -> "  " + StepRate.format(d) + " left").orElse("");
      log.printf(Locale.ROOT, "%sstep %d/%d  loss %.4f  %s%s%n", prefix, step, total, smoothed, speed.strip(), left);
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
      // ProgressBar.close() runs one last update and waits for it, but an update that finds the bar's first drawing
      // still pending only draws and returns without closing the consumer, so the final newline was sometimes never
      // written (TrainingProgressTest, repeated 60 times: 15 failures). Closing it here is idempotent (SingleFinish).
      consumer.close();
    }
  }

  /**
   * Passes the bar through to a console consumer until the first {@code close()}, and ignores everything after it.
   * The library's {@code ProgressBar.close()} cancels the periodic refresh without waiting for a refresh already
   * running, which then sees the bar finished and draws and closes it too, before the close's own final refresh:
   * the finished bar was printed two or three times.
   */
  static final class SingleFinish implements ProgressBarConsumer {
    private final ProgressBarConsumer console;
    private boolean closed;

    SingleFinish(ProgressBarConsumer console) {
      this.console = console;
    }

    @Override
    public int getMaxRenderedLength() {
      return console.getMaxRenderedLength();
    }

    @Override
    public synchronized void accept(String rendered) {
      if (!closed) {
        console.accept(rendered);
      }
    }

    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        console.close();
      }
    }
  }
}
