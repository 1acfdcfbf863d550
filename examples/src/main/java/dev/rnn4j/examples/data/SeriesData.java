package dev.rnn4j.examples.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** A univariate series for forecasting: generated (two sines plus Gaussian noise) or read from a file. */
public final class SeriesData {
  private SeriesData() {}

  /**
   * {@code length} points of {@code sin(2 pi t / 50) + 0.5 sin(2 pi t / 17 + 1) + noise}, noise ~ N(0, noiseStd^2).
   * The two incommensurate periods make the pattern repeat only every 850 steps, so the model must learn the
   * dynamics rather than memorise one cycle.
   */
  public static double[] noisySines(int length, double noiseStd, long seed) {
    if (length < 1) {
      throw new IllegalArgumentException("SeriesData.noisySines: length must be >= 1, got " + length);
    }
    SplittableRandom rng = new SplittableRandom(seed);
    double[] x = new double[length];
    for (int t = 0; t < length; t++) {
      x[t] = Math.sin(2 * Math.PI * t / 50.0) + 0.5 * Math.sin(2 * Math.PI * t / 17.0 + 1.0) + noiseStd * gaussian(rng);
    }
    return x;
  }

  /**
   * One number per line (blank lines and lines starting with # skipped; a CSV line's last field is used; a first
   * line that is not a number is a header). A line that is not a finite number is an error naming the file and line.
   */
  public static double[] fromFile(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read series file " + file, e);
    }
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] fields = line.split("[,;\\t ]+");
      double v;
      try {
        // A line of separators only has no fields at all.
        v = Double.parseDouble(fields.length == 0 ? line : fields[fields.length - 1]);
      } catch (NumberFormatException e) {
        if (values.isEmpty()) {
          continue; // a header line
        }
        throw new IllegalArgumentException("series file " + file + " line " + (i + 1) + ": not a number: " + line);
      }
      if (!Double.isFinite(v)) {
        throw new IllegalArgumentException("series file " + file + " line " + (i + 1) + ": not a finite number: " + line);
      }
      values.add(v);
    }
    if (values.size() < 100) {
      throw new IllegalArgumentException("series file " + file + " has " + values.size() + " values; at least 100 are needed");
    }
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** Mean and standard deviation of {@code x[from, to)}, for standardising with training statistics only. */
  public static double[] meanStd(double[] x, int from, int to) {
    double mean = 0;
    for (int i = from; i < to; i++) {
      mean += x[i];
    }
    mean /= (to - from);
    double var = 0;
    for (int i = from; i < to; i++) {
      var += (x[i] - mean) * (x[i] - mean);
    }
    double std = Math.sqrt(var / (to - from));
    return new double[] {mean, std > 0 ? std : 1};
  }

  private static double gaussian(SplittableRandom rng) {
    // Box-Muller from two uniforms: the same numbers on every JDK, unlike Random.nextGaussian's history.
    double u1 = 1.0 - rng.nextDouble();
    double u2 = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}
