package io.redial.cli.trace;

import java.util.Objects;

/**
 * A connect that cannot be right.
 *
 * @param pattern what went wrong
 * @param socket how the socket is named: {@code socket #2 (fd 3)}
 * @param headline one line saying what happened
 * @param firstRole what {@code first} is: "first connect", "pending connect", "closed"
 * @param first the earlier call that makes this one wrong, or null when it happened before the
 *     trace started
 * @param second the offending connect
 */
public record TraceFinding(TracePattern pattern, String socket, String headline, String firstRole,
    Syscall first, Syscall second) {
  public TraceFinding {
    Objects.requireNonNull(pattern, "pattern");
    Objects.requireNonNull(socket, "socket");
    Objects.requireNonNull(headline, "headline");
    Objects.requireNonNull(firstRole, "firstRole");
    Objects.requireNonNull(second, "second");
  }

  /** Both calls have returned (or the trace ended), so their stacks are known. */
  boolean complete() {
    return second.finished() && (first == null || first.finished());
  }
}
