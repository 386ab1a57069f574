package io.redial.cli.trace;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One system call as strace reported it. A call that another thread's output interrupted is
 * reported twice ({@code <unfinished ...>}, then {@code <... connect resumed>}): it is started at
 * the first line and finished at the second. Touched by the reading thread only.
 */
public final class Syscall {
  private final long seq;
  private final int pid;
  private final String name;
  private final StringBuilder args;
  /** Set when finished: the return value as strace printed it ("0", "-1", "3", "?"). */
  private String result;
  /** Set when finished with an error: {@code EISCONN}; null on success. */
  private String errno;
  /** The error's text, {@code Transport endpoint is already connected}, or "". */
  private String errnoText = "";
  private final List<Frame> stack = new ArrayList<>();
  private boolean finished;

  Syscall(long seq, int pid, String name, String args) {
    this.seq = seq;
    this.pid = pid;
    this.name = Objects.requireNonNull(name, "name");
    this.args = new StringBuilder(args);
  }

  void finish(String moreArgs, String result, String errno, String errnoText) {
    args.append(moreArgs);
    this.result = result;
    this.errno = errno;
    this.errnoText = errnoText == null ? "" : errnoText;
    this.finished = true;
  }

  void addFrame(Frame f) {
    stack.add(f);
  }

  /** The order in which calls started, from 1. */
  public long seq() {
    return seq;
  }

  /** The thread (task) id strace printed. */
  public int pid() {
    return pid;
  }

  public String name() {
    return name;
  }

  /** The argument text, e.g. {@code 3, {sa_family=AF_INET, ...}, 16}. */
  public String args() {
    return args.toString();
  }

  public boolean finished() {
    return finished;
  }

  /** The return value as a number, or {@code Long.MIN_VALUE} when unknown or not finished. */
  public long value() {
    if (result == null) {
      return Long.MIN_VALUE;
    }
    try {
      return Long.decode(result);
    } catch (NumberFormatException e) {
      return Long.MIN_VALUE;
    }
  }

  /** The errno name ({@code EISCONN}) when the call failed; null otherwise. */
  public String errno() {
    return errno;
  }

  /** What the kernel answered: {@code = 0}, {@code = -1 EISCONN (Transport endpoint ...)}. */
  public String answer() {
    if (!finished) {
      return "(still running when the trace ended)";
    }
    return "= " + result + (errno == null ? "" : " " + errno
        + (errnoText.isEmpty() ? "" : " (" + errnoText + ")"));
  }

  public List<Frame> stack() {
    return List.copyOf(stack);
  }

  /** The first argument as a number (the descriptor, for most calls); -1 if none. */
  int fd() {
    return intArg(0);
  }

  /** The i-th top-level argument as a number, or -1. */
  int intArg(int i) {
    List<String> parts = topLevelArgs();
    if (i >= parts.size()) {
      return -1;
    }
    try {
      return Integer.parseInt(parts.get(i).strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The arguments split at commas outside braces, brackets and quotes. */
  List<String> topLevelArgs() {
    List<String> parts = new ArrayList<>();
    String s = args.toString();
    int depth = 0;
    boolean quoted = false;
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quoted) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          quoted = false;
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == '{' || c == '[' || c == '(') {
        depth++;
      } else if (c == '}' || c == ']' || c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        parts.add(s.substring(start, i).strip());
        start = i + 1;
      }
    }
    if (start < s.length()) {
      parts.add(s.substring(start).strip());
    }
    return parts;
  }
}
