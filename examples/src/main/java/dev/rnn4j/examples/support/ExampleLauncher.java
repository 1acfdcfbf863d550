package dev.rnn4j.examples.support;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code mvn ... exec:exec} starts: runs the main class named by its first argument with the words of the
 * environment variable {@value #ARGS_VARIABLE} (the examples pom sets it from {@code -Dexample.args}) followed by any
 * further arguments.
 *
 * <p>Why not pass {@code -Dexample.args} on the command line that exec:exec builds: exec-maven-plugin hands every
 * argument to Apache Commons Exec, which trims it, so {@code --prompt 'The '} arrived as {@code The}. The variable's
 * value reaches this class untouched and is split here as a POSIX shell splits words: blanks separate them,
 * {@code '...'} keeps everything literally, {@code "..."} keeps everything except that a backslash escapes
 * {@code "} and {@code \}, and outside quotes a backslash escapes the next character. Nothing is expanded.
 */
public final class ExampleLauncher {

  /** The environment variable holding the example's arguments. */
  public static final String ARGS_VARIABLE = "RNN4J_EXAMPLE_ARGS";

  private ExampleLauncher() {}

  public static void main(String[] args) throws Throwable {
    if (args.length < 1) {
      System.err.println("usage: ExampleLauncher MAIN-CLASS [ARGS...]  (more arguments in $" + ARGS_VARIABLE + ")");
      System.exit(2);
    }
    List<String> all;
    try {
      all = new ArrayList<>(split(System.getenv(ARGS_VARIABLE)));
    } catch (IllegalArgumentException e) {
      System.err.println("-Dexample.args: " + e.getMessage());
      System.exit(2);
      return;
    }
    all.addAll(List.of(args).subList(1, args.length));
    Method main;
    try {
      main = Class.forName(args[0]).getMethod("main", String[].class);
    } catch (ClassNotFoundException | NoSuchMethodException e) {
      System.err.println("-Dexample.main=" + args[0] + ": no such class with a main method on the classpath");
      System.exit(2);
      return;
    }
    if (!Modifier.isStatic(main.getModifiers())) {
      System.err.println("-Dexample.main=" + args[0] + ": main is not static");
      System.exit(2);
    }
    try {
      main.invoke(null, (Object) all.toArray(new String[0]));
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /**
   * The words of {@code line} split as a POSIX shell splits them (see the class comment); none for null or blank.
   *
   * @throws IllegalArgumentException for an unterminated quote or a trailing backslash
   */
  public static List<String> split(String line) {
    List<String> words = new ArrayList<>();
    if (line == null) {
      return words;
    }
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    int i = 0;
    int n = line.length();
    while (i < n) {
      char c = line.charAt(i);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
        i++;
      } else if (c == '\'') {
        int end = line.indexOf('\'', i + 1);
        if (end < 0) {
          throw new IllegalArgumentException("unterminated ' quote starting at character " + i + " of: " + line);
        }
        word.append(line, i + 1, end);
        inWord = true;
        i = end + 1;
      } else if (c == '"') {
        i++;
        while (true) {
          if (i >= n) {
            throw new IllegalArgumentException("unterminated \" quote in: " + line);
          }
          char d = line.charAt(i);
          if (d == '"') {
            i++;
            break;
          }
          if (d == '\\' && i + 1 < n && (line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\\')) {
            d = line.charAt(++i);
          }
          word.append(d);
          i++;
        }
        inWord = true;
      } else if (c == '\\') {
        if (i + 1 >= n) {
          throw new IllegalArgumentException("trailing backslash in: " + line);
        }
        word.append(line.charAt(i + 1));
        inWord = true;
        i += 2;
      } else {
        word.append(c);
        inWord = true;
        i++;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }
}
