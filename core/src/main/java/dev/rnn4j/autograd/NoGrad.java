package dev.rnn4j.autograd;

import dev.rnn4j.tensor.Checks;
import java.util.function.Supplier;

/**
 * A scope in which ops do not record the autograd graph: their results do not require gradients and keep nothing
 * alive for a backward pass. For inference, for updating parameters, and for carrying a detached state across
 * truncated-BPTT chunks.
 *
 * <pre>{@code
 * try (var g = NoGrad.enter()) {
 *   Tensor prediction = model.forward(x);
 * }
 * }</pre>
 *
 * Scopes nest and are thread-local; close them on the thread that entered them. javac's {@code -Xlint:try} warns
 * about a resource that the block never mentions: annotate the method with {@code @SuppressWarnings("try")}, or use
 * {@link #get(Supplier)} / {@link #run(Runnable)}.
 */
@SuppressWarnings("try") // run and get use the scope for its effect only
public final class NoGrad implements AutoCloseable {

  private final Thread owner = Thread.currentThread();
  private boolean closed;

  private NoGrad() {
    GradMode.disable();
  }

  /** Disables graph recording on this thread until the returned scope is closed. */
  public static NoGrad enter() {
    return new NoGrad();
  }

  /** Runs {@code body} with recording disabled. */
  public static void run(Runnable body) {
    Checks.notNull(body, "NoGrad.run", "body");
    try (NoGrad g = enter()) {
      body.run();
    }
  }

  /** Evaluates {@code body} with recording disabled. */
  public static <T> T get(Supplier<T> body) {
    Checks.notNull(body, "NoGrad.get", "body");
    try (NoGrad g = enter()) {
      return body.get();
    }
  }

  /** Ends this scope (idempotent). */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    if (Thread.currentThread() != owner) {
      throw new IllegalStateException("NoGrad: closed on thread " + Thread.currentThread().getName()
          + " but entered on " + owner.getName());
    }
    closed = true;
    GradMode.restore();
  }
}
