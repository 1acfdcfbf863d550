package dev.rnn4j.testing;

import dev.rnn4j.tensor.Parallelism;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For test classes that set {@link Parallelism#setThreads}: saves the thread count before each test and restores it
 * after, so that no test leaves another one a different count ({@code @ExtendWith(RestoreThreadCount.class)}).
 */
public final class RestoreThreadCount implements BeforeEachCallback, AfterEachCallback {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(RestoreThreadCount.class);

  @Override
  public void beforeEach(ExtensionContext context) {
    context.getStore(NAMESPACE).put("threads", Parallelism.threads());
  }

  @Override
  public void afterEach(ExtensionContext context) {
    Integer saved = context.getStore(NAMESPACE).get("threads", Integer.class);
    if (saved != null) {
      Parallelism.setThreads(saved);
    }
  }
}
