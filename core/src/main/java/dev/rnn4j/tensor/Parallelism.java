package dev.rnn4j.tensor;

import dev.rnn4j.kernels.KernelSelector;
import dev.rnn4j.kernels.Kernels;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * How many threads rnn4j may use for one large operation, and the shared worker pool that runs them.
 *
 * <h2>Thread count</h2>
 * {@link #threads()} is, in order of precedence: the last {@link #setThreads(int)}, the system property
 * {@code rnn4j.threads} (read once, at first use), else {@link Runtime#availableProcessors()}. The caller's own
 * thread always takes part, so {@code threads() == 2} means one pool thread besides the caller.
 *
 * <h2>Threads are started only when needed</h2>
 * The pool does not exist until {@link #forEach} is first given two or more tasks while {@code threads() > 1}.
 * Operations split their work into several tasks only when the problem is large (each operation's own size rule,
 * which never depends on the thread count); a server that embeds rnn4j for small or streaming work therefore never
 * starts a thread. Pool threads are daemons and exit after {@value #KEEP_ALIVE_SECONDS} idle seconds.
 *
 * <h2>Results do not depend on the thread count</h2>
 * {@link #forEach} only schedules: the caller decides the tasks, each task writes its own outputs, and with one
 * thread the same tasks run one after another on the caller. No task's result depends on which thread runs it or
 * in which order the tasks run, so a caller whose task boundaries depend only on the problem gets bitwise the same
 * result for every thread count.
 *
 * <h2>Kernels</h2>
 * The caller's {@link KernelScope#current()} kernels, read once when {@link #forEach} starts, are installed as the
 * override on every thread that runs its tasks (the caller too) until they finish, so all tasks of one call use one
 * set even if {@code -Drnn4j.kernels=adaptive} switches the JVM's kernels meanwhile.
 *
 * <p>Nested use (a task calling {@link #forEach}) cannot deadlock: the caller runs every task that no pool thread
 * has claimed and waits only for tasks already running.
 */
public final class Parallelism {

  /** The system property that sets the default thread count. */
  public static final String THREADS_PROPERTY = "rnn4j.threads";

  static final int KEEP_ALIVE_SECONDS = 30;

  /**
   * How long a pool thread that finds no task, and a caller whose last tasks other threads still run, spin before
   * they block. Waking a blocked thread costs tens of microseconds on a virtual machine (the pool thread started a
   * task 16-44 us after {@link #forEach} handed it out on a 2-vCPU AMD EPYC family 25 model 17), as much as a whole
   * small operation such as a batch-1 pass split over two threads; an operation that follows another within this
   * time, or a task that ends within it, pays none of that. The price is at most this much CPU time per operation and
   * thread.
   */
  static final long SPIN_NANOS = 50_000;

  private static final System.Logger LOG = System.getLogger(Parallelism.class.getName());
  private static final AtomicLong DISPATCHES = new AtomicLong();
  private static final AtomicInteger THREAD_IDS = new AtomicInteger();
  private static volatile int threads; // 0: not yet decided
  private static ThreadPoolExecutor pool; // guarded by Parallelism.class

  private Parallelism() {}

  /** The number of threads an operation may use, caller included: at least 1. */
  public static int threads() {
    int t = threads;
    if (t == 0) {
      synchronized (Parallelism.class) {
        if (threads == 0) {
          threads = fromProperty();
        }
        t = threads;
      }
    }
    return t;
  }

  private static int fromProperty() {
    String p = System.getProperty(THREADS_PROPERTY);
    int cpus = Runtime.getRuntime().availableProcessors();
    if (p == null || p.isBlank()) {
      return Math.max(1, cpus);
    }
    try {
      int n = Integer.parseInt(p.trim());
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    LOG.log(System.Logger.Level.WARNING, "{0}={1} is not a positive integer; using {2} (available processors)",
        THREADS_PROPERTY, p, cpus);
    return Math.max(1, cpus);
  }

  /**
   * Sets the number of threads operations may use from now on, caller included (1: everything runs on the calling
   * thread and no thread is ever started). Affects the whole JVM.
   *
   * @throws IllegalArgumentException if {@code n < 1}
   */
  public static void setThreads(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("Parallelism.setThreads: thread count must be >= 1, got " + n);
    }
    synchronized (Parallelism.class) {
      threads = n;
      if (pool != null) {
        resize(pool, n - 1);
      }
    }
  }

  /** Whether the worker pool has been created in this JVM (diagnostics; it is created lazily, see the class). */
  public static synchronized boolean isPoolStarted() {
    return pool != null;
  }

  /** How many {@link #forEach} calls have handed work to the pool so far (diagnostics). */
  public static long dispatches() {
    return DISPATCHES.get();
  }

  /**
   * Runs {@code task.accept(i)} for every i in {@code [0, tasks)}, on the calling thread and up to
   * {@code threads() - 1} pool threads, and returns when all have finished. Tasks must be independent: each writes
   * only its own outputs. With one task or one thread everything runs on the caller, in index order, and no pool is
   * created. If tasks throw, the first exception is rethrown (wrapped if checked) after all tasks have finished.
   */
  public static void forEach(int tasks, IntConsumer task) {
    if (tasks < 0) {
      throw new IllegalArgumentException("Parallelism.forEach: tasks must be >= 0, got " + tasks);
    }
    int threads = threads(); // read once: a concurrent setThreads must not make the pool size 0
    int helpers = Math.min(threads, tasks) - 1;
    if (helpers <= 0) {
      if (KernelScope.override() != null || !KernelSelector.switches()) {
        for (int i = 0; i < tasks; i++) { // one set for all tasks already; and installing one would allocate
          task.accept(i);
        }
        return;
      }
      Kernels previous = KernelScope.setOverride(KernelScope.current());
      try {
        for (int i = 0; i < tasks; i++) {
          task.accept(i);
        }
      } finally {
        KernelScope.setOverride(previous);
      }
      return;
    }
    // The caller's set, not just its override: under -Drnn4j.kernels=adaptive the JVM's kernels may switch while the
    // tasks run, and every task of one call must use the set the caller's pass started with.
    Job job = new Job(tasks, task, KernelScope.current());
    ThreadPoolExecutor p = pool(threads - 1);
    DISPATCHES.incrementAndGet();
    for (int h = 0; h < helpers; h++) {
      p.execute(job::help);
    }
    job.help(); // the caller runs tasks too, on the same set
    job.await();
  }

  private static synchronized ThreadPoolExecutor pool(int size) {
    if (pool == null) {
      pool = new ThreadPoolExecutor(size, size, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS, new SpinningQueue(),
          r -> {
            Thread t = new Thread(r, "rnn4j-worker-" + THREAD_IDS.incrementAndGet());
            t.setDaemon(true);
            return t;
          });
      pool.allowCoreThreadTimeOut(true);
      LOG.log(System.Logger.Level.DEBUG, "rnn4j worker pool created with {0} threads", size);
    } else if (pool.getMaximumPoolSize() != size) {
      resize(pool, size);
    }
    return pool;
  }

  private static void resize(ThreadPoolExecutor p, int size) {
    int s = Math.max(1, size);
    if (s > p.getMaximumPoolSize()) {
      p.setMaximumPoolSize(s);
      p.setCorePoolSize(s);
    } else {
      p.setCorePoolSize(s);
      p.setMaximumPoolSize(s);
    }
  }

  /**
   * The pool's queue: a thread that finds it empty polls it for {@link #SPIN_NANOS} before it blocks. The pool's
   * threads always wait with a timeout ({@code allowCoreThreadTimeOut}), so that is the wait this changes.
   */
  private static final class SpinningQueue extends LinkedBlockingQueue<Runnable> {
    private static final long serialVersionUID = 1L;

    @Override
    public Runnable poll(long timeout, TimeUnit unit) throws InterruptedException {
      Runnable r = spinPoll();
      return r != null ? r : super.poll(timeout, unit);
    }

    private Runnable spinPoll() {
      long start = System.nanoTime();
      do {
        Runnable r = poll(); // an empty queue answers without taking its lock
        if (r != null) {
          return r;
        }
        Thread.onSpinWait();
      } while (System.nanoTime() - start < SPIN_NANOS);
      return null;
    }
  }

  /** One forEach call: tasks are claimed from a shared counter by the caller and any pool thread that starts. */
  private static final class Job {
    private final int tasks;
    private final IntConsumer task;
    private final Kernels kernels;
    private final AtomicInteger next = new AtomicInteger();
    private final CountDownLatch done;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    Job(int tasks, IntConsumer task, Kernels kernels) {
      this.tasks = tasks;
      this.task = task;
      this.kernels = kernels;
      this.done = new CountDownLatch(tasks);
    }

    void help() {
      Kernels previous = KernelScope.setOverride(kernels);
      try {
        runTasks();
      } finally {
        KernelScope.setOverride(previous);
      }
    }

    void runTasks() {
      for (int i = next.getAndIncrement(); i < tasks; i = next.getAndIncrement()) {
        try {
          task.accept(i);
        } catch (Throwable t) {
          failure.compareAndSet(null, t);
        } finally {
          done.countDown();
        }
      }
    }

    void await() {
      long start = System.nanoTime(); // spin first: see SPIN_NANOS
      while (done.getCount() > 0 && System.nanoTime() - start < SPIN_NANOS) {
        Thread.onSpinWait();
      }
      boolean interrupted = false;
      while (true) {
        try {
          done.await();
          break;
        } catch (InterruptedException e) {
          interrupted = true; // tasks write into the caller's arrays: never return before they finish
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      Throwable t = failure.get();
      if (t instanceof RuntimeException re) {
        throw re;
      }
      if (t instanceof Error er) {
        throw er;
      }
      if (t != null) {
        throw new IllegalStateException("Parallelism.forEach: a task failed", t);
      }
    }
  }
}
