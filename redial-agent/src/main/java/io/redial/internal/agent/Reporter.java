package io.redial.internal.agent;

/** Where findings go. Implementations are thread-safe and never throw. */
interface Reporter {
  void report(Report report);

  void summary(Summary summary);

  /** An agent failure: {@code what} names the probe or step that failed and is now off. */
  void internalError(String what, Throwable error);
}
