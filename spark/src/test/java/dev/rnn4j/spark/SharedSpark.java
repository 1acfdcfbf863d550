package dev.rnn4j.spark;

import org.apache.spark.sql.SparkSession;

/**
 * One local SparkSession for every test class of the module (starting one takes seconds): two worker threads, a
 * task may fail once and be retried ({@code local[2,2]}: maxFailures 2, which the retry test needs), UI off. Spark
 * stops it in its own shutdown hook when the test JVM exits.
 */
final class SharedSpark {

  private static SparkSession session;

  private SharedSpark() {}

  static synchronized SparkSession get() {
    if (session == null) {
      session = SparkSession.builder()
          .master("local[2,2]")
          .appName("rnn4j-spark-tests")
          .config("spark.ui.enabled", "false")
          .config("spark.ui.showConsoleProgress", "false")
          .config("spark.sql.shuffle.partitions", "2")
          // Small test data: skip adaptive planning and whole-stage code generation, whose compilation costs more
          // than these queries' execution.
          .config("spark.sql.adaptive.enabled", "false")
          .config("spark.sql.codegen.wholeStage", "false")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .getOrCreate();
      session.sparkContext().setLogLevel("ERROR");
    }
    return session;
  }
}
