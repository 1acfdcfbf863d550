package dev.rnn4j.spark;

/**
 * One training round as the driver saw it.
 *
 * @param round 1-based round number
 * @param loss mean loss over the rows the round's local steps used (with one local step: at the round's starting
 *     parameters, over the union of the partitions' batches)
 * @param rows rows the local steps used, summed over partitions and steps
 * @param seconds wall time of the round on the driver (broadcast, tasks, aggregation, update)
 */
public record RoundStats(int round, double loss, long rows, double seconds) {

  /** Rows per second of wall time. */
  public double rowsPerSecond() {
    return seconds > 0 ? rows / seconds : Double.POSITIVE_INFINITY;
  }
}
