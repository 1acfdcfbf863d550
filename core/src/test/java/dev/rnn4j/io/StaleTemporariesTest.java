package dev.rnn4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.testing.ChildJvm;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Saves that were killed mid-write (a child JVM killed with SIGKILL while its save waits half-way) leave their
 * temporary files behind; the next save of the same target removes exactly those, and never a save still running
 * (in another process or in this one) nor any other file.
 */
class StaleTemporariesTest {

  @TempDir
  Path dir;

  private static Map<String, SafetensorsTensor> version(float v) {
    return Map.of("a", SafetensorsTensor.ofFloats(new int[] {2}, new float[] {v, v}));
  }

  private List<String> temporaries(Path target) throws IOException {
    Pattern p = StaleTemporaries.pattern(target);
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(f -> f.getFileName().toString()).filter(n -> p.matcher(n).matches()).sorted().toList();
    }
  }

  /** Starts a child JVM saving to {@code target} and returns it once it is paused half-way through the save. */
  private static Process pausedSave(Path target, float value) throws IOException {
    Process child = ChildJvm.builder(InterruptedSaveMain.class, target.toString(), Float.toString(value)).start();
    ChildJvm.awaitLine(child, InterruptedSaveMain.PAUSED);
    return child;
  }

  @Test
  void saveRemovesTheTemporariesOfKilledSavesAndNothingElse() throws Exception {
    Path target = dir.resolve("model.safetensors");
    Safetensors.write(target, version(1));
    // Three saves at once (one after the other, each would clean up the one before it), all killed half-way.
    List<Process> children = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        children.add(pausedSave(target, 7));
      }
    } finally {
      for (Process child : children) {
        child.destroyForcibly(); // SIGKILL on POSIX: no finally block, no shutdown hook runs
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
      }
    }
    List<String> stale = temporaries(target);
    assertEquals(3, stale.size(), "three killed saves: " + stale);
    for (String name : stale) {
      assertTrue(Files.size(dir.resolve(name)) > 1 << 20, name + " holds the first tensor's data");
    }

    // Everything that only resembles the naming, or belongs to another target, stays.
    List<String> unrelated = List.of(
        ".model.safetensors.0123456789abcdeg.tmp",   // not hex
        ".model.safetensors.0123456789ABCDEF.tmp",   // upper case: the writer writes lower case
        ".model.safetensors.00112233445566778.tmp",  // 17 digits
        ".model.safetensors..tmp",
        ".model.safetensors.00ff.tmp.part",
        "model.safetensors.00ff.tmp",                // no leading dot
        ".other.safetensors.0123456789abcdef.tmp",   // another target
        ".model.0123456789abcdef.tmp",               // a prefix of the target's name
        "model.safetensors.bak");
    for (String name : unrelated) {
      Files.writeString(dir.resolve(name), name);
    }
    Path directory = Files.createDirectory(dir.resolve(".model.safetensors.00000000000000aa.tmp"));
    Files.writeString(directory.resolve("inside"), "inside");
    Path outside = Files.writeString(dir.resolve("outside"), "outside");
    Path link = Files.createSymbolicLink(dir.resolve(".model.safetensors.00000000000000bb.tmp"), outside);

    Safetensors.write(target, version(2));

    assertEquals(List.of(directory.getFileName().toString(), link.getFileName().toString()), temporaries(target));
    for (String name : unrelated) {
      assertEquals(name, Files.readString(dir.resolve(name)));
    }
    assertEquals("inside", Files.readString(directory.resolve("inside")));
    assertTrue(Files.isSymbolicLink(link));
    assertEquals("outside", Files.readString(outside));
    assertEquals(version(2), Safetensors.read(target));
  }

  @Test
  void anotherProcessesRunningSaveIsLeftAlone() throws Exception {
    Path target = dir.resolve("model.safetensors");
    Process child = pausedSave(target, 3);
    try {
      List<String> live = temporaries(target);
      assertEquals(1, live.size());
      Safetensors.write(target, version(1));
      assertEquals(live, temporaries(target));
      try (Writer w = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8)) {
        w.write("go\n");
      }
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
      assertEquals(0, child.exitValue(), "the child's save completed");
    } finally {
      child.destroyForcibly();
    }
    assertEquals(List.of(), temporaries(target));
    assertEquals(3f, Safetensors.read(target).get("a").floats()[0]);
  }

  @Test
  void aRunningSaveInThisJvmIsLeftAlone() throws Exception {
    Path target = dir.resolve("model.safetensors");
    CountDownLatch paused = new CountDownLatch(1);
    CountDownLatch resume = new CountDownLatch(1);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<?> slow = pool.submit(() -> {
        SafetensorsWriter.write(target, version(5), Map.of(), stage -> {
          if (stage.equals("header")) {
            paused.countDown();
            try {
              resume.await();
            } catch (InterruptedException e) {
              throw new IOException(e);
            }
          }
        });
        return null;
      });
      assertTrue(paused.await(30, TimeUnit.SECONDS));
      List<String> live = temporaries(target);
      assertEquals(1, live.size());
      Safetensors.write(target, version(1));
      assertEquals(live, temporaries(target));
      resume.countDown();
      slow.get(30, TimeUnit.SECONDS);
    } finally {
      resume.countDown();
      pool.shutdownNow();
    }
    assertEquals(List.of(), temporaries(target));
    assertEquals(version(5), Safetensors.read(target));
  }

  @Test
  void tempNamesFollowTheDocumentedPattern() {
    Path target = dir.resolve("weights (v1).safetensors");
    for (long r : new long[] {0, 1, -1, Long.MIN_VALUE, 0x0123456789abcdefL}) {
      String name = TempFile.name(target, r);
      assertEquals(".weights (v1).safetensors.".length() + 16 + ".tmp".length(), name.length(), name);
      assertTrue(StaleTemporaries.pattern(target).matcher(name).matches(), name);
    }
  }
}
