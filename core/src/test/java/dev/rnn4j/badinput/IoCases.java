package dev.rnn4j.badinput;

import static dev.rnn4j.tensor.DType.FLOAT64;

import dev.rnn4j.io.LoadOptions;
import dev.rnn4j.io.Safetensors;
import dev.rnn4j.io.SafetensorsFile;
import dev.rnn4j.io.SafetensorsFormatException;
import dev.rnn4j.io.SafetensorsTensor;
import dev.rnn4j.nn.Linear;
import dev.rnn4j.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** Safetensors reading, loading into a model, saving and writing. */
final class IoCases {

  private IoCases() {}

  static void add(Catalog c, Path dir) {
    try {
      files(c, dir);
      load(c, dir);
      save(c, dir);
      tensors(c);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path file(Path dir, String name, byte[] bytes) throws IOException {
    return Files.write(dir.resolve(name), bytes);
  }

  /** An 8-byte little-endian length {@code n}, the header text, then {@code data} zero bytes. */
  private static byte[] safetensors(long n, String header, int data) {
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(8 + json.length + data).order(ByteOrder.LITTLE_ENDIAN).putLong(n).put(json).array();
  }

  private static byte[] safetensors(String header, int data) {
    return safetensors(header.getBytes(StandardCharsets.UTF_8).length, header, data);
  }

  private static void files(Catalog c, Path dir) throws IOException {
    Path missing = dir.resolve("missing.safetensors");
    c.iae("read null path", () -> Safetensors.read(null), "safetensors read", "path", "null");
    c.iae("read a directory", () -> Safetensors.read(dir), "safetensors read", dir.toString(), "directory");
    c.add("read a missing file", () -> Safetensors.read(missing), NoSuchFileException.class, "safetensors read",
        missing.toString(), "no such file");
    c.iae("open a directory", () -> SafetensorsFile.open(dir), "safetensors read", dir.toString(), "directory");
    Path empty = file(dir, "empty.safetensors", new byte[0]);
    c.add("read an empty file", () -> Safetensors.read(empty), SafetensorsFormatException.class, empty.toString(),
        "0 bytes");
    Path shortFile = file(dir, "short.safetensors", new byte[5]);
    c.add("read a 5-byte file", () -> Safetensors.read(shortFile), SafetensorsFormatException.class,
        shortFile.toString(), "5 bytes");
    Path huge = file(dir, "huge.safetensors", safetensors(1L << 40, "{}", 0));
    c.add("read a header length beyond the limit", () -> Safetensors.read(huge), SafetensorsFormatException.class,
        huge.toString(), "header length 1099511627776");
    Path past = file(dir, "past.safetensors", safetensors(50, "{}", 0));
    c.add("read a header length past the end", () -> Safetensors.read(past), SafetensorsFormatException.class,
        past.toString(), "header length 50");
    String[][] malformed = {
        {"truncated", "{\"a\":{\"dtype\":\"F32\","}, {"unquoted name", "{a:{}}"}, {"single quotes", "{'a':{}}"},
        {"missing colon", "{\"a\" 1}"}, {"comment", "{/*c*/}"}, {"trailing text", "{}   x  "},
        {"trailing comma", "{\"__metadata__\":{},}"}};
    for (String[] m : malformed) {
      Path p = file(dir, "json-" + m[0].replace(' ', '-') + ".safetensors", safetensors(m[1], 0));
      c.add("read malformed JSON: " + m[0], () -> rejectWithoutParserAdvice(p), SafetensorsFormatException.class,
          p.toString(), "not valid JSON", "line 1 column");
    }
    Path unknownDtype = file(dir, "dtype.safetensors",
        safetensors("{\"a\":{\"dtype\":\"Q7\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4));
    c.add("read an unknown dtype", () -> Safetensors.read(unknownDtype), SafetensorsFormatException.class,
        unknownDtype.toString(), "'a'", "Q7");
    Path ok = dir.resolve("ok.safetensors");
    Safetensors.write(ok, Map.of("a", SafetensorsTensor.ofDoubles(new int[] {1}, new double[] {1})));
    c.iae("read a tensor that is not there", () -> {
      try (SafetensorsFile f = SafetensorsFile.open(ok)) {
        f.read("b");
      }
    }, "safetensors", ok.toString(), "no tensor 'b'", "[a]");
  }

  /** Reads {@code p}; the format error must carry none of the JSON parser's advice. */
  private static void rejectWithoutParserAdvice(Path p) throws IOException {
    try {
      Safetensors.read(p);
    } catch (SafetensorsFormatException e) {
      String m = e.getMessage();
      for (String advice : new String[] {"enient", "LENIENT", "trictness", "gson", "Troubleshooting", "http", "\n"}) {
        if (m.contains(advice)) {
          throw new AssertionError("parser advice '" + advice + "' in: " + m);
        }
      }
      throw e;
    }
  }

  private static void load(Catalog c, Path dir) throws IOException {
    SplittableRandom rng = new SplittableRandom(3);
    Linear model = new Linear(2, 2, true, FLOAT64, rng);
    Path good = dir.resolve("model.safetensors");
    Safetensors.save(new Linear(2, 2, true, FLOAT64, rng), good);
    Path missingBias = dir.resolve("no-bias.safetensors");
    Safetensors.save(new Linear(2, 2, false, FLOAT64, rng), missingBias);
    Path wider = dir.resolve("wider.safetensors");
    Safetensors.save(new Linear(3, 2, true, FLOAT64, rng), wider);
    Path float32 = dir.resolve("float32.safetensors");
    Safetensors.save(new Linear(2, 2, rng), float32);
    Path extra = dir.resolve("extra.safetensors");
    Map<String, SafetensorsTensor> more = new HashMap<>();
    for (Map.Entry<String, Tensor> e : new Linear(2, 2, true, FLOAT64, rng).namedParameters().entrySet()) {
      more.put(e.getKey(), SafetensorsTensor.of(e.getValue()));
    }
    more.put("scale", SafetensorsTensor.ofDoubles(new int[] {1}, new double[] {2}));
    Safetensors.write(extra, more);
    Path missing = dir.resolve("missing-model.safetensors");
    java.util.function.Supplier<Object> params = () -> Probes.tensors(model.weight(), model.bias());
    c.iae("load null model", () -> Safetensors.load(null, good), "safetensors load", "model", "null");
    c.iae("load null path", () -> Safetensors.load(model, null), "safetensors load", "path", "null")
        .unchanged(params);
    c.iae("load null options", () -> Safetensors.load(model, good, null), "safetensors load", "options", "null")
        .unchanged(params);
    c.iae("load from a directory", () -> Safetensors.load(model, dir), "safetensors read", dir.toString(),
        "directory").unchanged(params);
    c.add("load from a missing file", () -> Safetensors.load(model, missing), NoSuchFileException.class,
        missing.toString(), "no such file").unchanged(params);
    c.iae("load a file missing a parameter", () -> Safetensors.load(model, missingBias), "safetensors load",
        missingBias.toString(), "[bias]", "allowMissing").unchanged(params);
    c.iae("load a file with an unexpected tensor", () -> Safetensors.load(model, extra), "safetensors load",
        extra.toString(), "[scale]", "allowUnexpected").unchanged(params);
    c.iae("load a tensor of another shape", () -> Safetensors.load(model, wider), "safetensors load",
        "'weight'", "[2, 3]", "[2, 2]").unchanged(params);
    c.iae("load a tensor of another dtype", () -> Safetensors.load(model, float32), "safetensors load",
        "'weight'", "F32", "convertDtype").unchanged(params);
    c.iae("load with allowMissing still checks shapes", () -> Safetensors.load(model, wider,
        LoadOptions.strict().allowMissing(true)), "safetensors load", "'weight'", "[2, 3]").unchanged(params);
  }

  private static void save(Catalog c, Path dir) {
    Linear model = new Linear(2, 2, new SplittableRandom(4));
    Path noDir = dir.resolve("no-such-dir").resolve("m.safetensors");
    Path target = dir.resolve("target.safetensors");
    Map<String, SafetensorsTensor> one = Map.of("a", SafetensorsTensor.ofFloats(new int[] {1}, new float[] {1}));
    c.iae("save null model", () -> Safetensors.save(null, target), "safetensors save", "model", "null");
    c.iae("save null path", () -> Safetensors.save(model, null), "safetensors save", "path", "null");
    c.iae("save onto a directory", () -> Safetensors.save(model, dir), "safetensors save", dir.toString(),
        "directory");
    c.add("save into a missing directory", () -> Safetensors.save(model, noDir), NoSuchFileException.class,
        "safetensors save", noDir.getParent().toString(), "does not exist");
    c.iae("save null metadata", () -> Safetensors.save(model, target, null), "safetensors write", "metadata",
        "null");
    c.iae("write null path", () -> Safetensors.write(null, one), "safetensors write", "path", "null");
    c.iae("write null tensors", () -> Safetensors.write(target, null), "safetensors write", "tensors", "null");
    c.iae("write onto a directory", () -> Safetensors.write(dir, one), "safetensors write", dir.toString(),
        "directory");
    Map<String, SafetensorsTensor> nullValue = new HashMap<>();
    nullValue.put("a", null);
    c.iae("write a null tensor", () -> Safetensors.write(target, nullValue), "safetensors write", "null", "a");
    c.iae("write a tensor named __metadata__", () -> Safetensors.write(target, Map.of("__metadata__",
        one.get("a"))), "safetensors write", "__metadata__", "reserved");
    Map<String, String> nullMeta = new HashMap<>();
    nullMeta.put("k", null);
    c.iae("write a null metadata value", () -> Safetensors.write(target, one, nullMeta), "safetensors write",
        "metadata", "k");
  }

  private static void tensors(Catalog c) {
    c.iae("SafetensorsTensor null float data", () -> SafetensorsTensor.ofFloats(new int[] {1}, null),
        "SafetensorsTensor", "data", "null");
    c.iae("SafetensorsTensor null double data", () -> SafetensorsTensor.ofDoubles(new int[] {1}, null),
        "SafetensorsTensor", "data", "null");
    c.iae("SafetensorsTensor null shape", () -> SafetensorsTensor.ofFloats(null, new float[1]),
        "SafetensorsTensor", "shape", "null");
    c.iae("SafetensorsTensor shape and data disagree", () -> SafetensorsTensor.ofFloats(new int[] {2, 2},
        new float[3]), "SafetensorsTensor", "[2, 2]", "4 elements", "3");
    c.iae("SafetensorsTensor negative dimension", () -> SafetensorsTensor.ofDoubles(new int[] {-1},
        new double[0]), "SafetensorsTensor", "negative", "[-1]");
    c.iae("SafetensorsTensor of null", () -> SafetensorsTensor.of(null), "SafetensorsTensor", "tensor", "null");
  }
}
