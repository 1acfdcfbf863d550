package dev.rnn4j.io;

/**
 * How strictly {@link Safetensors#load} matches a file against a model. {@link #strict()} (the default) requires the
 * file's tensor names to equal the model's parameter names and each dtype to equal the parameter's.
 *
 * @param allowMissing model parameters absent from the file keep their values (PyTorch's {@code strict=False})
 * @param allowUnexpected tensors in the file that name no parameter are ignored, whatever their dtype
 * @param convertDtype an F32 tensor may load into a float64 parameter (exact) and an F64 tensor into a float32
 *     parameter (rounded to nearest); without it a dtype mismatch is an error
 */
public record LoadOptions(boolean allowMissing, boolean allowUnexpected, boolean convertDtype) {

  private static final LoadOptions STRICT = new LoadOptions(false, false, false);

  /** Names and dtypes must match exactly. */
  public static LoadOptions strict() {
    return STRICT;
  }

  /** A copy with {@code allowMissing} set. */
  public LoadOptions allowMissing(boolean allow) {
    return new LoadOptions(allow, allowUnexpected, convertDtype);
  }

  /** A copy with {@code allowUnexpected} set. */
  public LoadOptions allowUnexpected(boolean allow) {
    return new LoadOptions(allowMissing, allow, convertDtype);
  }

  /** A copy with {@code convertDtype} set. */
  public LoadOptions convertDtype(boolean convert) {
    return new LoadOptions(allowMissing, allowUnexpected, convert);
  }
}
