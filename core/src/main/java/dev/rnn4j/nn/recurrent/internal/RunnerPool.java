package dev.rnn4j.nn.recurrent.internal;

import java.util.Objects;
import java.util.function.Function;

/**
 * A small, bounded, thread-safe pool of stack runners ({@link DoubleStackRunner}, {@link FloatStackRunner}) owned by
 * one layer, so that its calls reuse the runners' traces and scratch arrays instead of allocating them per call.
 *
 * <p>A runner is built for one kernel set (it keeps the kernels it was created with), so every idle runner is filed
 * under the kernels instance it runs on, compared by identity: {@link #take} hands out only a runner of the caller's
 * kernels. A runner is held by at most one call at a time: {@link #take} removes it from the pool, and only its
 * holder gives it back, after which the holder must not touch it again. At most {@code maxIdle} runners wait in the
 * pool; giving back one more drops the one that has waited longest (the garbage collector then reclaims it). A
 * runner that is never given back (a call whose graph is dropped without a backward pass) is reclaimed the same way.
 *
 * @param <K> the kernel type the runners run on
 * @param <R> the runner type
 */
public final class RunnerPool<K, R> {

  private final int maxIdle;
  private final Function<K, R> factory;
  // Guarded by this. The idle runners and their kernels, most recently given back first: entries [0, idle), the
  // rest null. Two arrays of maxIdle slots rather than a deque of records, so that taking and giving back, once
  // per layer call, allocate nothing.
  private final Object[] idleKernels;
  private final Object[] idleRunners;
  private int idle;
  private long created; // guarded by this

  /**
   * @param maxIdle how many runners may wait between calls (0: none, every call builds a fresh runner)
   * @param factory builds a runner for the given kernels
   */
  public RunnerPool(int maxIdle, Function<K, R> factory) {
    if (maxIdle < 0) {
      throw new IllegalArgumentException("runner pool: maxIdle must be >= 0, got " + maxIdle);
    }
    this.maxIdle = maxIdle;
    this.factory = Objects.requireNonNull(factory, "factory");
    this.idleKernels = new Object[maxIdle];
    this.idleRunners = new Object[maxIdle];
  }

  /** An idle runner built for {@code kernels} (the most recently given back one), else a new one. */
  @SuppressWarnings("unchecked") // only runners of type R are stored
  public R take(K kernels) {
    synchronized (this) {
      for (int i = 0; i < idle; i++) {
        if (idleKernels[i] == kernels) {
          R r = (R) idleRunners[i];
          // close the gap, keeping the order of the others
          System.arraycopy(idleKernels, i + 1, idleKernels, i, idle - i - 1);
          System.arraycopy(idleRunners, i + 1, idleRunners, i, idle - i - 1);
          idle--;
          idleKernels[idle] = null;
          idleRunners[idle] = null;
          return r;
        }
      }
      created++;
    }
    // Built outside the lock: it allocates the runner's engines and weight holders.
    return factory.apply(kernels);
  }

  /** Gives back a runner taken for {@code kernels}; its holder must not use it afterwards. */
  public void give(K kernels, R runner) {
    if (maxIdle == 0) {
      return;
    }
    synchronized (this) {
      // Shift the others back by one; when full, the one that has waited longest falls off the end.
      int kept = Math.min(idle, maxIdle - 1);
      System.arraycopy(idleKernels, 0, idleKernels, 1, kept);
      System.arraycopy(idleRunners, 0, idleRunners, 1, kept);
      idleKernels[0] = kernels;
      idleRunners[0] = runner;
      idle = kept + 1;
    }
  }

  /** Runners waiting in the pool now (for tests and diagnostics). */
  public synchronized int idle() {
    return idle;
  }

  /** Runners built so far because none of the right kernels was idle (for tests and diagnostics). */
  public synchronized long created() {
    return created;
  }
}
