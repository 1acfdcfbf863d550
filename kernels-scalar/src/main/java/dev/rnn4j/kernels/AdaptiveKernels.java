package dev.rnn4j.kernels;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The kernels of {@link KernelMode#ADAPTIVE}: the scalar spec first, then, once and for good, the SIMD kernels.
 *
 * <p><b>Why.</b> Until C2 has compiled it, Vector API code runs interpreted or C1-compiled, boxing every vector, many
 * times slower than plain loops; the scalar spec, by contrast, is fast as soon as C1 compiles it. A service that must
 * answer its first requests quickly but wants the SIMD speed later starts on the scalar kernels while a background
 * daemon thread ({@value #THREAD_NAME}) runs the SIMD kernels on small private data ({@code KernelExercise}: the
 * kernels of an LSTM, GRU and RNN forward and backward pass, maps, reductions and optimizer updates) until their
 * per-round CPU time has settled and the JIT is quiet ({@link SteadyState}: the median of the last 20
 * rounds within 1.2x of the fastest round for 20 rounds and 200 ms
 * while the JIT compilers were all but idle), or until 30 s have passed, and then switches.
 *
 * <p><b>What switching means.</b> {@link #current()} is one volatile read; the switch is one volatile write, so every
 * thread sees either the old or the new kernels, never a mix within one read. A pass stays on one set because it
 * reads the kernels once: a recurrent layer's forward takes {@code KernelScope.current()} when it starts and its
 * backward runs on the same set; worker threads inherit the caller's set; a stream state keeps the set current when
 * it was created (make new states after {@link #awaitSwitch} to stream on the SIMD kernels). Code that composes
 * several ops into one pass pins the set for it with {@code KernelScope.pin()}.
 *
 * <p><b>Reproducibility.</b> Results computed before and after the switch differ within the SIMD-vs-scalar bounds
 * that the kernel contract states (the SIMD kernels sum in another order and use FMA), and when the switch happens
 * depends on timing, so two runs of the same program can differ in which calls ran on which set. Runs that need
 * bitwise reproducibility use a fixed mode ({@code auto}, {@code scalar} or {@code simd}), which never switches.
 */
public final class AdaptiveKernels {

  /** The name of the background warm-up thread. */
  public static final String THREAD_NAME = "rnn4j-simd-warmup";

  // The class comment states these four values (package-private constants have no {@value} in the public Javadoc).
  static final double TOLERANCE = 1.2;
  static final int MIN_ROUNDS = 20;
  static final long QUIET_MILLIS = 200;
  static final long BUDGET_SECONDS = 30;

  private static final System.Logger LOG = System.getLogger("dev.rnn4j.kernels");

  private final Kernels initial;
  private final Kernels target;
  private final Supplier<SteadyState> steadiness;
  private final long budgetNanos;
  private final CountDownLatch switched = new CountDownLatch(1);
  private volatile Kernels current;
  private volatile String switchReport = "";

  /**
   * Kernels that start on {@code initial} and switch to {@code target} when {@link #switchToTarget} is called or, after
   * {@link #startWarmUp()}, when the background thread has found {@code target} compiled.
   *
   * @throws IllegalArgumentException if either is null
   */
  public AdaptiveKernels(Kernels initial, Kernels target) {
    this(initial, target, () -> new SteadyState(TOLERANCE, MIN_ROUNDS, TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS)),
        TimeUnit.SECONDS.toNanos(BUDGET_SECONDS));
  }

  /** With another test of steadiness and budget (for tests). */
  AdaptiveKernels(Kernels initial, Kernels target, Supplier<SteadyState> steadiness, long budgetNanos) {
    if (initial == null || target == null) {
      throw new IllegalArgumentException("AdaptiveKernels: " + (initial == null ? "initial" : "target")
          + " kernels are null");
    }
    this.initial = initial;
    this.target = target;
    this.current = initial;
    this.steadiness = steadiness;
    this.budgetNanos = budgetNanos;
  }

  /** The kernels to use for a pass that starts now: the initial set before the switch, the target set after. */
  public Kernels current() {
    return current;
  }

  /** The kernels used before the switch. */
  public Kernels initial() {
    return initial;
  }

  /** The kernels used after the switch. */
  public Kernels target() {
    return target;
  }

  /** Whether the switch has happened. */
  public boolean hasSwitched() {
    return switched.getCount() == 0;
  }

  /** How the switch came about (rounds, time, per-round time), empty before it. */
  public String switchReport() {
    return switchReport;
  }

  /**
   * Waits until the switch has happened or {@code timeout} has passed.
   *
   * @return whether the switch has happened
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean awaitSwitch(Duration timeout) throws InterruptedException {
    Objects.requireNonNull(timeout, "timeout");
    return switched.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Switches to the target kernels now (does nothing if already switched). Passes that started before keep the set
   * they took; passes that start after use the target set.
   *
   * @param why a short note for the log line and {@link #switchReport()}
   */
  public synchronized void switchToTarget(String why) {
    if (hasSwitched()) {
      return;
    }
    switchReport = why;
    current = target;
    switched.countDown();
    LOG.log(Level.INFO, "rnn4j kernels: adaptive: switched from " + initial.name() + " to " + target.name() + " ("
        + why + ")");
  }

  /**
   * Starts the daemon thread that exercises the target kernels until they are compiled and then switches (once).
   *
   * @return the thread
   */
  public Thread startWarmUp() {
    Thread t = new Thread(this::warmUpAndSwitch, THREAD_NAME);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private void warmUpAndSwitch() {
    long began = System.nanoTime();
    SteadyState steady = steadiness.get();
    float sink = 0;
    boolean settled = false;
    try {
      KernelExercise exercise = new KernelExercise(target.f32());
      while (!hasSwitched() && System.nanoTime() - began < budgetNanos) {
        long c0 = JitActivity.currentThreadCpuNanos();
        long t0 = System.nanoTime();
        sink += exercise.round();
        long t1 = System.nanoTime();
        long c1 = JitActivity.currentThreadCpuNanos();
        // CPU time where the JVM reports it: while the service's own threads (and other processes) compete for the
        // cores, wall times say more about them than about the code
        long took = c0 >= 0 && c1 >= 0 ? c1 - c0 : t1 - t0;
        if (steady.add(took, t1, JitActivity.totalCompileMillis())) {
          settled = true;
          break;
        }
      }
    } catch (RuntimeException | Error e) {
      // The target kernels failed on valid private data: never switch to them.
      LOG.log(Level.WARNING, "rnn4j kernels: adaptive: the " + target.name() + " kernels failed while warming up; "
          + "staying on " + initial.name(), e);
      return;
    }
    String how = String.format(Locale.ROOT, "%s after %d warm-up rounds in %d ms, %.3f ms CPU per round%s",
        settled ? "compiled" : "warm-up budget of " + TimeUnit.NANOSECONDS.toMillis(budgetNanos) + " ms spent", steady.calls(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began), steady.fastestNanos() / 1e6,
        Float.isNaN(sink) ? " (NaN seen)" : "");
    switchToTarget(how);
  }
}
