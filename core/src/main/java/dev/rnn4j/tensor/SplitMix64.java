package dev.rnn4j.tensor;

import java.util.random.RandomGenerator;

/**
 * A seeded random generator whose whole state is one {@code long} that can be read and restored, so that a training
 * run can be checkpointed and resumed with the same random numbers (dropout masks, data shuffling, initial values):
 * {@link java.util.SplittableRandom} keeps its state private.
 *
 * <p>The algorithm is SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", OOPSLA
 * 2014): the state advances by the odd constant {@code 0x9e3779b97f4a7c15} and each output is a bijective mix of the
 * new state ({@link #nextLong()}: Stafford's variant 13 finalizer; {@link #nextInt()}: a 32-bit mix). These are the
 * constants and mixes of {@code java.util.SplittableRandom}, and every other method is {@link RandomGenerator}'s
 * default built on {@code nextLong}/{@code nextInt}, as {@code SplittableRandom}'s; so {@code new SplitMix64(seed)}
 * produces the same numbers as {@code new SplittableRandom(seed)} from every method the two share (a test checks
 * this), and code that switches from one to the other keeps its results. Period 2^64; not for cryptography.
 *
 * <p>Not safe for use by several threads at once (give each thread its own generator).
 */
public final class SplitMix64 implements RandomGenerator {

  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

  private long state;

  /** A generator whose first number is computed from {@code seed}; the same seed gives the same sequence. */
  public SplitMix64(long seed) {
    this.state = seed;
  }

  /**
   * The whole state: a generator created or {@link #setState set} with this value continues with exactly the
   * numbers this one would produce next. Freshly constructed, it equals the seed.
   */
  public long state() {
    return state;
  }

  /** Replaces the state by one from {@link #state()}; every long value is valid. */
  public void setState(long state) {
    this.state = state;
  }

  @Override
  public long nextLong() {
    long z = state += GOLDEN_GAMMA;
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  @Override
  public int nextInt() {
    long z = state += GOLDEN_GAMMA;
    z = (z ^ (z >>> 33)) * 0x62a9d9ed799705f5L;
    return (int) (((z ^ (z >>> 28)) * 0xcb24d0a5c88c35b3L) >>> 32);
  }

  @Override
  public String toString() {
    return "SplitMix64[state=" + state + "]";
  }
}
