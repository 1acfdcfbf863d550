package dev.rnn4j.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every check names the op, the argument and the shapes or values. */
class ShapeAndDtypeErrorTest {

  private static Tensor f32(int... shape) {
    return Tensor.zeros(DType.FLOAT32, shape);
  }

  private static Tensor f64(int... shape) {
    return Tensor.zeros(DType.FLOAT64, shape);
  }

  private static void expect(String message, Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertEquals(message, e.getMessage());
  }

  @Test
  void matmul() {
    expect("matmul: inner dimensions differ: [32, 128] x [256, 512]", () -> f32(32, 128).matmul(f32(256, 512)));
    expect("matmul: batch sizes differ: [2, 3, 4] x [3, 4, 5]", () -> f32(2, 3, 4).matmul(f32(3, 4, 5)));
    expect("matmul: unsupported ranks: [4] x [4, 2] (expected [M, K] x [K, N], [B, M, K] x [B, K, N] or "
        + "[B, M, K] x [K, N])", () -> f32(4).matmul(f32(4, 2)));
    expect("matmul: dtypes differ: float32 [2, 2] and float64 [2, 2] (convert one with to(DType))",
        () -> f32(2, 2).matmul(f64(2, 2)));
  }

  @Test
  void linear() {
    expect("linear: input features differ: input [32, 128] x weight [256, 512] (expected last input dimension 512)",
        () -> Ops.linear(f32(32, 128), f32(256, 512), null));
    expect("linear: bias must be [256], got [128]", () -> Ops.linear(f32(32, 128), f32(256, 128), f32(128)));
  }

  @Test
  void broadcastingAndDtypes() {
    expect("add: shapes cannot be broadcast: [2, 3] and [4]", () -> f32(2, 3).add(f32(4)));
    expect("mul: shapes cannot be broadcast: [3, 2] and [2, 2]", () -> f32(3, 2).mul(f32(2, 2)));
    expect("sub: dtypes differ: float64 [3] and float32 [3] (convert one with to(DType))",
        () -> f64(3).sub(f32(3)));
    expect("div: dtypes differ: float32 [1] and float64 [1] (convert one with to(DType))",
        () -> f32(1).div(f64(1)));
    expect("broadcastTo: cannot broadcast [3] to [2, 4]", () -> f32(3).broadcastTo(2, 4));
  }

  @Test
  void shapeOps() {
    expect("reshape: cannot reshape [2, 3] (6 elements) to [4, 2]", () -> f32(2, 3).reshape(4, 2));
    expect("reshape: cannot reshape [2, 3] (6 elements) to [4, -1]", () -> f32(2, 3).reshape(4, -1));
    expect("transpose: expected a 2-D tensor, got shape [2, 3, 4] (use transpose(dim0, dim1))",
        () -> f32(2, 3, 4).transpose());
    expect("slice: range [1, 4) out of bounds for dimension 0 of [3, 2]", () -> f32(3, 2).slice(1, 4));
    expect("narrow: range [1, 3) out of bounds for dimension 1 of [3, 2]", () -> f32(3, 2).narrow(1, 1, 2));
    expect("sum: axis 2 out of range for a tensor of rank 2", () -> f32(3, 2).sum(2, false));
    expect("concat: tensor 1 has shape [2, 3], incompatible with [2, 2] along dimension 0",
        () -> Ops.concat(0, f32(2, 2), f32(2, 3)));
    expect("concat: dtypes differ: float32 [2, 2] and float64 [2, 2] (convert one with to(DType))",
        () -> Ops.concat(0, f32(2, 2), f64(2, 2)));
    expect("stack: tensor 1 has shape [3], expected [2]", () -> Ops.stack(0, f32(2), f32(3)));
    expect("split: sizes [1, 1] add up to 2, not to dimension 0 of [3]", () -> Ops.split(f32(3), 0, 1, 1));
    expect("indexSelect: index 5 at position 1 out of range [0, 4) for [4, 2]",
        () -> f32(4, 2).indexSelect(0, 5));
  }

  @Test
  void lossesAndLookups() {
    expect("crossEntropy: target 7 at position 1 out of range [0, 5) (ignore index -100)",
        () -> Ops.crossEntropy(f32(2, 5), new int[] {0, 7}));
    expect("crossEntropy: 3 targets for input [2, 5]", () -> Ops.crossEntropy(f32(2, 5), new int[] {0, 1, 2}));
    expect("crossEntropy: input must be [N, C], got [2, 3, 5] (reshape(-1, C) first)",
        () -> Ops.crossEntropy(f32(2, 3, 5), new int[] {0, 1}));
    expect("crossEntropy: class weights must be [5], got [4]",
        () -> Ops.crossEntropy(f32(2, 5), new int[] {0, 1}, -1, f32(4)));
    expect("mse: shapes differ: prediction [2, 3], target [3, 2]", () -> Ops.mse(f32(2, 3), f32(3, 2)));
    expect("mse: dtypes differ: float32 [2] and float64 [2] (convert one with to(DType))",
        () -> Ops.mse(f32(2), f64(2)));
    expect("embedding: index 9 at position 0 out of range [0, 4) for weight [4, 3]",
        () -> Ops.embedding(f32(4, 3), new int[] {9}));
    expect("dropout: probability must be in [0, 1], got 1.5",
        () -> Ops.dropout(f32(2), 1.5, true, new java.util.SplittableRandom(1)));
  }

  @Test
  void creation() {
    expect("fromArray: array has 5 elements but shape [2, 3] needs 6",
        () -> Tensor.fromArray(new float[5], 2, 3));
    expect("zeros: negative dimension in shape [2, -1]", () -> Tensor.zeros(DType.FLOAT32, 2, -1));
    expect("item: tensor of shape [2] has 2 elements, not 1", () -> f32(2).item());
    expect("get: index [2, 0] out of bounds for shape [2, 2]", () -> f32(2, 2).get(2, 0));
  }
}
