package io.redial.cli.trace;

/** The socket misuse {@code redial trace} reports, named as the agent names it in a JVM. */
public enum TracePattern {
  /** connect() on a socket that is already connected. */
  DOUBLE_CONNECT("WSAEISCONN", "WSAEISCONN / EISCONN"),
  /** connect() while a connect on the same socket is still pending. */
  CONNECT_PENDING("WSAEALREADY", "WSAEALREADY / EALREADY"),
  /** connect() on a descriptor that was closed. */
  CONNECT_AFTER_CLOSE("WSAEBADF", "closed descriptor");

  private final String catalogName;
  private final String label;

  TracePattern(String catalogName, String label) {
    this.catalogName = catalogName;
    this.label = label;
  }

  /** The catalog entry that explains it. */
  public String catalogName() {
    return catalogName;
  }

  /** {@code DOUBLE_CONNECT (WSAEISCONN / EISCONN)}. */
  public String heading() {
    return name() + " (" + label + ")";
  }
}
