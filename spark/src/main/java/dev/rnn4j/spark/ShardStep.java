package dev.rnn4j.spark;

import dev.rnn4j.optim.SGD;
import dev.rnn4j.tensor.Tensor;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One partition's part of a training round, a pure function of (the round's parameters, the partition's rows in
 * their order, the round number and the seed): a retried task computes the same bits.
 *
 * <p>With one local step ({@code localSteps == 1}) the partition returns its batch's mean-loss gradient times the
 * batch's rows; the driver divides the sum by all rows, which is the gradient of the mean loss over the union of the
 * batches. With K > 1 local steps it runs K steps of plain SGD at {@code localLearningRate} from the round's
 * parameters and returns {@code rows * (start - end)}, the driver's optimizer then treating the average change as
 * its gradient (local SGD; with driver SGD at learning rate 1 this is model averaging).
 *
 * <p>Batches: when {@code batchSize} covers the partition, every step uses all its rows in order; otherwise each step
 * draws {@code batchSize} distinct rows with a generator seeded by (seed, round, step, partition).
 *
 * @param spec the model
 * @param objective the loss
 * @param localSteps K >= 1
 * @param batchSize rows per local step
 * @param localLearningRate SGD learning rate of the local steps (K > 1)
 * @param seed the run's seed
 */
record ShardStep(ModelSpec spec, Objective objective, int localSteps, int batchSize, double localLearningRate,
                 long seed) implements Serializable {

  // Models by spec, reused across the tasks an executor runs: building one allocates its parameters and runner pool.
  private static final Map<ModelSpec, ConcurrentLinkedQueue<FinalStateModel>> IDLE = new ConcurrentHashMap<>();

  PartialSum run(int round, float[] params, int partition, Iterator<SequenceExample> rows) {
    List<SequenceExample> data = new ArrayList<>();
    rows.forEachRemaining(data::add);
    PartialSum out = PartialSum.zero();
    if (data.isEmpty()) {
      return out;
    }
    for (int i = 0; i < data.size(); i++) {
      check(data.get(i), partition, i);
    }
    ConcurrentLinkedQueue<FinalStateModel> idle = IDLE.computeIfAbsent(spec, s -> new ConcurrentLinkedQueue<>());
    FinalStateModel m = idle.poll();
    if (m == null) {
      m = spec.build(0);
    }
    try {
      m.train();
      m.setFlatParameters(params);
      m.zeroGrad();
      double[] sum = new double[params.length];
      SGD local = localSteps > 1 ? new SGD(m.parameters(), localLearningRate) : null;
      for (int k = 0; k < localSteps; k++) {
        int[] idx = batch(round, k, partition, data.size());
        List<float[]> xs = new ArrayList<>(idx.length);
        int[] lens = new int[idx.length];
        for (int b = 0; b < idx.length; b++) {
          xs.add(data.get(idx[b]).input());
          lens[b] = data.get(idx[b]).length();
        }
        SequenceBatch batch = SequenceBatch.pack(xs, lens, 0, idx.length, spec.inputSize());
        Tensor loss = objective.loss(m.predict(batch.input(), batch.lengths()), data, idx);
        loss.backward();
        out.loss += loss.item() * idx.length;
        out.rows += idx.length;
        if (local == null) {
          m.addFlatGradients(idx.length, sum);
        } else {
          local.step();
        }
        m.zeroGrad();
      }
      if (local != null) {
        float[] end = m.flatParameters();
        for (int i = 0; i < sum.length; i++) {
          sum[i] = out.rows * (double) (params[i] - end[i]);
        }
      }
      out.sum = sum;
      out.weight = out.rows;
      return out;
    } finally {
      idle.add(m);
    }
  }

  private void check(SequenceExample e, int partition, int row) {
    int need = e.length() * spec.inputSize();
    if (e.length() < 1 || e.input() == null || e.input().length < need) {
      throw new IllegalArgumentException("SparkTrainer: partition " + partition + ", row " + row + ": length "
          + e.length() + " needs >= 1 step of " + spec.inputSize() + " floats, the row has "
          + (e.input() == null ? "none" : e.input().length + " floats"));
    }
  }

  /** The rows of local step {@code step}: all in order when the batch covers the partition, else a seeded draw. */
  int[] batch(int round, int step, int partition, int n) {
    if (batchSize >= n) {
      int[] all = new int[n];
      for (int i = 0; i < n; i++) {
        all[i] = i;
      }
      return all;
    }
    long s = seed;
    s = s * 0x9E3779B97F4A7C15L + round;
    s = s * 0x9E3779B97F4A7C15L + step;
    s = s * 0x9E3779B97F4A7C15L + partition;
    SplittableRandom rng = new SplittableRandom(s);
    int[] perm = new int[n];
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    for (int i = 0; i < batchSize; i++) { // partial Fisher-Yates: the first batchSize entries
      int j = i + rng.nextInt(n - i);
      int t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    return java.util.Arrays.copyOf(perm, batchSize);
  }
}
