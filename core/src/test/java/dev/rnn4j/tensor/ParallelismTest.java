package dev.rnn4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.testing.RestoreThreadCount;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RestoreThreadCount.class)
class ParallelismTest {

  @Test
  void everyTaskRunsExactlyOnce() {
    for (int threads = 1; threads <= 4; threads++) {
      Parallelism.setThreads(threads);
      AtomicIntegerArray runs = new AtomicIntegerArray(50);
      Parallelism.forEach(50, runs::incrementAndGet);
      for (int i = 0; i < 50; i++) {
        assertEquals(1, runs.get(i), "task " + i + " with " + threads + " threads");
      }
    }
  }

  @Test
  void oneThreadOrOneTaskRunsOnTheCallerWithoutDispatching() {
    Thread caller = Thread.currentThread();
    long before = Parallelism.dispatches();
    Parallelism.setThreads(1);
    Parallelism.forEach(8, i -> assertSame(caller, Thread.currentThread()));
    Parallelism.setThreads(4);
    Parallelism.forEach(1, i -> assertSame(caller, Thread.currentThread()));
    Parallelism.forEach(0, i -> { throw new AssertionError("no task expected"); });
    assertEquals(before, Parallelism.dispatches());
  }

  @Test
  @SuppressWarnings("try")
  void workersSeeTheCallersKernelsAndAreDaemons() {
    Parallelism.setThreads(2);
    Kernels mine = new Kernels("mine", 0, Kernels.scalar().f32(), Kernels.scalar().f64());
    ConcurrentHashMap<Thread, Kernels> seen = new ConcurrentHashMap<>();
    try (KernelScope s = KernelScope.use(mine)) {
      // Tasks that take a while, so the pool thread claims some of them.
      Parallelism.forEach(16, i -> {
        seen.put(Thread.currentThread(), KernelScope.current());
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
    }
    assertTrue(seen.size() >= 2, "only the caller ran tasks: " + seen.keySet());
    for (var e : seen.entrySet()) {
      assertSame(mine, e.getValue(), "kernels on " + e.getKey().getName());
      if (e.getKey() != Thread.currentThread()) {
        assertTrue(e.getKey().isDaemon(), e.getKey().getName());
        assertTrue(e.getKey().getName().startsWith("rnn4j-worker-"), e.getKey().getName());
      }
    }
    assertTrue(Parallelism.isPoolStarted());
    // The override does not leak into the pool thread after the task.
    Parallelism.forEach(16, i -> {
      if (Thread.currentThread().getName().startsWith("rnn4j-worker-")) {
        assertEquals(Kernels.get(), KernelScope.current());
      }
    });
  }

  @Test
  void firstTaskFailureIsRethrownAfterAllTasksFinish() {
    Parallelism.setThreads(3);
    AtomicIntegerArray runs = new AtomicIntegerArray(20);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallelism.forEach(20, i -> {
      runs.incrementAndGet(i);
      if (i == 7) {
        throw new IllegalStateException("task 7");
      }
    }));
    assertEquals("task 7", e.getMessage());
    for (int i = 0; i < 20; i++) {
      assertEquals(1, runs.get(i), "task " + i);
    }
  }

  @Test
  void nestedUseCompletes() {
    Parallelism.setThreads(2);
    AtomicIntegerArray runs = new AtomicIntegerArray(36);
    Parallelism.forEach(6, i -> Parallelism.forEach(6, j -> runs.incrementAndGet(i * 6 + j)));
    for (int i = 0; i < 36; i++) {
      assertEquals(1, runs.get(i));
    }
  }

  @Test
  void badThreadCountIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Parallelism.setThreads(0));
    assertTrue(e.getMessage().contains("Parallelism.setThreads") && e.getMessage().contains("0"), e.getMessage());
  }
}
