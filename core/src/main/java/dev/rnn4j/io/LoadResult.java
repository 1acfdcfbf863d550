package dev.rnn4j.io;

import java.util.List;

/**
 * What {@link Safetensors#load} did.
 *
 * @param loaded parameters whose values were replaced, in the model's order
 * @param missing parameters the file did not have (empty unless {@link LoadOptions#allowMissing()})
 * @param unexpected tensors of the file that name no parameter, in file order (empty unless
 *     {@link LoadOptions#allowUnexpected()})
 */
public record LoadResult(List<String> loaded, List<String> missing, List<String> unexpected) {

  public LoadResult {
    loaded = List.copyOf(loaded);
    missing = List.copyOf(missing);
    unexpected = List.copyOf(unexpected);
  }
}
