package dev.rnn4j.io;

import static dev.rnn4j.io.TestModels.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rnn4j.io.TestModels.Small;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.opentest4j.AssertionFailedError;

/**
 * Loading hostile files into a model: the load either succeeds, and then the model holds exactly the file's values,
 * or it throws {@link IllegalArgumentException} or {@link IOException} and the model is bitwise unchanged. Any other
 * exception type, or a partial load, fails the property.
 */
class SafetensorsLoadFuzzProperties {

  private static Path dir;
  private static byte[] valid;

  @BeforeContainer
  static void setUp() throws IOException {
    dir = Files.createTempDirectory("rnn4j-safetensors-load-fuzz");
    Path p = dir.resolve("valid.safetensors");
    Safetensors.save(new Small(1, DType.FLOAT32), p, Map.of("format", "pt"));
    valid = Files.readAllBytes(p);
    Files.delete(p);
  }

  @AfterContainer
  static void tearDown() throws IOException {
    try (var s = Files.list(dir)) {
      for (Path p : s.toList()) {
        Files.delete(p);
      }
    }
    Files.delete(dir);
  }

  /** The loader under test; {@link Safetensors#load} except in the test that shows a broken one is caught. */
  interface Loader {
    LoadResult load(Small model, Path path, LoadOptions options) throws IOException;
  }

  static String loadOutcome(byte[] bytes, LoadOptions options) {
    return loadOutcome(bytes, options, Safetensors::load);
  }

  /** Loads {@code bytes} into a model initialised differently from the file and checks the all-or-nothing rule. */
  static String loadOutcome(byte[] bytes, LoadOptions options, Loader loader) {
    try {
      Path p = Files.createTempFile(dir, "fuzz", ".safetensors");
      try {
        Files.write(p, bytes);
        Small model = new Small(2, DType.FLOAT32);
        Map<String, List<Long>> before = snapshot(model);
        try {
          LoadResult r = loader.load(model, p, options);
          // Loaded: each loaded parameter now equals the file's tensor, every other one is unchanged.
          Map<String, SafetensorsTensor> file = Safetensors.read(p);
          for (Map.Entry<String, Tensor> e : model.namedParameters().entrySet()) {
            float[] now = e.getValue().toFloatArray();
            if (r.loaded().contains(e.getKey())) {
              assertEquals(file.get(e.getKey()).toFloats().length, now.length);
              for (int i = 0; i < now.length; i++) {
                assertEquals(Float.floatToRawIntBits(file.get(e.getKey()).toFloats()[i]),
                    Float.floatToRawIntBits(now[i]), e.getKey() + "[" + i + "]");
              }
            } else {
              Small fresh = new Small(2, DType.FLOAT32);
              assertEquals(Arrays.toString(fresh.namedParameters().get(e.getKey()).toFloatArray()),
                  Arrays.toString(now), e.getKey());
            }
          }
          return "loaded";
        } catch (IllegalArgumentException | IOException e) {
          assertEquals(before, snapshot(model), "model changed by a failed load: " + e);
          return "rejected";
        }
      } finally {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Property(tries = 150)
  void randomGarbage(@ForAll @Size(max = 300) byte[] bytes) {
    assertEquals("rejected", loadOutcome(bytes, LoadOptions.strict()));
  }

  @Property(tries = 300)
  void singleByteMutation(@ForAll @IntRange(min = 0, max = 100_000) int where, @ForAll byte value,
                          @ForAll boolean lenient) {
    byte[] bytes = valid.clone();
    bytes[where % bytes.length] = value;
    loadOutcome(bytes, lenient ? LoadOptions.strict().allowMissing(true).allowUnexpected(true).convertDtype(true)
        : LoadOptions.strict());
  }

  @Property(tries = 100)
  void truncation(@ForAll @IntRange(min = 0, max = 100_000) int cut) {
    byte[] bytes = Arrays.copyOf(valid, cut % valid.length);
    assertEquals("rejected", loadOutcome(bytes, LoadOptions.strict()));
  }

  /**
   * The check catches a partial load: a loader that copies each tensor as soon as it has read it, and so fails only
   * when it reaches a bad one, changes the model before throwing. Here the last tensor's shape is wrong.
   */
  @Example
  void aCopyAsYouGoLoaderIsCaught() throws IOException {
    Loader naive = (model, path, options) -> {
      List<String> loaded = new ArrayList<>();
      try (SafetensorsFile f = SafetensorsFile.open(path)) {
        for (Map.Entry<String, Tensor> e : model.namedParameters().entrySet()) {
          SafetensorsTensor t = f.read(e.getKey());
          if (!Arrays.equals(t.shape(), e.getValue().shape())) {
            throw new IllegalArgumentException("shape of " + e.getKey());
          }
          e.getValue().copyFrom(Tensor.fromArray(t.toFloats(), t.shape()));
          loaded.add(e.getKey());
        }
      }
      return new LoadResult(loaded, List.of(), List.of());
    };
    Map<String, SafetensorsTensor> tensors = new LinkedHashMap<>();
    Small source = new Small(1, DType.FLOAT32);
    for (Map.Entry<String, Tensor> e : source.namedParameters().entrySet()) {
      tensors.put(e.getKey(), SafetensorsTensor.ofFloats(e.getValue().shape(), e.getValue().toFloatArray()));
    }
    tensors.put("fc.bias", SafetensorsTensor.ofFloats(new int[] {1, 2}, new float[] {1, 2}));
    Path p = dir.resolve("bad-last.safetensors");
    Safetensors.write(p, tensors);
    byte[] bytes = Files.readAllBytes(p);
    Files.delete(p);
    assertThrows(AssertionFailedError.class, () -> loadOutcome(bytes, LoadOptions.strict(), naive));
    assertEquals("rejected", loadOutcome(bytes, LoadOptions.strict()));
  }

  /** The unmutated file loads (so the properties above exercise both outcomes). */
  @Property(tries = 1)
  void theValidFileLoads() {
    assertEquals("loaded", loadOutcome(valid, LoadOptions.strict()));
  }
}
