package io.redial.internal.agent;

/** The bug patterns the agent reports, with the catalog entry that explains each. */
public enum Pattern {
  /** connect() on a socket that is already connected. */
  DOUBLE_CONNECT("WSAEISCONN", "WSAEISCONN / EISCONN"),
  /** connect() while a connect on the same socket is still pending. */
  CONNECT_PENDING("WSAEALREADY", "WSAEALREADY / EALREADY"),
  /** connect() on a socket that was closed: a handle reused after close. */
  CONNECT_AFTER_CLOSE("CHANNEL_CLOSED", "closed socket"),
  /** A socket garbage-collected without close(). */
  LEAKED_SOCKET(null, "never closed");

  private final String catalogName;
  private final String label;

  Pattern(String catalogName, String label) {
    this.catalogName = catalogName;
    this.label = label;
  }

  /** The name to look up in {@code SocketErrors}, or null when the catalog has nothing to add. */
  public String catalogName() {
    return catalogName;
  }

  /** How the heading names the error, e.g. {@code DOUBLE_CONNECT (WSAEISCONN / EISCONN)}. */
  public String heading() {
    return name() + " (" + label + ")";
  }
}
