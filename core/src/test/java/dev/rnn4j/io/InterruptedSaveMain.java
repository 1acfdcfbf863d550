package dev.rnn4j.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * A save that stops half-way: {@code main(target, value)} writes a 1 MiB tensor filled with {@code value} to
 * {@code target}, and after the header and the first tensor's data are in the temporary file prints
 * {@value #PAUSED} and waits for a line on stdin. The test then kills it (an interrupted save) or sends a line (the
 * save completes, exit 0).
 */
public final class InterruptedSaveMain {

  static final String PAUSED = "paused mid-write";

  private InterruptedSaveMain() {}

  public static void main(String[] args) throws IOException {
    Path target = Path.of(args[0]);
    float[] values = new float[1 << 18];
    Arrays.fill(values, Float.parseFloat(args[1]));
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    SafetensorsWriter.write(target, Map.of("a", SafetensorsTensor.ofFloats(new int[] {values.length}, values),
        "b", SafetensorsTensor.ofFloats(new int[] {1}, new float[] {1})), Map.of(), stage -> {
          if (stage.equals("tensor a")) {
            System.out.println(PAUSED);
            System.out.flush();
            in.readLine();
          }
        });
  }
}
