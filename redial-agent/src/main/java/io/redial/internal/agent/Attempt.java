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
 * @param frames the stack, resolved when first printed (or a note that it was not recorded)
 */
record Attempt(
    String thread, long threadId, Instant time, Object target,
    StackCapture.Captured frames) {
  Attempt {
    Objects.requireNonNull(thread, "thread");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(frames, "frames");
  }

  /**
   * Something that happened before the agent was attached: {@code what} says it ("connected
   * before the agent was attached"), {@code learnedAt} is when the agent found out. Thread id -1.
   */
  static Attempt before(String what, Instant learnedAt) {
    return new Attempt(what, -1, learnedAt, null, StackCapture.none());
  }

  /** Whether this stands for something that happened before the agent was attached. */
  boolean beforeAttach() {
    return threadId < 0;
  }

  /** Whether this attempt's stack was recorded. */
  boolean stackRecorded() {
    return frames.recorded();
  }

  /** Why the stack is missing, when it was deliberately not recorded; null otherwise. */
  String stackNote() {
    return frames.notRecordedNote();
  }

  List<StackTraceElement> stack() {
    return frames.elements();
  }
}
