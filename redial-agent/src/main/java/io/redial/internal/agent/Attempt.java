package io.redial.internal.agent;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One recorded operation on a socket: who did it, when, where from, and (for a connect) to what.
 *
 * @param thread the thread's name
 * @param threadId the thread's id
 * @param time when it happened
 * @param target the connect target, or null for an open or a close
 * @param frames the stack, resolved when first printed
 */
record Attempt(
    String thread, long threadId, Instant time, Object target,
    StackCapture.Captured frames) {
  Attempt {
    Objects.requireNonNull(thread, "thread");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(frames, "frames");
  }

  List<StackTraceElement> stack() {
    return frames.elements();
  }
}
