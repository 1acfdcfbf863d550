package dev.rnn4j.spark.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SparkForecastTest {

  /** Runs the command's option parsing and checks; a usage error returns before any Spark session starts. */
  private static int run(StringWriter err, String... args) {
    CommandLine cl = new CommandLine(new SparkForecast());
    PrintWriter w = new PrintWriter(err);
    cl.setErr(w);
    int code = cl.execute(args);
    w.flush();
    return code;
  }

  @Test
  void usageErrorsExitWithTwo() {
    StringWriter err = new StringWriter();
    assertEquals(2, run(err, "--partitions", "0"));
    assertEquals(true, err.toString().contains("--partitions"), err.toString());
    assertEquals(2, run(new StringWriter(), "--no-such-option"));
    assertEquals(2, run(new StringWriter(), "--rounds", "many"));
  }
}
