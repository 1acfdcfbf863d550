package dev.rnn4j.gen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Generates the float32 twin of every float64 source file that carries the line {@value #MARKER}, by token
 * substitution (the approach EJML uses for its float code). The float64 file is the one that is edited; the float32
 * file is committed output (docs/precision.md says why), and the build's {@code check} step fails when it is stale.
 *
 * <p>Rules, applied line by line:
 * <ul>
 *   <li>{@code Double} becomes {@code Float} anywhere (DoubleVector, DoubleKernels, Double.NaN ...), the word
 *       {@code double} becomes {@code float}, {@code F64}/{@code f64}/{@code float64} become the 32-bit names, and the
 *       file name follows the same rule.</li>
 *   <li>In code (not in comments) a floating-point literal without a suffix gets an {@code f} suffix.</li>
 *   <li>{@code TOKEN /*f32:REPLACEMENT*}{@code /} replaces TOKEN by REPLACEMENT in the float32 file, for constants that
 *       differ by precision (overflow thresholds, polynomial coefficients).</li>
 * </ul>
 *
 * <p>It runs as its own build step, in the module {@code precision-gen} that comes first in the reactor:
 * {@code mvn -B verify} runs {@code main} with {@code check} (the build fails, naming the stale files, when a committed
 * twin differs from what this class makes of its source), and
 * {@code mvn -B -q -pl precision-gen compile exec:exec@regenerate} runs it with {@code write}. It reads and writes
 * files only below the repository root it is given.
 */
public final class PrecisionGenerator {

  /** The line that marks a float64 source file whose float32 twin is generated. */
  public static final String MARKER = "// rnn4j:generate-float";

  private static final Pattern OVERRIDE = Pattern.compile("[\\w.+-]+\\s*/\\*f32:(.*?)\\*/");
  private static final Pattern LITERAL =
      Pattern.compile("(?<![\\w.])((?:\\d+\\.\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?|\\d+[eE][+-]?\\d+)(?![\\w.])");
  private static final Pattern DOUBLE_WORD = Pattern.compile("\\bdouble\\b");

  private PrecisionGenerator() {}

  /** A float64 source and the float32 file generated from it. */
  public record Pair(Path source, Path target) {}

  /** All marked sources below {@code root} (in any module's {@code src}), with their targets. */
  public static List<Pair> discover(Path root) {
    List<Pair> pairs = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))
          .filter(f -> isSource(root.relativize(f)))
          .sorted()::iterator) {
        String name = p.getFileName().toString();
        if (!name.contains("Double")) {
          continue;
        }
        if (Files.readString(p).lines().anyMatch(l -> l.strip().equals(MARKER))) {
          pairs.add(new Pair(p, p.resolveSibling(renameToFloat(name))));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return pairs;
  }

  // Below some module's src/, never in build output or version-control metadata.
  private static boolean isSource(Path relative) {
    boolean inSrc = false;
    for (Path part : relative) {
      String name = part.toString();
      if (name.equals("target") || name.startsWith(".")) {
        return false;
      }
      inSrc |= name.equals("src");
    }
    return inSrc;
  }

  static String renameToFloat(String name) {
    return name.replace("Double", "Float").replace("F64", "F32");
  }

  /** The float32 text generated from the float64 text of {@code sourceName}. */
  public static String generate(String sourceName, String source) {
    StringBuilder out = new StringBuilder(source.length());
    boolean inBlockComment = false;
    for (String line : source.split("\n", -1)) {
      if (line.strip().equals(MARKER)) {
        out.append("// Generated from ").append(sourceName)
            .append(" by PrecisionGenerator. Edit that file and regenerate; do not edit this one.\n");
        continue;
      }
      String stripped = line.strip();
      boolean commentLine = inBlockComment || stripped.startsWith("//") || stripped.startsWith("/*")
          || stripped.startsWith("*");
      if (stripped.startsWith("/*") && !stripped.contains("*/")) {
        inBlockComment = true;
      }
      if (inBlockComment && stripped.contains("*/")) {
        inBlockComment = false;
      }
      out.append(commentLine ? renameWords(line) : convertCode(line)).append('\n');
    }
    out.setLength(out.length() - 1);
    return out.toString();
  }

  private static String convertCode(String line) {
    int comment = line.indexOf("//");
    String code = comment >= 0 ? line.substring(0, comment) : line;
    String tail = comment >= 0 ? line.substring(comment) : "";
    // Overrides first, so that their replacement text is not touched by the literal rule.
    List<String> replacements = new ArrayList<>();
    Matcher o = OVERRIDE.matcher(code);
    StringBuilder sb = new StringBuilder();
    while (o.find()) {
      replacements.add(o.group(1));
      o.appendReplacement(sb, Matcher.quoteReplacement("\u0000" + (replacements.size() - 1) + "\u0000"));
    }
    o.appendTail(sb);
    code = LITERAL.matcher(renameWords(sb.toString())).replaceAll("$1f");
    for (int i = 0; i < replacements.size(); i++) {
      code = code.replace("\u0000" + i + "\u0000", replacements.get(i));
    }
    return code + renameWords(tail);
  }

  private static String renameWords(String s) {
    s = s.replace("Double", "Float").replace("F64", "F32").replace("f64", "f32").replace("float64", "float32");
    return DOUBLE_WORD.matcher(s).replaceAll("float");
  }

  /** Pairs whose target is missing or differs from what {@link #generate} makes of the source. */
  public static List<Pair> stale(List<Pair> pairs) {
    List<Pair> stale = new ArrayList<>();
    for (Pair p : pairs) {
      try {
        String want = generate(p.source().getFileName().toString(), Files.readString(p.source()));
        if (!Files.exists(p.target()) || !Files.readString(p.target()).equals(want)) {
          stale.add(p);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return stale;
  }

  /** Rewrites every stale target; returns what was written. */
  public static List<Pair> regenerate(List<Pair> pairs) throws IOException {
    List<Pair> stale = stale(pairs);
    for (Pair p : stale) {
      String want = generate(p.source().getFileName().toString(), Files.readString(p.source()));
      Files.writeString(p.target(), want);
    }
    return stale;
  }

  /**
   * {@code check ROOT} exits with status 1, naming each stale twin, when a committed float32 file is missing or differs
   * from what {@link #generate} makes of its source; {@code write ROOT} rewrites the stale ones. Both fail when no
   * marked source is found, so that a wrong root cannot pass as "nothing stale".
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 2 || !(args[0].equals("check") || args[0].equals("write"))) {
      System.err.println("usage: PrecisionGenerator check|write REPOSITORY_ROOT");
      System.exit(2);
    }
    Path root = Path.of(args[1]).toAbsolutePath().normalize();
    List<Pair> pairs = discover(root);
    if (pairs.isEmpty()) {
      System.err.println("PrecisionGenerator: no source marked '" + MARKER + "' below " + root);
      System.exit(1);
    }
    if (args[0].equals("write")) {
      for (Pair p : regenerate(pairs)) {
        System.out.println("wrote " + root.relativize(p.target()));
      }
      return;
    }
    List<Pair> stale = stale(pairs);
    if (!stale.isEmpty()) {
      System.err.println("Generated float32 sources are stale (edit only the Double* file, then regenerate with"
          + " 'mvn -B -q -pl precision-gen compile exec:exec@regenerate'):");
      for (Pair p : stale) {
        System.err.println("  " + root.relativize(p.target()) + " (from " + root.relativize(p.source()) + ")");
      }
      System.exit(1);
    }
    System.out.println("PrecisionGenerator: " + pairs.size() + " generated float32 sources are up to date");
  }
}
