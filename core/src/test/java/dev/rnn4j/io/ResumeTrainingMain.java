package dev.rnn4j.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The second half of a resumed run, meant for a fresh JVM: {@code main(config, kernels, checkpoint, steps, out)}
 * builds the recipe, loads {@code checkpoint}, trains {@code steps} more steps and saves a checkpoint to {@code out}.
 */
public final class ResumeTrainingMain {

  private ResumeTrainingMain() {}

  public static void main(String[] args) throws IOException {
    ResumeRecipe r = new ResumeRecipe(ResumeRecipe.Config.valueOf(args[0]), ResumeRecipe.kernelsNamed(args[1]));
    Checkpoint.Loaded loaded = r.checkpoint.load(Path.of(args[2]));
    int steps = Integer.parseInt(args[3]);
    for (int i = 0; i < steps; i++) {
      r.step();
    }
    r.checkpoint.save(Path.of(args[4]), loaded.step() + steps, loaded.metadata());
  }
}
