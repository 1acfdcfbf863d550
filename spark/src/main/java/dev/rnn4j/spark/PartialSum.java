package dev.rnn4j.spark;

import java.io.Serializable;

/**
 * What the partitions of a training round add up: a weighted sum of their gradients (or parameter changes), the
 * sum of their batch losses times the rows, and the rows. Sums are kept in float64: a float32 value times a row
 * count below 2^29 is exact there, and so is the sum of two such partials unless their exponents lie more than
 * about 29 binades apart, which keeps the result of the few additions a round makes independent of the order in
 * which Spark merges the partitions' results (see the module README).
 */
final class PartialSum implements Serializable {

  private static final long serialVersionUID = 1L;

  double[] sum; // null: nothing yet
  double loss;
  long rows;
  long weight;

  static PartialSum zero() {
    return new PartialSum();
  }

  /** Adds {@code other} into this one and returns this (Spark's seqOp / combOp may modify their first argument). */
  PartialSum add(PartialSum other) {
    if (other.sum != null) {
      if (sum == null) {
        sum = other.sum.clone();
      } else {
        if (sum.length != other.sum.length) {
          throw new IllegalStateException("PartialSum: partials of " + sum.length + " and " + other.sum.length
              + " values");
        }
        for (int i = 0; i < sum.length; i++) {
          sum[i] += other.sum[i];
        }
      }
    }
    loss += other.loss;
    rows += other.rows;
    weight += other.weight;
    return this;
  }
}
