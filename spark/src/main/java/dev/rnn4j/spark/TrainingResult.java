package dev.rnn4j.spark;

import java.util.List;

/**
 * What a data-parallel run ends with.
 *
 * @param model a model of the run's spec holding the final parameters
 * @param history the rounds this call ran (a resumed run: only those after the checkpoint)
 */
public record TrainingResult(FinalStateModel model, List<RoundStats> history) {

  public TrainingResult {
    history = List.copyOf(history);
  }
}
