package dev.rnn4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The catalog the report uses to turn a benchmark result into a {@link Workload}: which benchmark method does how
 * much work, as a function of its {@code @Param} values.
 *
 * <p>Parameter conventions: {@code impl} is the kernel implementation ("scalar" / "simd") and is never part of the
 * workload's name, so that the scalar and SIMD rows of the same work pair up for the ratio; {@code shape} is a GEMM
 * shape "MxKxN" or a GEMV shape "MxN"; {@code config} is a {@link RecurrentConfig} name.
 *
 * <p>Adding a benchmark is one line in {@link #ALL}. The recurrent layers use the {@code recurrent} helpers with the
 * gate count, e.g.
 * <pre>{@code
 *   recurrentForward("LstmBenchmark.forward", "LSTM", 4),
 *   recurrentForwardBackward("LstmBenchmark.forwardBackward", "LSTM", 4),
 *   recurrentStep("LstmStepBenchmark.step", "LSTM", 4),
 * }</pre>
 * A benchmark without a line still appears in the report, timed but without GFLOP/s.
 */
public final class Workloads {

  private Workloads() {}

  /** How one benchmark method (its simple class name and method name, "Class.method") maps to a workload. */
  public record Spec(String benchmark, Function<Map<String, String>, Workload> describe) {}

  /** Every benchmark the report can count. */
  public static final List<Spec> ALL = List.of(
      new Spec("PeakFmaBenchmark.fp32",
          p -> Workload.peak("FMA peak f32", Precision.F32, PeakFmaBenchmark.flopsPerOpF32())),
      new Spec("PeakFmaBenchmark.fp64",
          p -> Workload.peak("FMA peak f64", Precision.F64, PeakFmaBenchmark.flopsPerOpF64())),
      gemm("GemmBenchmark.sgemm", "sgemm", Precision.F32),
      gemm("GemmScalarBenchmark.sgemm", "sgemm", Precision.F32),
      gemm("GemmBenchmark.sgemmPacked", "sgemm packed B", Precision.F32),
      gemm("DgemmBenchmark.dgemm", "dgemm", Precision.F64),
      gemm("DgemmScalarBenchmark.dgemm", "dgemm", Precision.F64),
      new Spec("GemvBenchmark.sgemv", p -> {
        int[] mn = GemvBenchmark.parse(p.get("shape"));
        return Workload.flops("sgemv " + p.get("shape"), Precision.F32, 2.0 * mn[0] * mn[1]);
      }),
      map("MapsBenchmark.sigmoid"),
      map("MapsBenchmark.tanh"),
      map("MapsBenchmark.exp"),
      map("MapsBenchmark.relu"),
      map("MapsBenchmark.log"),
      new Spec("MapsBenchmark.softmax", p -> {
        int size = Integer.parseInt(p.get("size"));
        return Workload.elements(
            "softmax " + (size / MapsBenchmark.SOFTMAX_COLS) + "x" + MapsBenchmark.SOFTMAX_COLS, size);
      }),
      recurrentLayer("RecurrentLayerBenchmark.forward", "", false),
      recurrentLayer("RecurrentLayerBenchmark.forwardBackward", "", true),
      recurrentLayer("RecurrentLayerBenchmark.engineForward", " engine", false),
      recurrentLayer("RecurrentLayerBenchmark.engineForwardBackward", " engine", true),
      recurrentLayer("RecurrentLayerLatencyBenchmark.forward", " sampled", false),
      recurrentLayer("RecurrentLayerLatencyBenchmark.forwardBackward", " sampled", true),
      recurrentLayer("RecurrentLayerLatencyBenchmark.steps", " steps on arrays, sampled", false),
      recurrentLayer("RecurrentLayerScalarBenchmark.forward", "", false),
      recurrentLayer("RecurrentLayerScalarBenchmark.forwardBackward", "", true),
      recurrentStep("StreamingStepBenchmark.lstm", "LSTM", 4),
      recurrentStep("StreamingStepBenchmark.gru", "GRU", 3),
      recurrentStep("StreamingStepBenchmark.rnn", "RNN", 1),
      // 2 * 4H (I + H) FLOP per step whatever the weights' format, so that the formats compare as rates
      new Spec("QuantizedStepBenchmark.lstmStep", p -> {
        int[] ih = QuantizedStepBenchmark.sizes(p.getOrDefault("size", QuantizedStepBenchmark.DEFAULT_SIZE));
        return Workload.flops("LSTM step B=1 I=" + ih[0] + " H=" + ih[1] + ", " + p.getOrDefault("format", "float32")
            + " weights", Precision.F32, 2.0 * 4 * ih[1] * (ih[0] + ih[1]));
      }),
      quantizedSequence("QuantizedSequenceBenchmark.forward", "forward"),
      quantizedSequence("QuantizedSequenceBenchmark.steps", "steps on arrays"),
      cellStep("CellStepBenchmark.forward", false),
      cellStep("CellStepBenchmark.forwardBackward", true),
      recurrentForward("RecurrentThreadsBenchmark.forward", "LSTM", 4),
      recurrentForwardBackward("RecurrentThreadsBenchmark.forwardBackward", "LSTM", 4)
  );

  /** A quantized LSTM over a sequence at the stream configuration: 2 * 4H (I + H) FLOP per step, any format. */
  static Spec quantizedSequence(String benchmark, String label) {
    return new Spec(benchmark, p -> Workload.flops("quantized LSTM " + label + " B=1 T="
        + QuantizedSequenceBenchmark.STEPS + " I=" + QuantizedSequenceBenchmark.INPUT + " H="
        + QuantizedSequenceBenchmark.HIDDEN + ", " + p.getOrDefault("format", "int8") + " weights", Precision.F32,
        2.0 * 4 * QuantizedSequenceBenchmark.HIDDEN * (QuantizedSequenceBenchmark.INPUT
            + QuantizedSequenceBenchmark.HIDDEN) * QuantizedSequenceBenchmark.STEPS));
  }

  /** A GEMM benchmark with a {@code shape} parameter "MxKxN". */
  public static Spec gemm(String benchmark, String label, Precision precision) {
    return new Spec(benchmark, p -> {
      GemmShape s = GemmShape.parse(p.get("shape"));
      return Workload.flops(label + " " + s, precision, s.flops());
    });
  }

  /** An element-wise float32 map with a {@code size} parameter. */
  public static Spec map(String benchmark) {
    String label = benchmark.substring(benchmark.indexOf('.') + 1);
    return new Spec(benchmark, p -> Workload.elements(label + " n=" + p.get("size"), Integer.parseInt(p.get("size"))));
  }

  /** A float32 recurrent layer forward over the sequence of the {@code config} parameter; {@code gates}: G. */
  public static Spec recurrentForward(String benchmark, String cell, int gates) {
    return new Spec(benchmark, p -> {
      RecurrentConfig c = RecurrentConfig.named(p.get("config"));
      return Workload.flops(cell + " forward " + c.describe(), Precision.F32, c.forwardFlops(gates));
    });
  }

  /** A float32 recurrent layer forward plus backward through time (3F). */
  public static Spec recurrentForwardBackward(String benchmark, String cell, int gates) {
    return new Spec(benchmark, p -> {
      RecurrentConfig c = RecurrentConfig.named(p.get("config"));
      return Workload.flops(cell + " fwd+bwd " + c.describe(), Precision.F32, c.forwardBackwardFlops(gates));
    });
  }

  /**
   * A float32 recurrent layer benchmark with a {@code cell} parameter (lstm, gru, rnn) over the sequence of the
   * {@code config} parameter: forward (F) or forward plus backward (3F), G from the cell. The label (e.g.
   * "LSTM forward train (...)", "GRU engine fwd+bwd large (...)") does not name the implementation, so that the
   * scalar and SIMD rows pair up.
   */
  public static Spec recurrentLayer(String benchmark, String variant, boolean withBackward) {
    return new Spec(benchmark, p -> {
      String cell = p.get("cell");
      int gates = gates(benchmark, cell);
      RecurrentConfig c = RecurrentConfig.named(p.get("config"));
      String label = cell.toUpperCase(java.util.Locale.ROOT) + variant
          + (withBackward ? " fwd+bwd " : " forward ") + c.describe();
      return Workload.flops(label, Precision.F32, withBackward ? c.forwardBackwardFlops(gates) : c.forwardFlops(gates));
    });
  }

  /**
   * One float32 step of a single-step cell with a {@code cell} parameter (lstm, gru, rnn) at the B, I, H of the
   * {@code config} parameter: forward {@code F = 2 * B * (I + H) * G * H}, or forward plus backward (3F).
   */
  public static Spec cellStep(String benchmark, boolean withBackward) {
    return new Spec(benchmark, p -> {
      String cell = p.get("cell");
      int gates = gates(benchmark, cell);
      RecurrentConfig c = RecurrentConfig.named(p.get("config"));
      String label = cell.toUpperCase(java.util.Locale.ROOT) + "Cell" + (withBackward ? " fwd+bwd " : " step ")
          + c.name() + " (B=" + c.batch() + " I=" + c.input() + " H=" + c.hidden() + ")";
      return Workload.flops(label, Precision.F32, withBackward ? 3 * c.stepFlops(gates) : c.stepFlops(gates));
    });
  }

  private static int gates(String benchmark, String cell) {
    return switch (cell) {
      case "lstm" -> 4;
      case "gru" -> 3;
      case "rnn" -> 1;
      default -> throw new IllegalArgumentException(
          benchmark + ": unknown cell '" + cell + "'; expected lstm, gru or rnn");
    };
  }

  /** One float32 streaming step at the {@code config} parameter's B, I, H (default: the stream configuration). */
  public static Spec recurrentStep(String benchmark, String cell, int gates) {
    return new Spec(benchmark, p -> {
      RecurrentConfig c = RecurrentConfig.named(p.getOrDefault("config", RecurrentConfig.STREAM.name()));
      return Workload.flops(cell + " step " + c.describe(), Precision.F32, c.stepFlops(gates));
    });
  }

  /**
   * The workload of a result of {@code benchmark} (JMH's full name, {@code package.Class.method}) with these
   * parameters, looked up in {@code specs}; a benchmark without a spec gets an uncounted workload named after
   * itself and its parameters.
   */
  public static Workload describe(List<Spec> specs, String benchmark, Map<String, String> params) {
    String key = simpleName(benchmark);
    Optional<Spec> spec = specs.stream().filter(s -> s.benchmark().equals(key)).findFirst();
    if (spec.isPresent()) {
      return spec.get().describe().apply(params);
    }
    List<String> parts = new ArrayList<>();
    parts.add(key);
    parts.addAll(params.entrySet().stream()
        .filter(e -> !e.getKey().equals("impl"))
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.toList()));
    return Workload.uncounted(String.join(" ", parts));
  }

  /** {@code "dev.rnn4j.bench.GemmBenchmark.sgemm"} -> {@code "GemmBenchmark.sgemm"}. */
  static String simpleName(String benchmark) {
    int method = benchmark.lastIndexOf('.');
    int cls = method <= 0 ? -1 : benchmark.lastIndexOf('.', method - 1);
    return benchmark.substring(cls + 1);
  }
}
