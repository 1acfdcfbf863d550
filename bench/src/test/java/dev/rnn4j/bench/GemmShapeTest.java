package dev.rnn4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GemmShapeTest {

  @Test
  void parsesMxKxNInThatOrder() {
    GemmShape s = GemmShape.parse("3200x128x1024");
    assertEquals(3200, s.m());
    assertEquals(128, s.k());
    assertEquals(1024, s.n());
    assertEquals("3200x128x1024", s.toString());
  }

  @Test
  void countsTwoFlopsPerMultiplyAdd() {
    // 512^3 multiply-adds = 134,217,728; two FLOPs each.
    assertEquals(268_435_456.0, GemmShape.parse("512x512x512").flops());
    // M=32 K=256 N=1024: 32 * 1024 outputs, each a length-256 dot product: 2 * 32 * 1024 * 256 = 16,777,216.
    assertEquals(16_777_216.0, GemmShape.parse("32x256x1024").flops());
  }

  @Test
  void rejectsMalformedShapesNamingTheText() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GemmShape.parse("512x512"));
    assertTrue(e.getMessage().contains("'512x512'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> GemmShape.parse("axbxc"));
    assertThrows(IllegalArgumentException.class, () -> GemmShape.parse("0x4x4"));
  }
}
