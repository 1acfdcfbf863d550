package dev.rnn4j.badinput;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.function.Executable;

/** Collects {@link BadInput}s; each area of the library adds its cases through these helpers. */
final class Catalog {

  private final List<BadInput> cases = new ArrayList<>();

  /** A call that must throw {@link IllegalArgumentException} mentioning every part. */
  Catalog iae(String name, Executable call, String... parts) {
    return add(name, call, IllegalArgumentException.class, parts);
  }

  /** A call that must throw {@link IllegalStateException} mentioning every part. */
  Catalog ise(String name, Executable call, String... parts) {
    return add(name, call, IllegalStateException.class, parts);
  }

  /** A call that must throw {@code type} mentioning every part. */
  Catalog add(String name, Executable call, Class<? extends Throwable> type, String... parts) {
    cases.add(new BadInput(name, call, type, List.of(parts), null));
    return this;
  }

  /** The last case added also checks that {@code state} is the same before and after the call. */
  Catalog unchanged(Supplier<Object> state) {
    cases.set(cases.size() - 1, cases.get(cases.size() - 1).unchanged(state));
    return this;
  }

  List<BadInput> cases() {
    return List.copyOf(cases);
  }
}
