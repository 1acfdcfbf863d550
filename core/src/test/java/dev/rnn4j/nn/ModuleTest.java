package dev.rnn4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModuleTest {

  static final class Leaf extends Module {
    final Tensor weight = registerParameter("weight", Tensor.zeros(DType.FLOAT32, 2, 3));
    final Tensor bias = registerParameter("bias", Tensor.zeros(DType.FLOAT32, 2));
  }

  static final class Net extends Module {
    final Tensor scale = registerParameter("scale", Tensor.ones(DType.FLOAT32, 1));
    final Leaf encoder = registerModule("encoder", new Leaf());
    final Leaf decoder = registerModule("decoder", new Leaf());
  }

  @Test
  void dottedNamesInRegistrationOrder() {
    Net net = new Net();
    assertEquals(List.of("scale", "encoder.weight", "encoder.bias", "decoder.weight", "decoder.bias"),
        List.copyOf(net.namedParameters().keySet()));
    assertSame(net.encoder.bias, net.namedParameters().get("encoder.bias"));
    assertEquals(5, net.parameters().size());
    assertEquals(1 + 2 * (6 + 2), net.parameterCount());
    assertTrue(net.encoder.weight.requiresGrad());
  }

  @Test
  void trainEvalPropagates() {
    Net net = new Net();
    assertTrue(net.isTraining());
    net.eval();
    assertFalse(net.isTraining());
    assertFalse(net.decoder.isTraining());
    net.train();
    assertTrue(net.encoder.isTraining());
  }

  @Test
  void zeroGradClearsEveryParameter() {
    Net net = new Net();
    net.encoder.weight.sum().add(net.scale.sum()).backward();
    assertEquals(1, net.scale.grad().item(), 0);
    net.zeroGrad();
    assertNull(net.scale.grad());
    assertNull(net.encoder.weight.grad());
  }

  @Test
  void badNamesAreRejected() {
    Module m = new Module() {};
    IllegalArgumentException dot = assertThrows(IllegalArgumentException.class,
        () -> m.registerParameter("a.b", Tensor.zeros(DType.FLOAT32, 1)));
    assertTrue(dot.getMessage().contains("'a.b'"), dot.getMessage());
    m.registerParameter("w", Tensor.zeros(DType.FLOAT32, 1));
    IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
        () -> m.registerModule("w", new Leaf()));
    assertTrue(twice.getMessage().contains("already registered"), twice.getMessage());
  }
}
