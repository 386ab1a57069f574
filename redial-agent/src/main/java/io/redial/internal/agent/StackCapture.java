package io.redial.internal.agent;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * Records where a socket operation happened, cheaply. A socket's first recorded operation must
 * keep its stack in case a later connect turns out to be wrong (or the socket leaks), so this
 * runs once for every socket: filling in a throwable's native backtrace costs well under a
 * microsecond, several times less than a {@link StackWalker} walk (measured: about 0.8 µs against
 * 3 to 5 µs at 25 frames), and file names and line numbers are only resolved when a report is
 * printed, which is rare. Even so it is the agent's main cost, which is why only one stack per
 * socket is recorded unless {@code stacks=all} asks for every one.
 */
final class StackCapture {
  /** The agent's own frames on top of every capture (advice is inlined: it has no frame). */
  private static final Set<String> AGENT_FRAMES = Set.of(
      StackCapture.class.getName(), Tracker.class.getName(),
      "io.redial.internal.agent.boot.Hooks");

  private final int depth;

  StackCapture(int depth) {
    this.depth = depth;
  }

  /** The caller's stack; at most {@code depth} frames of it are ever printed. */
  Captured capture() {
    return new Captured(new Trace(), depth, null);
  }

  /** No stack: for what happened before the agent was attached. */
  static Captured none() {
    return new Captured(null, 0, null);
  }

  /**
   * A stack deliberately not recorded (to keep the cost down); {@code note} says so in reports,
   * e.g. "not recorded; start the agent with stacks=all to record close stacks".
   */
  static Captured notRecorded(String note) {
    return new Captured(null, 0, java.util.Objects.requireNonNull(note, "note"));
  }

  /** A stack recorded now and resolved on first use. */
  static final class Captured {
    private final Trace trace;
    private final int depth;
    /** Why there is no stack, when it was deliberately not recorded; null otherwise. */
    private final String notRecorded;
    /** Resolved frames; null until first asked for. Guarded by this. */
    private List<StackTraceElement> elements;

    private Captured(Trace trace, int depth, String notRecorded) {
      this.trace = trace;
      this.depth = depth;
      this.notRecorded = notRecorded;
    }

    /** Whether a stack was recorded (false before the attach and when deliberately skipped). */
    boolean recorded() {
      return trace != null;
    }

    /** The reports' sentence for a stack deliberately not recorded; null otherwise. */
    String notRecordedNote() {
      return notRecorded;
    }

    /** The frames below the agent's own, at most {@code depth} of them. */
    synchronized List<StackTraceElement> elements() {
      if (elements == null && trace == null) {
        elements = List.of();
      }
      if (elements == null) {
        StackTraceElement[] all = trace.getStackTrace();
        int from = 0;
        while (from < all.length && AGENT_FRAMES.contains(all[from].getClassName())) {
          from++;
        }
        List<StackTraceElement> kept = new ArrayList<>(Math.min(depth, all.length - from));
        for (int i = from; i < all.length && kept.size() < depth; i++) {
          kept.add(all[i]);
        }
        elements = Collections.unmodifiableList(kept);
      }
      return elements;
    }
  }

  /** Carries only a backtrace: no message, no cause, no suppression list. */
  private static final class Trace extends Throwable {
    private static final long serialVersionUID = 1L;

    Trace() {
      super(null, null, false, true);
    }
  }
}
