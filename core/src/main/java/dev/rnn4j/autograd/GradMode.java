package dev.rnn4j.autograd;

/** Whether ops record the autograd graph on the current thread (see {@link NoGrad}). */
public final class GradMode {

  private static final ThreadLocal<int[]> DISABLED_DEPTH = ThreadLocal.withInitial(() -> new int[1]);

  private GradMode() {}

  /** True unless the current thread is inside a {@link NoGrad} scope. */
  public static boolean isEnabled() {
    return DISABLED_DEPTH.get()[0] == 0;
  }

  static void disable() {
    DISABLED_DEPTH.get()[0]++;
  }

  static void restore() {
    DISABLED_DEPTH.get()[0]--;
  }
}
