package dev.rnn4j.bench;

/** The floating-point precision of a workload; each has its own FMA peak. */
public enum Precision {
  F32,
  F64
}
