package dev.rnn4j.nn.recurrent;

import dev.rnn4j.autograd.NoGrad;
import dev.rnn4j.kernels.JitActivity;
import dev.rnn4j.kernels.SteadyState;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Parallelism;
import dev.rnn4j.tensor.SplitMix64;
import dev.rnn4j.tensor.Tensor;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Runs a recurrent layer's own shapes through the passes a service will use, at load time, until each pass has reached
 * its steady speed, so that the first requests do not pay for the JIT compiler.
 *
 * <p><b>Why.</b> The JIT compiles per method, with the profile the calls gave it. Until C2 has compiled the kernels,
 * the Vector API code runs interpreted or C1-compiled, boxing every vector, 10-100x slower than compiled (a first
 * LSTM forward at B=1 T=100 I=64 H=128 takes about 0.3 s against 0.4 ms steady). Calls with the layer's own shapes
 * warm exactly the kernels, loop trip counts and branches the service will run, and fill the layer's pool of
 * per-call arrays.
 *
 * <pre>{@code
 * LSTM lstm = LSTM.load(path);
 * lstm.eval();
 * WarmUp.Result r = WarmUp.forShapes(1, 100).inference().streaming().run(lstm);
 * log.info(r.toString());
 * }</pre>
 *
 * <p><b>What a pass is.</b> {@link Pass#INFERENCE}: a forward under {@link NoGrad} of a [T, B, I] input (batch-first
 * layers [B, T, I]). {@link Pass#STREAMING}: T steps of {@link RecurrentLayer#step} on a new stream state of B
 * streams (as for a stream a service opens), then the same T steps in one call of {@link RecurrentLayer#steps} on
 * arrays, on a state the pass keeps and resets (as a service serving on caller arrays does); unidirectional layers
 * only. {@link Pass#TRAINING}: a recorded forward and a backward pass from the sum of the output. Each runs in the
 * layer's current mode ({@code train()} or {@code eval()}): set the mode the service will use first.
 *
 * <p><b>What runs, in order.</b> First <em>short calls</em>: each pass with the requests' batch but only {@link
 * #shortSteps} time steps (default {@value #DEFAULT_SHORT_STEPS}), the same methods at a fraction of the time per call,
 * each pass until steady (timed in groups of as many calls as make one call's steps at the requests' shapes: a call
 * of a few steps is too short to time steadily); then each pass at the requests' shapes until steady. Every pass
 * runs once before any pass repeats, in both rounds: a pass's first call takes paths that no later call takes (the
 * streaming pass packs the layer's step weights), and the first calls at the requests' shapes take the paths only
 * those shapes take; taken
 * after the other passes had been compiled, such a path would deoptimise kernels they share, which the first requests
 * would then run slowly again. A pass is steady when {@link SteadyState} says so (the median of its last 10 calls
 * within the tolerance of its fastest call for 10 calls and 100 ms, timed by the calling thread's CPU time where the
 * JVM reports it and the call ran on that thread alone, else by wall time, while the JIT compilers were all but idle) and its calls cannot be at a plateau of C1 code: C2
 * compiles a method that runs once per call only after {@link JitActivity#tier4MinInvocations()} calls, and before
 * that the pass runs at a stable speed several times slower than steady. So a pass's short calls, or its calls at the
 * requests' shapes where there were no short calls, count at least that many plus the window; calls at the requests'
 * shapes after steady short calls need only be no slower per time step than those (times the tolerance). Each pass
 * stops early when its share of the budget is spent: the passes run in the order inference, streaming, training, and
 * each of the (up to six) rounds of repeats may use a share of the budget left ({@link #share}): with short calls, a
 * round of short calls weighs {@value #SHORT_WEIGHT} times a round at the requests' shapes, since that is where the
 * compilers do their work; a round at the requests' shapes after steady short calls needs only its window of calls.
 *
 * <p><b>It ends with a garbage collection</b> ({@link #collectGarbage}), so that the young generation its cold calls
 * filled is not collected in the first seconds of serving.
 *
 * <p><b>What it leaves as it was.</b> The layer's parameters (not written), their gradients (a training pass's
 * contributions are taken out again: each gradient is restored bit for bit, or dropped if there was none), and its
 * dropout generator's state ({@link RecurrentLayer#dropoutRandom()}). The inputs are private random data. It does
 * leave the layer's pool of per-call arrays and its packed streaming weights filled, as the first real calls would.
 * Run it before the layer serves or trains: it must not overlap other calls on the layer (a concurrent backward pass
 * would lose its contribution to the gradients).
 *
 * <p>Warming up is a matter of speed only: with the kernels fixed (the default), every later call gives the same bits
 * as without it.
 */
public final class WarmUp {

  /** The passes a service can warm up. */
  public enum Pass {
    /** A whole-sequence forward under {@link NoGrad}. */
    INFERENCE,
    /** Streaming steps over a fresh stream state, one at a time and all in one call on arrays. */
    STREAMING,
    /** A recorded forward and its backward pass. */
    TRAINING
  }

  static final int MIN_CALLS = 10; // stated in the class comment
  /** How much more of the budget a round of short calls may use than a round at the requests' shapes. */
  static final int SHORT_WEIGHT = 4;
  /**
   * The default budget, in seconds ({@link #budget}): the train configuration's inference and training passes took
   * up to 11 s on a quiet 2-vCPU machine, past the 10 s this default was before.
   */
  public static final int DEFAULT_BUDGET_SECONDS = 20;
  /** The default number of time steps of the short calls ({@link #shortSteps}). */
  public static final int DEFAULT_SHORT_STEPS = 4;
  private static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final System.Logger LOG = System.getLogger("dev.rnn4j.nn");

  private final int batch;
  private final int steps;
  private final Set<Pass> passes;
  private final double tolerance;
  private final Duration budget;
  private final boolean collect;
  private final int shortSteps; // 0: no short calls
  private final BiConsumer<Pass, Integer> observer; // told of each call (pass, steps) before it runs (tests); not null

  private WarmUp(int batch, int steps, Set<Pass> passes, double tolerance, Duration budget, boolean collect,
                 int shortSteps, BiConsumer<Pass, Integer> observer) {
    this.batch = batch;
    this.steps = steps;
    this.passes = passes;
    this.tolerance = tolerance;
    this.budget = budget;
    this.collect = collect;
    this.shortSteps = shortSteps;
    this.observer = observer;
  }

  /**
   * A warm-up for inputs of {@code batch} sequences of {@code steps} steps, with no pass chosen yet (run without one
   * warms {@link Pass#INFERENCE}), a tolerance of 1.2 and a budget of {@value #DEFAULT_BUDGET_SECONDS} s.
   *
   * @throws IllegalArgumentException if batch or steps is below 1
   */
  public static WarmUp forShapes(int batch, int steps) {
    if (batch < 1 || steps < 1) {
      throw new IllegalArgumentException("WarmUp.forShapes: batch and steps must be >= 1, got batch " + batch
          + ", steps " + steps);
    }
    return new WarmUp(batch, steps, EnumSet.noneOf(Pass.class), 1.2, Duration.ofSeconds(DEFAULT_BUDGET_SECONDS), true,
        DEFAULT_SHORT_STEPS, (p, n) -> { });
  }

  /** Adds {@link Pass#INFERENCE}. */
  public WarmUp inference() {
    return with(Pass.INFERENCE);
  }

  /** Adds {@link Pass#STREAMING}. */
  public WarmUp streaming() {
    return with(Pass.STREAMING);
  }

  /** Adds {@link Pass#TRAINING}. */
  public WarmUp training() {
    return with(Pass.TRAINING);
  }

  private WarmUp with(Pass p) {
    EnumSet<Pass> s = passes.isEmpty() ? EnumSet.noneOf(Pass.class) : EnumSet.copyOf(passes);
    s.add(p);
    return new WarmUp(batch, steps, s, tolerance, budget, collect, shortSteps, observer);
  }

  /**
   * A pass is steady when its calls stay within {@code tolerance} times its fastest call (default 1.2).
   *
   * @throws IllegalArgumentException for a tolerance below 1 or NaN
   */
  public WarmUp tolerance(double tolerance) {
    if (!(tolerance >= 1)) {
      throw new IllegalArgumentException("WarmUp.tolerance: must be >= 1, got " + tolerance);
    }
    return new WarmUp(batch, steps, passes, tolerance, budget, collect, shortSteps, observer);
  }

  /**
   * The most time the warm-up takes, all passes together (default {@value #DEFAULT_BUDGET_SECONDS} s); a pass that has
   * not settled when its share is spent stops there, and its result says so. A warm-up ends as soon as every pass is
   * steady, so the budget matters only where one is not: on a quiet 2-vCPU AMD EPYC (family 25 model 17) an LSTM at
   * B=32 T=100 I=128 H=256 warmed for inference and training got steady after 6.2-11.1 s.
   *
   * @throws IllegalArgumentException for a null, zero or negative budget
   */
  public WarmUp budget(Duration budget) {
    if (budget == null || budget.isNegative() || budget.isZero()) {
      throw new IllegalArgumentException("WarmUp.budget: must be positive, got " + budget);
    }
    return new WarmUp(batch, steps, passes, tolerance, budget, collect, shortSteps, observer);
  }

  /**
   * Whether the warm-up ends with a garbage collection ({@link System#gc()}; default true). Its cold calls allocate
   * hundreds of MB (before C2 has compiled the Vector API code, every vector operation allocates a box), which fill
   * the young generation: without a collection at the end, the first young collection, a pause of several ms, falls
   * in the first seconds of serving even if the requests allocate nothing. Off for a JVM where the application
   * decides when to collect; {@code -XX:+DisableExplicitGC} makes it a no-op.
   */
  public WarmUp collectGarbage(boolean collect) {
    return new WarmUp(batch, steps, passes, tolerance, budget, collect, shortSteps, observer);
  }

  /**
   * How many time steps the short calls that come before the calls at the requests' shapes have (default {@value
   * #DEFAULT_SHORT_STEPS}; 0, or a number not below the requests' steps, leaves them out: every call then has the
   * requests' shapes). The short calls have the requests' batch, the layer's sizes and kernels, and run the same
   * methods, so that the methods that run once per call reach C2's invocation threshold many times sooner (a call of
   * 4 steps takes about a twentieth of one of 100); the calls at the requests' shapes that follow take every path
   * those shapes take, so that none is left for the first requests to find.
   *
   * @throws IllegalArgumentException for a negative number
   */
  public WarmUp shortSteps(int shortSteps) {
    if (shortSteps < 0) {
      throw new IllegalArgumentException("WarmUp.shortSteps: must be >= 0 (0: none), got " + shortSteps);
    }
    return new WarmUp(batch, steps, passes, tolerance, budget, collect, shortSteps, observer);
  }

  /** The same warm-up, telling {@code observer} of each call's pass just before the call (the order calls run in). */
  WarmUp observe(Consumer<Pass> observer) {
    return observeCalls((p, n) -> observer.accept(p));
  }

  /**
   * The same warm-up, telling {@code observer} of each call's pass and the time steps of the input it was built with,
   * just before the call.
   */
  WarmUp observeCalls(BiConsumer<Pass, Integer> observer) {
    return new WarmUp(batch, steps, passes, tolerance, budget, collect, shortSteps, observer);
  }

  /**
   * Warms {@code layer} up; see the class comment for what runs and what is left unchanged.
   *
   * @return what each pass did
   * @throws IllegalArgumentException for a null layer, or streaming asked of a bidirectional layer
   */
  public Result run(RecurrentLayer layer) {
    if (layer == null) {
      throw new IllegalArgumentException("WarmUp.run: layer is null");
    }
    RecurrentConfig cfg = layer.config();
    Set<Pass> todo = passes.isEmpty() ? EnumSet.of(Pass.INFERENCE) : passes;
    if (todo.contains(Pass.STREAMING) && cfg.bidirectional()) {
      throw new IllegalArgumentException("WarmUp.run: " + cfg.name() + ": streaming needs a unidirectional layer, "
          + "this one is bidirectional");
    }
    long began = System.nanoTime();
    long end = began + budget.toNanos();
    boolean brief = shortSteps > 0 && shortSteps < steps;
    Map<Pass, Call> full = new EnumMap<>(Pass.class);
    Map<Pass, Call> shortCalls = new EnumMap<>(Pass.class);
    for (Pass p : todo) {
      full.put(p, call(layer, p, steps));
      if (brief) {
        shortCalls.put(p, call(layer, p, shortSteps));
      }
    }
    List<PassResult> results = new ArrayList<>();
    GradientSnapshot grads = todo.contains(Pass.TRAINING) ? GradientSnapshot.of(layer) : null;
    SplitMix64 dropout = layer.dropoutRandom();
    long dropoutState = dropout.state();
    try {
      int shortLeft = brief ? todo.size() : 0; // rounds left to share the budget
      int fullLeft = todo.size();
      Map<Pass, Phase> warmed = new EnumMap<>(Pass.class);
      if (brief) {
        // The short calls first, each pass once before any repeats (see below), each until steady with at least
        // Tier4MinInvocationThreshold calls: they get the methods that run once per call compiled by C2.
        Map<Pass, Timed> first = firstRound(todo, shortCalls);
        for (Pass p : todo) {
          // timed in groups of about one call at the requests' shapes: a single call of a few steps is too short to
          // time steadily on a loaded machine (a cache refilled after another process ran doubles it)
          int group = (steps + shortSteps - 1) / shortSteps;
          warmed.put(p, repeat(shortCalls.get(p), group, first.get(p), null,
              share(end - System.nanoTime(), true, shortLeft--, fullLeft)));
        }
      }
      // One call of every pass at the requests' shapes before any pass repeats. A pass's first call takes paths no
      // later call takes (the streaming pass packs the step weights, passing the packing kernel no matrix to reuse);
      // taken after another pass's loop had got the shared kernels compiled by C2, such a path made the compiled code
      // not entrant (an uncommon trap: a null the compiled code had never seen), and the first requests after the
      // warm-up ran those kernels in the interpreter and C1 again. Likewise the paths that only the requests' shapes
      // take (more time steps than the short calls had) are all taken here, before any pass is judged steady.
      Map<Pass, Timed> first = firstRound(todo, full);
      for (Pass p : todo) {
        Phase s = warmed.get(p);
        Phase f = repeat(full.get(p), 1, first.get(p), s, share(end - System.nanoTime(), false, 0, fullLeft--));
        results.add(f.result(s));
      }
    } finally {
      dropout.setState(dropoutState);
      if (grads != null) {
        grads.restore();
      }
    }
    if (collect) {
      System.gc(); // see collectGarbage: the young generation full of the warm-up's garbage would collect in serving
    }
    Result r = new Result(results, Duration.ofNanos(System.nanoTime() - began));
    LOG.log(Level.INFO, () -> cfg.name() + " " + r);
    return r;
  }

  /**
   * The part of {@code leftNanos} that the next round of repeats may use: a round of short calls ({@code shortRound})
   * weighs {@value #SHORT_WEIGHT}, a round at the requests' shapes 1, over the rounds left (the next one included).
   * Without short calls every round weighs the same. Why the weights differ: the short rounds are where C2 gets to
   * compile what the passes run, and they need hundreds to thousands of calls; a round at the requests' shapes after
   * its steady short round needs a window of calls (19-27 at B=32 T=100 I=128 H=256, AMD EPYC family 25 model 17).
   * An equal split stopped the short training round there after 2.4 s of a 10 s budget, where it needed 3.8 s, and the
   * training pass then could not get steady in its round at the requests' shapes (it needs 610 calls of 40 ms without
   * steady short calls), although all four rounds together took 7.4 s with the budget out of the way.
   */
  static long share(long leftNanos, boolean shortRound, int shortRoundsLeft, int fullRoundsLeft) {
    long weights = (long) SHORT_WEIGHT * shortRoundsLeft + fullRoundsLeft;
    if (leftNanos <= 0 || weights <= 0) {
      return Math.max(0, leftNanos);
    }
    return (long) ((double) leftNanos * (shortRound ? SHORT_WEIGHT : 1) / weights);
  }

  private Map<Pass, Timed> firstRound(Set<Pass> todo, Map<Pass, Call> calls) {
    Map<Pass, Timed> first = new EnumMap<>(Pass.class);
    for (Pass p : todo) {
      first.put(p, timed(calls.get(p)));
    }
    return first;
  }

  /** One call of a pass, on private inputs of {@code steps} time steps, and that number. */
  private record Call(Pass pass, int steps, Runnable body) { }

  /** One call of a pass at the layer's sizes and the warm-up's batch, with {@code n} time steps. */
  private Call call(RecurrentLayer layer, Pass pass, int n) {
    RecurrentConfig cfg = layer.config();
    SplittableRandom rng = new SplittableRandom(0x5eed);
    return switch (pass) {
      case INFERENCE -> {
        Tensor x = input(layer, rng, n);
        yield new Call(pass, x.shape()[cfg.batchFirst() ? 1 : 0], () -> NoGrad.run(() -> layer.forward(x)));
      }
      case STREAMING -> {
        Tensor[] xs = new Tensor[n];
        for (int t = 0; t < n; t++) {
          xs[t] = Tensor.normal(layer.dtype(), rng, 0, 1, batch, cfg.inputSize());
        }
        StreamState kept = layer.newStreamState(batch);
        int in = batch * cfg.inputSize();
        boolean f32 = layer.dtype() == DType.FLOAT32;
        float[] xf = f32 ? new float[n * in] : null;
        double[] xd = f32 ? null : new double[n * in];
        for (int t = 0; t < n; t++) {
          if (f32) {
            System.arraycopy(xs[t].toFloatArray(), 0, xf, t * in, in);
          } else {
            System.arraycopy(xs[t].toDoubleArray(), 0, xd, t * in, in);
          }
        }
        int outs = n * batch * cfg.stateSize();
        float[] of = f32 ? new float[outs] : null;
        double[] od = f32 ? null : new double[outs];
        yield new Call(pass, xs.length, () -> {
          // The single steps on a new state, as for a stream a service opens; the steps on arrays on a state it keeps
          // and resets. Both kinds of state in every call, so that the compiled step code expects both: a state's
          // first step points it at the layer's weights, later steps find them set, and code compiled from a warm-up
          // on one kept state only trapped (and was recompiled) at the first new state a service opened.
          StreamState opened = layer.newStreamState(batch);
          for (Tensor x : xs) {
            layer.step(x, opened);
          }
          kept.reset();
          if (f32) {
            layer.steps(xf, 0, n, kept, of, 0);
          } else {
            layer.steps(xd, 0, n, kept, od, 0);
          }
        });
      }
      case TRAINING -> {
        Tensor x = input(layer, rng, n);
        yield new Call(pass, x.shape()[cfg.batchFirst() ? 1 : 0], () -> layer.forward(x).output().sum().backward());
      }
    };
  }

  /**
   * One timed call: its wall and CPU time, when it ended, the JIT's total compile time then, and whether it handed
   * work to the pool's threads ({@link Parallelism#dispatches()} moved).
   */
  private record Timed(long wallNanos, long cpuNanos, long endNanos, long compileMillis, boolean shared) {
    /**
     * The time steadiness is judged on: this thread's CPU time where the JVM reports it (see repeat) and the call ran
     * on this thread alone, else wall time. A call that shared its work has no CPU time of its own to judge: a pass
     * split over two threads may leave the caller, preempted for a while, with a few microseconds of it while the
     * pool's thread runs the rest, and the fastest call would then be a fraction of any steady one.
     */
    long judgedNanos() {
      return cpuNanos >= 0 && !shared ? cpuNanos : wallNanos;
    }
  }

  private Timed timed(Call call) {
    return timed(call, 1);
  }

  /** {@code times} calls in a row, timed together. */
  private Timed timed(Call call, int times) {
    long d0 = Parallelism.dispatches();
    long c0 = JitActivity.currentThreadCpuNanos();
    long t0 = System.nanoTime();
    for (int i = 0; i < times; i++) {
      observer.accept(call.pass(), call.steps());
      call.body().run();
    }
    long t1 = System.nanoTime();
    long c1 = JitActivity.currentThreadCpuNanos();
    return new Timed(t1 - t0, c0 >= 0 && c1 >= 0 ? c1 - c0 : -1, t1, JitActivity.totalCompileMillis(),
        Parallelism.dispatches() != d0);
  }

  /** What the calls of one pass at one shape did. */
  private record Phase(Call call, int group, long calls, long nanos, Timed first, Timed last, long fastestNanos,
                       boolean steady) {
    /** The pass's result: this phase at the requests' shapes, after {@code before} (its short calls, or null). */
    PassResult result(Phase before) {
      long all = calls + (before == null ? 0 : before.calls);
      return new PassResult(call.pass(), (int) Math.min(Integer.MAX_VALUE, all),
          Duration.ofNanos(nanos + (before == null ? 0 : before.nanos)), (before == null ? first : before.first)
          .wallNanos() / 1e6, last.wallNanos() / 1e6, fastestNanos / 1e6, steady,
          before == null ? 0 : (int) Math.min(Integer.MAX_VALUE, before.calls));
    }
  }

  /**
   * Repeats a call, whose first run is {@code first}, until it is steady or {@code budgetNanos} is spent; steadiness is
   * judged on groups of {@code group} calls timed together (the first call alone counts only where the group is 1).
   *
   * <p>Steady means {@link SteadyState} says so and the calls cannot be at a C1 plateau: either they number at least
   * Tier4MinInvocationThreshold plus the window (every method that runs once per call may have been compiled by C2),
   * or {@code before}, the same pass's short calls, got there and these calls are no slower per time step than those
   * were (times the tolerance). A call's time is a fixed part plus a part per step, so longer calls of compiled code
   * take at most as long per step as shorter ones; at a plateau of C1 code, a method the short calls never ran, they
   * would take longer.
   */
  private Phase repeat(Call call, int group, Timed first, Phase before, long budgetNanos) {
    SteadyState steady = new SteadyState(tolerance, MIN_CALLS, QUIET_NANOS);
    long minCalls = (long) JitActivity.tier4MinInvocations() + MIN_CALLS;
    long began = System.nanoTime();
    long spent = first.wallNanos();
    long calls = 1;
    // steadiness by this thread's CPU time where the JVM reports it and the calls ran on this thread alone: on a
    // loaded machine wall times scatter too much to show when the code got compiled (the times reported are wall
    // times); calls that shared their work are judged by wall time (Timed.judgedNanos)
    boolean settled = group == 1 && steady.add(first.judgedNanos(), first.endNanos(), first.compileMillis())
        && compiled(calls, minCalls, steady, call, group, before);
    Timed last = first;
    while (!settled && System.nanoTime() - began < budgetNanos) {
      last = timed(call, group);
      calls += group;
      settled = steady.add(last.judgedNanos(), last.endNanos(), last.compileMillis())
          && compiled(calls, minCalls, steady, call, group, before);
    }
    spent += System.nanoTime() - began;
    return new Phase(call, group, calls, spent, first, last, steady.fastestNanos(), settled);
  }

  /** See {@link #repeat}: whether steady calls cannot be at a C1 plateau. */
  private boolean compiled(long calls, long minCalls, SteadyState steady, Call call, int group, Phase before) {
    return calls >= minCalls
        || before != null && before.steady() && perStepWithin(steady.fastestNanos(), call.steps() * group,
        before.fastestNanos(), before.call().steps() * before.group(), tolerance);
  }

  /**
   * Whether calls of {@code steps} steps whose fastest took {@code nanos} are no slower per step than {@code tolerance}
   * times calls of {@code shortSteps} steps whose fastest took {@code shortNanos}.
   */
  static boolean perStepWithin(long nanos, int steps, long shortNanos, int shortSteps, double tolerance) {
    return (double) nanos * shortSteps <= tolerance * shortNanos * steps;
  }

  private Tensor input(RecurrentLayer layer, SplittableRandom rng, int n) {
    RecurrentConfig cfg = layer.config();
    return cfg.batchFirst()
        ? Tensor.normal(layer.dtype(), rng, 0, 1, batch, n, cfg.inputSize())
        : Tensor.normal(layer.dtype(), rng, 0, 1, n, batch, cfg.inputSize());
  }

  /**
   * What one pass did.
   *
   * @param pass which pass
   * @param calls how many times it ran, short calls included
   * @param time how long it ran, all calls together
   * @param firstMs the first call, in ms
   * @param lastMs the last call, in ms (at the requests' shapes)
   * @param fastestMs the fastest call at the requests' shapes by the measure steadiness is judged on (the calling
   *     thread's CPU time where the JVM reports it and the call ran on that thread alone, else wall time), in ms
   * @param steady whether it reached its steady speed at the requests' shapes (else its share of the budget ran out)
   * @param shortCalls how many of the calls were short ones ({@link #shortSteps}), before those at the requests' shapes
   */
  public record PassResult(Pass pass, int calls, Duration time, double firstMs, double lastMs, double fastestMs,
                           boolean steady, int shortCalls) {

    /** A result without short calls (the form before {@link #shortSteps} existed). */
    public PassResult(Pass pass, int calls, Duration time, double firstMs, double lastMs, double fastestMs,
                      boolean steady) {
      this(pass, calls, time, firstMs, lastMs, fastestMs, steady, 0);
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%s: %d calls%s in %d ms, first %.3f ms, last %.3f ms, fastest %.3f ms, %s",
          pass.name().toLowerCase(Locale.ROOT), calls, shortCalls > 0 ? " (" + shortCalls + " short)" : "",
          time.toMillis(), firstMs, lastMs, fastestMs, steady ? "steady" : "budget spent before steady");
    }
  }

  /**
   * What a warm-up did.
   *
   * @param passes each pass, in the order they ran
   * @param time the whole warm-up
   */
  public record Result(List<PassResult> passes, Duration time) {
    public Result {
      passes = List.copyOf(passes);
    }

    /** Calls of all passes together. */
    public long calls() {
      return passes.stream().mapToLong(PassResult::calls).sum();
    }

    /** Whether every pass reached its steady speed. */
    public boolean steady() {
      return passes.stream().allMatch(PassResult::steady);
    }

    @Override
    public String toString() {
      return "warm-up in " + time.toMillis() + " ms: "
          + passes.stream().map(PassResult::toString).collect(Collectors.joining("; "));
    }
  }
}
