package dev.rnn4j.spark;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Settings of a data-parallel run ({@link SparkTrainer}). Immutable; each {@code with} method returns a copy.
 *
 * @param objective the loss
 * @param rounds rounds to run in total (a resumed run continues up to this many), >= 1
 * @param localSteps K, steps each partition takes per round, >= 1 (1: one driver optimizer step per round on the
 *     averaged gradient; more: local SGD, the driver stepping with the averaged parameter change)
 * @param batchSize rows per local step in each partition, >= 1 (at least the partition's size: all its rows)
 * @param localLearningRate learning rate of the local SGD steps when K > 1
 * @param seed seeds the batch draws
 * @param checkpoint file the run saves to, atomically, every {@code checkpointEvery} rounds and after the last; null
 *     for none
 * @param checkpointEvery rounds between checkpoints, >= 1
 * @param aggregationDepth depth of Spark's {@code treeAggregate}, >= 1
 */
public record TrainingOptions(Objective objective, int rounds, int localSteps, int batchSize, double localLearningRate,
                              long seed, Path checkpoint, int checkpointEvery, int aggregationDepth) {

  /** @throws IllegalArgumentException for a count below 1 or a negative or non-finite learning rate */
  public TrainingOptions {
    Objects.requireNonNull(objective, "objective");
    if (rounds < 1 || localSteps < 1 || batchSize < 1 || checkpointEvery < 1 || aggregationDepth < 1) {
      throw new IllegalArgumentException("TrainingOptions: rounds, localSteps, batchSize, checkpointEvery and "
          + "aggregationDepth must be >= 1, got " + rounds + ", " + localSteps + ", " + batchSize + ", "
          + checkpointEvery + ", " + aggregationDepth);
    }
    if (!(localLearningRate >= 0) || Double.isInfinite(localLearningRate)) {
      throw new IllegalArgumentException("TrainingOptions: localLearningRate must be finite and >= 0, got "
          + localLearningRate);
    }
  }

  /** {@code rounds} rounds of one step on batches of 32 rows per partition, seed 0, no checkpoints. */
  public static TrainingOptions of(Objective objective, int rounds) {
    return new TrainingOptions(objective, rounds, 1, 32, 0.01, 0, null, 1, 2);
  }

  public TrainingOptions withRounds(int n) {
    return new TrainingOptions(objective, n, localSteps, batchSize, localLearningRate, seed, checkpoint,
        checkpointEvery, aggregationDepth);
  }

  /** K local SGD steps at {@code learningRate} per round. */
  public TrainingOptions withLocalSteps(int k, double learningRate) {
    return new TrainingOptions(objective, rounds, k, batchSize, learningRate, seed, checkpoint, checkpointEvery,
        aggregationDepth);
  }

  public TrainingOptions withBatchSize(int n) {
    return new TrainingOptions(objective, rounds, localSteps, n, localLearningRate, seed, checkpoint,
        checkpointEvery, aggregationDepth);
  }

  public TrainingOptions withSeed(long s) {
    return new TrainingOptions(objective, rounds, localSteps, batchSize, localLearningRate, s, checkpoint,
        checkpointEvery, aggregationDepth);
  }

  /** Checkpoints to {@code file} every {@code every} rounds (and after the last). */
  public TrainingOptions withCheckpoint(Path file, int every) {
    return new TrainingOptions(objective, rounds, localSteps, batchSize, localLearningRate, seed,
        Objects.requireNonNull(file, "file"), every, aggregationDepth);
  }

  ShardStep shardStep(ModelSpec spec) {
    return new ShardStep(spec, objective, localSteps, batchSize, localLearningRate, seed);
  }

  /** What must not change between a checkpoint and its resumption (everything but rounds and the checkpoint). */
  String describeRun() {
    return "objective=" + objective + ", localSteps=" + localSteps + ", batchSize=" + batchSize
        + ", localLearningRate=" + localLearningRate + ", seed=" + seed;
  }
}
