package io.redial.cli.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the lines of {@code strace -f -k -o FILE} into {@link Syscall}s: a call starts at its
 * first line and finishes once its stack (the {@code " > "} lines after the line that completed
 * it) has been read. Lines it does not understand (signals, exits, strace's own notes) are
 * skipped. Used by one thread.
 */
public final class StraceReader {
  /** Longest line kept; strace abbreviates long arguments, so only garbage is longer. */
  static final int MAX_LINE = 64 * 1024;

  /** What the reader reports. */
  public interface Listener {
    /** A call began (its arguments may be incomplete if it was interrupted). */
    void started(Syscall call);

    /** A call returned and its stack is complete. */
    void finished(Syscall call);
  }

  private static final Pattern START = Pattern.compile("^(\\d+)\\s+([a-z_0-9]+)\\((.*)$");
  private static final Pattern RESUMED =
      Pattern.compile("^(\\d+)\\s+<\\.\\.\\. ([a-z_0-9]+) resumed>(.*)$");
  private static final Pattern RESULT =
      Pattern.compile("^(\\S+)(?: (E[A-Z0-9]+)(?: \\((.*?)\\))?)?.*$");
  private static final Pattern EQUALS = Pattern.compile("\\) *= ");
  private static final String UNFINISHED = " <unfinished ...>";

  private final Listener listener;
  /** Calls interrupted by another thread's line, by thread id. */
  private final Map<Integer, Syscall> unfinished = new HashMap<>();
  /** The call whose stack lines are being read; null between calls. */
  private Syscall collecting;
  private long seq;

  public StraceReader(Listener listener) {
    this.listener = listener;
  }

  /** Reads to the end of {@code in}, then {@link #end()}s. */
  public void readAll(BufferedReader in) throws IOException {
    String line;
    while ((line = in.readLine()) != null) {
      accept(line.length() > MAX_LINE ? line.substring(0, MAX_LINE) : line);
    }
    end();
  }

  /** One line of strace output. */
  public void accept(String line) {
    if (line.startsWith(" > ")) {
      Optional<Frame> f = Frame.parse(line);
      if (collecting != null && f.isPresent()) {
        collecting.addFrame(f.get());
      }
      return;
    }
    flush();
    Matcher resumed = RESUMED.matcher(line);
    if (resumed.matches()) {
      int pid = Integer.parseInt(resumed.group(1));
      Syscall call = unfinished.remove(pid);
      if (call == null || !call.name().equals(resumed.group(2))) {
        return; // its start came before the trace began: nothing to pair it with
      }
      complete(call, resumed.group(3));
      return;
    }
    Matcher start = START.matcher(line);
    if (!start.matches()) {
      return;
    }
    int pid;
    try {
      pid = Integer.parseInt(start.group(1));
    } catch (NumberFormatException e) {
      return;
    }
    String rest = start.group(3);
    if (rest.endsWith(UNFINISHED)) {
      Syscall call = new Syscall(++seq, pid, start.group(2),
          rest.substring(0, rest.length() - UNFINISHED.length()));
      unfinished.put(pid, call);
      listener.started(call);
      return;
    }
    listener.started(complete(new Syscall(++seq, pid, start.group(2), ""), rest));
  }

  /** Splits {@code "args) = result"}; the call then waits for its stack lines. */
  private Syscall complete(Syscall call, String rest) {
    // strace pads the result to a column: "close(3)              = 0".
    Matcher eq = EQUALS.matcher(rest);
    int at = -1;
    int after = -1;
    while (eq.find()) {
      at = eq.start();
      after = eq.end();
    }
    String args = at < 0 ? rest : rest.substring(0, at);
    String result = at < 0 ? "?" : rest.substring(after).strip();
    Matcher r = RESULT.matcher(result);
    if (r.matches()) {
      call.finish(args, r.group(1), r.group(2), r.group(3));
    } else {
      call.finish(args, "?", null, null);
    }
    collecting = call;
    return call;
  }

  /** The call whose stack was being read is complete. */
  private void flush() {
    if (collecting != null) {
      Syscall c = collecting;
      collecting = null;
      listener.finished(c);
    }
  }

  /** The output ended: the last call is complete; calls still unfinished never returned. */
  public void end() {
    flush();
    unfinished.clear();
  }
}
