package dev.rnn4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A failed write leaves the previous file byte for byte as it was and no temporary file behind. */
class SafetensorsAtomicWriteTest {

  @TempDir
  Path dir;

  private static Map<String, SafetensorsTensor> version(float v) {
    return Map.of(
        "w", SafetensorsTensor.ofFloats(new int[] {3}, new float[] {v, v + 1, v + 2}),
        "x", SafetensorsTensor.ofFloats(new int[] {2}, new float[] {-v, -v}));
  }

  private List<Path> listing() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"header", "tensor w", "tensor x", "before move"})
  void crashAtAnyStageKeepsThePreviousFile(String stage) throws IOException {
    Path file = dir.resolve("model.safetensors");
    Safetensors.write(file, version(1));
    byte[] before = Files.readAllBytes(file);

    IOException crash = new IOException("simulated crash at " + stage);
    SafetensorsWriter.Probe probe = s -> {
      if (s.equals(stage)) {
        throw crash;
      }
    };
    IOException thrown = assertThrows(IOException.class,
        () -> SafetensorsWriter.write(file, version(2), Map.of(), probe));
    assertEquals(crash, thrown);
    assertArrayEquals(before, Files.readAllBytes(file));
    assertEquals(List.of(file), listing());
    assertEquals(version(1), Safetensors.read(file));
  }

  @Test
  void runtimeFailureMidWriteAlsoCleansUp() throws IOException {
    Path file = dir.resolve("model.safetensors");
    Safetensors.write(file, version(1));
    byte[] before = Files.readAllBytes(file);
    SafetensorsWriter.Probe probe = s -> {
      if (s.equals("tensor w")) {
        throw new OutOfMemoryError("simulated");
      }
    };
    assertThrows(OutOfMemoryError.class, () -> SafetensorsWriter.write(file, version(2), Map.of(), probe));
    assertArrayEquals(before, Files.readAllBytes(file));
    assertEquals(List.of(file), listing());
  }

  /** A real failure without the hook: the target is a non-empty directory, so the final rename fails. */
  @Test
  void failedRenameLeavesNoTemporaryFile() throws IOException {
    Path target = dir.resolve("occupied");
    Files.createDirectory(target);
    Files.writeString(target.resolve("keep.txt"), "keep");
    // Linux reports EISDIR ("Is a directory") as a plain FileSystemException. Safetensors.write rejects a directory
    // before writing anything; the writer itself must still clean up when the rename fails.
    assertThrows(IOException.class, () -> SafetensorsWriter.write(target, version(1), Map.of(),
        SafetensorsWriter.Probe.NONE));
    assertEquals(List.of(target), listing());
    assertEquals("keep", Files.readString(target.resolve("keep.txt")));
  }

  @Test
  void successfulWriteReplacesTheFile() throws IOException {
    Path file = dir.resolve("model.safetensors");
    Safetensors.write(file, version(1));
    Safetensors.write(file, version(2));
    assertEquals(version(2), Safetensors.read(file));
    assertEquals(List.of(file), listing());
  }
}
