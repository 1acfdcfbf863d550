package dev.rnn4j.tensor;

import dev.rnn4j.kernels.Kernels;
import java.util.function.Supplier;

/**
 * The kernels that tensor ops use on the current thread, with a scoped override.
 *
 * <p>By default every op runs on {@link Kernels#get()} (chosen once per JVM). Tests that compare the SIMD kernels with
 * the scalar spec in one JVM run the same computation twice:
 *
 * <pre>{@code
 * try (var s = KernelScope.use(Kernels.scalar())) {
 *   reference = model.forward(x);
 * }
 * }</pre>
 *
 * The override is thread-local and scopes nest (closing restores the previous choice). Backward passes use the kernels
 * current when {@code backward()} is called, so run forward and backward inside the same scope. (javac's
 * {@code -Xlint:try} flags a scope variable the block never mentions: add {@code @SuppressWarnings("try")} or use
 * {@link #run} / {@link #get}.)
 *
 * <h2>Passes under {@code -Drnn4j.kernels=adaptive}</h2>
 * In adaptive mode {@link Kernels#get()} changes once, from the scalar spec to the SIMD kernels
 * ({@link dev.rnn4j.kernels.AdaptiveKernels}). A pass never straddles that switch where it reads the kernels once:
 * a recurrent layer's forward takes {@link #current()} when it starts and its backward runs on the same set, a
 * {@link Parallelism#forEach} hands the caller's set to its workers, and a stream state keeps the set of its
 * creation. Each other op reads {@link #current()} when it runs, so a pass built from several ops (an embedding, a
 * recurrent layer, a head, a loss, its backward and an optimizer step) pins one set for its whole length:
 *
 * <pre>{@code
 * try (var pass = KernelScope.pin()) {
 *   Tensor loss = model.loss(batch);
 *   loss.backward();
 *   optimizer.step();
 * }
 * }</pre>
 *
 * In the fixed modes (the default) the kernels never change and pinning changes nothing.
 */
@SuppressWarnings("try") // run and get use the scope for its effect only
public final class KernelScope implements AutoCloseable {

  private static final ThreadLocal<Kernels> CURRENT = new ThreadLocal<>();

  private final Kernels previous;
  private final Thread owner;
  private boolean closed;

  private KernelScope(Kernels previous) {
    this.previous = previous;
    this.owner = Thread.currentThread();
  }

  /** Uses {@code kernels} on this thread until the returned scope is closed. */
  public static KernelScope use(Kernels kernels) {
    Checks.notNull(kernels, "KernelScope.use", "kernels");
    KernelScope scope = new KernelScope(CURRENT.get());
    CURRENT.set(kernels);
    return scope;
  }

  /**
   * Keeps the kernels current now for this thread until the returned scope is closed: {@code use(current())}. Under
   * {@code -Drnn4j.kernels=adaptive} a pass wrapped in it runs on one kernel set even if the switch happens meanwhile.
   */
  public static KernelScope pin() {
    return use(current());
  }

  /** Runs {@code body} with {@code kernels} current on this thread. */
  public static void run(Kernels kernels, Runnable body) {
    Checks.notNull(body, "KernelScope.run", "body");
    try (KernelScope s = use(kernels)) {
      body.run();
    }
  }

  /** Evaluates {@code body} with {@code kernels} current on this thread. */
  public static <T> T get(Kernels kernels, Supplier<T> body) {
    Checks.notNull(body, "KernelScope.get", "body");
    try (KernelScope s = use(kernels)) {
      return body.get();
    }
  }

  /** The kernels ops use on this thread: the innermost override, else {@link Kernels#get()}. */
  public static Kernels current() {
    Kernels k = CURRENT.get();
    return k != null ? k : Kernels.get();
  }

  /** The innermost override on this thread, or null: for handing the caller's choice to worker threads. */
  static Kernels override() {
    return CURRENT.get();
  }

  /** Installs {@code kernels} (null: no override) as this thread's override, returning the previous one. */
  static Kernels setOverride(Kernels kernels) {
    Kernels prev = CURRENT.get();
    if (kernels == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(kernels);
    }
    return prev;
  }

  /** Restores the kernels that were current when this scope was opened. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    if (Thread.currentThread() != owner) {
      throw new IllegalStateException("KernelScope: closed on thread " + Thread.currentThread().getName()
          + " but opened on " + owner.getName());
    }
    closed = true;
    if (previous == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(previous);
    }
  }
}
