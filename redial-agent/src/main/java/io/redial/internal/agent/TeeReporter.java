package io.redial.internal.agent;

/**
 * Sends every report to the main reporter and, until {@link #stop}, to a second one (the
 * {@code redial attach} terminal's file). Thread-safe; never throws.
 */
final class TeeReporter implements Reporter {
  private final Reporter main;
  /** The copy's reporter; null once stopped. */
  private volatile Reporter copy;

  TeeReporter(Reporter main, Reporter copy) {
    this.main = main;
    this.copy = copy;
  }

  @Override
  public void report(Report report) {
    main.report(report);
    Reporter c = copy;
    if (c != null) {
      c.report(report);
    }
  }

  @Override
  public void summary(Summary summary) {
    main.summary(summary);
    Reporter c = copy;
    if (c != null) {
      c.summary(summary);
    }
  }

  @Override
  public void internalError(String what, Throwable error) {
    main.internalError(what, error);
    Reporter c = copy;
    if (c != null) {
      c.internalError(what, error);
    }
  }

  /** From now on only the main reporter hears anything. */
  void stop() {
    copy = null;
  }
}
