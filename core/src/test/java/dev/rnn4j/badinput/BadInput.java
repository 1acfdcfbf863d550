package dev.rnn4j.badinput;

import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.function.Executable;

/**
 * One bad input: a call that must be rejected with {@code expected} (or a subclass) whose message contains every one
 * of {@code parts} (at least the op and the argument), and, when {@code state} is given, leaves the state it reads
 * unchanged (compared with {@link java.util.Objects#deepEquals} before and after the call).
 *
 * @param name unique; the name of the dynamic test
 */
record BadInput(String name, Executable call, Class<? extends Throwable> expected, List<String> parts,
                Supplier<Object> state) {

  /** The same case, also checking that {@code state} reads the same before and after the rejected call. */
  BadInput unchanged(Supplier<Object> probe) {
    return new BadInput(name, call, expected, parts, probe);
  }
}
