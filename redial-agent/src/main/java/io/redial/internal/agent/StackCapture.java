package io.redial.internal.agent;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Records where a socket operation happened, cheaply: a {@link StackWalker} walk limited to the
 * configured depth keeps only frame handles; file names and line numbers are resolved when a
 * report is printed, which is rare.
 */
final class StackCapture {
  /** The agent's own frames on top of every capture (advice is inlined: it has no frame). */
  private static final Set<String> AGENT_FRAMES = Set.of(
      StackCapture.class.getName(), Tracker.class.getName(),
      "io.redial.internal.agent.boot.Hooks");

  private final StackWalker walker = StackWalker.getInstance();
  private final int depth;

  StackCapture(int depth) {
    this.depth = depth;
  }

  /** The caller's stack, without the agent's own frames, at most {@code depth} frames. */
  List<StackWalker.StackFrame> capture() {
    return walker.walk(frames -> frames
        .dropWhile(f -> AGENT_FRAMES.contains(f.getClassName()))
        .limit(depth)
        .collect(Collectors.toList()));
  }

  /** The printable form of captured frames. */
  static List<StackTraceElement> elements(List<StackWalker.StackFrame> frames) {
    return frames.stream().map(StackWalker.StackFrame::toStackTraceElement).toList();
  }
}
