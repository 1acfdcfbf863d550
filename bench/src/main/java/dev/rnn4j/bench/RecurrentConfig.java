package dev.rnn4j.bench;

/**
 * The standard recurrent-layer configurations of PERFORMANCE.md (float32, one layer, unidirectional), and their
 * FLOP counts. A benchmark of a recurrent layer names its configuration with a {@code @Param config} holding one of
 * these names in lower case ({@code "stream"}, {@code "train"}, {@code "large"}).
 *
 * <p>FLOPs count the GEMMs only (the pointwise gate math is O(B*T*G*H), negligible next to them): a layer forward
 * over a sequence is {@code F = 2 * B * T * (I + H) * G * H} (the input projection {@code x W_ih^T} and the
 * recurrent product {@code h W_hh^T} for each of the G gate blocks); forward plus backward through time is about
 * {@code 3 F} (backward computes the input and state gradients and the two weight gradients, two GEMMs of the same
 * size as the forward ones); a single streaming step is {@code F / T}.
 *
 * @param batch B
 * @param steps T
 * @param input I
 * @param hidden H
 */
public record RecurrentConfig(String name, int batch, int steps, int input, int hidden) {

  /** B=1, T=100, I=64, H=128: streaming inference. */
  public static final RecurrentConfig STREAM = new RecurrentConfig("stream", 1, 100, 64, 128);

  /** B=32, T=100, I=128, H=256: a training batch. */
  public static final RecurrentConfig TRAIN = new RecurrentConfig("train", 32, 100, 128, 256);

  /** B=64, T=50, I=512, H=512: a large layer. */
  public static final RecurrentConfig LARGE = new RecurrentConfig("large", 64, 50, 512, 512);

  /**
   * The configuration named {@code name} ("stream", "train" or "large").
   *
   * @throws IllegalArgumentException for another name
   */
  public static RecurrentConfig named(String name) {
    return switch (name) {
      case "stream" -> STREAM;
      case "train" -> TRAIN;
      case "large" -> LARGE;
      default -> throw new IllegalArgumentException(
          "recurrent config: unknown name '" + name + "'; expected stream, train or large");
    };
  }

  /** GEMM FLOPs of a forward pass over the whole sequence: {@code 2 * B * T * (I + H) * G * H}. */
  public double forwardFlops(int gates) {
    return 2.0 * batch * steps * (input + hidden) * gates * hidden;
  }

  /** GEMM FLOPs of forward plus backward through time: {@code 3 * forwardFlops}. */
  public double forwardBackwardFlops(int gates) {
    return 3 * forwardFlops(gates);
  }

  /** GEMM FLOPs of one step: {@code 2 * B * (I + H) * G * H}. */
  public double stepFlops(int gates) {
    return 2.0 * batch * (input + hidden) * gates * hidden;
  }

  /** E.g. {@code "train (B=32 T=100 I=128 H=256)"}. */
  public String describe() {
    return name + " (B=" + batch + " T=" + steps + " I=" + input + " H=" + hidden + ")";
  }
}
