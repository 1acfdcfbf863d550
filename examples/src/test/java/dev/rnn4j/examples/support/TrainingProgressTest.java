package dev.rnn4j.examples.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import org.junit.jupiter.api.Test;

class TrainingProgressTest {

  private static String utf8(ByteArrayOutputStream bytes) {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void withoutATerminalTheBarBecomesLinesWithNoEscapesOrCarriageReturns() {
    // The test JVM's output is a pipe to the build tool, as when a user redirects an example's output.
    assertFalse(TrainingProgress.onTerminal());
    CommonOptions options = new CommonOptions(); // the defaults: a progress bar is wanted
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream originalErr = System.err;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      try (TrainingProgress p = TrainingProgress.create(options, "training", 20, new PrintStream(log, true, StandardCharsets.UTF_8))) {
        for (int step = 1; step <= 20; step++) {
          p.step(step, 1.0 / step);
        }
      }
    } finally {
      System.setErr(originalErr);
    }
    String all = utf8(err) + utf8(log);
    assertFalse(all.indexOf('\u001b') >= 0, "no escape codes: " + all);
    assertFalse(all.indexOf('\r') >= 0, "no carriage returns: " + all);
    assertEquals("", utf8(err));
    assertEquals(10, utf8(log).lines().count(), utf8(log)); // one line every tenth of 20 steps
    assertTrue(utf8(log).startsWith("step 2/20  loss "), utf8(log));
  }

  @Test
  void linesOfOneOfSeveralRunsSayWhichRun() {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    try (TrainingProgress p = TrainingProgress.lines(new PrintStream(log, true, StandardCharsets.UTF_8), "run 2/3", 4)) {
      for (int step = 1; step <= 4; step++) {
        p.step(step, 0.5);
      }
    }
    assertTrue(utf8(log).lines().allMatch(l -> l.startsWith("run 2/3: step ")), utf8(log));
    assertEquals(4, utf8(log).lines().count(), utf8(log));
  }

  // Repeated because the final line used to be lost in a race with the library's refresh thread: 15 of 60 runs
  // failed before TrainingProgress.close() closed the consumer itself, so 20 runs miss it with probability 0.3%.
  @org.junit.jupiter.api.RepeatedTest(20)
  void theBarItselfWritesNoEscapeCodesAndFinishesOnce() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream terminal = new PrintStream(out, true, StandardCharsets.UTF_8);
    try (TrainingProgress p = TrainingProgress.bar("training", 50, terminal)) {
      for (int step = 1; step <= 50; step++) {
        p.step(step, 2.0);
        Thread.sleep(2);
      }
    }
    String drawn = utf8(out);
    assertFalse(drawn.indexOf('\u001b') >= 0, drawn);
    assertTrue(drawn.endsWith("\n"), drawn);
    assertEquals(1, drawn.chars().filter(c -> c == '\n').count(), "one final line: " + drawn);
    String last = drawn.substring(drawn.lastIndexOf('\r') + 1);
    assertTrue(last.contains("50/50 steps"), last);
    assertTrue(last.contains("steps/s  loss 2.0000"), last);
  }

  @Test
  void aSecondFinishIsIgnored() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TrainingProgress.SingleFinish consumer = new TrainingProgress.SingleFinish(
        new ConsoleProgressBarConsumer(new PrintStream(out, true, StandardCharsets.UTF_8), 40));
    consumer.accept("bar 100%");
    consumer.close();
    consumer.accept("bar 100%"); // what a refresh racing with ProgressBar.close() does
    consumer.close();
    assertEquals("\rbar 100%" + System.lineSeparator(), utf8(out));
  }
}
