package io.redial.cli;

import java.io.Console;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Output for people: 80-column wrapping, colour only when it will be seen, and user input made
 * safe to print (no control characters, bounded length).
 */
final class Terminal {

  /** When to colour output. */
  enum ColorMode {
    AUTO,
    ALWAYS,
    NEVER
  }

  static final int WIDTH = 80;

  private static final String RESET = "\u001b[0m";
  private final boolean color;

  Terminal(boolean color) {
    this.color = color;
  }

  /** A terminal that colours when {@code mode} says so, or (AUTO) when stdout is a TTY. */
  static Terminal of(ColorMode mode) {
    switch (mode) {
      case ALWAYS:
        return new Terminal(true);
      case NEVER:
        return new Terminal(false);
      default:
        return new Terminal(stdoutIsTerminal() && System.getenv("NO_COLOR") == null
            && !"dumb".equals(System.getenv("TERM")));
    }
  }

  /**
   * Whether standard output is an interactive terminal. JDK 17 returns a Console only when both
   * stdin and stdout are terminals; JDK 22+ may return one when redirected, and says so through
   * {@code Console.isTerminal()}, which is called reflectively because we compile for 17.
   */
  static boolean stdoutIsTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      Method isTerminal = Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(console);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return true; // JDK 17..21: a Console exists only for a terminal
    }
  }

  boolean colored() {
    return color;
  }

  String bold(String s) {
    return style("1", s);
  }

  String heading(String s) {
    return style("1;36", s);
  }

  String accent(String s) {
    return style("33", s);
  }

  String dim(String s) {
    return style("2", s);
  }

  String red(String s) {
    return style("31", s);
  }

  private String style(String code, String s) {
    return color ? "\u001b[" + code + "m" + s + RESET : s;
  }

  /**
   * Wraps {@code text} to {@link #WIDTH} columns, every line starting with {@code indent}
   * spaces; a word longer than a line (a class name, a URL) is split across lines.
   */
  static List<String> wrap(String text, int indent) {
    return wrap(text, indent, indent);
  }

  /** Like {@link #wrap(String, int)}, with a different indent for continuation lines. */
  static List<String> wrap(String text, int firstIndent, int nextIndent) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder(" ".repeat(firstIndent));
    int indent = firstIndent;
    boolean empty = true;
    for (String word : text.strip().split("\\s+")) {
      if (word.isEmpty()) {
        continue;
      }
      int room = WIDTH - line.length() - (empty ? 0 : 1);
      if (word.length() > room && !empty) {
        lines.add(line.toString());
        indent = nextIndent;
        line = new StringBuilder(" ".repeat(indent));
        empty = true;
      }
      while (line.length() + word.length() + (empty ? 0 : 1) > WIDTH) {
        int take = Math.max(1, WIDTH - line.length() - (empty ? 0 : 1));
        line.append(empty ? "" : " ").append(word, 0, take);
        lines.add(line.toString());
        word = word.substring(take);
        indent = nextIndent;
        line = new StringBuilder(" ".repeat(indent));
        empty = true;
      }
      if (!word.isEmpty()) {
        line.append(empty ? "" : " ").append(word);
        empty = false;
      }
    }
    if (!empty) {
      lines.add(line.toString());
    }
    return lines;
  }

  /** Cuts {@code s} to {@code max} columns, ending with an ellipsis when cut. */
  static String fit(String s, int max) {
    return s.length() <= max ? s : s.substring(0, Math.max(0, max - 1)) + "…";
  }

  /** Cuts {@code s} to {@code max} columns at a word boundary when it can, with an ellipsis. */
  static String fitWords(String s, int max) {
    if (s.length() <= max) {
      return s;
    }
    int cut = s.lastIndexOf(' ', max - 1);
    return (cut > max / 2 ? s.substring(0, cut) : s.substring(0, Math.max(0, max - 1))) + "…";
  }

  /**
   * User input made printable: control characters (terminal escapes included) become '?', and
   * anything past {@code max} characters is replaced by a note of how long it was.
   */
  static String sanitize(String s, int max) {
    if (s == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder(Math.min(s.length(), max) + 32);
    for (int i = 0; i < s.length() && b.length() < max; i++) {
      char c = s.charAt(i);
      b.append(Character.isISOControl(c) || Character.isSurrogate(c) ? '?' : c);
    }
    if (s.length() > max) {
      b.append(String.format(Locale.ROOT, "… (%,d characters)", s.length()));
    }
    return b.toString();
  }
}
